//! Which mandatory Art. 30 elements an activity still lacks.
//!
//! Uses `domain::vocab`.

use super::reference::ScopeEvidence;
use super::vocab::{Country, Role, TransferMechanism};

/// Counts about one activity, enough to decide what is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Controller or processor.
    pub role: Option<Role>,
    /// Number of purposes.
    pub purposes: usize,
    /// Number of data-subject categories.
    pub subjects: usize,
    /// Number of personal-data categories.
    pub data_categories: usize,
    /// Number of those categories that have a retention rule.
    pub categories_with_retention: usize,
    /// Number of recipients.
    pub recipients: usize,
    /// Number of catalogue security measures.
    pub measures: usize,
    /// Whether the free-text security description is filled.
    pub security_description: bool,
    /// Whether Art. 9 data are processed.
    pub special_data: bool,
    /// Number of Art. 9(2) conditions.
    pub special_conditions: usize,
    /// Whether Art. 10 data are processed.
    pub criminal_data: bool,
    /// Whether an Art. 10 basis is recorded.
    pub criminal_basis: bool,
    /// Number of controllers acted for (processor activities).
    pub controllers: usize,
    /// "No recipients" declared.
    pub no_recipients: bool,
    /// Number of transfers.
    pub transfers: usize,
    /// "No transfers" declared.
    pub no_transfers: bool,
    /// Number of transfers relying on a partial adequacy decision without the evidence that
    /// the recipient is inside its scope.
    pub transfers_without_scope_evidence: usize,
    /// Whether an Art. 9(2) condition that rests on Union or Member State law is relied on.
    pub special_condition_needs_law: bool,
    /// Whether that law is named.
    pub special_law_named: bool,
    /// Whether solely automated decisions are taken (Art. 22(1)).
    pub solely_automated: bool,
    /// Whether the Art. 22(2) exception, the logic involved and the safeguards are all recorded.
    pub automated_documented: bool,
}

/// Whether solely automated decisions are documented as Art. 22(2)-(3) needs: the exception
/// relied on, the logic involved and the safeguards.
pub fn automated_documented(exception: bool, logic: &str, safeguards: &str) -> bool {
    exception && !logic.is_empty() && !safeguards.is_empty()
}

/// Whether a transfer shows what its mechanism needs: under a partial adequacy decision, the
/// evidence that the recipient is inside the decision's scope (Art. 45; for the US, the
/// recipient's Data Privacy Framework certification and the date it was checked, recorded on
/// the party; for Canada, Israel, Japan and Korea, the statement on the transfer).
pub fn transfer_evidenced(
    country: Option<Country>,
    mechanism: TransferMechanism,
    scope_confirmed: bool,
    recipient_dpf_certified: bool,
) -> bool {
    let Some(decision) = country.and_then(|c| c.adequacy()) else {
        return true;
    };
    if mechanism != TransferMechanism::AdequacyDecision {
        return true;
    }
    match decision.scope_evidence() {
        None => true,
        Some(ScopeEvidence::DpfCertification) => recipient_dpf_certified,
        Some(ScopeEvidence::RecipientInScope) => scope_confirmed,
    }
}

/// A mandatory element of the record that is not yet filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Art. 30(1)(b).
    Purposes,
    /// Art. 30(1)(c), data subjects.
    Subjects,
    /// Art. 30(1)(c), personal data.
    DataCategories,
    /// Art. 30(1)(d).
    Recipients,
    /// Art. 30(1)(f).
    Retention,
    /// Art. 30(1)(g) / 30(2)(d).
    Security,
    /// Art. 9(2) condition for special-category data.
    SpecialCondition,
    /// Art. 10 basis for criminal-offence data.
    CriminalBasis,
    /// Art. 30(2)(a), (b).
    Controllers,
    /// Art. 30(1)(e) / 30(2)(c): transfers neither listed nor declared none.
    Transfers,
    /// Art. 45: a transfer under a partial adequacy decision without evidence of scope.
    TransferScope,
    /// Art. 9(2)(b), (g)-(j): the Union or Member State law is not named.
    SpecialLaw,
    /// Art. 22(2)-(3): the exception, logic or safeguards of solely automated decisions.
    AutomatedDecisions,
}

impl Gap {
    /// Every gap, in the order of Art. 30.
    pub const ALL: [Gap; 13] = [
        Gap::Purposes,
        Gap::Subjects,
        Gap::DataCategories,
        Gap::Recipients,
        Gap::Transfers,
        Gap::TransferScope,
        Gap::Retention,
        Gap::Controllers,
        Gap::Security,
        Gap::SpecialCondition,
        Gap::SpecialLaw,
        Gap::CriminalBasis,
        Gap::AutomatedDecisions,
    ];

    /// Stable code, as stored with each activity.
    pub fn code(self) -> &'static str {
        match self {
            Gap::Purposes => "purposes",
            Gap::Subjects => "subjects",
            Gap::DataCategories => "data_categories",
            Gap::Recipients => "recipients",
            Gap::Retention => "retention",
            Gap::Security => "security",
            Gap::SpecialCondition => "special_condition",
            Gap::CriminalBasis => "criminal_basis",
            Gap::Controllers => "controllers",
            Gap::Transfers => "transfers",
            Gap::TransferScope => "transfer_scope",
            Gap::SpecialLaw => "special_law",
            Gap::AutomatedDecisions => "automated_decisions",
        }
    }

    /// The gap of a stored code.
    pub fn from_code(code: &str) -> Option<Gap> {
        Gap::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Gaps as stored: their codes joined by commas, empty when complete.
    pub fn encode(gaps: &[Gap]) -> String {
        gaps.iter().map(|g| g.code()).collect::<Vec<_>>().join(",")
    }

    /// Stored gaps read back; `None` if a code is unknown.
    pub fn decode(stored: &str) -> Option<Vec<Gap>> {
        stored
            .split(',')
            .filter(|c| !c.is_empty())
            .map(Gap::from_code)
            .collect()
    }

    /// Short label for a badge.
    pub fn label(self) -> &'static str {
        match self {
            Gap::Purposes => "purposes",
            Gap::Subjects => "data subjects",
            Gap::DataCategories => "personal data",
            Gap::Recipients => "recipients",
            Gap::Retention => "retention",
            Gap::Security => "security measures",
            Gap::SpecialCondition => "Art. 9 condition",
            Gap::CriminalBasis => "Art. 10 basis",
            Gap::Controllers => "controllers acted for",
            Gap::Transfers => "transfers",
            Gap::TransferScope => "adequacy scope",
            Gap::SpecialLaw => "Art. 9 law",
            Gap::AutomatedDecisions => "Art. 22 safeguards",
        }
    }

    /// The article that requires it.
    pub fn article(self) -> &'static str {
        match self {
            Gap::Purposes => "Art. 30(1)(b)",
            Gap::Subjects | Gap::DataCategories => "Art. 30(1)(c)",
            Gap::Recipients => "Art. 30(1)(d)",
            Gap::Retention => "Art. 30(1)(f)",
            Gap::Security => "Art. 30(1)(g) / 30(2)(d)",
            Gap::SpecialCondition => "Art. 9(2)",
            Gap::CriminalBasis => "Art. 10",
            Gap::Controllers => "Art. 30(2)(a)-(b)",
            Gap::Transfers => "Art. 30(1)(e) / 30(2)(c)",
            Gap::TransferScope => "Art. 45",
            Gap::SpecialLaw => "Art. 9(2)(b), (g)-(j)",
            Gap::AutomatedDecisions => "Art. 22(2)-(3)",
        }
    }

    /// The article that requires it in the record of `role`: Art. 30(1) for a controller's,
    /// 30(2) for a processor's, where the point differs.
    pub fn article_for(self, role: Role) -> &'static str {
        match (self, role) {
            (Gap::Security, Role::Controller) => "Art. 30(1)(g)",
            (Gap::Security, Role::Processor) => "Art. 30(2)(d)",
            (Gap::Transfers, Role::Controller) => "Art. 30(1)(e)",
            (Gap::Transfers, Role::Processor) => "Art. 30(2)(c)",
            (gap, _) => gap.article(),
        }
    }

    /// What to do about it, in one sentence.
    pub fn advice(self) -> &'static str {
        match self {
            Gap::Purposes => "Record the purposes of the processing.",
            Gap::Subjects => "Record the categories of data subjects.",
            Gap::DataCategories => "Record the categories of personal data.",
            Gap::Recipients => "List the recipients, or declare that there are none.",
            Gap::Transfers => "List the transfers outside the EEA, or declare that there are none.",
            Gap::TransferScope => "A transfer relies on a partial adequacy decision: record why the recipient is inside its scope (for the US, the recipient's Data Privacy Framework certification and the date it was checked).",
            Gap::Retention => "Give a retention period or criterion for every category of personal data.",
            Gap::Controllers => "Name the controllers on whose behalf the processing is carried out.",
            Gap::Security => "Describe the technical and organisational security measures.",
            Gap::SpecialCondition => "Choose the Art. 9(2) condition for the special-category data.",
            Gap::SpecialLaw => "Name the Union or Member State law the Art. 9(2) condition rests on.",
            Gap::CriminalBasis => "Choose the Art. 10 basis for the criminal-offence data.",
            Gap::AutomatedDecisions => "Record the Art. 22(2) exception, the logic involved and the safeguards of the automated decisions.",
        }
    }
}

/// The mandatory elements still missing, in the order of Art. 30.
pub fn gaps(f: &Facts) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let security = f.measures > 0 || f.security_description;
    match f.role {
        Some(Role::Processor) => {
            if f.controllers == 0 {
                gaps.push(Gap::Controllers);
            }
        }
        _ => {
            if f.purposes == 0 {
                gaps.push(Gap::Purposes);
            }
            if f.subjects == 0 {
                gaps.push(Gap::Subjects);
            }
            if f.data_categories == 0 {
                gaps.push(Gap::DataCategories);
            }
            if f.recipients == 0 && !f.no_recipients {
                gaps.push(Gap::Recipients);
            }
            if f.data_categories == 0 || f.categories_with_retention < f.data_categories {
                gaps.push(Gap::Retention);
            }
        }
    }
    if f.transfers == 0 && !f.no_transfers {
        gaps.push(Gap::Transfers);
    }
    if f.transfers_without_scope_evidence > 0 {
        gaps.push(Gap::TransferScope);
    }
    if !security {
        gaps.push(Gap::Security);
    }
    if f.special_data && f.special_conditions == 0 {
        gaps.push(Gap::SpecialCondition);
    }
    if f.special_condition_needs_law && !f.special_law_named {
        gaps.push(Gap::SpecialLaw);
    }
    if f.criminal_data && !f.criminal_basis {
        gaps.push(Gap::CriminalBasis);
    }
    if f.solely_automated && !f.automated_documented {
        gaps.push(Gap::AutomatedDecisions);
    }
    gaps.sort_by_key(|g| Gap::ALL.iter().position(|x| x == g));
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_gaps_read_back_as_written() {
        for n in 0..=Gap::ALL.len() {
            let gaps = &Gap::ALL[..n];
            assert_eq!(Gap::decode(&Gap::encode(gaps)).as_deref(), Some(gaps));
        }
        assert_eq!(Gap::decode("purposes,unknown"), None);
    }

    #[test]
    fn an_empty_controller_activity_lacks_every_element() {
        let g = gaps(&Facts {
            role: Some(Role::Controller),
            ..Default::default()
        });
        assert_eq!(
            g,
            vec![
                Gap::Purposes,
                Gap::Subjects,
                Gap::DataCategories,
                Gap::Recipients,
                Gap::Transfers,
                Gap::Retention,
                Gap::Security
            ]
        );
    }

    #[test]
    fn retention_is_needed_for_every_category() {
        let base = Facts {
            role: Some(Role::Controller),
            purposes: 1,
            subjects: 1,
            data_categories: 2,
            categories_with_retention: 1,
            recipients: 1,
            measures: 1,
            no_transfers: true,
            ..Default::default()
        };
        assert_eq!(gaps(&base), vec![Gap::Retention]);
        assert!(gaps(&Facts {
            categories_with_retention: 2,
            ..base
        })
        .is_empty());
    }

    #[test]
    fn a_processor_activity_needs_its_controllers_and_security() {
        let g = gaps(&Facts {
            role: Some(Role::Processor),
            ..Default::default()
        });
        assert_eq!(g, vec![Gap::Transfers, Gap::Controllers, Gap::Security]);
    }

    #[test]
    fn none_declared_is_complete_and_none_recorded_is_a_gap() {
        let base = Facts {
            role: Some(Role::Controller),
            purposes: 1,
            subjects: 1,
            data_categories: 1,
            categories_with_retention: 1,
            measures: 1,
            ..Default::default()
        };
        assert_eq!(gaps(&base), vec![Gap::Recipients, Gap::Transfers]);
        let declared = Facts {
            no_recipients: true,
            no_transfers: true,
            ..base
        };
        assert!(gaps(&declared).is_empty());
        let listed = Facts {
            recipients: 2,
            transfers: 1,
            ..base
        };
        assert!(gaps(&listed).is_empty());
    }

    #[test]
    fn art_9_law_art_22_safeguards_and_adequacy_scope_are_gaps_until_recorded() {
        let complete = Facts {
            role: Some(Role::Controller),
            purposes: 1,
            subjects: 1,
            data_categories: 1,
            categories_with_retention: 1,
            measures: 1,
            no_recipients: true,
            transfers: 1,
            ..Default::default()
        };
        let f = Facts {
            special_condition_needs_law: true,
            solely_automated: true,
            transfers_without_scope_evidence: 1,
            ..complete
        };
        assert_eq!(
            gaps(&f),
            vec![Gap::TransferScope, Gap::SpecialLaw, Gap::AutomatedDecisions]
        );
        let f = Facts {
            special_law_named: true,
            automated_documented: true,
            transfers_without_scope_evidence: 0,
            ..f
        };
        assert!(gaps(&f).is_empty());
    }

    #[test]
    fn partial_adequacy_needs_its_evidence_and_full_adequacy_does_not() {
        let us = Country::parse("US");
        let ca = Country::parse("CA");
        let ch = Country::parse("CH");
        let adequacy = TransferMechanism::AdequacyDecision;
        let scc = TransferMechanism::SccModule2;
        // The US decision covers only certified organisations: the party's certification.
        assert!(!transfer_evidenced(us, adequacy, true, false));
        assert!(transfer_evidenced(us, adequacy, false, true));
        // Canada: a statement that the recipient is subject to PIPEDA, on the transfer.
        assert!(!transfer_evidenced(ca, adequacy, false, true));
        assert!(transfer_evidenced(ca, adequacy, true, false));
        for iso in ["IL", "JP", "KR"] {
            let c = Country::parse(iso);
            assert!(!transfer_evidenced(c, adequacy, false, false), "{iso}");
            assert!(transfer_evidenced(c, adequacy, true, false), "{iso}");
        }
        // Full decisions and other mechanisms need nothing more.
        assert!(transfer_evidenced(ch, adequacy, false, false));
        assert!(transfer_evidenced(us, scc, false, false));
    }
}
