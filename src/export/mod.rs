//! Exports: the register as PDF, CSV and JSON. Pure functions from a loaded record to bytes.
//!
//! `store::records` loads a `Record` (or the register document); the functions here never
//! touch the database, so every export path (browser, command line, tests) produces the same
//! document for the same record. Uses the domain and the store's read models.

pub mod csv;
pub mod json;
pub mod pdf;

/// Why an export could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The PDF could not be built.
    #[error("cannot build the PDF: {0}")]
    Pdf(String),
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// CSV writing failed.
    #[error(transparent)]
    Csv(#[from] ::csv::Error),
    /// Loading the record failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// JSON writing failed.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

impl From<diesel::result::Error> for ExportError {
    fn from(e: diesel::result::Error) -> Self {
        ExportError::Store(e.into())
    }
}
