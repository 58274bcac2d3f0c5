//! DejaVu Sans regular and bold, parsed once per process: glyph lookups and advance widths for
//! measuring, cutting and wrapping text.
//!
//! Uses the styles.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use super::style::{Face, Style};
use crate::export::ExportError;

/// Glyph ids and advance widths by code point (Basic Multilingual Plane), in font units.
pub(crate) struct Metrics {
    pub(crate) glyphs: Vec<u16>,
    pub(crate) widths: Vec<u16>,
    pub(crate) notdef: u16,
    pub(crate) per_unit: f32,
}

impl Metrics {
    pub(crate) fn of(font: &ParsedFont) -> Self {
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
    pub(crate) fn glyph(&self, c: char) -> u16 {
        self.glyphs.get(c as usize).copied().unwrap_or(0)
    }

    /// Advance width of glyph `gid`, in font units.
    pub(crate) fn glyph_width(&self, gid: usize) -> u16 {
        self.widths.get(gid).copied().unwrap_or(self.notdef)
    }

    /// Advance width of the missing-glyph box, in font units.
    pub(crate) fn notdef_width(&self) -> u16 {
        self.notdef
    }

    pub(crate) fn units(&self, c: char) -> u32 {
        u32::from(self.glyph_width(usize::from(self.glyph(c))))
    }

    pub(crate) fn str_units(&self, s: &str) -> u32 {
        s.chars().map(|c| self.units(c)).sum()
    }
}

/// DejaVu Sans regular and bold, parsed once per process.
pub(crate) struct Fonts {
    pub(crate) regular: ParsedFont,
    pub(crate) bold: ParsedFont,
    pub(crate) regular_metrics: Metrics,
    pub(crate) bold_metrics: Metrics,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, String> {
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
        })
    }

    /// The parsed face.
    pub(crate) fn parsed(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// The fonts, parsed on first use.
    pub(crate) fn get() -> Result<&'static Self, ExportError> {
        static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
        FONTS
            .get_or_init(Fonts::load)
            .as_ref()
            .map_err(|e| ExportError::Pdf(e.clone()))
    }

    pub(crate) fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular_metrics,
            Face::Bold => &self.bold_metrics,
        }
    }

    /// Width of `s` in points.
    pub(crate) fn width(&self, s: &str, style: Style) -> f32 {
        let m = self.metrics(style.face);
        m.str_units(s) as f32 * m.per_unit * style.size
    }

    /// `s` cut (with an ellipsis) to fit `max` points.
    pub(crate) fn fit(&self, s: &str, style: Style, max: f32) -> String {
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
    pub(crate) fn wrap(&self, text: &str, style: Style, max_w: f32, out: &mut Vec<Line>) {
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
                // A word longer than a line (an email address, a URL, a long reference) breaks
                // after one of its separators where it can, inside a run only where it must.
                for piece in pieces(word) {
                    let pw = m.str_units(piece);
                    if used + pw > max && !line.is_empty() {
                        push(&mut line, &mut used);
                    }
                    if pw <= max {
                        line.push_str(piece);
                        used += pw;
                        continue;
                    }
                    for c in piece.chars() {
                        let cw = m.units(c);
                        if used + cw > max && !line.is_empty() {
                            push(&mut line, &mut used);
                        }
                        line.push(c);
                        used += cw;
                    }
                }
            }
            push(&mut line, &mut used);
        }
    }
}

/// The parts of a word that a line may end after: each ends with a separator of email
/// addresses, URLs and references (`@ . / - _ ? & = # :`), the last with whatever is left.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .char_indices()
            .find(|(_, c)| matches!(c, '@' | '.' | '/' | '-' | '_' | '?' | '&' | '=' | '#' | ':'))
            .map_or(rest.len(), |(i, c)| i + c.len_utf8());
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Line breaks normalised to `\n`, tabs to spaces, other control characters dropped,
/// surrounding blank space trimmed.
pub(crate) fn clean(text: &str) -> String {
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
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) style: Style,
    pub(crate) h: f32,
}
