//! A document laid out in one pass, each page handed to the file as soon as it is finished: the
//! cover, then the body, then the table of contents (its length measured by a dry layout of the
//! contents alone, so that it can print the body's page numbers and link to pages already
//! written). The file puts the contents before the body and numbers every page "Page N of M"
//! at the end. A document (the register's record, a breach notification, a findings annex)
//! supplies its cover, its body and its page decoration through [`Document`].
//!
//! Uses the flow, the pages, the fonts and the file.

use std::cell::RefCell;
use std::io::Write;

use super::file::{Bookmark, FinishedPage, GlyphUse, Info, Part, PdfFile};
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
    /// Draws the running header and footer of a page as it is finished, all but its number;
    /// `first` is the document's first page.
    fn decorate(&self, page: &mut PageBuf, kit: Kit<'_>, first: bool);
    /// Draws the number of page `n` of `total`, once the document is laid out.
    fn number(&self, page: &mut PageBuf, kit: Kit<'_>, n: usize, total: usize);
    /// Why the content laid out is incomplete, if it is (a read that failed while the document
    /// was laid out): the file is then left unfinished and the error returned.
    fn incomplete(&self) -> Option<ExportError>;
    /// Title, author, subject and keywords of the file.
    fn info(&self) -> Info;
}

/// The page sink: each page gets its running header and footer and goes to the thread that
/// compresses and writes it, so that on two cores the layout of the next pages and the
/// compression of the last ones run at once.
struct Writer<'w> {
    pages: std::sync::mpsc::SyncSender<FinishedPage>,
    kit: Kit<'w>,
    doc: &'w dyn Document,
    /// The part being laid out.
    part: Part,
    /// Pages handed over so far.
    written: usize,
}

impl PageSink for Writer<'_> {
    fn take(&mut self, mut page: PageBuf) -> Result<(), ExportError> {
        self.doc.decorate(&mut page, self.kit, self.written == 0);
        self.written += 1;
        self.pages
            .send(page.finish(self.part))
            .map_err(|_| ExportError::Pdf("the PDF file stopped being written".into()))
    }
}

/// Lays `doc` out and writes it to `out`: every page as soon as it is finished, then the page
/// numbers, the fonts, the outline and the cross-reference table.
pub(crate) fn write(doc: &dyn Document, out: &mut (dyn Write + Send)) -> Result<(), ExportError> {
    let fonts = Fonts::get()?;
    let glyphs = RefCell::new(GlyphUse::default());
    let kit = Kit {
        fonts,
        glyphs: &glyphs,
    };
    let file = PdfFile::new(out)?;
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
            part: Part::Cover,
            written: 0,
        };
        let laid_out = lay_out(doc, kit, &mut writer);
        // Closing the channel ends the writing thread once it has written every page.
        drop(writer);
        let file = writing
            .join()
            .unwrap_or_else(|_| Err(ExportError::Pdf("the PDF writer stopped".into())));
        (laid_out, file)
    });
    // A page the writer refused explains a layout that stopped: its error comes first.
    let file = file?;
    let (entries, has_contents) = laid_out?;
    if let Some(e) = doc.incomplete() {
        return Err(e);
    }

    let mut bookmarks = Vec::with_capacity(entries.len() + 2);
    bookmarks.push(Bookmark {
        title: "Cover".into(),
        part: Part::Cover,
        page: 1,
    });
    if has_contents {
        bookmarks.push(Bookmark {
            title: "Contents".into(),
            part: Part::Contents,
            page: 1,
        });
    }
    bookmarks.extend(entries.into_iter().map(|e| Bookmark {
        title: if e.reference.is_empty() {
            e.title
        } else {
            format!("{} {}", e.reference, e.title)
        },
        part: Part::Body,
        page: e.page,
    }));
    let info = doc.info();
    let mut number = |n: usize, total: usize| {
        let mut page = PageBuf::new(String::new(), false);
        doc.number(&mut page, kit, n, total);
        page.finish(Part::Body).content
    };
    file.finish(fonts, &glyphs, &bookmarks, &info, &mut number)
}

/// The layout: cover, body and contents, each page handed to `writer`; the contents entries,
/// and whether there are contents pages.
fn lay_out(
    doc: &dyn Document,
    kit: Kit<'_>,
    writer: &mut Writer<'_>,
) -> Result<(Vec<TocEntry>, bool), ExportError> {
    writer.part = Part::Cover;
    let mut cover = Flow::new(kit, writer, false);
    doc.cover(&mut cover);
    let cover_len = cover.finish()?;

    writer.part = Part::Body;
    let mut body = Flow::new(kit, writer, false);
    let entries = doc.body(&mut body);
    body.finish()?;
    if entries.is_empty() {
        return Ok((entries, false));
    }

    // The contents' length does not depend on the page numbers they print.
    let toc_len = {
        let mut sink = Count;
        let mut probe = Flow::new(kit, &mut sink, true);
        contents(&mut probe, &entries, 0);
        probe.finish()?
    };
    writer.part = Part::Contents;
    let mut toc = Flow::new(kit, writer, false);
    contents(&mut toc, &entries, cover_len + toc_len);
    if toc.finish()? != toc_len {
        return Err(ExportError::Pdf(
            "the table of contents changed length when numbered".into(),
        ));
    }
    Ok((entries, true))
}

/// The table of contents: one row per entry, linked to its body page and printing its page
/// number in the document (`offset` + the entry's body page).
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
    let rows = entries.iter().map(|e| {
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
            link: Some(e.page),
        }
    });
    f.table(TableKind::List, &cols, rows);
}

// ---------------------------------------------------------------------------------------------
// Controller record
// ---------------------------------------------------------------------------------------------
