//! The JSON export: the register document (`domain::document`) written as indented JSON, the
//! backup format and the way between SQLite and PostgreSQL (`ropa export --format json`,
//! `ropa import`). Documented in docs/exports.md.
//!
//! Uses serde only: the document's shape is `domain::document`.

use std::io::Write;

use serde::Serialize;

use super::ExportError;

/// Writes the register document as indented JSON (two spaces, as `serde_json` pretty-prints):
/// a whole `domain::document::RegisterDocument`, or one streamed from the database
/// (`store::records::StreamedDocument`), which give the same bytes.
pub fn write(doc: &impl Serialize, out: impl Write) -> Result<(), ExportError> {
    serde_json::to_writer_pretty(out, doc)?;
    Ok(())
}
