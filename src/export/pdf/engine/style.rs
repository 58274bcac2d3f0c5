//! Page geometry (points; origin bottom left), colours, the two faces and the text styles every
//! document shares.
//!
//! Uses nothing else.

/// Page size: A4 in points.
pub(crate) const A4: (f32, f32) = (595.276, 841.89);

/// Page width.
pub(crate) const PAGE_W: f32 = A4.0;
/// Page height.
pub(crate) const PAGE_H: f32 = A4.1;
pub(crate) const MARGIN_X: f32 = 46.0;
pub(crate) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
/// Top of the content area.
pub(crate) const TOP: f32 = PAGE_H - 58.0;
/// Bottom of the content area.
pub(crate) const BOTTOM: f32 = 60.0;
pub(crate) const PAD_X: f32 = 4.5;
pub(crate) const PAD_Y: f32 = 2.6;
/// Rows up to this height move to the next page whole instead of splitting.
pub(crate) const ROW_KEEP: f32 = 110.0;

/// What an empty value that does not apply prints.
pub(crate) const DASH: &str = "—";
/// What a value or list not recorded yet prints: the one wording of every export (the CSV and
/// the pages say the same), as against "none (declared)".
pub(crate) const NONE: &str = "not recorded";

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rgb3(pub(crate) f32, pub(crate) f32, pub(crate) f32);

pub(crate) const INK: Rgb3 = Rgb3(0.10, 0.12, 0.16);
pub(crate) const MUTED: Rgb3 = Rgb3(0.38, 0.42, 0.48);
pub(crate) const ACCENT: Rgb3 = Rgb3(0.07, 0.25, 0.45);
pub(crate) const RULE: Rgb3 = Rgb3(0.76, 0.79, 0.84);
pub(crate) const SHADE: Rgb3 = Rgb3(0.945, 0.955, 0.97);
pub(crate) const HEAD_SHADE: Rgb3 = Rgb3(0.86, 0.90, 0.945);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) color: Rgb3,
}

impl Style {
    pub(crate) const fn new(face: Face, size: f32, color: Rgb3) -> Self {
        Self { face, size, color }
    }

    pub(crate) fn line_height(self) -> f32 {
        self.size * 1.27
    }
}

pub(crate) const BODY: Style = Style::new(Face::Regular, 8.8, INK);
pub(crate) const BODY_BOLD: Style = Style::new(Face::Bold, 8.8, INK);
pub(crate) const BODY_MUTED: Style = Style::new(Face::Regular, 8.8, MUTED);
pub(crate) const SMALL: Style = Style::new(Face::Regular, 7.6, MUTED);
pub(crate) const LABEL: Style = Style::new(Face::Bold, 8.2, INK);
pub(crate) const EYEBROW: Style = Style::new(Face::Bold, 8.0, MUTED);
pub(crate) const H1: Style = Style::new(Face::Bold, 15.0, ACCENT);
pub(crate) const H2: Style = Style::new(Face::Bold, 10.2, ACCENT);
pub(crate) const H3: Style = Style::new(Face::Bold, 12.0, ACCENT);
pub(crate) const LEAD: Style = Style::new(Face::Bold, 11.0, INK);
pub(crate) const FOOT: Style = Style::new(Face::Regular, 7.2, MUTED);
