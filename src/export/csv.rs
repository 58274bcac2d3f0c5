//! CSV exports: the controller record in the ICO template's layout, and the processor record.
//!
//! Rows are written one activity at a time, so a caller can stream a register of any size.
//! RFC 4180 quoting comes from the `csv` crate; a list is written one item per line inside its
//! cell; a cell that a spreadsheet would read as a formula is neutralised.
//!
//! Uses `domain::vocab`, `store::{activities, organisations}`.

use std::io::Write;

use crate::domain::checks::Register;
use crate::domain::vocab::PartyKind;
use crate::store::activities::ActivityDetail;
use crate::store::organisations::Organisation;
use crate::store::records::CheckContext;

use super::ExportError;

/// The ICO controller template's headings 1-25, verbatim (gdpr-ropa-fields.md section 2.1).
pub const ICO_HEADINGS: [&str; 25] = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or international organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 condition for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "Data Protection Impact Assessment progress",
    "Link to Data Protection Impact Assessment",
    "Has a personal data breach occurred?",
    "Link to record of personal data breach",
];

/// The controller CSV's header row: identification, ICO 1-25, then status and dates.
pub fn controller_header() -> Vec<&'static str> {
    let mut h = vec!["Organisation", "Role", "Reference", "Processing activity"];
    h.extend(ICO_HEADINGS);
    h.extend([
        "Status",
        "Owner",
        "Last reviewed",
        "Next review",
        "Created",
        "Updated",
        "Open findings",
    ]);
    h
}

/// The processor CSV's header row (documented in docs/exports.md).
pub const PROCESSOR_HEADER: [&str; 20] = [
    "Processor",
    "Processor contact details",
    "Processor representative",
    "Processor data protection officer",
    "Reference",
    "Processing activity",
    "Controllers on whose behalf the processing is carried out",
    "Controller contact details",
    "Categories of processing carried out for each controller",
    "Transfers to third countries or international organisations",
    "Documentation of suitable safeguards for transfers",
    "General description of technical and organisational security measures",
    "Security measures",
    "Sub-processors",
    "Status",
    "Last reviewed",
    "Next review",
    "Created",
    "Updated",
    "Open findings",
];

/// Makes a cell safe for spreadsheets: a leading `=`, `+`, `-`, `@`, tab or carriage return
/// would start a formula, so the cell is prefixed with an apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn lines<I: IntoIterator<Item = String>>(items: I) -> String {
    items
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// An empty list in words: "None" when declared, "not recorded" when it is a gap.
fn none_or_missing(declared: bool) -> String {
    if declared {
        "None".into()
    } else {
        crate::store::activities::NOT_RECORDED.into()
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn stamp(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn contact(name: &str, parts: &[&str]) -> String {
    let rest: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if rest.is_empty() {
        name.to_owned()
    } else {
        format!("{name} ({})", rest.join(", ").replace('\n', ", "))
    }
}

/// Writes CSV rows to any writer, one activity at a time.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    checks: Option<(CheckContext, chrono::NaiveDate)>,
}

/// An activity's open findings, one a line: "warning R-CONSENT-RECORD: ... (Art. 7(1))".
fn findings_cell(checks: &Option<(CheckContext, chrono::NaiveDate)>, a: &ActivityDetail) -> String {
    let Some((context, today)) = checks else {
        return String::new();
    };
    let register = Register::new(
        &context.organisations,
        &context.catalogues,
        &context.parties,
        *today,
    );
    let processor = a.role == crate::domain::vocab::Role::Processor;
    lines(register.check_activity(&context.entry(a)).iter().map(|f| {
        format!(
            "{} {}: {} ({})",
            f.rule.severity.code(),
            f.rule.code,
            f.message(),
            f.rule.basis_for(processor)
        )
    }))
}

impl<W: Write> CsvWriter<W> {
    /// Starts a CSV document, with a UTF-8 byte-order mark first when `bom` is set (for Excel).
    pub fn new(mut out: W, bom: bool) -> Result<Self, ExportError> {
        if bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(Self {
            inner: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
            checks: None,
        })
    }

    /// Fills the "Open findings" column: the register checks on `today`, read around each
    /// activity from `context` (without it, the column stays empty).
    pub fn with_findings(mut self, context: CheckContext, today: chrono::NaiveDate) -> Self {
        self.checks = Some((context, today));
        self
    }

    fn row(&mut self, cells: &[String]) -> Result<(), ExportError> {
        self.inner
            .write_record(cells.iter().map(|c| neutralise(c)))?;
        Ok(())
    }

    /// Writes a row of any cells, each neutralised against formulas.
    pub fn raw_row(&mut self, cells: &[&str]) -> Result<(), ExportError> {
        let owned: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        self.row(&owned)
    }

    /// Writes the controller header row.
    pub fn controller_header(&mut self) -> Result<(), ExportError> {
        let h: Vec<String> = controller_header().into_iter().map(str::to_owned).collect();
        self.row(&h)
    }

    /// Writes the processor header row.
    pub fn processor_header(&mut self) -> Result<(), ExportError> {
        let h: Vec<String> = PROCESSOR_HEADER.iter().map(|s| (*s).to_owned()).collect();
        self.row(&h)
    }

    /// Writes one controller activity in the ICO layout.
    pub fn controller_row(
        &mut self,
        org: &Organisation,
        a: &ActivityDetail,
    ) -> Result<(), ExportError> {
        let bases = a.lawful_bases();
        let cells = vec![
            org.name.clone(),
            a.role.label().to_owned(),
            a.reference.clone(),
            a.name.clone(),
            // 1-11: Art. 30 record
            a.business_function.clone(),
            lines(a.purposes.iter().map(|p| p.description.clone())),
            lines(a.joint_controllers.iter().map(|j| {
                let mut c = contact(&j.name, &[&j.contact, &j.address]);
                if !j.text.is_empty() {
                    c.push_str(&format!(": {}", j.text));
                }
                c
            })),
            lines(a.subjects.iter().map(|s| s.label.clone())),
            lines(a.data_categories.iter().map(|c| {
                if c.sensitivity == crate::domain::vocab::Sensitivity::Standard {
                    c.label.clone()
                } else {
                    format!("{} ({})", c.label, c.sensitivity.article())
                }
            })),
            if a.recipients.is_empty() {
                none_or_missing(a.no_recipients)
            } else {
                lines(a.recipients.iter().map(|r| {
                    let kind = r.kind.map(|k| k.label()).unwrap_or_default();
                    let country = r
                        .country
                        .map(|c| format!(", {}", c.name()))
                        .unwrap_or_default();
                    let what = if r.text.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", r.text)
                    };
                    format!("{} ({kind}{country}){what}", r.name)
                }))
            },
            lines(a.processor_contracts()),
            // 8: every transfer, its destination and mechanism.
            if a.transfers.is_empty() {
                none_or_missing(a.no_transfers)
            } else {
                lines(a.transfers.iter().map(|t| {
                    let to = if t.party_name.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", t.party_name)
                    };
                    let evidence = t.scope_evidence_text();
                    let evidence = if evidence.is_empty() {
                        evidence
                    } else {
                        format!("; {evidence}")
                    };
                    let as_of = if t.adequacy().is_some() {
                        format!(
                            " [decisions as checked up to {}]",
                            crate::domain::reference::adequacy_as_of()
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "{}{to}: {}{as_of}{evidence}",
                        t.destination(),
                        t.mechanism_text()
                    )
                }))
            },
            // 9: only the exceptional transfers: Art. 49 derogations and the documentation
            // of an Art. 49(1) second-subparagraph transfer.
            lines(
                a.transfers
                    .iter()
                    .filter(|t| t.mechanism.is_exceptional())
                    .map(|t| {
                        let docs = if t.safeguards.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", t.safeguards)
                        };
                        format!(
                            "{}: {} ({}){docs}",
                            t.destination(),
                            t.mechanism.label(),
                            t.mechanism.article()
                        )
                    }),
            ),
            lines(a.retention.iter().map(|r| {
                let law = if r.legal_reference.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.legal_reference)
                };
                format!("{}: {}{law}", r.category, r.period())
            })),
            {
                let mut parts = Vec::new();
                if !a.security_description.is_empty() {
                    parts.push(a.security_description.clone());
                }
                parts.extend(a.measures.iter().map(|m| m.label.clone()));
                lines(parts)
            },
            // 12-18: privacy notices
            lines(
                bases
                    .iter()
                    .map(|b| format!("{} ({})", b.label(), b.article())),
            ),
            {
                let mut parts: Vec<String> = a
                    .special_conditions
                    .iter()
                    .map(|c| format!("{} ({})", c.label(), c.article()))
                    .collect();
                if !a.special_legal_reference.is_empty() {
                    parts.push(format!("Basis in law: {}", a.special_legal_reference));
                }
                if let Some(b) = a.criminal_basis {
                    parts.push(format!("{} ({})", b.label(), b.article()));
                }
                if !a.criminal_legal_reference.is_empty() {
                    parts.push(format!("Art. 10 law: {}", a.criminal_legal_reference));
                }
                lines(parts)
            },
            lines(a.purposes.iter().map(|p| p.legitimate_interest.clone())),
            lines(a.purposes.iter().map(|p| p.balancing_test_ref.clone())),
            lines(a.rights().iter().map(|r| r.summary(a.purposes.len()))),
            a.automated_text(),
            a.data_source.clone(),
            // 19-25: consent, access requests, DPIA, breaches
            a.consent_record_ref.clone(),
            lines([a.data_location.clone(), a.systems.clone()]),
            a.dpia_required.label().to_owned(),
            a.dpia_progress_text(),
            a.dpia_reference.clone(),
            if a.breach_occurred {
                "Yes".into()
            } else {
                "No".into()
            },
            a.breach_record_ref.clone(),
            // extras
            a.status.label().to_owned(),
            a.owner.clone(),
            date(a.last_reviewed),
            date(a.next_review),
            stamp(a.created_at),
            stamp(a.updated_at),
            findings_cell(&self.checks, a),
        ];
        self.row(&cells)
    }

    /// Writes one processor activity with its Art. 30(2) content.
    pub fn processor_row(
        &mut self,
        org: &Organisation,
        a: &ActivityDetail,
    ) -> Result<(), ExportError> {
        let cells = vec![
            org.name.clone(),
            lines([
                org.legal_address.replace('\n', ", "),
                org.email.clone(),
                org.phone.clone(),
            ]),
            org.representative.clone(),
            org.dpo.clone(),
            a.reference.clone(),
            a.name.clone(),
            lines(a.controllers.iter().map(|c| c.name.clone())),
            lines(a.controllers.iter().map(|c| {
                let mut text = contact(&c.name, &[&c.contact, &c.address]);
                if !c.detail.is_empty() {
                    text.push_str(&format!("; representative (Art. 27): {}", c.detail));
                }
                text
            })),
            lines(
                a.controllers
                    .iter()
                    .map(|c| format!("{}: {}", c.name, c.text)),
            ),
            if a.transfers.is_empty() {
                none_or_missing(a.no_transfers)
            } else {
                lines(
                    a.transfers
                        .iter()
                        .map(|t| format!("{}: {}", t.destination(), t.mechanism_text())),
                )
            },
            lines(
                a.transfers
                    .iter()
                    .filter(|t| !t.documentation().is_empty())
                    .map(|t| format!("{}: {}", t.destination(), t.documentation())),
            ),
            a.security_description.clone(),
            lines(a.measures.iter().map(|m| m.label.clone())),
            lines(
                a.recipients
                    .iter()
                    .filter(|r| {
                        matches!(r.kind, Some(PartyKind::SubProcessor | PartyKind::Processor))
                    })
                    .map(|r| {
                        contact(
                            &r.name,
                            &[
                                r.country.map(|c| c.name()).unwrap_or_default(),
                                &r.contract_reference,
                            ],
                        )
                    }),
            ),
            a.status.label().to_owned(),
            date(a.last_reviewed),
            date(a.next_review),
            stamp(a.created_at),
            stamp(a.updated_at),
            findings_cell(&self.checks, a),
        ];
        self.row(&cells)
    }

    /// Flushes and hands back the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        self.inner
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))
    }

    /// Flushes what was written so far (for streaming).
    pub fn flush(&mut self) -> Result<(), ExportError> {
        self.inner.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        for bad in ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Plain, \"quoted\""), "Plain, \"quoted\"");
    }

    #[test]
    fn the_controller_header_has_the_ico_columns_in_order() {
        let h = controller_header();
        assert_eq!(h.len(), 36);
        assert_eq!(h[4], "Business function");
        assert_eq!(h[28], "Link to record of personal data breach");
        assert_eq!(h[29], "Status");
        assert_eq!(h[35], "Open findings");
    }
}
