//! The layout cursor ([`Flow`]): paragraphs, titles and tables flowed down pages, table rows
//! split across pages with the header row repeated, and the cells tables are built from.
//!
//! Uses the pages, the fonts and the styles.

use super::fonts::Line;
use super::page::{Kit, PageBuf, PageSink};
use super::style::*;
use crate::export::ExportError;

/// Where the baseline of a line sits below its top.
pub(crate) fn baseline_offset(line: &Line) -> f32 {
    0.5 * (line.h - line.style.size) + 0.8 * line.style.size
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table column: title, share of the content width, alignment.
pub(crate) struct Col {
    pub(crate) title: &'static str,
    pub(crate) share: f32,
    pub(crate) align: Align,
}

pub(crate) const fn col(title: &'static str, share: f32) -> Col {
    Col {
        title,
        share,
        align: Align::Left,
    }
}

/// A cell: pieces stacked vertically, each wrapped in its own style.
#[derive(Debug, Default, Clone)]
pub(crate) struct Cell(pub(crate) Vec<(Style, String)>);

impl Cell {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a piece unless it is blank.
    pub(crate) fn add(mut self, style: Style, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.0.push((style, text));
        }
        self
    }

    /// Prints `placeholder` if nothing was added.
    pub(crate) fn or(mut self, placeholder: &str) -> Self {
        if self.0.is_empty() {
            self.0.push((BODY_MUTED, placeholder.to_owned()));
        }
        self
    }
}

/// A value, or a dash.
pub(crate) fn val(text: &str) -> Cell {
    Cell::new().add(BODY, text).or(DASH)
}

/// A value, or "not recorded".
pub(crate) fn val_none(text: &str) -> Cell {
    Cell::new().add(BODY, text).or(NONE)
}

pub(crate) fn label(text: &str) -> Cell {
    Cell::new().add(LABEL, text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Normal,
    Strong,
}

/// A table row: its cells, its weight, and the body page (1-based) it links to.
pub(crate) struct Row {
    pub(crate) cells: Vec<Cell>,
    pub(crate) kind: RowKind,
    pub(crate) link: Option<usize>,
}

pub(crate) fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        kind: RowKind::Normal,
        link: None,
    }
}

/// A two-column label/value row.
pub(crate) fn fact(name: &str, value: Cell) -> Row {
    row(vec![label(name), value])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKind {
    /// Light grid, shaded header.
    Grid,
    /// Label/value pairs: grid with a shaded first column, no header.
    Facts,
    /// Rows separated by rules only (table of contents).
    List,
}

/// Column positions of a table being drawn.
pub(crate) struct Frame<'c> {
    pub(crate) kind: TableKind,
    pub(crate) cols: &'c [Col],
    pub(crate) xs: Vec<f32>,
    pub(crate) ws: Vec<f32>,
}

/// The lines `start..end` (to the end if `None`) of each cell of a row: the part of the row
/// drawn on one page.
pub(crate) struct Part<'l> {
    pub(crate) cells: &'l [Vec<Line>],
    pub(crate) start: &'l [usize],
    pub(crate) end: Option<&'l [usize]>,
    pub(crate) kind: RowKind,
    pub(crate) link: Option<usize>,
    /// The row started on an earlier page.
    pub(crate) continued: bool,
}

impl<'l> Part<'l> {
    /// The whole of a header row (an empty `start` means line 0 of every cell).
    pub(crate) fn header(cells: &'l [Vec<Line>]) -> Self {
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
pub(crate) struct Flow<'a, 's> {
    pub(crate) kit: Kit<'a>,
    pub(crate) sink: &'s mut dyn PageSink,
    pub(crate) dry: bool,
    pub(crate) current: Option<PageBuf>,
    pub(crate) count: usize,
    pub(crate) error: Option<ExportError>,
    pub(crate) y: f32,
    pub(crate) running: String,
}

impl<'a, 's> Flow<'a, 's> {
    /// A flow whose pages go to `sink`; a dry flow only counts them.
    pub(crate) fn new(kit: Kit<'a>, sink: &'s mut dyn PageSink, dry: bool) -> Self {
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

    /// Sets the running title of the pages that follow, and adds it to the current page's when
    /// the page already holds something else (a page shared by two activities names both).
    pub(crate) fn set_running(&mut self, running: String) {
        let shared = !self.at_top();
        if let Some(page) = self.current.as_mut() {
            if shared && !page.running.is_empty() && page.running != running {
                page.running = format!("{}; {}", page.running, running);
            } else {
                page.running = running.clone();
            }
        }
        self.running = running;
    }

    pub(crate) fn new_page(&mut self) {
        self.hand_over();
        self.current = Some(PageBuf::new(self.running.clone(), self.dry));
        self.count += 1;
        self.y = TOP;
    }

    /// Gives the current page, if any, to the sink.
    pub(crate) fn hand_over(&mut self) {
        if let Some(page) = self.current.take() {
            if let Err(e) = self.sink.take(page) {
                self.error.get_or_insert(e);
            }
        }
    }

    /// Hands over the last page; the number of pages of this flow.
    pub(crate) fn finish(mut self) -> Result<usize, ExportError> {
        self.hand_over();
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(self.count),
        }
    }

    /// Number (1-based, within this flow) of the current page.
    pub(crate) fn page_no(&self) -> usize {
        self.count
    }

    pub(crate) fn page(&mut self) -> &mut PageBuf {
        if self.current.is_none() {
            self.new_page();
        }
        // `new_page` always leaves a current page: the fallback is never built.
        self.current
            .get_or_insert_with(|| PageBuf::new(String::new(), true))
    }

    pub(crate) fn at_top(&self) -> bool {
        self.y >= TOP - 0.01
    }

    /// Starts a new page unless `h` points fit on this one.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.count == 0 || self.y - h < BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space, swallowed at the top of a page.
    pub(crate) fn gap(&mut self, h: f32) {
        if self.count > 0 && !self.at_top() {
            self.y -= h;
        }
    }

    pub(crate) fn show_line(&mut self, x: f32, line: &Line) {
        let kit = self.kit;
        let baseline = self.y - baseline_offset(line);
        self.page().show(kit, x, baseline, line.style, &line.text);
    }

    /// Places lines one after another, breaking pages as needed.
    pub(crate) fn lines(&mut self, lines: &[Line], x: f32) {
        for line in lines {
            self.ensure(line.h);
            self.show_line(x, line);
            self.y -= line.h;
        }
    }

    pub(crate) fn para_at(&mut self, text: &str, style: Style, x: f32, w: f32) {
        let mut lines = Vec::new();
        self.kit.fonts.wrap(text, style, w, &mut lines);
        self.lines(&lines, x);
    }

    pub(crate) fn para(&mut self, text: &str, style: Style) {
        self.para_at(text, style, MARGIN_X, CONTENT_W);
    }

    /// A filled rule across the content width.
    pub(crate) fn rule(&mut self, c: Rgb3, thickness: f32) {
        self.ensure(thickness);
        let y = self.y - thickness;
        self.page().fill(MARGIN_X, y, CONTENT_W, thickness, c);
        self.y = y;
    }

    /// Title block of a section: eyebrow, heading, meta line, accent rule.
    pub(crate) fn title(&mut self, eyebrow: &str, title: &str, style: Style, meta: &str) {
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
    pub(crate) fn band(&mut self, text: &str) {
        let mut lines = Vec::new();
        self.kit
            .fonts
            .wrap(text, H2, CONTENT_W - 2.0 * PAD_X - 3.0, &mut lines);
        let h: f32 = lines.iter().map(|l| l.h).sum::<f32>() + 2.0 * PAD_Y + 1.0;
        self.gap(7.0);
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
        self.gap(4.0);
    }

    /// "not recorded" (or another note) as a muted line.
    pub(crate) fn note(&mut self, text: &str) {
        self.para_at(text, BODY_MUTED, MARGIN_X + PAD_X, CONTENT_W - PAD_X);
    }

    /// A table of `rows`, split across pages with its header repeated. The rows are taken one
    /// at a time, so a table of every activity of the register is never held whole.
    pub(crate) fn table(
        &mut self,
        kind: TableKind,
        cols: &[Col],
        rows: impl IntoIterator<Item = Row>,
    ) {
        let mut rows = rows.into_iter().peekable();
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
            .peek()
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
    pub(crate) fn table_page(&mut self, frame: &Frame<'_>, header: Option<&[Vec<Line>]>) {
        self.new_page();
        if let Some(h) = header {
            self.draw_segment(frame, Part::header(h));
        }
    }

    pub(crate) fn layout_cells(&self, frame: &Frame<'_>, cells: &[Cell]) -> Vec<Vec<Line>> {
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
    pub(crate) fn draw_segment(&mut self, frame: &Frame<'_>, part: Part<'_>) {
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

pub(crate) fn segment_height(cells: &[Vec<Line>], start: &[usize], end: Option<&[usize]>) -> f32 {
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
