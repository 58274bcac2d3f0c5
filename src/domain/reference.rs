//! The project's embedded copy of the reference vocabularies (`vocabularies.json`) and the
//! Commission's adequacy decisions read from it (Art. 45(3)).
//!
//! Uses nothing else of the domain: `vocab` (countries) and `catalogue` (seed data) read it.

use std::sync::LazyLock;

use serde::Deserialize;

/// The reference vocabularies, embedded at build time.
pub const VOCABULARIES: &str = include_str!("vocabularies.json");

/// An adequacy decision of the Commission (Art. 45(3)).
#[derive(Debug, Clone, Deserialize)]
pub struct Adequacy {
    /// ISO code, absent for an international organisation.
    pub iso2: Option<String>,
    /// Name of the country or organisation.
    pub name: String,
    /// `full` or `partial`.
    pub scope: String,
    /// The decision.
    pub decision: String,
    /// Date of the decision.
    pub decision_date: String,
    /// Limits of the decision.
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize)]
struct RawAdequacy {
    adequacy: Vec<Adequacy>,
}

static ADEQUACY: LazyLock<Vec<Adequacy>> = LazyLock::new(|| {
    // A broken file is reported at start by `catalogue::check`, which parses the same text.
    serde_json::from_str::<RawAdequacy>(VOCABULARIES)
        .map(|raw| raw.adequacy)
        .unwrap_or_default()
});

/// Every adequacy decision of the vocabularies, in their order.
pub fn adequacy_decisions() -> &'static [Adequacy] {
    &ADEQUACY
}

/// The adequacy decision for the country with this ISO 3166-1 alpha-2 code, if there is one.
pub fn adequacy_for(iso2: &str) -> Option<&'static Adequacy> {
    adequacy_decisions()
        .iter()
        .find(|a| a.iso2.as_deref() == Some(iso2))
}
