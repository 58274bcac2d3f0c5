//! Exports: the register as PDF, CSV and JSON. Pure functions from a loaded record to bytes.
//!
//! `store` loads a [`Record`]; the functions here never touch the database, so every export
//! path (browser, command line, tests) produces the same document for the same record.

pub mod csv;
pub mod json;
pub mod pdf;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::vocab::Role;
use crate::store::activities::ActivityDetail;
use crate::store::organisations::Organisation;

/// What an export covers: the organisations, and their activities in one role.
#[derive(Debug, Clone)]
pub struct Record {
    /// Controller record (Art. 30(1)) or processor record (Art. 30(2)).
    pub role: Role,
    /// The organisations whose activities are included (at least one), by name.
    pub organisations: Vec<Organisation>,
    /// The activities, all of `role`, ordered by organisation then reference.
    pub activities: Vec<ActivityDetail>,
    /// What was selected, in words: "Whole register", "Activity HR-001", "Filtered list: ...".
    pub scope: String,
    /// The date the record speaks for.
    pub as_of: NaiveDate,
    /// When the export was generated (UTC).
    pub generated_at: NaiveDateTime,
}

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
