//! The PDF engine: a small flow-layout engine and a file writer, shared by every PDF ropa makes.
//!
//! Text is wrapped with the advance widths of the embedded DejaVu Sans faces (parsed by
//! printpdf, looked up in a table built once per process), table rows split across pages and a
//! continued table repeats its header row. A document implements [`Document`] (cover, body,
//! page decoration, metadata) and is laid out once by [`write`]; see `document`.
//! Knows nothing of the register: `register` is one document built on it.
//!
//! Files, from the bottom: `style` (geometry, colours, faces, styles), `fonts` (metrics,
//! wrapping), `file` (the PDF objects written page by page), `page` (a page being built, where
//! finished pages go), `flow` (the layout cursor and tables), `document` (the layout of a whole
//! document).
//!
//! Uses only its own submodules.

mod document;
mod file;
mod flow;
mod fonts;
mod page;
mod style;

pub(crate) use document::{write, Document, TocEntry};
pub(crate) use file::Info;
pub(crate) use flow::{col, fact, label, row, val, val_none, Cell, Flow, Row, RowKind, TableKind};
#[cfg(test)]
pub(crate) use fonts::Fonts;
pub(crate) use page::{Kit, PageBuf};
pub(crate) use style::*;
