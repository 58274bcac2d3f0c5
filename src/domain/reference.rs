//! The project's embedded copy of the reference vocabularies (`vocabularies.json`) and the
//! Commission's adequacy decisions read from it (Art. 45(3)).
//!
//! Uses nothing else of the domain: `vocab` (countries) and `catalogue` (seed data) read it.

use std::sync::LazyLock;

use serde::Deserialize;

/// The reference vocabularies, embedded at build time.
pub const VOCABULARIES: &str = include_str!("vocabularies.json");

/// An adequacy decision of the Commission: Art. 45(3), or Art. 45(9) for the decisions taken
/// under Directive 95/46/EC and kept in force.
#[derive(Debug, Clone, Deserialize)]
pub struct Adequacy {
    /// Stable code (`united_states`, `european_patent_organisation`).
    pub code: String,
    /// ISO code, absent for an international organisation.
    pub iso2: Option<String>,
    /// Name of the country or organisation.
    pub name: String,
    /// `full` or `partial`.
    pub scope: String,
    /// The decision.
    pub decision: String,
    /// Date of the decision (ISO 8601).
    pub decision_date: String,
    /// Limits of the decision (its scope, for a partial one).
    #[serde(default)]
    pub note: String,
    /// The article it rests on, as the vocabularies word it.
    pub article: String,
    /// When it ends, if it has an end date (ISO 8601).
    #[serde(default)]
    pub expires: Option<String>,
    /// `country_or_territory` or `international_organisation`.
    pub kind: String,
}

/// What a transfer relying on a partial decision must record to show the recipient is inside
/// its scope (Art. 45; gdpr-ropa-fields.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeEvidence {
    /// The recipient's active self-certification under the EU-US Data Privacy Framework and
    /// the date it was checked on the DPF List, recorded on the party.
    DpfCertification,
    /// A statement on the transfer that the recipient is inside the decision's scope.
    RecipientInScope,
}

impl Adequacy {
    /// The article the decision rests on: "Art. 45(3)" or "Art. 45(9)".
    pub fn legal_basis(&self) -> &str {
        self.article
            .split_once(" (")
            .map_or(self.article.as_str(), |(a, _)| a)
    }

    /// Whether the decision covers only some recipients or processing.
    pub fn is_partial(&self) -> bool {
        self.scope == "partial"
    }

    /// What a transfer under this decision must record, for a partial decision.
    pub fn scope_evidence(&self) -> Option<ScopeEvidence> {
        if !self.is_partial() {
            None
        } else if self.iso2.as_deref() == Some("US") {
            Some(ScopeEvidence::DpfCertification)
        } else {
            Some(ScopeEvidence::RecipientInScope)
        }
    }

    /// The decision cited in full: "Commission Implementing Decision (EU) 2023/1795 of
    /// 2023-07-10 (Art. 45(3); partial)", with its end date where it has one.
    pub fn citation(&self) -> String {
        let mut text = format!(
            "{} of {} ({}; {}",
            self.decision,
            self.decision_date,
            self.legal_basis(),
            if self.is_partial() { "partial" } else { "full" }
        );
        if let Some(expires) = &self.expires {
            text.push_str(&format!("; until {expires}"));
        }
        text.push(')');
        text
    }
}

#[derive(Deserialize)]
struct RawReference {
    adequacy: Vec<Adequacy>,
    adequacy_as_of: String,
    eea_territories_iso2: Vec<String>,
}

static REFERENCE: LazyLock<RawReference> = LazyLock::new(|| {
    // A broken file is reported at start by `catalogue::check`, which parses the same text.
    serde_json::from_str::<RawReference>(VOCABULARIES).unwrap_or(RawReference {
        adequacy: Vec::new(),
        adequacy_as_of: String::new(),
        eea_territories_iso2: Vec::new(),
    })
});

/// Every adequacy decision of the vocabularies, in their order.
pub fn adequacy_decisions() -> &'static [Adequacy] {
    &REFERENCE.adequacy
}

/// The adequacy decision for the country with this ISO 3166-1 alpha-2 code, if there is one.
pub fn adequacy_for(iso2: &str) -> Option<&'static Adequacy> {
    adequacy_decisions()
        .iter()
        .find(|a| a.iso2.as_deref() == Some(iso2))
}

/// The adequacy decision for an international organisation, by its name as the decision
/// gives it (compared without regard to case); only those with a decision have one.
pub fn adequacy_for_organisation(name: &str) -> Option<&'static Adequacy> {
    adequacy_decisions().iter().find(|a| {
        a.kind == "international_organisation" && a.name.eq_ignore_ascii_case(name.trim())
    })
}

/// The date up to which the list of adequacy decisions was checked (ISO 8601).
pub fn adequacy_as_of() -> &'static str {
    let raw = REFERENCE.adequacy_as_of.as_str();
    raw.get(..10).unwrap_or(raw)
}

/// EU territory with its own ISO 3166-1 code (the outermost regions and Aland): the GDPR
/// applies there in full, so sending data there is not a Chapter V transfer.
pub fn eu_territories() -> &'static [String] {
    &REFERENCE.eea_territories_iso2
}
