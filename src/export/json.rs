//! The JSON export: the register document (`domain::document`) written as indented JSON, the
//! backup format and the way between SQLite and PostgreSQL (`ropa export --format json`,
//! `ropa import`). Documented in docs/exports.md.
//!
//! Uses the domain's document only.

use std::io::Write;

use super::ExportError;
use crate::domain::document::RegisterDocument;

/// Writes the document as indented JSON (two spaces, as `serde_json` pretty-prints).
pub fn write(doc: &RegisterDocument, out: impl Write) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(out, doc)?;
    Ok(())
}

/// The document as indented JSON bytes (for a download).
pub fn to_vec(doc: &RegisterDocument) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    write(doc, &mut out)?;
    Ok(out)
}
