//! PDF rendering of a record.

use super::{ExportError, Record};

/// Renders the controller record (Art. 30(1)) of `record`.
pub fn controller_pdf(_record: &Record) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::Pdf("the PDF renderer is being written".into()))
}

/// Renders the processor record (Art. 30(2)) of `record`.
pub fn processor_pdf(_record: &Record) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::Pdf("the PDF renderer is being written".into()))
}
