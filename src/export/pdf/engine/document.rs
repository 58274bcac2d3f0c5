//! A document laid out in two passes. A counting pass ([`plan`]) draws nothing, so that the
//! table of contents can print the page of every entry and each footer its "Page N of M"; the
//! writing pass ([`write`]) lays the document out again and hands each finished page to the
//! file to be written at once. A document (the register's record, a breach notification, a
//! findings annex) supplies its cover, its body and its page decoration through [`Document`].
//!
//! Uses the flow, the pages, the fonts and the file.

use std::cell::RefCell;
use std::io::Write;

use super::file::{Bookmark, FinishedPage, GlyphUse, Info, PdfFile};
use super::flow::{col, Align, Cell, Col, Flow, Row, RowKind, TableKind};
use super::fonts::Fonts;
use super::page::{Count, Kit, PageBuf, PageSink};
use super::style::{BODY, BODY_BOLD, DASH, H1};
use crate::export::ExportError;

/// An entry of the table of contents; `page` is relative to the body.
pub(crate) struct TocEntry {
    /// Shown in bold (a part, not an item).
    pub(crate) strong: bool,
    /// The entry's reference column (may be empty).
    pub(crate) reference: String,
    /// The entry's title.
    pub(crate) title: String,
    /// The body page it starts on (1-based).
    pub(crate) page: usize,
}

/// What a document gives the engine: its parts, the decoration of its pages and its metadata.
pub(crate) trait Document {
    /// Lays out the cover (the first part).
    fn cover(&self, f: &mut Flow<'_, '_>);
    /// Lays out the body; returns its contents entries (none: no contents pages).
    fn body(&self, f: &mut Flow<'_, '_>) -> Vec<TocEntry>;
    /// Draws the running header and footer of page `n` of `total`.
    fn decorate(&self, page: &mut PageBuf, kit: Kit<'_>, n: usize, total: usize);
    /// Title, author, subject and keywords of the file.
    fn info(&self) -> Info;
}

/// The outcome of the counting pass: how many pages each part takes and where each contents
/// entry starts. Made before anything is written, so that a document that cannot be laid out
/// is refused before the first byte leaves (a download then gets an error page, not a cut file).
pub(crate) struct Plan {
    entries: Vec<TocEntry>,
    cover_len: usize,
    toc_len: usize,
    body_len: usize,
}

/// The writing pass's page sink: each page gets its running header and footer and goes to the
/// thread that compresses and writes it, so that on two cores the layout of the next pages and
/// the compression of the last ones run at once.
struct Writer<'w> {
    pages: std::sync::mpsc::SyncSender<FinishedPage>,
    kit: Kit<'w>,
    doc: &'w dyn Document,
    total: usize,
    written: usize,
}

impl PageSink for Writer<'_> {
    fn take(&mut self, mut page: PageBuf) -> Result<(), ExportError> {
        self.written += 1;
        self.doc
            .decorate(&mut page, self.kit, self.written, self.total);
        self.pages
            .send(page.finish())
            .map_err(|_| ExportError::Pdf("the PDF file stopped being written".into()))
    }
}

/// The counting pass: the body's pages and the contents entries, the cover, and the length of
/// the contents (the same whatever page numbers they print). Nothing is drawn.
pub(crate) fn plan(doc: &dyn Document) -> Result<Plan, ExportError> {
    let fonts = Fonts::get()?;
    let glyphs = RefCell::new(GlyphUse::default());
    let kit = Kit {
        fonts,
        glyphs: &glyphs,
    };
    let (entries, body_len) = {
        let mut sink = Count;
        let mut body = Flow::new(kit, &mut sink, true);
        let entries = doc.body(&mut body);
        (entries, body.finish()?)
    };
    let cover_len = {
        let mut sink = Count;
        let mut cover = Flow::new(kit, &mut sink, true);
        doc.cover(&mut cover);
        cover.finish()?
    };
    let toc_len = if entries.is_empty() {
        0
    } else {
        let mut sink = Count;
        let mut probe = Flow::new(kit, &mut sink, true);
        contents(&mut probe, &entries, 0);
        probe.finish()?
    };
    Ok(Plan {
        entries,
        cover_len,
        toc_len,
        body_len,
    })
}

/// The writing pass: lays the document out again and writes every page, numbered, as soon as
/// it is finished; then the fonts, outline and cross-reference table.
pub(crate) fn write(
    doc: &dyn Document,
    plan: &Plan,
    out: &mut (dyn Write + Send),
) -> Result<(), ExportError> {
    let fonts = Fonts::get()?;
    let glyphs = RefCell::new(GlyphUse::default());
    let kit = Kit {
        fonts,
        glyphs: &glyphs,
    };
    let Plan {
        ref entries,
        cover_len,
        toc_len,
        body_len,
    } = *plan;
    let body_start = cover_len + toc_len;
    let total = body_start + body_len;

    let file = PdfFile::new(total, out)?;
    let (pages, finished) = std::sync::mpsc::sync_channel::<FinishedPage>(8);
    let (laid_out, file) = std::thread::scope(|scope| {
        let writing = scope.spawn(move || -> Result<PdfFile<'_>, ExportError> {
            let mut file = file;
            for page in finished {
                file.page(page)?;
            }
            Ok(file)
        });
        let mut writer = Writer {
            pages,
            kit,
            doc,
            total,
            written: 0,
        };
        let laid_out = lay_out(doc, kit, &mut writer, entries, body_start, toc_len);
        // Closing the channel ends the writing thread once it has written every page.
        drop(writer);
        let file = writing
            .join()
            .unwrap_or_else(|_| Err(ExportError::Pdf("the PDF writer stopped".into())));
        (laid_out, file)
    });
    // A page the writer refused explains a layout that stopped: its error comes first.
    let file = file?;
    laid_out?;

    let mut bookmarks = Vec::with_capacity(entries.len() + 2);
    bookmarks.push(Bookmark {
        title: "Cover".into(),
        page: 1,
    });
    if toc_len > 0 {
        bookmarks.push(Bookmark {
            title: "Contents".into(),
            page: cover_len + 1,
        });
    }
    bookmarks.extend(entries.iter().map(|e| Bookmark {
        title: if e.reference.is_empty() {
            e.title.clone()
        } else {
            format!("{} {}", e.reference, e.title)
        },
        page: body_start + e.page,
    }));
    let info = doc.info();
    file.finish(fonts, &glyphs, &bookmarks, &info)
}

/// The writing pass's layout: cover, contents and body, each page handed to `writer`.
fn lay_out(
    doc: &dyn Document,
    kit: Kit<'_>,
    writer: &mut Writer<'_>,
    entries: &[TocEntry],
    body_start: usize,
    toc_len: usize,
) -> Result<(), ExportError> {
    let mut cover = Flow::new(kit, writer, false);
    doc.cover(&mut cover);
    cover.finish()?;
    if !entries.is_empty() {
        let mut toc = Flow::new(kit, writer, false);
        contents(&mut toc, entries, body_start);
        if toc.finish()? != toc_len {
            return Err(ExportError::Pdf(
                "the table of contents changed length between passes".into(),
            ));
        }
    }
    let mut body = Flow::new(kit, writer, false);
    doc.body(&mut body);
    body.finish()?;
    Ok(())
}

/// The table of contents: one row per entry, linked to its page (`offset` + the entry's page).
pub(crate) fn contents(f: &mut Flow<'_, '_>, entries: &[TocEntry], offset: usize) {
    f.running = "Contents".into();
    f.new_page();
    f.title("", "Contents", H1, "");
    let cols = [
        col("Reference", 17.0),
        col("Section", 71.0),
        Col {
            title: "Page",
            share: 12.0,
            align: Align::Right,
        },
    ];
    let rows = entries
        .iter()
        .map(|e| {
            let style = if e.strong { BODY_BOLD } else { BODY };
            let page = offset + e.page;
            Row {
                cells: vec![
                    Cell::new().add(style, &e.reference),
                    Cell::new().add(style, &e.title).or(DASH),
                    Cell::new().add(style, page.to_string()),
                ],
                kind: if e.strong {
                    RowKind::Strong
                } else {
                    RowKind::Normal
                },
                link: Some(page),
            }
        })
        .collect();
    f.table(TableKind::List, &cols, rows);
}

// ---------------------------------------------------------------------------------------------
// Controller record
// ---------------------------------------------------------------------------------------------
