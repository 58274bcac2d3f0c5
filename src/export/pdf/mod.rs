//! PDF rendering of a record: the document a supervisory authority receives under Art. 30(4).
//!
//! A small flow-layout engine. Text is wrapped with the advance widths of the embedded DejaVu
//! Sans faces (parsed by printpdf, looked up in a table built once per process), table rows
//! split across pages and a continued table repeats its header row. The layout runs twice: a
//! counting pass ([`plan`]) that draws nothing, so the table of contents can print the page of
//! every entry and each footer its "Page N of M"; then the writing pass ([`write_planned`]),
//! which hands each finished page to `file` to be written out at once.

mod file;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::sync::OnceLock;

use pdf_writer::Str;
use printpdf::ParsedFont;

use self::file::{Bookmark, FinishedPage, GlyphUse, Info, Layers, PdfFile, Program};

use super::{ExportError, Record};
use crate::domain::vocab::{rights_for, Country, Role, Sensitivity};
use crate::store::activities::{ActivityDetail, PartyLink, TransferView};
use crate::store::organisations::Organisation;

/// Renders the controller record (Art. 30(1)) of `record` in memory.
///
/// Cover with the controller block, table of contents, one section per activity with the
/// elements (a)–(g) and the recommended extras, then annexes A–D.
pub fn controller_pdf(record: &Record) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write_pdf(record, Role::Controller, &mut out)?;
    Ok(out)
}

/// Renders the processor record (Art. 30(2)) of `record` in memory.
///
/// Cover with the processor block, table of contents, then the activities grouped by the
/// controller on whose behalf they are carried out, each with the elements (a)–(d).
pub fn processor_pdf(record: &Record) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write_pdf(record, Role::Processor, &mut out)?;
    Ok(out)
}

/// Lays out the record of `role` and writes it to `out` page by page.
pub fn write_pdf(record: &Record, role: Role, out: &mut dyn Write) -> Result<(), ExportError> {
    let plan = plan(record, role)?;
    write_planned(record, &plan, out)
}

/// The outcome of the counting pass: how many pages each part takes and where each contents
/// entry starts. Made before anything is written, so that a record that cannot be laid out is
/// refused before the first byte leaves (a download then gets an error page, not a cut file).
pub struct Plan {
    role: Role,
    entries: Vec<TocEntry>,
    cover_len: usize,
    toc_len: usize,
    body_len: usize,
}

// ---------------------------------------------------------------------------------------------
// Page geometry (points; origin bottom left) and styles
// ---------------------------------------------------------------------------------------------

const PAGE_W: f32 = file::A4.0;
const PAGE_H: f32 = file::A4.1;
const MARGIN_X: f32 = 56.7;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Top of the content area.
const TOP: f32 = PAGE_H - 66.0;
/// Bottom of the content area.
const BOTTOM: f32 = 66.0;
const PAD_X: f32 = 4.5;
const PAD_Y: f32 = 3.2;
/// Rows up to this height move to the next page whole instead of splitting.
const ROW_KEEP: f32 = 110.0;

/// What an empty value prints.
const DASH: &str = "—";
/// What an empty list prints.
const NONE: &str = "none recorded";

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb3(f32, f32, f32);

const INK: Rgb3 = Rgb3(0.10, 0.12, 0.16);
const MUTED: Rgb3 = Rgb3(0.38, 0.42, 0.48);
const ACCENT: Rgb3 = Rgb3(0.07, 0.25, 0.45);
const RULE: Rgb3 = Rgb3(0.76, 0.79, 0.84);
const SHADE: Rgb3 = Rgb3(0.945, 0.955, 0.97);
const HEAD_SHADE: Rgb3 = Rgb3(0.86, 0.90, 0.945);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    face: Face,
    size: f32,
    color: Rgb3,
}

impl Style {
    const fn new(face: Face, size: f32, color: Rgb3) -> Self {
        Self { face, size, color }
    }

    fn line_height(self) -> f32 {
        self.size * 1.32
    }
}

const BODY: Style = Style::new(Face::Regular, 8.8, INK);
const BODY_BOLD: Style = Style::new(Face::Bold, 8.8, INK);
const BODY_MUTED: Style = Style::new(Face::Regular, 8.8, MUTED);
const SMALL: Style = Style::new(Face::Regular, 7.6, MUTED);
const LABEL: Style = Style::new(Face::Bold, 8.2, INK);
const EYEBROW: Style = Style::new(Face::Bold, 8.0, MUTED);
const H1: Style = Style::new(Face::Bold, 15.0, ACCENT);
const H2: Style = Style::new(Face::Bold, 10.2, ACCENT);
const H3: Style = Style::new(Face::Bold, 12.0, ACCENT);
const LEAD: Style = Style::new(Face::Bold, 11.0, INK);
const FOOT: Style = Style::new(Face::Regular, 7.2, MUTED);

// ---------------------------------------------------------------------------------------------
// Fonts and glyph widths
// ---------------------------------------------------------------------------------------------

/// Glyph ids and advance widths by code point (Basic Multilingual Plane), in font units.
struct Metrics {
    glyphs: Vec<u16>,
    widths: Vec<u16>,
    notdef: u16,
    per_unit: f32,
}

impl Metrics {
    fn of(font: &ParsedFont) -> Self {
        let notdef = font.get_glyph_width(0).unwrap_or(0);
        let mut glyphs = vec![0u16; 0x1_0000];
        let mut widths = Vec::new();
        for (&cp, &gid) in &font.codepoint_to_glyph {
            let width = font.get_glyph_width(gid).unwrap_or(notdef);
            if let Some(slot) = glyphs.get_mut(cp as usize) {
                *slot = gid;
            }
            let g = usize::from(gid);
            if widths.len() <= g {
                widths.resize(g + 1, notdef);
            }
            widths[g] = width;
        }
        Self {
            glyphs,
            widths,
            notdef,
            per_unit: 1.0 / f32::from(font.units_per_em.max(1)),
        }
    }

    /// The glyph drawn for `c` (0, the missing-glyph box, outside the font).
    fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(c as usize).copied().unwrap_or(0)
    }

    /// Advance width of glyph `gid`, in font units.
    fn glyph_width(&self, gid: usize) -> u16 {
        self.widths.get(gid).copied().unwrap_or(self.notdef)
    }

    /// Advance width of the missing-glyph box, in font units.
    fn notdef_width(&self) -> u16 {
        self.notdef
    }

    fn units(&self, c: char) -> u32 {
        u32::from(self.glyph_width(usize::from(self.glyph(c))))
    }

    fn str_units(&self, s: &str) -> u32 {
        s.chars().map(|c| self.units(c)).sum()
    }
}

/// DejaVu Sans regular and bold, parsed once per process.
struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    regular_metrics: Metrics,
    bold_metrics: Metrics,
    programs: OnceLock<Result<[Program; 2], String>>,
}

impl Fonts {
    fn load() -> Result<Self, String> {
        let parse = |bytes: &[u8], name: &str| {
            let mut warnings = Vec::new();
            ParsedFont::from_bytes(bytes, 0, &mut warnings)
                .ok_or_else(|| format!("cannot parse the font {name}"))
        };
        let regular = parse(dejavu::sans::regular(), "DejaVu Sans")?;
        let bold = parse(dejavu::sans::bold(), "DejaVu Sans Bold")?;
        Ok(Self {
            regular_metrics: Metrics::of(&regular),
            bold_metrics: Metrics::of(&bold),
            regular,
            bold,
            programs: OnceLock::new(),
        })
    }

    /// The parsed face.
    fn parsed(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// The face's TrueType program, compressed for embedding (once per process).
    fn program(&self, face: Face) -> Result<&Program, ExportError> {
        let programs = self
            .programs
            .get_or_init(|| {
                let compress = |bytes: &[u8]| Program::of(bytes).map_err(|e| e.to_string());
                Ok([
                    compress(dejavu::sans::regular())?,
                    compress(dejavu::sans::bold())?,
                ])
            })
            .as_ref()
            .map_err(|e| ExportError::Pdf(e.clone()))?;
        Ok(match face {
            Face::Regular => &programs[0],
            Face::Bold => &programs[1],
        })
    }

    fn get() -> Result<&'static Self, ExportError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS
            .get_or_init(Fonts::load)
            .as_ref()
            .map_err(|e| ExportError::Pdf(e.clone()))
    }

    fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular_metrics,
            Face::Bold => &self.bold_metrics,
        }
    }

    /// Width of `s` in points.
    fn width(&self, s: &str, style: Style) -> f32 {
        let m = self.metrics(style.face);
        m.str_units(s) as f32 * m.per_unit * style.size
    }

    /// `s` cut (with an ellipsis) to fit `max` points.
    fn fit(&self, s: &str, style: Style, max: f32) -> String {
        if self.width(s, style) <= max {
            return s.to_owned();
        }
        let m = self.metrics(style.face);
        let limit = (max / (m.per_unit * style.size)) as u32;
        let budget = limit.saturating_sub(m.units('…'));
        let mut out = String::new();
        let mut used = 0;
        for c in s.chars() {
            used += m.units(c);
            if used > budget {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// Wraps `text` into lines of at most `max_w` points: at spaces, at line breaks, and
    /// inside words longer than a line. No character other than spaces is dropped or added.
    fn wrap(&self, text: &str, style: Style, max_w: f32, out: &mut Vec<Line>) {
        let m = self.metrics(style.face);
        let max = ((max_w / (m.per_unit * style.size)) as u32).max(1);
        let space = m.units(' ');
        let h = style.line_height();
        let mut push = |text: &mut String, units: &mut u32| {
            out.push(Line {
                text: std::mem::take(text),
                style,
                h,
            });
            *units = 0;
        };
        let cleaned = clean(text);
        for para in cleaned.split('\n') {
            let mut line = String::new();
            let mut used = 0u32;
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let w = m.str_units(word);
                if !line.is_empty() && used + space + w <= max {
                    line.push(' ');
                    line.push_str(word);
                    used += space + w;
                    continue;
                }
                if !line.is_empty() {
                    push(&mut line, &mut used);
                }
                if w <= max {
                    line.push_str(word);
                    used = w;
                    continue;
                }
                for c in word.chars() {
                    let cw = m.units(c);
                    if used + cw > max && !line.is_empty() {
                        push(&mut line, &mut used);
                    }
                    line.push(c);
                    used += cw;
                }
            }
            push(&mut line, &mut used);
        }
    }
}

/// Line breaks normalised to `\n`, tabs to spaces, other control characters dropped,
/// surrounding blank space trimmed.
fn clean(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One laid-out line of text.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    style: Style,
    h: f32,
}

/// The fonts, and the record of the glyphs the document draws with them.
#[derive(Clone, Copy)]
struct Kit<'a> {
    fonts: &'a Fonts,
    glyphs: &'a RefCell<GlyphUse>,
}

// ---------------------------------------------------------------------------------------------
// Pages and the flow
// ---------------------------------------------------------------------------------------------

/// A page being built. A dry page (the counting pass) records nothing.
struct PageBuf {
    dry: bool,
    layers: Layers,
    links: Vec<([f32; 4], usize)>,
    running: String,
    font: Option<(Face, f32)>,
    text_color: Option<Rgb3>,
    fill_color: Option<Rgb3>,
    scratch: Vec<u8>,
}

impl PageBuf {
    fn new(running: String, dry: bool) -> Self {
        Self {
            dry,
            layers: Layers::new(),
            links: Vec::new(),
            running,
            font: None,
            text_color: None,
            fill_color: None,
            scratch: Vec::new(),
        }
    }

    /// Shows `text` with its baseline at (`x`, `baseline`).
    fn show(&mut self, kit: Kit<'_>, x: f32, baseline: f32, style: Style, text: &str) {
        if self.dry || text.is_empty() {
            return;
        }
        let layer = &mut self.layers.text;
        if self.font != Some((style.face, style.size)) {
            layer.set_font(file::font_resource(style.face), style.size);
            self.font = Some((style.face, style.size));
        }
        if self.text_color != Some(style.color) {
            let Rgb3(r, g, b) = style.color;
            layer.set_fill_rgb(r, g, b);
            self.text_color = Some(style.color);
        }
        layer.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, baseline]);
        self.scratch.clear();
        kit.glyphs
            .borrow_mut()
            .encode(kit.fonts, style.face, text, &mut self.scratch);
        layer.show(Str(&self.scratch));
    }

    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb3) {
        if self.dry {
            return;
        }
        let layer = &mut self.layers.fills;
        if self.fill_color != Some(c) {
            layer.set_fill_rgb(c.0, c.1, c.2);
            self.fill_color = Some(c);
        }
        layer.rect(x, y, w, h).fill_nonzero();
    }

    fn stroke(&mut self, x: f32, y: f32, w: f32, h: f32) {
        if self.dry {
            return;
        }
        self.layers.strokes.rect(x, y, w, h).stroke();
    }

    fn finish(self) -> FinishedPage {
        FinishedPage {
            content: self.layers.into_content((RULE.0, RULE.1, RULE.2)),
            links: self.links,
        }
    }
}

/// Where finished pages go: counted (the dry pass) or written to the file.
trait PageSink {
    /// Takes the next finished page.
    fn take(&mut self, page: PageBuf) -> Result<(), ExportError>;
}

/// The dry pass: pages are only counted.
struct Count;

impl PageSink for Count {
    fn take(&mut self, _page: PageBuf) -> Result<(), ExportError> {
        Ok(())
    }
}

/// The writing pass: each page gets its running header and footer and is written out.
struct Writer<'w, 'o> {
    file: PdfFile<'o>,
    kit: Kit<'w>,
    ctx: &'w Ctx<'w>,
    header: String,
    total: usize,
}

impl PageSink for Writer<'_, '_> {
    fn take(&mut self, mut page: PageBuf) -> Result<(), ExportError> {
        let n = self.file.written() + 1;
        decorate(&mut page, self.kit, self.ctx, &self.header, n, self.total);
        self.file.page(page.finish())
    }
}

/// Where the baseline of a line sits below its top.
fn baseline_offset(line: &Line) -> f32 {
    0.5 * (line.h - line.style.size) + 0.8 * line.style.size
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// A table column: title, share of the content width, alignment.
struct Col {
    title: &'static str,
    share: f32,
    align: Align,
}

const fn col(title: &'static str, share: f32) -> Col {
    Col {
        title,
        share,
        align: Align::Left,
    }
}

/// A cell: pieces stacked vertically, each wrapped in its own style.
#[derive(Debug, Default, Clone)]
struct Cell(Vec<(Style, String)>);

impl Cell {
    fn new() -> Self {
        Self::default()
    }

    /// Adds a piece unless it is blank.
    fn add(mut self, style: Style, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.0.push((style, text));
        }
        self
    }

    /// Prints `placeholder` if nothing was added.
    fn or(mut self, placeholder: &str) -> Self {
        if self.0.is_empty() {
            self.0.push((BODY_MUTED, placeholder.to_owned()));
        }
        self
    }
}

/// A value, or a dash.
fn val(text: &str) -> Cell {
    Cell::new().add(BODY, text).or(DASH)
}

/// A value, or "none recorded".
fn val_none(text: &str) -> Cell {
    Cell::new().add(BODY, text).or(NONE)
}

fn label(text: &str) -> Cell {
    Cell::new().add(LABEL, text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Normal,
    Strong,
}

struct Row {
    cells: Vec<Cell>,
    kind: RowKind,
    link: Option<usize>,
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        kind: RowKind::Normal,
        link: None,
    }
}

/// A two-column label/value row.
fn fact(name: &str, value: Cell) -> Row {
    row(vec![label(name), value])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableKind {
    /// Light grid, shaded header.
    Grid,
    /// Label/value pairs: grid with a shaded first column, no header.
    Facts,
    /// Rows separated by rules only (table of contents).
    List,
}

/// Column positions of a table being drawn.
struct Frame<'c> {
    kind: TableKind,
    cols: &'c [Col],
    xs: Vec<f32>,
    ws: Vec<f32>,
}

/// The lines `start..end` (to the end if `None`) of each cell of a row: the part of the row
/// drawn on one page.
struct Part<'l> {
    cells: &'l [Vec<Line>],
    start: &'l [usize],
    end: Option<&'l [usize]>,
    kind: RowKind,
    link: Option<usize>,
    /// The row started on an earlier page.
    continued: bool,
}

impl<'l> Part<'l> {
    /// The whole of a header row (an empty `start` means line 0 of every cell).
    fn header(cells: &'l [Vec<Line>]) -> Self {
        Self {
            cells,
            start: &[],
            end: None,
            kind: RowKind::Strong,
            link: None,
            continued: false,
        }
    }
}

/// The layout cursor: the page being filled, and where finished pages go.
struct Flow<'a, 's> {
    kit: Kit<'a>,
    sink: &'s mut dyn PageSink,
    dry: bool,
    current: Option<PageBuf>,
    count: usize,
    error: Option<ExportError>,
    y: f32,
    running: String,
}

impl<'a, 's> Flow<'a, 's> {
    /// A flow whose pages go to `sink`; a dry flow only counts them.
    fn new(kit: Kit<'a>, sink: &'s mut dyn PageSink, dry: bool) -> Self {
        Self {
            kit,
            sink,
            dry,
            current: None,
            count: 0,
            error: None,
            y: TOP,
            running: String::new(),
        }
    }

    fn new_page(&mut self) {
        self.hand_over();
        self.current = Some(PageBuf::new(self.running.clone(), self.dry));
        self.count += 1;
        self.y = TOP;
    }

    /// Gives the current page, if any, to the sink.
    fn hand_over(&mut self) {
        if let Some(page) = self.current.take() {
            if let Err(e) = self.sink.take(page) {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Hands over the last page; the number of pages of this flow.
    fn finish(mut self) -> Result<usize, ExportError> {
        self.hand_over();
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(self.count),
        }
    }

    /// Number (1-based, within this flow) of the current page.
    fn page_no(&self) -> usize {
        self.count
    }

    fn page(&mut self) -> &mut PageBuf {
        if self.current.is_none() {
            self.new_page();
        }
        // `new_page` always leaves a current page: the fallback is never built.
        self.current
            .get_or_insert_with(|| PageBuf::new(String::new(), true))
    }

    fn at_top(&self) -> bool {
        self.y >= TOP - 0.01
    }

    /// Starts a new page unless `h` points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.count == 0 || self.y - h < BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space, swallowed at the top of a page.
    fn gap(&mut self, h: f32) {
        if self.count > 0 && !self.at_top() {
            self.y -= h;
        }
    }

    fn show_line(&mut self, x: f32, line: &Line) {
        let kit = self.kit;
        let baseline = self.y - baseline_offset(line);
        self.page().show(kit, x, baseline, line.style, &line.text);
    }

    /// Places lines one after another, breaking pages as needed.
    fn lines(&mut self, lines: &[Line], x: f32) {
        for line in lines {
            self.ensure(line.h);
            self.show_line(x, line);
            self.y -= line.h;
        }
    }

    fn para_at(&mut self, text: &str, style: Style, x: f32, w: f32) {
        let mut lines = Vec::new();
        self.kit.fonts.wrap(text, style, w, &mut lines);
        self.lines(&lines, x);
    }

    fn para(&mut self, text: &str, style: Style) {
        self.para_at(text, style, MARGIN_X, CONTENT_W);
    }

    /// A filled rule across the content width.
    fn rule(&mut self, c: Rgb3, thickness: f32) {
        self.ensure(thickness);
        let y = self.y - thickness;
        self.page().fill(MARGIN_X, y, CONTENT_W, thickness, c);
        self.y = y;
    }

    /// Title block of a section: eyebrow, heading, meta line, accent rule.
    fn title(&mut self, eyebrow: &str, title: &str, style: Style, meta: &str) {
        let mut lines = Vec::new();
        let fonts = self.kit.fonts;
        fonts.wrap(eyebrow, EYEBROW, CONTENT_W, &mut lines);
        fonts.wrap(title, style, CONTENT_W, &mut lines);
        let h: f32 = lines.iter().map(|l| l.h).sum();
        self.ensure(h + 60.0);
        self.lines(&lines, MARGIN_X);
        if !meta.is_empty() {
            self.gap(1.0);
            self.para(meta, SMALL);
        }
        self.gap(4.0);
        self.rule(ACCENT, 1.2);
        self.gap(8.0);
    }

    /// A lettered heading on a shaded band with an accent bar, kept with what follows.
    fn band(&mut self, text: &str) {
        let mut lines = Vec::new();
        self.kit
            .fonts
            .wrap(text, H2, CONTENT_W - 2.0 * PAD_X - 3.0, &mut lines);
        let h: f32 = lines.iter().map(|l| l.h).sum::<f32>() + 2.0 * PAD_Y + 1.0;
        self.gap(10.0);
        self.ensure(h + 48.0);
        let top = self.y;
        let kit = self.kit;
        let page = self.page();
        page.fill(MARGIN_X, top - h, CONTENT_W, h, SHADE);
        page.fill(MARGIN_X, top - h, 2.5, h, ACCENT);
        let mut y = top - PAD_Y - 0.5;
        for line in &lines {
            page.show(
                kit,
                MARGIN_X + 3.0 + 2.0 * PAD_X,
                y - baseline_offset(line),
                line.style,
                &line.text,
            );
            y -= line.h;
        }
        self.y = top - h;
        self.gap(5.0);
    }

    /// A small bold sub-heading kept with what follows.
    fn sublabel(&mut self, text: &str) {
        self.gap(8.0);
        self.ensure(LABEL.line_height() + 36.0);
        self.para(text, LABEL);
        self.gap(2.0);
    }

    /// "none recorded" (or another note) as a muted line.
    fn note(&mut self, text: &str) {
        self.para_at(text, BODY_MUTED, MARGIN_X + PAD_X, CONTENT_W - PAD_X);
    }

    fn table(&mut self, kind: TableKind, cols: &[Col], rows: Vec<Row>) {
        let total: f32 = cols.iter().map(|c| c.share).sum::<f32>().max(f32::EPSILON);
        let ws: Vec<f32> = cols.iter().map(|c| c.share / total * CONTENT_W).collect();
        let mut xs = Vec::with_capacity(cols.len());
        let mut x = MARGIN_X;
        for w in &ws {
            xs.push(x);
            x += w;
        }
        let frame = Frame { kind, cols, xs, ws };
        let header = (kind != TableKind::Facts).then(|| {
            let cells: Vec<Cell> = cols
                .iter()
                .map(|c| Cell::new().add(LABEL, c.title))
                .collect();
            self.layout_cells(&frame, &cells)
        });
        let head_h = header
            .as_ref()
            .map_or(0.0, |h| segment_height(h, &[], None));
        let first_h = rows
            .first()
            .map(|r| {
                let laid = self.layout_cells(&frame, &r.cells);
                segment_height(&laid, &[], None)
            })
            .unwrap_or(0.0);
        // Keep the header with the first row (or the first lines of a long one).
        let keep = if first_h <= ROW_KEEP {
            first_h
        } else {
            2.0 * PAD_Y + 3.0 * BODY.line_height()
        };
        self.ensure(head_h + keep);
        if let Some(h) = &header {
            self.draw_segment(&frame, Part::header(h));
        }
        for r in rows {
            let laid = self.layout_cells(&frame, &r.cells);
            let mut start = vec![0usize; laid.len()];
            let mut continued = false;
            let mut fresh = false;
            loop {
                let rest = segment_height(&laid, &start, None);
                let avail = self.y - BOTTOM;
                if rest <= avail + 0.01 {
                    self.draw_segment(
                        &frame,
                        Part {
                            cells: &laid,
                            start: &start,
                            end: None,
                            kind: r.kind,
                            link: r.link,
                            continued,
                        },
                    );
                    break;
                }
                if !fresh && (rest <= ROW_KEEP || avail < 2.0 * PAD_Y + 3.0 * BODY.line_height()) {
                    self.table_page(&frame, header.as_deref());
                    fresh = true;
                    continue;
                }
                let budget = avail - 2.0 * PAD_Y;
                let mut end = start.clone();
                for (i, cell) in laid.iter().enumerate() {
                    let mut used = 0.0;
                    while end[i] < cell.len() && used + cell[end[i]].h <= budget {
                        used += cell[end[i]].h;
                        end[i] += 1;
                    }
                    if fresh && end[i] == start[i] && end[i] < cell.len() {
                        end[i] += 1;
                    }
                }
                if end == start {
                    self.table_page(&frame, header.as_deref());
                    fresh = true;
                    continue;
                }
                self.draw_segment(
                    &frame,
                    Part {
                        cells: &laid,
                        start: &start,
                        end: Some(&end),
                        kind: r.kind,
                        link: r.link,
                        continued,
                    },
                );
                start = end;
                continued = true;
                self.table_page(&frame, header.as_deref());
                fresh = true;
            }
        }
    }

    /// A new page for a continued table, with its header row repeated.
    fn table_page(&mut self, frame: &Frame<'_>, header: Option<&[Vec<Line>]>) {
        self.new_page();
        if let Some(h) = header {
            self.draw_segment(frame, Part::header(h));
        }
    }

    fn layout_cells(&self, frame: &Frame<'_>, cells: &[Cell]) -> Vec<Vec<Line>> {
        let fonts = self.kit.fonts;
        frame
            .ws
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let mut lines = Vec::new();
                if let Some(cell) = cells.get(i) {
                    for (n, (style, text)) in cell.0.iter().enumerate() {
                        if n > 0 {
                            lines.push(Line {
                                text: String::new(),
                                style: *style,
                                h: 1.5,
                            });
                        }
                        fonts.wrap(text, *style, w - 2.0 * PAD_X, &mut lines);
                    }
                }
                lines
            })
            .collect()
    }

    /// Draws the lines `start..end` of each cell as one row on the current page.
    fn draw_segment(&mut self, frame: &Frame<'_>, part: Part<'_>) {
        let Part {
            cells,
            start,
            end,
            kind,
            link,
            continued,
        } = part;
        let h = segment_height(cells, start, end);
        let top = self.y;
        let bottom = top - h;
        let kit = self.kit;
        let page = self.page();
        match frame.kind {
            TableKind::Grid | TableKind::Facts => {
                if kind == RowKind::Strong {
                    page.fill(MARGIN_X, bottom, CONTENT_W, h, HEAD_SHADE);
                } else if frame.kind == TableKind::Facts {
                    page.fill(frame.xs[0], bottom, frame.ws[0], h, SHADE);
                }
                for (x, w) in frame.xs.iter().zip(&frame.ws) {
                    page.stroke(*x, bottom, *w, h);
                }
            }
            TableKind::List => {
                if kind == RowKind::Strong {
                    page.fill(MARGIN_X, bottom, CONTENT_W, h, SHADE);
                }
                page.fill(MARGIN_X, bottom, CONTENT_W, 0.4, RULE);
            }
        }
        for (i, cell) in cells.iter().enumerate() {
            let from = start.get(i).copied().unwrap_or(0).min(cell.len());
            let to = end
                .and_then(|e| e.get(i).copied())
                .unwrap_or(cell.len())
                .clamp(from, cell.len());
            let x = frame.xs[i];
            let w = frame.ws[i];
            let align = frame.cols.get(i).map_or(Align::Left, |c| c.align);
            let mut y = top - PAD_Y;
            if continued && i == 0 && from == to {
                let style = SMALL;
                page.show(
                    kit,
                    x + PAD_X,
                    y - 0.8 * style.size - 1.0,
                    style,
                    "(continued)",
                );
                continue;
            }
            for line in &cell[from..to] {
                let lx = match align {
                    Align::Left => x + PAD_X,
                    Align::Right => x + w - PAD_X - kit.fonts.width(&line.text, line.style),
                };
                page.show(kit, lx, y - baseline_offset(line), line.style, &line.text);
                y -= line.h;
            }
        }
        if let Some(target) = link {
            page.links.push(([MARGIN_X, bottom, CONTENT_W, h], target));
        }
        self.y = bottom;
    }
}

fn segment_height(cells: &[Vec<Line>], start: &[usize], end: Option<&[usize]>) -> f32 {
    let content = cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let from = start.get(i).copied().unwrap_or(0).min(cell.len());
            let to = end
                .and_then(|e| e.get(i).copied())
                .unwrap_or(cell.len())
                .clamp(from, cell.len());
            cell[from..to].iter().map(|l| l.h).sum::<f32>()
        })
        .fold(0.0f32, f32::max);
    content.max(BODY.line_height()) + 2.0 * PAD_Y
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

/// An entry of the table of contents; `page` is relative to the body.
struct TocEntry {
    strong: bool,
    reference: String,
    title: String,
    page: usize,
}

/// What the whole document shares.
struct Ctx<'r> {
    record: &'r Record,
    role: Role,
    orgs: HashMap<i64, &'r Organisation>,
    org_names: String,
    generated: String,
}

impl Ctx<'_> {
    fn article(&self) -> &'static str {
        match self.role {
            Role::Controller => "Article 30(1) GDPR",
            Role::Processor => "Article 30(2) GDPR",
        }
    }

    fn org(&self, a: &ActivityDetail) -> Option<&Organisation> {
        self.orgs.get(&a.organisation_id).copied()
    }
}

fn context(record: &Record, role: Role) -> Ctx<'_> {
    let org_names = if record.organisations.is_empty() {
        DASH.to_owned()
    } else {
        record
            .organisations
            .iter()
            .map(|o| o.name.trim())
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ctx {
        record,
        role,
        orgs: record.organisations.iter().map(|o| (o.id, o)).collect(),
        org_names,
        generated: record.generated_at.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The counting pass: the body's pages and the contents entries, the cover, and the length of
/// the contents (the same whatever page numbers they print). Nothing is drawn.
pub fn plan(record: &Record, role: Role) -> Result<Plan, ExportError> {
    let fonts = Fonts::get()?;
    let ctx = context(record, role);
    let glyphs = RefCell::new(GlyphUse::default());
    let kit = Kit {
        fonts,
        glyphs: &glyphs,
    };
    let (entries, body_len) = {
        let mut sink = Count;
        let mut body = Flow::new(kit, &mut sink, true);
        let entries = lay_out_body(&mut body, &ctx);
        (entries, body.finish()?)
    };
    let cover_len = {
        let mut sink = Count;
        let mut cover = Flow::new(kit, &mut sink, true);
        cover_page(&mut cover, &ctx);
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
        role,
        entries,
        cover_len,
        toc_len,
        body_len,
    })
}

/// The writing pass: lays the record out again and writes every page, numbered, as soon as it
/// is finished; then the fonts, outline and cross-reference table.
pub fn write_planned(record: &Record, plan: &Plan, out: &mut dyn Write) -> Result<(), ExportError> {
    let fonts = Fonts::get()?;
    let ctx = context(record, plan.role);
    let glyphs = RefCell::new(GlyphUse::default());
    let kit = Kit {
        fonts,
        glyphs: &glyphs,
    };
    let Plan {
        role,
        ref entries,
        cover_len,
        toc_len,
        body_len,
    } = *plan;
    let body_start = cover_len + toc_len;
    let total = body_start + body_len;

    let mut writer = Writer {
        file: PdfFile::new(total, out)?,
        kit,
        ctx: &ctx,
        header: format!("Record of processing activities, {}", ctx.article()),
        total,
    };
    let mut cover = Flow::new(kit, &mut writer, false);
    cover_page(&mut cover, &ctx);
    cover.finish()?;
    if !entries.is_empty() {
        let mut toc = Flow::new(kit, &mut writer, false);
        contents(&mut toc, entries, body_start);
        if toc.finish()? != toc_len {
            return Err(ExportError::Pdf(
                "the table of contents changed length between passes".into(),
            ));
        }
    }
    let mut body = Flow::new(kit, &mut writer, false);
    lay_out_body(&mut body, &ctx);
    body.finish()?;

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

    let info = Info {
        title: format!("Record of processing activities – {}", ctx.org_names),
        author: ctx.org_names.clone(),
        subject: match role {
            Role::Controller => format!(
                "Record of processing activities of the controller under Article 30(1) GDPR: {}",
                ctx.org_names
            ),
            Role::Processor => format!(
                "Record of processing activities of the processor under Article 30(2) GDPR: {}",
                ctx.org_names
            ),
        },
        keywords: "GDPR, Article 30, record of processing activities".into(),
        created: record.generated_at,
    };
    writer.file.finish(fonts, &glyphs, &bookmarks, &info)
}

/// The body of the record for the document's role; its contents entries.
fn lay_out_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>) -> Vec<TocEntry> {
    match ctx.role {
        Role::Controller => controller_body(f, ctx),
        Role::Processor => processor_body(f, ctx),
    }
}

/// Running header (all pages but the first) and footer (every page).
fn decorate(page: &mut PageBuf, kit: Kit<'_>, ctx: &Ctx<'_>, header: &str, n: usize, total: usize) {
    let fonts = kit.fonts;
    let number = format!("Page {n} of {total}");
    let number_w = fonts.width(&number, FOOT);
    page.show(kit, PAGE_W - MARGIN_X - number_w, 38.0, FOOT, &number);
    if n > 1 {
        let base = PAGE_H - 40.0;
        let left_w = fonts.width(header, FOOT);
        page.show(kit, MARGIN_X, base, FOOT, header);
        if !page.running.is_empty() {
            let room = CONTENT_W - left_w - 18.0;
            if room > 30.0 {
                let running = fonts.fit(&page.running, FOOT, room);
                let w = fonts.width(&running, FOOT);
                page.show(kit, PAGE_W - MARGIN_X - w, base, FOOT, &running);
            }
        }
        page.fill(MARGIN_X, base - 6.0, CONTENT_W, 0.4, RULE);
    }
    page.fill(MARGIN_X, 48.0, CONTENT_W, 0.4, RULE);
    let orgs = fonts.fit(&ctx.org_names, FOOT, CONTENT_W - number_w - 18.0);
    page.show(kit, MARGIN_X, 38.0, FOOT, &orgs);
    let generated = format!("Generated {} UTC", ctx.generated);
    page.show(kit, MARGIN_X, 28.0, FOOT, &generated);
    let as_of = format!("Record as of {}", ctx.record.as_of);
    let w = fonts.width(&as_of, FOOT);
    page.show(kit, PAGE_W - MARGIN_X - w, 28.0, FOOT, &as_of);
}

fn cover_page(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>) {
    let r = ctx.record;
    f.new_page();
    f.gap(0.0);
    f.y -= 40.0;
    f.para(
        "Regulation (EU) 2016/679 (General Data Protection Regulation)",
        EYEBROW,
    );
    f.gap(6.0);
    let title = format!("Record of processing activities, {}", ctx.article());
    let at_one_pt = f
        .kit
        .fonts
        .width(&title, Style::new(Face::Bold, 1.0, ACCENT));
    let size = (0.97 * CONTENT_W / at_one_pt.max(1.0)).clamp(12.0, 22.0);
    f.para(&title, Style::new(Face::Bold, size, ACCENT));
    f.gap(6.0);
    f.rule(ACCENT, 2.0);
    f.gap(14.0);
    f.para(&format!("Record as of {}", r.as_of), LEAD);
    f.gap(4.0);
    let n = r.activities.len();
    f.para(&format!("Number of processing activities: {n}"), BODY);
    if ctx.role == Role::Processor {
        let controllers = processor_groups(r).iter().filter(|g| g.0.is_some()).count();
        f.para(
            &format!("Controllers on whose behalf processing is carried out: {controllers}"),
            BODY,
        );
    }
    f.para(&format!("Scope: {}", non_empty(&r.scope)), BODY);
    f.para(&format!("Generated {} UTC", ctx.generated), BODY);
    if n == 0 {
        f.gap(10.0);
        f.para("There are no processing activities in this record.", LEAD);
    }
    let (who, article) = match ctx.role {
        Role::Controller => ("Controller", "Art. 30(1)(a)"),
        Role::Processor => ("Processor", "Art. 30(2)(a)"),
    };
    let plural = if r.organisations.len() > 1 { "s" } else { "" };
    f.band(&format!(
        "{who}{plural}: name and contact details — {article}"
    ));
    if r.organisations.is_empty() {
        f.note(NONE);
    }
    for (i, org) in r.organisations.iter().enumerate() {
        if i > 0 {
            f.gap(8.0);
        }
        organisation_table(f, org);
    }
}

/// The organisation block of point (a).
fn organisation_table(f: &mut Flow<'_, '_>, o: &Organisation) {
    let cols = [col("", 30.0), col("", 70.0)];
    let rows = vec![
        Row {
            cells: vec![label("Name"), Cell::new().add(BODY_BOLD, &o.name).or(DASH)],
            kind: RowKind::Strong,
            link: None,
        },
        fact("Legal address", val(&o.legal_address)),
        fact("Email", val(&o.email)),
        fact("Telephone", val(&o.phone)),
        fact("Registration number", val(&o.registration_number)),
        fact("Country", val(&country_name(&o.country))),
        fact("Representative (Art. 27)", val_none(&o.representative)),
        fact("Data protection officer (Art. 37)", val_none(&o.dpo)),
        fact("Lead supervisory authority", val(&o.supervisory_authority)),
    ];
    f.table(TableKind::Facts, &cols, rows);
}

fn contents(f: &mut Flow<'_, '_>, entries: &[TocEntry], offset: usize) {
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

fn controller_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>) -> Vec<TocEntry> {
    let r = ctx.record;
    let mut entries = Vec::with_capacity(r.activities.len() + 4);
    for a in &r.activities {
        f.running = format!("{} · {}", a.reference, a.name);
        f.new_page();
        entries.push(TocEntry {
            strong: false,
            reference: a.reference.clone(),
            title: a.name.clone(),
            page: f.page_no(),
        });
        activity_title(f, a, "Controller record · Art. 30(1) GDPR", H1);
        controller_activity(f, ctx, a);
    }
    if !r.activities.is_empty() {
        annexes(f, ctx, &mut entries);
    }
    entries
}

fn activity_title(f: &mut Flow<'_, '_>, a: &ActivityDetail, record: &str, style: Style) {
    let eyebrow = format!(
        "{} · Processing activity {}",
        non_empty(&a.organisation_name),
        non_empty(&a.reference)
    );
    let meta = format!(
        "{record} · Status: {} · Version {} · Updated {}",
        a.status.label(),
        a.version,
        a.updated_at.format("%Y-%m-%d")
    );
    f.title(
        &eyebrow,
        &format!("{} · {}", non_empty(&a.reference), non_empty(&a.name)),
        style,
        &meta,
    );
}

fn controller_activity(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>, a: &ActivityDetail) {
    let facts = [col("", 30.0), col("", 70.0)];

    // (a)
    f.band("(a) Controller and joint controllers — Art. 30(1)(a)");
    let org = ctx.org(a);
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Controller", organisation_cell(org, &a.organisation_name)),
            fact(
                "Representative (Art. 27)",
                val_none(org.map_or("", |o| &o.representative)),
            ),
            fact(
                "Data protection officer (Art. 37)",
                val_none(org.map_or("", |o| &o.dpo)),
            ),
        ],
    );
    f.sublabel("Joint controllers (Art. 26)");
    if a.joint_controllers.is_empty() {
        f.note(NONE);
    } else {
        let rows = a
            .joint_controllers
            .iter()
            .map(|j| row(vec![party_cell(j), contact_cell(j), val(&j.text)]))
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Joint controller", 28.0),
                col("Contact", 30.0),
                col("Responsibilities under the arrangement", 42.0),
            ],
            rows,
        );
    }

    // (b)
    f.band("(b) Purposes of the processing and lawful bases — Art. 30(1)(b); Art. 6(1)");
    if a.purposes.is_empty() {
        f.note(NONE);
    } else {
        let rows = a
            .purposes
            .iter()
            .map(|p| {
                let mut bases = Cell::new();
                for b in &p.bases {
                    bases = bases.add(BODY, format!("{} ({})", b.label(), b.article()));
                }
                let interest = Cell::new().add(BODY, &p.legitimate_interest).or(DASH).add(
                    SMALL,
                    if p.balancing_test_ref.trim().is_empty() {
                        String::new()
                    } else {
                        format!("Balancing test: {}", p.balancing_test_ref)
                    },
                );
                row(vec![val(&p.description), bases.or(NONE), interest])
            })
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Purpose", 40.0),
                col("Lawful basis", 27.0),
                col("Legitimate interest and balancing test", 33.0),
            ],
            rows,
        );
    }

    // (c)
    f.band("(c) Categories of data subjects and of personal data — Art. 30(1)(c)");
    let mut subjects = Cell::new();
    for s in &a.subjects {
        let text = if s.vulnerable {
            format!("{} · vulnerable", s.label)
        } else {
            s.label.clone()
        };
        subjects = subjects.add(BODY, text);
    }
    let mut categories = Cell::new();
    for c in &a.data_categories {
        let text = match c.sensitivity {
            Sensitivity::Standard => c.label.clone(),
            other => format!("{} — {}", c.label, other.label()),
        };
        let style = if c.sensitivity == Sensitivity::Standard {
            BODY
        } else {
            BODY_BOLD
        };
        categories = categories.add(style, text);
    }
    let mut conditions = Cell::new();
    for c in &a.special_conditions {
        conditions = conditions.add(BODY, format!("{} ({})", c.label(), c.article()));
    }
    let conditions = conditions.or(NONE).add(
        SMALL,
        prefixed("Basis in law: ", &a.special_legal_reference),
    );
    let criminal = Cell::new()
        .add(
            BODY,
            a.criminal_basis
                .map(|b| format!("{} ({})", b.label(), b.article()))
                .unwrap_or_default(),
        )
        .or(NONE)
        .add(SMALL, prefixed("Law: ", &a.criminal_legal_reference));
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Categories of data subjects", subjects.or(NONE)),
            fact("Categories of personal data", categories.or(NONE)),
            fact("Art. 9(2) conditions (special categories)", conditions),
            fact("Art. 10 basis (criminal-offence data)", criminal),
        ],
    );

    // (d)
    f.band("(d) Categories of recipients — Art. 30(1)(d)");
    recipients_table(f, &a.recipients);

    // (e)
    f.band("(e) Transfers to third countries or international organisations — Art. 30(1)(e)");
    transfers_table(f, &a.transfers);

    // (f)
    f.band("(f) Time limits for erasure — Art. 30(1)(f)");
    let covered: HashSet<i64> = a.retention.iter().map(|r| r.data_category_id).collect();
    let mut rows: Vec<Row> = a
        .retention
        .iter()
        .map(|r| {
            row(vec![
                val(&r.category),
                val(&r.period()),
                val(&r.legal_reference),
            ])
        })
        .collect();
    rows.extend(
        a.data_categories
            .iter()
            .filter(|c| !covered.contains(&c.id))
            .map(|c| row(vec![val(&c.label), val_none(""), val("")])),
    );
    if rows.is_empty() {
        f.note(NONE);
    } else {
        f.table(
            TableKind::Grid,
            &[
                col("Personal data", 30.0),
                col("Kept for", 40.0),
                col("Justified by", 30.0),
            ],
            rows,
        );
    }
    f.gap(4.0);
    f.table(
        TableKind::Facts,
        &facts,
        vec![fact(
            "Retention and erasure policy",
            val(&a.retention_policy_ref),
        )],
    );

    // (g)
    f.band("(g) Technical and organisational security measures — Art. 30(1)(g); Art. 32(1)");
    security(f, a);

    // Extras
    f.band("Further information recommended by the supervisory authorities");
    let mut rights = Cell::new();
    for r in rights_for(&a.lawful_bases(), a.automated_decision) {
        rights = rights.add(BODY, format!("{} ({})", r.label(), r.article()));
    }
    let automated = if a.automated_decision {
        Cell::new()
            .add(BODY, "Yes")
            .add(BODY, &a.automated_decision_description)
    } else {
        Cell::new().add(BODY, "No")
    };
    let breach = if a.breach_occurred {
        Cell::new().add(BODY, "Yes")
    } else {
        Cell::new().add(BODY, "No breach recorded")
    };
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Business function", val(&a.business_function)),
            fact("Owner", val(&a.owner)),
            fact("Description", val(&a.description)),
            fact("Status", val(a.status.label())),
            fact("Source of the data (Art. 14(2)(f))", val(&a.data_source)),
            fact("Systems", val(&a.systems)),
            fact("Location of the data", val(&a.data_location)),
            fact(
                "Automated decision-making, including profiling (Art. 22)",
                automated,
            ),
            fact("DPIA required (Art. 35)", val(a.dpia_required.label())),
            fact("DPIA progress", val(a.dpia_status.label())),
            fact("DPIA reference", val(&a.dpia_reference)),
            fact("Rights available to individuals", rights.or(NONE)),
            fact("Privacy notice (Arts 13–14)", val(&a.privacy_notice_ref)),
            fact("Record of consent (Art. 7(1))", val(&a.consent_record_ref)),
            fact(
                "Contract with processor (Art. 28(3))",
                val(&a.processor_contract_ref),
            ),
            fact("Retention and erasure policy", val(&a.retention_policy_ref)),
            fact("Personal data breach (Art. 33(5))", breach),
            fact("Breach record", val(&a.breach_record_ref)),
            fact("Last reviewed", date_or_none(a.last_reviewed)),
            fact("Next review", date_or_none(a.next_review)),
            fact(
                "Record created",
                val(&a.created_at.format("%Y-%m-%d %H:%M UTC").to_string()),
            ),
            fact(
                "Record updated",
                val(&format!(
                    "{} (version {})",
                    a.updated_at.format("%Y-%m-%d %H:%M UTC"),
                    a.version
                )),
            ),
        ],
    );
}

fn recipients_table(f: &mut Flow<'_, '_>, recipients: &[PartyLink]) {
    if recipients.is_empty() {
        f.note(NONE);
        return;
    }
    let rows = recipients
        .iter()
        .map(|r| {
            let name = party_cell(r)
                .add(SMALL, &r.contact)
                .add(SMALL, prefixed("Contract: ", &r.contract_reference));
            row(vec![
                name,
                val(r.kind.map_or("", |k| k.label())),
                party_country(r),
                val(&r.text),
                val(&r.detail),
            ])
        })
        .collect();
    f.table(
        TableKind::Grid,
        &[
            col("Recipient", 24.0),
            col("Kind", 15.0),
            col("Country", 15.0),
            col("Receives", 23.0),
            col("Why", 23.0),
        ],
        rows,
    );
}

fn transfers_table(f: &mut Flow<'_, '_>, transfers: &[TransferView]) {
    if transfers.is_empty() {
        f.note(NONE);
        return;
    }
    let rows = transfers
        .iter()
        .map(|t| {
            row(vec![
                val(&t.destination()),
                val(if t.party_id.is_some() {
                    &t.party_name
                } else {
                    ""
                }),
                Cell::new()
                    .add(BODY, t.mechanism.label())
                    .add(SMALL, t.mechanism.article()),
                val(&t.safeguards),
            ])
        })
        .collect();
    f.table(
        TableKind::Grid,
        &[
            col("Destination", 20.0),
            col("Recipient", 20.0),
            col("Mechanism", 27.0),
            col("Documentation of safeguards", 33.0),
        ],
        rows,
    );
}

fn security(f: &mut Flow<'_, '_>, a: &ActivityDetail) {
    f.sublabel("General description");
    if a.security_description.trim().is_empty() {
        f.note(NONE);
    } else {
        f.para_at(
            &a.security_description,
            BODY,
            MARGIN_X + PAD_X,
            CONTENT_W - PAD_X,
        );
    }
    f.sublabel("Measures");
    if a.measures.is_empty() {
        f.note(NONE);
        return;
    }
    let rows = a
        .measures
        .iter()
        .map(|m| {
            row(vec![
                val(&m.label),
                val(m.kind.map_or("", |k| k.label())),
                Cell::new()
                    .add(BODY, m.family.map_or("", |x| x.label()))
                    .or(DASH)
                    .add(SMALL, m.family.map_or("", |x| x.article())),
            ])
        })
        .collect();
    f.table(
        TableKind::Grid,
        &[col("Measure", 50.0), col("Type", 18.0), col("Family", 32.0)],
        rows,
    );
}

fn annexes(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>, entries: &mut Vec<TocEntry>) {
    let r = ctx.record;
    let mut start = |f: &mut Flow<'_, '_>, letter: &str, title: &str| {
        f.running = format!("Annex {letter} · {title}");
        f.new_page();
        entries.push(TocEntry {
            strong: true,
            reference: format!("Annex {letter}"),
            title: title.to_owned(),
            page: f.page_no(),
        });
        f.title(
            "Annexes to the record",
            &format!("Annex {letter}. {title}"),
            H1,
            "",
        );
    };

    // A. Recipients and processors
    start(f, "A", "Recipients and processors");
    let mut parties: BTreeMap<(String, i64), (&PartyLink, Vec<&str>)> = BTreeMap::new();
    for a in &r.activities {
        for p in &a.recipients {
            let entry = parties
                .entry((p.name.to_lowercase(), p.party_id))
                .or_insert((p, Vec::new()));
            if entry.1.last() != Some(&a.reference.as_str()) {
                entry.1.push(&a.reference);
            }
        }
    }
    if parties.is_empty() {
        f.note(NONE);
    } else {
        let rows = parties
            .values()
            .map(|(p, refs)| {
                row(vec![
                    party_cell(p).add(SMALL, &p.contact),
                    val(p.kind.map_or("", |k| k.label())),
                    party_country(p),
                    val(&p.contract_reference),
                    val(&refs.join(", ")),
                ])
            })
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Party", 26.0),
                col("Kind", 15.0),
                col("Country", 15.0),
                col("Contract reference", 16.0),
                col("Activities", 28.0),
            ],
            rows,
        );
    }

    // B. Transfers by destination
    start(f, "B", "Transfers by destination");
    // (destination, mechanism) -> (activities, recipients)
    type Uses<'r> = (Vec<&'r str>, BTreeSet<&'r str>);
    let mut transfers: BTreeMap<(String, &'static str), Uses<'_>> = BTreeMap::new();
    for a in &r.activities {
        for t in &a.transfers {
            let entry = transfers
                .entry((t.destination(), t.mechanism.code()))
                .or_default();
            if t.party_id.is_some() {
                entry.1.insert(&t.party_name);
            }
            if entry.0.last() != Some(&a.reference.as_str()) {
                entry.0.push(&a.reference);
            }
        }
    }
    if transfers.is_empty() {
        f.note(NONE);
    } else {
        let mechanisms: HashMap<&str, (&str, &str)> = r
            .activities
            .iter()
            .flat_map(|a| &a.transfers)
            .map(|t| {
                (
                    t.mechanism.code(),
                    (t.mechanism.label(), t.mechanism.article()),
                )
            })
            .collect();
        let rows = transfers
            .iter()
            .map(|((destination, code), (refs, recipients))| {
                let (label_text, article) = mechanisms.get(code).copied().unwrap_or((code, ""));
                row(vec![
                    val(destination),
                    Cell::new().add(BODY, label_text).add(SMALL, article),
                    val(&recipients.iter().copied().collect::<Vec<_>>().join(", ")),
                    val(&refs.join(", ")),
                ])
            })
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Destination", 24.0),
                col("Mechanism", 30.0),
                col("Recipients", 20.0),
                col("Activities", 26.0),
            ],
            rows,
        );
    }

    // C. Retention schedule
    start(f, "C", "Retention schedule");
    let mut rows = Vec::new();
    for a in &r.activities {
        let activity = format!("{} · {}", a.reference, a.name);
        let covered: HashSet<i64> = a.retention.iter().map(|x| x.data_category_id).collect();
        for x in &a.retention {
            rows.push(row(vec![
                val(&activity),
                val(&x.category),
                val(&x.period()),
                val(&x.legal_reference),
            ]));
        }
        for c in a
            .data_categories
            .iter()
            .filter(|c| !covered.contains(&c.id))
        {
            rows.push(row(vec![
                val(&activity),
                val(&c.label),
                val_none(""),
                val(""),
            ]));
        }
    }
    if rows.is_empty() {
        f.note(NONE);
    } else {
        f.table(
            TableKind::Grid,
            &[
                col("Activity", 26.0),
                col("Personal data", 22.0),
                col("Period", 30.0),
                col("Legal reference", 22.0),
            ],
            rows,
        );
    }

    // D. Security measures
    start(f, "D", "Security measures");
    let mut measures: BTreeMap<(String, i64), (&crate::store::activities::EntryRef, Vec<&str>)> =
        BTreeMap::new();
    for a in &r.activities {
        for m in &a.measures {
            let entry = measures
                .entry((m.label.to_lowercase(), m.id))
                .or_insert((m, Vec::new()));
            if entry.1.last() != Some(&a.reference.as_str()) {
                entry.1.push(&a.reference);
            }
        }
    }
    if measures.is_empty() {
        f.note(NONE);
    } else {
        let rows = measures
            .values()
            .map(|(m, refs)| {
                row(vec![
                    val(&m.label),
                    Cell::new()
                        .add(BODY, m.kind.map_or("", |k| k.label()))
                        .add(SMALL, m.family.map_or("", |x| x.label()))
                        .or(DASH),
                    val(&refs.join(", ")),
                ])
            })
            .collect();
        f.table(
            TableKind::Grid,
            &[
                col("Measure", 40.0),
                col("Type and family", 25.0),
                col("Activities", 35.0),
            ],
            rows,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Processor record
// ---------------------------------------------------------------------------------------------

/// The activities by controller acted for (sorted by name); activities without a controller
/// come last under `None`.
type Group<'r> = (
    Option<&'r PartyLink>,
    Vec<(&'r ActivityDetail, Option<&'r PartyLink>)>,
);

fn processor_groups(r: &Record) -> Vec<Group<'_>> {
    let mut by_controller: BTreeMap<(String, i64), Group<'_>> = BTreeMap::new();
    let mut orphans = Vec::new();
    for a in &r.activities {
        if a.controllers.is_empty() {
            orphans.push((a, None));
        }
        for c in &a.controllers {
            by_controller
                .entry((c.name.to_lowercase(), c.party_id))
                .or_insert_with(|| (Some(c), Vec::new()))
                .1
                .push((a, Some(c)));
        }
    }
    let mut groups: Vec<Group<'_>> = by_controller.into_values().collect();
    if !orphans.is_empty() {
        groups.push((None, orphans));
    }
    groups
}

fn processor_body(f: &mut Flow<'_, '_>, ctx: &Ctx<'_>) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    for (controller, activities) in processor_groups(ctx.record) {
        let name = controller.map_or("Controller not recorded", |c| c.name.as_str());
        f.running = format!("On behalf of {name}");
        f.new_page();
        entries.push(TocEntry {
            strong: true,
            reference: "Controller".into(),
            title: name.to_owned(),
            page: f.page_no(),
        });
        f.title(
            "Processing carried out on behalf of the controller",
            name,
            H1,
            &format!(
                "{} processing activit{}",
                activities.len(),
                if activities.len() == 1 { "y" } else { "ies" }
            ),
        );
        if let Some(c) = controller {
            f.table(
                TableKind::Facts,
                &[col("", 30.0), col("", 70.0)],
                vec![
                    fact("Controller", Cell::new().add(BODY_BOLD, &c.name).or(DASH)),
                    fact("Contact", val(&c.contact)),
                    fact("Address", val(&c.address)),
                    fact("Country", party_country(c)),
                ],
            );
        } else {
            f.note("No controller is recorded for these activities.");
        }
        for (a, link) in activities {
            f.gap(18.0);
            f.ensure(150.0);
            entries.push(TocEntry {
                strong: false,
                reference: a.reference.clone(),
                title: a.name.clone(),
                page: f.page_no(),
            });
            activity_title(f, a, "Processor record · Art. 30(2) GDPR", H3);
            processor_activity(f, ctx, a, link);
        }
    }
    entries
}

fn processor_activity(
    f: &mut Flow<'_, '_>,
    ctx: &Ctx<'_>,
    a: &ActivityDetail,
    controller: Option<&PartyLink>,
) {
    let facts = [col("", 30.0), col("", 70.0)];
    let org = ctx.org(a);

    f.band("(a) Processor, controller, representative and DPO — Art. 30(2)(a)");
    let controller_cell = match controller {
        Some(c) => party_cell(c)
            .add(BODY, &c.contact)
            .add(BODY, &c.address)
            .add(BODY, c.country.map(|x| x.to_string()).unwrap_or_default()),
        None => Cell::new().or(NONE),
    };
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact("Processor", organisation_cell(org, &a.organisation_name)),
            fact("Controller acted for", controller_cell),
            fact(
                "Representative (Art. 27)",
                val_none(org.map_or("", |o| &o.representative)),
            ),
            fact(
                "Data protection officer (Art. 37)",
                val_none(org.map_or("", |o| &o.dpo)),
            ),
        ],
    );

    f.band("(b) Categories of processing carried out on behalf of the controller — Art. 30(2)(b)");
    f.table(
        TableKind::Facts,
        &facts,
        vec![
            fact(
                "Categories of processing",
                val_none(controller.map_or("", |c| &c.text)),
            ),
            fact("Description of the activity", val(&a.description)),
        ],
    );

    f.band("(c) Transfers to third countries or international organisations — Art. 30(2)(c)");
    transfers_table(f, &a.transfers);

    f.band("(d) Technical and organisational security measures — Art. 30(2)(d); Art. 32(1)");
    security(f, a);
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn non_empty(s: &str) -> &str {
    if s.trim().is_empty() {
        DASH
    } else {
        s
    }
}

fn prefixed(prefix: &str, s: &str) -> String {
    if s.trim().is_empty() {
        String::new()
    } else {
        format!("{prefix}{s}")
    }
}

fn country_name(code: &str) -> String {
    match Country::parse(code) {
        Some(c) => c.to_string(),
        None => code.trim().to_owned(),
    }
}

fn date_or_none(d: Option<chrono::NaiveDate>) -> Cell {
    val_none(&d.map(|d| d.to_string()).unwrap_or_default())
}

fn party_cell(p: &PartyLink) -> Cell {
    Cell::new().add(BODY_BOLD, &p.name).or(DASH)
}

fn contact_cell(p: &PartyLink) -> Cell {
    Cell::new()
        .add(BODY, &p.contact)
        .add(SMALL, &p.address)
        .add(SMALL, p.country.map(|c| c.to_string()).unwrap_or_default())
        .or(DASH)
}

fn party_country(p: &PartyLink) -> Cell {
    match p.country {
        Some(c) => {
            let cell = Cell::new().add(BODY, c.to_string());
            if c.in_eea() {
                cell
            } else {
                cell.add(SMALL, "third country")
            }
        }
        None => val(""),
    }
}

/// The controller or processor of an activity: name, address, email and phone, country.
fn organisation_cell(org: Option<&Organisation>, fallback: &str) -> Cell {
    match org {
        Some(o) => {
            let contact: Vec<&str> = [o.email.trim(), o.phone.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            Cell::new()
                .add(BODY_BOLD, &o.name)
                .add(BODY, &o.legal_address)
                .add(BODY, contact.join(" · "))
                .add(BODY, country_name(&o.country))
                .add(
                    SMALL,
                    prefixed("Registration number: ", &o.registration_number),
                )
                .or(DASH)
        }
        None => Cell::new().add(BODY_BOLD, fallback).or(DASH),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveDateTime};

    use crate::domain::vocab::{
        CriminalBasis, DpiaRequired, DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind,
        PartyKind, RetentionUnit, SpecialCondition, Status, TransferMechanism,
    };
    use crate::store::activities::{EntryRef, PurposeView, RetentionView};

    const LONG_WORD_LEN: usize = 300;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid date")
    }

    fn organisation(id: i64, name: &str) -> Organisation {
        Organisation {
            id,
            name: name.into(),
            legal_address: "ul. Piotrkowska 1\n90-001 Łódź".into(),
            email: "privacy@example.eu".into(),
            phone: "+48 42 000 00 00".into(),
            registration_number: "KRS 0000123456".into(),
            country: "PL".into(),
            representative: String::new(),
            dpo: "Jan Müller, dpo@example.eu".into(),
            supervisory_authority: "Prezes Urzędu Ochrony Danych Osobowych".into(),
            review_interval_months: 12,
            version: 1,
            created_at: at(2025, 1, 2),
            updated_at: at(2025, 6, 1),
        }
    }

    fn entry(id: i64, label: &str) -> EntryRef {
        EntryRef {
            id,
            label: label.into(),
            sensitivity: Sensitivity::Standard,
            vulnerable: false,
            kind: None,
            family: None,
        }
    }

    fn party(id: i64, name: &str, kind: PartyKind, country: &str) -> PartyLink {
        PartyLink {
            party_id: id,
            name: name.into(),
            kind: Some(kind),
            country: Country::parse(country),
            contact: format!("contact-{id}@example.com"),
            address: String::new(),
            contract_reference: String::new(),
            text: String::new(),
            detail: String::new(),
        }
    }

    /// A plain activity with a unique name.
    fn activity(i: usize, org: &Organisation, role: Role) -> ActivityDetail {
        ActivityDetail {
            id: i as i64,
            organisation_id: org.id,
            organisation_name: org.name.clone(),
            role,
            reference: format!("PA-{i:03}"),
            name: format!("Processing activity number {i:03}"),
            description: "Handles the people's records.".into(),
            business_function: "Human resources".into(),
            owner: "Head of HR".into(),
            status: Status::Active,
            special_conditions: Vec::new(),
            special_legal_reference: String::new(),
            criminal_basis: None,
            criminal_legal_reference: String::new(),
            data_source: "Directly from the data subject".into(),
            systems: "HR system".into(),
            data_location: "EU data centre".into(),
            automated_decision: false,
            automated_decision_description: String::new(),
            dpia_required: DpiaRequired::No,
            dpia_status: DpiaStatus::NotApplicable,
            dpia_reference: String::new(),
            privacy_notice_ref: "PN-1".into(),
            consent_record_ref: String::new(),
            processor_contract_ref: String::new(),
            retention_policy_ref: String::new(),
            breach_occurred: false,
            breach_record_ref: String::new(),
            security_description: "Access on a need-to-know basis.".into(),
            last_reviewed: NaiveDate::from_ymd_opt(2026, 1, 15),
            next_review: None,
            version: 2,
            created_at: at(2025, 3, 1),
            updated_at: at(2026, 1, 15),
            subjects: vec![entry(1, "Employees")],
            data_categories: vec![entry(10, "Identification data")],
            measures: vec![EntryRef {
                kind: Some(MeasureKind::Technical),
                family: Some(MeasureFamily::Encryption),
                ..entry(20, "Encryption at rest")
            }],
            purposes: vec![PurposeView {
                description: "Payroll".into(),
                bases: vec![LawfulBasis::Contract],
                legitimate_interest: String::new(),
                balancing_test_ref: String::new(),
            }],
            joint_controllers: Vec::new(),
            controllers: Vec::new(),
            recipients: vec![party(100, "Payroll Bureau", PartyKind::Processor, "DE")],
            transfers: Vec::new(),
            retention: vec![RetentionView {
                data_category_id: 10,
                category: "Identification data".into(),
                period_value: Some(6),
                period_unit: Some(RetentionUnit::Years),
                criterion: String::new(),
                start_event: "end of employment".into(),
                legal_reference: "Labour Code Art. 94".into(),
            }],
        }
    }

    fn long_text() -> String {
        (0..120)
            .map(|i| {
                format!("Sentence {i} of a very long description, with commas; and \"quotes\".")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn long_word() -> String {
        (0..LONG_WORD_LEN)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect()
    }

    /// An activity full of awkward values, and the values that must come back.
    fn awkward(org: &Organisation, role: Role) -> (ActivityDetail, Vec<String>) {
        let mut a = activity(1, org, role);
        a.name = "Payroll, \"Ørsted\" = Müller".into();
        a.description = long_text();
        a.owner = long_word();
        a.business_function = "Finance\nand controlling".into();
        a.systems = "=SUM(A1)".into();
        a.data_location = "Ελλάδα, Čeština".into();
        a.automated_decision = true;
        a.automated_decision_description = "Scoring of applicants".into();
        a.dpia_required = DpiaRequired::Yes;
        a.dpia_status = DpiaStatus::InProgress;
        a.dpia_reference = "DPIA-2026-07".into();
        a.consent_record_ref = "CONSENT-LOG".into();
        a.processor_contract_ref = "DPA-Ørsted-2024".into();
        a.retention_policy_ref = "RET-POL-3".into();
        a.breach_occurred = true;
        a.breach_record_ref = "BR-2025-01".into();
        a.special_conditions = vec![SpecialCondition::EmploymentSocialSecurityLaw];
        a.special_legal_reference = "Kodeks pracy, Łódź".into();
        a.criminal_basis = Some(CriminalBasis::AuthorisedByLawWithSafeguards);
        a.criminal_legal_reference = "Act on criminal records".into();
        a.security_description = format!("Encrypted disks.\r\nLong: {}", long_word());
        a.subjects = vec![
            entry(1, "Employees"),
            EntryRef {
                vulnerable: true,
                ..entry(2, "Apprentices")
            },
        ];
        a.data_categories = vec![
            entry(10, "Identification data"),
            EntryRef {
                sensitivity: Sensitivity::SpecialCategory,
                ..entry(11, "Health data")
            },
            EntryRef {
                sensitivity: Sensitivity::CriminalOffence,
                ..entry(12, "Criminal records")
            },
        ];
        a.purposes = vec![
            PurposeView {
                description: "Pay salaries, \"on time\"".into(),
                bases: vec![LawfulBasis::Contract, LawfulBasis::LegalObligation],
                legitimate_interest: String::new(),
                balancing_test_ref: String::new(),
            },
            PurposeView {
                description: "Fraud prevention".into(),
                bases: vec![LawfulBasis::LegitimateInterests],
                legitimate_interest: "Protecting the company's funds".into(),
                balancing_test_ref: "LIA-2026-01".into(),
            },
        ];
        let mut joint = party(200, "Ørsted Group A/S", PartyKind::JointController, "DK");
        joint.text = "Responsible for information notices".into();
        a.joint_controllers = vec![joint];
        let mut bank = party(
            101,
            "Bank Müller GmbH",
            PartyKind::IndependentController,
            "DE",
        );
        bank.text = "Salary amounts".into();
        bank.detail = "Payment of salaries".into();
        bank.contract_reference = "C-77".into();
        let mut cloud = party(102, "Cloud Inc.", PartyKind::Processor, "US");
        cloud.text = "All records".into();
        cloud.detail = "Hosting".into();
        a.recipients = vec![bank, cloud];
        a.transfers = vec![TransferView {
            country: Country::parse("US"),
            organisation: String::new(),
            party_id: Some(102),
            party_name: "Cloud Inc.".into(),
            mechanism: TransferMechanism::SccModule2,
            safeguards: "Transfer impact assessment TIA-9, encryption".into(),
        }];
        a.retention.push(RetentionView {
            data_category_id: 11,
            category: "Health data".into(),
            period_value: None,
            period_unit: None,
            criterion: "Until the sick leave ends".into(),
            start_event: String::new(),
            legal_reference: String::new(),
        });
        a.controllers = vec![{
            let mut c = party(
                300,
                "Client Łódź Sp. z o.o.",
                PartyKind::ClientController,
                "PL",
            );
            c.text = "Payroll calculation, payslip delivery".into();
            c.address = "ul. Długa 5, Łódź".into();
            c
        }];
        let expected = vec![
            a.name.clone(),
            a.description.clone(),
            a.owner.clone(),
            "Finance and controlling".into(),
            "=SUM(A1)".into(),
            "Ελλάδα, Čeština".into(),
            "Łódź".into(),
            "Ørsted".into(),
            "Müller".into(),
            a.security_description.clone(),
        ];
        (a, expected)
    }

    fn record(role: Role, orgs: Vec<Organisation>, activities: Vec<ActivityDetail>) -> Record {
        Record {
            role,
            organisations: orgs,
            activities,
            scope: "Whole register".into(),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
            generated_at: at(2026, 11, 30),
        }
    }

    fn squash(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    fn pages(pdf: &[u8]) -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts")
    }

    /// The text of the pages without running headers and footers, squashed.
    fn body_text(pages: &[String]) -> String {
        let total = pages.len();
        pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // The page number is the first decoration drawn: the rest of the page's
                // text after it is the running header and footer.
                let s = squash(p);
                let cut = s
                    .rfind(&format!("Page{}of{}", i + 1, total))
                    .unwrap_or(s.len());
                s[..cut].replace("(continued)", "")
            })
            .collect()
    }

    fn assert_contains(haystack: &str, needle: &str) {
        let n = squash(needle);
        assert!(
            haystack.contains(&n),
            "missing from the PDF text: {needle:?}"
        );
    }

    #[test]
    fn controller_pdf_contains_every_value_and_letter() {
        let org = organisation(1, "Müller & Ørsted Łódź");
        let (a, expected) = awkward(&org, Role::Controller);
        let second = activity(2, &org, Role::Controller);
        let r = record(Role::Controller, vec![org], vec![a, second]);
        let pdf = controller_pdf(&r).expect("renders");
        assert!(pdf.starts_with(b"%PDF"));
        let pages = pages(&pdf);
        let raw: String = pages.concat();
        let text = body_text(&pages);
        for v in &expected {
            assert_contains(&text, v);
        }
        for v in [
            "Record of processing activities, Article 30(1) GDPR",
            "Record as of 2026-11-30",
            "Generated 2026-11-30 09:30 UTC",
            "Whole register",
            "KRS 0000123456",
            "Prezes Urzędu Ochrony Danych Osobowych",
            "Jan Müller, dpo@example.eu",
            "Contents",
            "Responsible for information notices",
            "Contract (Art. 6(1)(b))",
            "Legal obligation (Art. 6(1)(c))",
            "Protecting the company's funds",
            "Balancing test: LIA-2026-01",
            "Apprentices · vulnerable",
            "Health data — Special category (Art. 9)",
            "Criminal records — Criminal-offence data (Art. 10)",
            "Art. 9(2)(b)",
            "Basis in law: Kodeks pracy, Łódź",
            "Law: Act on criminal records",
            "Bank Müller GmbH",
            "Payment of salaries",
            "Contract: C-77",
            "third country",
            "SCC 2021/914 Module 2: controller to processor",
            "Art. 46(2)(c)",
            "Transfer impact assessment TIA-9, encryption",
            "6 years from end of employment",
            "Labour Code Art. 94",
            "Until the sick leave ends",
            "Encryption at rest",
            "Right to object (Art. 21)",
            "Rights related to automated decision-making (Art. 22)",
            "DPIA-2026-07",
            "CONSENT-LOG",
            "DPA-Ørsted-2024",
            "RET-POL-3",
            "BR-2025-01",
            "2026-01-15",
            "2025-03-01 09:30 UTC",
            "Annex A. Recipients and processors",
            "Annex B. Transfers by destination",
            "Annex C. Retention schedule",
            "Annex D. Security measures",
            "PA-001, PA-002",
            "Processing activity number 002",
        ] {
            assert_contains(&text, v);
        }
        for letter in ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"] {
            assert!(
                raw.contains(&format!("{letter} ")),
                "letter {letter} missing"
            );
        }
        assert!(raw.contains("(a) Controller and joint controllers — Art. 30(1)(a)"));
        assert!(raw.contains("Page 1 of"));
        // Exact strings that must extract unchanged.
        for exact in ["Łódź", "Ørsted", "Müller", "Ελλάδα", "Čeština", "=SUM(A1)"] {
            assert!(raw.contains(exact), "{exact} does not extract unchanged");
        }
        let footers = (1..=pages.len())
            .filter(|n| raw.contains(&format!("Page {n} of {}", pages.len())))
            .count();
        assert_eq!(footers, pages.len(), "every page has its footer");
    }

    #[test]
    fn processor_pdf_groups_activities_under_their_controllers() {
        let org = organisation(1, "Ørsted Processing");
        let (mut a, expected) = awkward(&org, Role::Processor);
        let mut other = party(301, "Second Client AG", PartyKind::ClientController, "AT");
        other.text = "Archiving of payslips".into();
        a.controllers.push(other.clone());
        let mut b = activity(2, &org, Role::Processor);
        b.controllers = vec![other];
        let c = activity(3, &org, Role::Processor);
        let r = record(Role::Processor, vec![org], vec![a, b, c]);
        let pdf = processor_pdf(&r).expect("renders");
        let pages = pages(&pdf);
        let raw: String = pages.concat();
        let text = body_text(&pages);
        assert!(raw.contains("Record of processing activities, Article 30(2) GDPR"));
        assert!(raw.contains("Page 1 of"));
        for v in [
            "Client Łódź Sp. z o.o.",
            "Payroll calculation, payslip delivery",
            "Second Client AG",
            "Archiving of payslips",
            "Transfer impact assessment TIA-9, encryption",
            "Encryption at rest",
            "Controller not recorded",
            &expected[0],
            &expected[1],
        ] {
            assert_contains(&text, v);
        }
        for letter in ["(a)", "(b)", "(c)", "(d)"] {
            assert!(
                raw.contains(&format!("{letter} ")),
                "letter {letter} missing"
            );
        }
        // Grouped: the controller heading comes before its activities; PA-001 acts for
        // both controllers and so appears under each.
        let first = text
            .find(&squash("Client Łódź Sp. z o.o."))
            .expect("first controller");
        let second = text
            .find(&squash("Second Client AG"))
            .expect("second controller");
        let body = &text[text.find("Processingcarriedoutonbehalf").expect("body")..];
        assert!(first < second);
        let name = squash("Payroll, \"Ørsted\" = Müller");
        assert!(
            body.matches(&format!("PA-001·{name}")).count() >= 2,
            "an activity acting for two controllers appears under each"
        );
        let under_second = &body[body.find("SecondClientAG").expect("group")..];
        assert!(under_second.contains("PA-002"));
    }

    #[test]
    fn characters_the_font_lacks_extract_as_the_replacement_character() {
        // DejaVu Sans has no CJK: both characters are drawn as the missing-glyph box, and
        // neither may be extracted as the other (or as any other character).
        let org = organisation(1, "Acme 中国 Ltd");
        let pdf = controller_pdf(&record(Role::Controller, vec![org], Vec::new())).expect("pdf");
        let text = pages(&pdf).concat();
        assert!(text.contains("Acme \u{FFFD}\u{FFFD} Ltd"), "{text}");
        assert!(!text.contains('中') && !text.contains('国'));
    }

    #[test]
    fn empty_record_renders_a_cover() {
        let org = organisation(1, "Empty Org");
        for role in [Role::Controller, Role::Processor] {
            let r = record(role, vec![org.clone()], Vec::new());
            let pdf = match role {
                Role::Controller => controller_pdf(&r),
                Role::Processor => processor_pdf(&r),
            }
            .expect("renders");
            let pages = pages(&pdf);
            assert_eq!(pages.len(), 1);
            let raw = pages.concat();
            assert!(raw.contains("There are no processing activities in this record."));
            assert!(raw.contains("Page 1 of 1"));
            assert!(raw.contains("Empty Org"));
            let parsed = printpdf::PdfDocument::parse(
                &pdf,
                &printpdf::PdfParseOptions::default(),
                &mut Vec::new(),
            )
            .expect("parses");
            let info = &parsed.metadata.info;
            assert_eq!(
                info.document_title,
                "Record of processing activities – Empty Org"
            );
            assert_eq!(info.author, "Empty Org");
            assert!(info.subject.contains("Empty Org"));
            assert_eq!(
                (info.creation_date.year(), info.creation_date.day()),
                (2026, 30)
            );
        }
    }

    #[test]
    fn contents_point_at_the_right_pages() {
        let org = organisation(1, "Sixty Activities Ltd");
        let activities: Vec<ActivityDetail> = (1..=60)
            .map(|i| {
                let mut a = activity(i, &org, Role::Controller);
                if i % 7 == 0 {
                    a.description = long_text();
                }
                a
            })
            .collect();
        let r = record(Role::Controller, vec![org], activities);
        let pdf = controller_pdf(&r).expect("renders");
        let pages = pages(&pdf);
        let total = pages.len();
        for (i, p) in pages.iter().enumerate() {
            assert!(
                p.contains(&format!("Page {} of {total}", i + 1)),
                "page {} has no footer",
                i + 1
            );
        }
        let toc_pages: Vec<usize> = (0..total)
            .filter(|&i| pages[i].contains("Contents"))
            .collect();
        assert!(toc_pages.len() >= 2, "60 entries take more than a page");
        let after_toc = toc_pages.last().copied().unwrap_or(0) + 1;
        let toc_text: String = toc_pages.iter().map(|&i| pages[i].as_str()).collect();
        for i in 1..=60 {
            let name = format!("Processing activity number {i:03}");
            let line = toc_text
                .lines()
                .find(|l| l.contains(&name))
                .unwrap_or_else(|| panic!("{name} not in the contents"));
            let listed: usize = line
                .split_whitespace()
                .last()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no page number in {line:?}"));
            let heading = format!("PA-{i:03} · {name}");
            let actual = (after_toc..total)
                .find(|&p| pages[p].contains(&heading))
                .map(|p| p + 1)
                .unwrap_or_else(|| panic!("{name} has no section"));
            assert_eq!(listed, actual, "contents page of {name}");
        }
    }

    #[test]
    fn wrapping_keeps_every_character_and_fits_the_width() {
        let fonts = Fonts::get().expect("fonts");
        let text = format!("{}\n\n{} Łódź Ελλάδα", long_text(), long_word());
        let mut lines = Vec::new();
        fonts.wrap(&text, BODY, 200.0, &mut lines);
        for l in &lines {
            assert!(fonts.width(&l.text, BODY) <= 200.0 + 0.01, "{:?}", l.text);
        }
        let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(squash(&joined), squash(&text));
    }
}
