//! Exports: the register as PDF, CSV and JSON. Pure functions from a loaded record to bytes.
//!
//! `store::records` loads a `Record` (or the register document); the functions here never
//! touch the database, so every export path (browser, command line, tests) produces the same
//! document for the same record. Uses the domain and the store's read models.

pub mod csv;
pub mod findings;
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

/// What a download holds, for its file name.
#[derive(Debug, Clone, Default)]
pub struct FileName<'a> {
    /// The organisation, when the download is one organisation's.
    pub organisation: Option<&'a str>,
    /// `controller-record`, `processor-record` or `register`.
    pub kind: &'a str,
    /// The activity's reference, for a one-activity download.
    pub activity: Option<&'a str>,
    /// Whether a search or filter narrowed the register.
    pub filtered: bool,
    /// The statuses when not the active register (`draft`, `current`, `all`, `retired`).
    pub statuses: Option<&'a str>,
    /// The date the record speaks for.
    pub date: chrono::NaiveDate,
    /// The extension (`pdf`, `csv`, `json`).
    pub extension: &'a str,
}

impl FileName<'_> {
    /// The name, in lower-case ASCII words joined by hyphens:
    /// `nordlicht-retail-gmbh-controller-record-2026-11-30.pdf`,
    /// `nordlicht-retail-gmbh-controller-record-hr-001-2026-11-30.pdf`,
    /// `all-organisations-controller-record-filtered-2026-11-30.csv`.
    pub fn render(&self) -> String {
        let mut parts = vec![slug(self.organisation.unwrap_or("all organisations"))];
        parts.push(self.kind.to_owned());
        if let Some(reference) = self.activity {
            parts.push(slug(reference));
        } else if self.filtered {
            parts.push("filtered".into());
        }
        if let Some(statuses) = self.statuses {
            parts.push(slug(statuses));
        }
        parts.push(self.date.format("%Y-%m-%d").to_string());
        let stem: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        format!("{}.{}", stem.join("-"), self.extension)
    }
}

/// `text` in lower-case ASCII letters and digits, words joined by single hyphens (letters with
/// accents and other scripts transliterated), at most 60 characters.
fn slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_say_what_they_hold() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let name = |f: FileName<'_>| f.render();
        let base = FileName {
            organisation: Some("Nordlicht Retail GmbH"),
            kind: "controller-record",
            date,
            extension: "pdf",
            ..FileName::default()
        };
        assert_eq!(
            name(base.clone()),
            "nordlicht-retail-gmbh-controller-record-2026-11-30.pdf"
        );
        assert_eq!(
            name(FileName {
                activity: Some("HR/001"),
                ..base.clone()
            }),
            "nordlicht-retail-gmbh-controller-record-hr-001-2026-11-30.pdf"
        );
        assert_eq!(
            name(FileName {
                organisation: None,
                filtered: true,
                statuses: Some("all"),
                extension: "csv",
                ..base.clone()
            }),
            "all-organisations-controller-record-filtered-all-2026-11-30.csv"
        );
        assert_eq!(
            name(FileName {
                organisation: Some("Łódź Usługi sp. z o.o. — Ørsted"),
                ..base
            }),
            "lodz-uslugi-sp-z-o-o-orsted-controller-record-2026-11-30.pdf"
        );
    }
}
