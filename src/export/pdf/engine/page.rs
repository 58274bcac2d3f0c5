//! A page being built (text, fills and strokes in layers, links, the running title) and where
//! finished pages go: counted (a dry layout that measures) or written.
//!
//! Uses the fonts, the styles and the file's page layers.

use std::cell::RefCell;

use super::file::{self, FinishedPage, GlyphUse, Layers, Part};
use super::fonts::Fonts;
use super::style::{Face, Rgb3, Style, RULE};
use crate::export::ExportError;

/// The fonts, and the record of the glyphs the document draws with them.
#[derive(Clone, Copy)]
pub(crate) struct Kit<'a> {
    pub(crate) fonts: &'a Fonts,
    pub(crate) glyphs: &'a RefCell<GlyphUse>,
}

// ---------------------------------------------------------------------------------------------
// Pages and the flow
// ---------------------------------------------------------------------------------------------

/// A page being built. A dry page (a layout that only measures) records nothing.
pub(crate) struct PageBuf {
    pub(crate) dry: bool,
    pub(crate) layers: Layers,
    pub(crate) links: Vec<([f32; 4], usize)>,
    pub(crate) running: String,
    pub(crate) font: Option<(Face, f32)>,
    pub(crate) text_color: Option<Rgb3>,
    pub(crate) fill_color: Option<Rgb3>,
    pub(crate) scratch: Vec<u8>,
}

impl PageBuf {
    pub(crate) fn new(running: String, dry: bool) -> Self {
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
    pub(crate) fn show(&mut self, kit: Kit<'_>, x: f32, baseline: f32, style: Style, text: &str) {
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
        self.scratch.clear();
        kit.glyphs
            .borrow_mut()
            .encode(kit.fonts, style.face, text, &mut self.scratch);
        layer.show_at(x, baseline, &self.scratch);
    }

    pub(crate) fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb3) {
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

    pub(crate) fn stroke(&mut self, x: f32, y: f32, w: f32, h: f32) {
        if self.dry {
            return;
        }
        self.layers.strokes.rect(x, y, w, h).stroke();
    }

    /// The finished page of `part`.
    pub(crate) fn finish(self, part: Part) -> FinishedPage {
        FinishedPage {
            part,
            content: self.layers.into_content((RULE.0, RULE.1, RULE.2)),
            links: self.links,
        }
    }
}

/// Where finished pages go: counted (a dry layout) or written to the file.
pub(crate) trait PageSink {
    /// Takes the next finished page.
    fn take(&mut self, page: PageBuf) -> Result<(), ExportError>;
}

/// A dry layout: pages are only counted.
pub(crate) struct Count;

impl PageSink for Count {
    fn take(&mut self, _page: PageBuf) -> Result<(), ExportError> {
        Ok(())
    }
}
