//! The PDF file, written page by page as the layout finishes each page.
//!
//! A record of 10,000 activities is some 22,000 pages: holding every page's drawing operations
//! until the end (as a whole-document PDF builder does) takes gigabytes, and even the finished
//! file is 100 MB. Here a finished page is serialised, compressed and written to the output at
//! once; only the object numbers of each page and the position of each object are kept, for the
//! page tree and the cross-reference table that follow the fonts and the outline after the last
//! page. The layout runs once (see `document`): the cover, then the body, then the contents,
//! whose links point at body pages already written; the page tree puts the contents before the
//! body. Each page's "Page N of M" is a small second content stream of the page, written at
//! the end when N and M are known.
//!
//! Text is shown in the two DejaVu Sans faces as Type 0 fonts (Identity-H, two-byte glyph ids,
//! widths of the glyphs used), each with a `ToUnicode` map so that the text can be searched,
//! copied and extracted, and each embedded as a subset of the glyphs the document uses.
//!
//! Uses `export::pdf::engine::{fonts, style}`.

use std::cell::RefCell;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, FlushCompress, Status};
use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, PageMode, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Chunk, Content, Date, Filter, Name, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::fonts::Fonts;
use super::style::{Face, A4};
use crate::export::ExportError;

/// Deflate level for page content: the fastest. Compressing page content at the default level
/// was 45% of the time of the renderer this replaced (`perf`); the file is somewhat larger.
const PAGE_COMPRESSION: u32 = 1;

/// Resource names of the two faces on every page.
pub(crate) fn font_resource(face: Face) -> Name<'static> {
    match face {
        Face::Regular => Name(b"F1"),
        Face::Bold => Name(b"F2"),
    }
}

/// The characters drawn with each face, by glyph id, for the widths and `ToUnicode` maps.
#[derive(Default)]
pub(crate) struct GlyphUse {
    regular: Vec<Option<char>>,
    bold: Vec<Option<char>>,
}

impl GlyphUse {
    /// Appends the glyph ids of `text` (big-endian, two bytes each) to `out` and records them.
    pub(crate) fn encode(&mut self, fonts: &Fonts, face: Face, text: &str, out: &mut Vec<u8>) {
        let used = match face {
            Face::Regular => &mut self.regular,
            Face::Bold => &mut self.bold,
        };
        let metrics = fonts.metrics(face);
        for c in text.chars() {
            let gid = metrics.glyph(c);
            out.extend_from_slice(&gid.to_be_bytes());
            let slot = usize::from(gid);
            if used.len() <= slot {
                used.resize(slot + 1, None);
            }
            if used[slot].is_none() {
                // Characters the font lacks all share the missing-glyph box: it is extracted
                // as the replacement character, not as whichever of them came first.
                used[slot] = Some(if gid == 0 {
                    char::REPLACEMENT_CHARACTER
                } else {
                    c
                });
            }
        }
    }

    fn of(&self, face: Face) -> &[Option<char>] {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }
}

/// The parts of a document in reading order. The layout makes them in another (cover, body,
/// contents), so every page says which part it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The cover.
    Cover,
    /// The table of contents.
    Contents,
    /// Everything after the contents.
    Body,
}

impl Part {
    /// The parts in reading order.
    const ALL: [Part; 3] = [Part::Cover, Part::Contents, Part::Body];

    fn index(self) -> usize {
        match self {
            Part::Cover => 0,
            Part::Contents => 1,
            Part::Body => 2,
        }
    }
}

/// A finished page: its part, its content stream (uncompressed) and its links (rectangle as x,
/// y, width, height; the body page it leads to, 1-based).
pub(crate) struct FinishedPage {
    /// The part it belongs to.
    pub part: Part,
    /// The content stream.
    pub content: Vec<u8>,
    /// Link rectangles and the body page each one leads to (already written).
    pub links: Vec<([f32; 4], usize)>,
}

/// One outline (bookmark) entry: its title and the page it opens (1-based within its part).
pub(crate) struct Bookmark {
    /// Shown in the viewer's outline.
    pub title: String,
    /// The part of the page it opens.
    pub part: Part,
    /// The page it opens, counted within the part.
    pub page: usize,
}

/// The document information dictionary.
pub(crate) struct Info {
    /// /Title.
    pub title: String,
    /// /Author.
    pub author: String,
    /// /Subject.
    pub subject: String,
    /// /Keywords.
    pub keywords: String,
    /// /CreationDate and /ModDate, UTC.
    pub created: chrono::NaiveDateTime,
}

// Fixed object numbers; every number after them is given out as an object is made (pages, their
// content streams, annotations, outline items) and each is written, so the cross-reference
// table has no holes.
const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const INFO: Ref = Ref::new(3);
const RESOURCES: Ref = Ref::new(4);
const OUTLINE: Ref = Ref::new(5);
/// Type 0 font, CID font, descriptor, font file and ToUnicode map of each face.
const FONT_OBJECTS: [[Ref; 5]; 2] = [
    [
        Ref::new(6),
        Ref::new(7),
        Ref::new(8),
        Ref::new(9),
        Ref::new(10),
    ],
    [
        Ref::new(11),
        Ref::new(12),
        Ref::new(13),
        Ref::new(14),
        Ref::new(15),
    ],
];
/// The first object number given out as objects are made.
const FIRST_FREE: i32 = 16;

/// A PDF file being written to `out`, page by page.
pub(crate) struct PdfFile<'o> {
    out: &'o mut (dyn Write + Send),
    /// Bytes written so far.
    position: usize,
    /// Object number and position of every object written.
    offsets: Vec<(i32, usize)>,
    next_ref: i32,
    /// The page object and page-number stream of every page written, by part (`Part::ALL`
    /// order), in the order of the part.
    parts: [Vec<(Ref, Ref)>; 3],
    /// One compressor for every page, reset between pages: making a new one per page (its
    /// window and hash tables allocated and cleared) cost as much as compressing.
    pages: PageCompressor,
}

/// Compresses page content streams, one zlib stream each, with the same compressor.
struct PageCompressor {
    compress: Compress,
    out: Vec<u8>,
}

impl PageCompressor {
    fn new() -> Self {
        // A 4 KB window: a page's content repeats its operators within a few lines, and the
        // smaller tables are cheaper to reset.
        Self {
            compress: Compress::new_with_window_bits(Compression::new(PAGE_COMPRESSION), true, 12),
            out: Vec::new(),
        }
    }

    /// Leaves the zlib stream of `bytes` in `out`.
    fn compress(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.compress.reset();
        self.out.clear();
        self.out.reserve(bytes.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(self.compress.total_in()).unwrap_or(usize::MAX);
            let input = bytes.get(consumed..).unwrap_or_default();
            let status = self
                .compress
                .compress_vec(input, &mut self.out, FlushCompress::Finish)
                .map_err(|e| ExportError::Pdf(format!("cannot compress a page: {e}")))?;
            match status {
                Status::StreamEnd => return Ok(()),
                Status::Ok | Status::BufError => {
                    let more = self.out.capacity().max(1024);
                    self.out.reserve(more);
                }
            }
        }
    }
}

impl<'o> PdfFile<'o> {
    /// A file to be written to `out`; writes the header.
    pub(crate) fn new(out: &'o mut (dyn Write + Send)) -> Result<Self, ExportError> {
        let mut file = Self {
            out,
            position: 0,
            offsets: Vec::with_capacity(1024),
            next_ref: FIRST_FREE,
            parts: Default::default(),
            pages: PageCompressor::new(),
        };
        // The second line marks the file as binary for transfer programs (ISO 32000-1, 7.5.2).
        file.raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
        Ok(file)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.out
            .write_all(bytes)
            .map_err(|e| ExportError::Pdf(format!("cannot write the PDF: {e}")))?;
        self.position += bytes.len();
        Ok(())
    }

    /// Writes the indirect object `id`, built by `build` in a chunk of its own.
    fn object(&mut self, id: Ref, build: impl FnOnce(&mut Chunk)) -> Result<(), ExportError> {
        let mut chunk = Chunk::new();
        build(&mut chunk);
        self.offsets.push((id.get(), self.position));
        self.raw(chunk.as_bytes())
    }

    /// A new object number.
    fn alloc(&mut self) -> Result<Ref, ExportError> {
        let r = Ref::new(self.next_ref);
        self.next_ref = self
            .next_ref
            .checked_add(1)
            .ok_or_else(|| ExportError::Pdf("too many objects for one PDF file".into()))?;
        Ok(r)
    }

    /// Writes the next page of its part. Its links lead to body pages already written.
    pub(crate) fn page(&mut self, page: FinishedPage) -> Result<(), ExportError> {
        let page_ref = self.alloc()?;
        let content_ref = self.alloc()?;
        let number_ref = self.alloc()?;
        self.pages.compress(&page.content)?;
        // The buffer is lent out while the object is written, then kept for the next page.
        let compressed = std::mem::take(&mut self.pages.out);
        let written = self.object(content_ref, |c| {
            c.stream(content_ref, &compressed)
                .filter(Filter::FlateDecode);
        });
        self.pages.out = compressed;
        written?;
        let mut annotations = Vec::with_capacity(page.links.len());
        for ([x, y, w, h], target) in page.links {
            let body = &self.parts[Part::Body.index()];
            let Some(&(target_ref, _)) = target.checked_sub(1).and_then(|i| body.get(i)) else {
                continue;
            };
            let id = self.alloc()?;
            self.object(id, |c| {
                let mut annotation = c.annotation(id);
                annotation
                    .subtype(AnnotationType::Link)
                    .rect(Rect::new(x, y, x + w, y + h))
                    .border(0.0, 0.0, 0.0, None);
                annotation
                    .action()
                    .action_type(ActionType::GoTo)
                    .destination()
                    .page(target_ref)
                    .xyz(0.0, A4.1, None);
            })?;
            annotations.push(id);
        }
        self.object(page_ref, |c| {
            let mut p = c.page(page_ref);
            p.parent(PAGE_TREE)
                .media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
                .pair(Name(b"Resources"), RESOURCES);
            p.insert(Name(b"Contents"))
                .array()
                .items([content_ref, number_ref]);
            if !annotations.is_empty() {
                p.annotations(annotations);
            }
        })?;
        self.parts[page.part.index()].push((page_ref, number_ref));
        Ok(())
    }

    /// The pages in reading order: page object and page-number stream.
    fn reading_order(&self) -> Vec<(Ref, Ref)> {
        Part::ALL
            .iter()
            .flat_map(|p| self.parts[p.index()].iter().copied())
            .collect()
    }

    /// Writes the fonts, outline, page tree, catalog, information dictionary, cross-reference
    /// table and trailer.
    ///
    /// `number(n, total)` gives the content stream that numbers page `n` of `total`.
    pub(crate) fn finish(
        mut self,
        fonts: &Fonts,
        glyphs: &RefCell<GlyphUse>,
        bookmarks: &[Bookmark],
        info: &Info,
        number: &mut dyn FnMut(usize, usize) -> Vec<u8>,
    ) -> Result<(), ExportError> {
        let pages = self.reading_order();
        let total = pages.len();
        // The numbers first: the glyphs they draw are part of the fonts' subsets.
        for (i, &(_, number_ref)) in pages.iter().enumerate() {
            let content = number(i + 1, total);
            self.object(number_ref, |c| {
                c.stream(number_ref, &content);
            })?;
        }
        let glyphs = glyphs.borrow();
        for (face, refs) in [Face::Regular, Face::Bold].into_iter().zip(FONT_OBJECTS) {
            write_font(&mut self, fonts, face, glyphs.of(face), refs)?;
        }
        self.object(RESOURCES, |c| {
            let mut resources = c.indirect(RESOURCES).dict();
            let mut font_dict = resources.insert(Name(b"Font")).dict();
            font_dict.pair(font_resource(Face::Regular), FONT_OBJECTS[0][0]);
            font_dict.pair(font_resource(Face::Bold), FONT_OBJECTS[1][0]);
        })?;

        self.object(PAGE_TREE, |c| {
            c.pages(PAGE_TREE)
                .kids(pages.iter().map(|p| p.0))
                .count(i32::try_from(total).unwrap_or(i32::MAX));
        })?;

        let items = bookmarks
            .iter()
            .map(|_| self.alloc())
            .collect::<Result<Vec<Ref>, _>>()?;
        if let (Some(&first), Some(&last)) = (items.first(), items.last()) {
            self.object(OUTLINE, |c| {
                c.outline(OUTLINE)
                    .first(first)
                    .last(last)
                    .count(i32::try_from(items.len()).unwrap_or(i32::MAX));
            })?;
            for (i, (b, &id)) in bookmarks.iter().zip(&items).enumerate() {
                let prev = i.checked_sub(1).map(|p| items[p]);
                let next = items.get(i + 1).copied();
                let part = &self.parts[b.part.index()];
                let page = b
                    .page
                    .checked_sub(1)
                    .and_then(|i| part.get(i))
                    .or_else(|| pages.first())
                    .map(|p| p.0);
                self.object(id, |c| {
                    let mut item = c.outline_item(id);
                    item.title(TextStr(&b.title)).parent(OUTLINE);
                    if let Some(prev) = prev {
                        item.prev(prev);
                    }
                    if let Some(next) = next {
                        item.next(next);
                    }
                    if let Some(page) = page {
                        item.dest().page(page).xyz(0.0, A4.1, None);
                    }
                })?;
            }
        }

        let has_outline = !items.is_empty();
        self.object(CATALOG, |c| {
            let mut catalog = c.indirect(CATALOG).start::<pdf_writer::writers::Catalog>();
            catalog.pages(PAGE_TREE);
            if has_outline {
                catalog.outlines(OUTLINE).page_mode(PageMode::UseOutlines);
            }
        })?;

        let created = pdf_date(info.created);
        self.object(INFO, |c| {
            c.indirect(INFO)
                .start::<pdf_writer::writers::DocumentInfo>()
                .title(TextStr(&info.title))
                .author(TextStr(&info.author))
                .subject(TextStr(&info.subject))
                .keywords(TextStr(&info.keywords))
                .creator(TextStr("ropa"))
                .producer(TextStr("ropa"))
                .creation_date(created)
                .modified_date(created);
        })?;
        self.trailer()
    }

    /// The cross-reference table (one entry per object number, unused numbers free) and the
    /// trailer (ISO 32000-1, 7.5.4 and 7.5.5).
    fn trailer(mut self) -> Result<(), ExportError> {
        let xref_at = self.position;
        let mut offsets = std::mem::take(&mut self.offsets);
        offsets.sort_unstable();
        let size = offsets.last().map_or(1, |(id, _)| id + 1);
        let mut table = String::with_capacity(usize::try_from(size).unwrap_or(0) * 20 + 128);
        table.push_str(&format!("xref\n0 {size}\n"));
        let mut next = offsets.iter().peekable();
        for n in 0..size {
            match next.next_if(|(id, _)| *id == n) {
                Some((_, at)) => table.push_str(&format!("{at:010} 00000 n\r\n")),
                None => table.push_str("0000000000 65535 f\r\n"),
            }
        }
        table.push_str(&format!(
            "trailer\n<< /Size {size} /Root {} 0 R /Info {} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
            CATALOG.get(),
            INFO.get()
        ));
        self.raw(table.as_bytes())?;
        self.out
            .flush()
            .map_err(|e| ExportError::Pdf(format!("cannot write the PDF: {e}")))
    }
}

/// The Type 0 font, CID font, descriptor, embedded font program and `ToUnicode` map of `face`.
fn write_font(
    file: &mut PdfFile<'_>,
    fonts: &Fonts,
    face: Face,
    used: &[Option<char>],
    [type0, cid, descriptor, program_ref, to_unicode]: [Ref; 5],
) -> Result<(), ExportError> {
    let subset = Subset::of(face, used)?;
    let cid_to_gid = file.alloc()?;
    let parsed = fonts.parsed(face);
    let metrics = fonts.metrics(face);
    let scale = 1000.0 / f32::from(parsed.units_per_em.max(1));
    let base = format!(
        "{}+{}",
        subset.tag,
        match face {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
        }
    );
    let name = Name(base.as_bytes());
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    file.object(type0, |c| {
        c.type0_font(type0)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(to_unicode);
    })?;

    file.object(cid, |c| {
        let mut font = c.cid_font(cid);
        font.subtype(CidFontType::Type2)
            .base_font(name)
            .system_info(system)
            .font_descriptor(descriptor)
            .default_width(f32::from(metrics.notdef_width()) * scale)
            .cid_to_gid_map_stream(cid_to_gid);
        let mut widths = font.widths();
        for (gid, c) in used.iter().enumerate() {
            if c.is_some() {
                let w = f32::from(metrics.glyph_width(gid)) * scale;
                widths.consecutive(gid as u16, [w]);
            }
        }
    })?;

    let bbox = &parsed.pdf_font_metrics;
    let ascent = f32::from(parsed.font_metrics.ascent) * scale;
    let descent = f32::from(parsed.font_metrics.descent) * scale;
    file.object(descriptor, |c| {
        c.font_descriptor(descriptor)
            .name(name)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(ascent)
            .descent(descent)
            .cap_height(ascent * 0.73)
            .stem_v(match face {
                Face::Regular => 80.0,
                Face::Bold => 140.0,
            })
            .font_file2(program_ref);
    })?;

    file.object(program_ref, |c| {
        c.stream(program_ref, &subset.program)
            .filter(Filter::FlateDecode)
            .pair(
                Name(b"Length1"),
                i32::try_from(subset.length).unwrap_or(i32::MAX),
            );
    })?;
    file.object(cid_to_gid, |c| {
        c.stream(cid_to_gid, &subset.cid_to_gid)
            .filter(Filter::FlateDecode);
    })?;

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
    for (gid, c) in used.iter().enumerate() {
        if let Some(c) = c {
            cmap.pair(gid as u16, *c);
        }
    }
    let cmap = cmap.finish();
    file.object(to_unicode, |c| {
        c.cmap(to_unicode, &cmap)
            .name(Name(b"Custom"))
            .system_info(system);
    })
}

/// The face's font program cut down to the glyphs the document uses, ready to embed.
///
/// The subset is made by the `subsetter` crate (the typst project's), which numbers the kept
/// glyphs afresh. The pages were written with the full font's glyph ids as CIDs before the set
/// of glyphs was known, so the CID font keeps those CIDs and a `CIDToGIDMap` stream maps each to
/// its glyph in the subset (ISO 32000-1, 9.7.4.2).
struct Subset {
    /// Length of the uncompressed TrueType subset.
    length: usize,
    /// The subset, zlib-compressed.
    program: Vec<u8>,
    /// The CID-to-GID map (two bytes per CID), zlib-compressed.
    cid_to_gid: Vec<u8>,
    /// The six-letter tag that names a subset (ISO 32000-1, 9.6.4), from the glyphs kept.
    tag: String,
}

impl Subset {
    fn of(face: Face, used: &[Option<char>]) -> Result<Self, ExportError> {
        let data = match face {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
        };
        let mut remapper = GlyphRemapper::new();
        let mut map = vec![0u8; used.len() * 2];
        let mut tag_seed: u32 = 2_166_136_261;
        for (gid, c) in used.iter().enumerate() {
            if c.is_none() {
                continue;
            }
            let gid = u16::try_from(gid)
                .map_err(|_| ExportError::Pdf(format!("glyph id {gid} out of range")))?;
            let new = remapper.remap(gid);
            map[usize::from(gid) * 2..usize::from(gid) * 2 + 2].copy_from_slice(&new.to_be_bytes());
            // FNV-1a over the glyphs kept: the same glyphs give the same tag.
            for b in gid.to_be_bytes() {
                tag_seed = (tag_seed ^ u32::from(b)).wrapping_mul(16_777_619);
            }
        }
        let font = subsetter::subset(data, 0, &remapper)
            .map_err(|e| ExportError::Pdf(format!("cannot subset the font: {e}")))?;
        let tag = (0..6)
            .map(|i| char::from(b'A' + ((tag_seed >> (i * 5)) % 26) as u8))
            .collect();
        Ok(Self {
            length: font.len(),
            program: deflate(&font, 9)?,
            cid_to_gid: deflate(&map, 9)?,
            tag,
        })
    }
}

fn deflate(bytes: &[u8], level: u32) -> Result<Vec<u8>, ExportError> {
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        Compression::new(level),
    );
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| ExportError::Pdf(format!("cannot compress a page: {e}")))
}

fn pdf_date(when: chrono::NaiveDateTime) -> Date {
    use chrono::{Datelike, Timelike};
    Date::new(u16::try_from(when.year()).unwrap_or(0))
        .month(when.month() as u8)
        .day(when.day() as u8)
        .hour(when.hour() as u8)
        .minute(when.minute() as u8)
        .second(when.second() as u8)
        .utc_offset_hour(0)
}

/// Three layers of one page's drawing: fills, then grid strokes, then text, so that text is
/// never covered.
pub(crate) struct Layers {
    /// Shaded bands and rules.
    pub fills: Content,
    /// Grid lines.
    pub strokes: Content,
    /// Text.
    pub text: TextLayer,
}

/// The text layer of a page, written by hand: a record of 10,000 activities shows some two
/// million lines, and the general content writer spent more time choosing how to write each
/// number and escaping each string of glyph ids than the layout took to place them. Numbers
/// are written with two decimals (a hundredth of a point), glyph ids as literal strings with
/// only the bytes the syntax needs escaped.
#[derive(Default)]
pub(crate) struct TextLayer {
    bytes: Vec<u8>,
}

impl TextLayer {
    /// `Tf`: the font resource and size.
    pub(crate) fn set_font(&mut self, font: Name<'_>, size: f32) {
        self.bytes.push(b'/');
        self.bytes.extend_from_slice(font.0);
        self.bytes.push(b' ');
        self.number(size);
        self.bytes.extend_from_slice(b" Tf\n");
    }

    /// `rg`: the fill colour, which text is painted with.
    pub(crate) fn set_fill_rgb(&mut self, r: f32, g: f32, b: f32) {
        for c in [r, g, b] {
            self.number(c);
            self.bytes.push(b' ');
        }
        self.bytes.extend_from_slice(b"rg\n");
    }

    /// `Tm` for an unscaled, unrotated line starting at (`x`, `y`), then `Tj` of the glyph
    /// ids in `glyphs` (two bytes each).
    pub(crate) fn show_at(&mut self, x: f32, y: f32, glyphs: &[u8]) {
        self.bytes.extend_from_slice(b"1 0 0 1 ");
        self.number(x);
        self.bytes.push(b' ');
        self.number(y);
        self.bytes.extend_from_slice(b" Tm\n(");
        for &b in glyphs {
            match b {
                b'(' | b')' | b'\\' => self.bytes.extend_from_slice(&[b'\\', b]),
                // A bare carriage return would be read as a line end (ISO 32000-1, 7.3.4.2).
                b'\r' => self.bytes.extend_from_slice(b"\\r"),
                _ => self.bytes.push(b),
            }
        }
        self.bytes.extend_from_slice(b") Tj\n");
    }

    /// A number with at most two decimals, without a trailing zero or point.
    fn number(&mut self, v: f32) {
        let hundredths = (f64::from(v) * 100.0).round() as i64;
        if hundredths < 0 {
            self.bytes.push(b'-');
        }
        let h = hundredths.unsigned_abs();
        let mut digits = itoa::Buffer::new();
        self.bytes
            .extend_from_slice(digits.format(h / 100).as_bytes());
        let frac = h % 100;
        if frac != 0 {
            self.bytes.push(b'.');
            self.bytes.push(b'0' + (frac / 10) as u8);
            if !frac.is_multiple_of(10) {
                self.bytes.push(b'0' + (frac % 10) as u8);
            }
        }
    }

    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

impl Layers {
    /// Empty layers.
    pub(crate) fn new() -> Self {
        Self {
            fills: Content::new(),
            strokes: Content::new(),
            text: TextLayer::default(),
        }
    }

    /// The page's content stream: the layers in order, with the stroke style set once.
    pub(crate) fn into_content(self, rule: (f32, f32, f32)) -> Vec<u8> {
        let stroked = self.strokes.len() > 0;
        let fills = self.fills.finish();
        let strokes = self.strokes.finish();
        let text = self.text.finish();
        let mut out = Vec::with_capacity(fills.len() + strokes.len() + text.len() + 64);
        // Each layer's last operator has no line break after it: one is added between them.
        out.extend_from_slice(b"q\n");
        out.extend_from_slice(&fills);
        if stroked {
            let mut style = Content::new();
            style
                .set_stroke_rgb(rule.0, rule.1, rule.2)
                .set_line_width(0.5);
            out.push(b'\n');
            out.extend_from_slice(&style.finish());
            out.push(b'\n');
            out.extend_from_slice(&strokes);
        }
        out.extend_from_slice(b"\nBT\n");
        out.extend_from_slice(&text);
        out.extend_from_slice(b"\nET\nQ\n");
        out
    }
}
