//! The detail read model: a whole activity with everything it refers to, as the activity
//! page and the exports show it, and its entry in the register document.
//!
//! Plain values; uses the domain only.
//!
//! Uses `domain::{activity, completeness, document, vocab}`.

use crate::domain::dpia::DpiaScreening;
use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::activity::{
    ActivityForm, ControllerRow, JointControllerRow, PurposeRow, RecipientRow, RetentionRow,
    TransferRow,
};
use crate::domain::completeness::{automated_documented, gaps, transfer_evidenced, Facts, Gap};
use crate::domain::document::{
    ActivityDoc, ControllerDoc, JointControllerDoc, PurposeDoc, RecipientDoc, RetentionDoc,
    TransferDoc,
};
use crate::domain::reference::{adequacy_for_organisation, Adequacy, ScopeEvidence};
use crate::domain::rights::{merge, rights_of_purpose, ActivityRight, Entitlement, PurposeFacts};
use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, DpiaRequired,
    DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind, PartyKind, RetentionUnit, Role,
    Sensitivity, SpecialCondition, Status, TransferMechanism,
};

/// What every export writes where a value is not recorded yet.
pub const NOT_RECORDED: &str = "not recorded";

/// The text, or [`NOT_RECORDED`] when it is empty.
pub fn or_missing(text: &str) -> &str {
    if text.is_empty() {
        NOT_RECORDED
    } else {
        text
    }
}

/// A catalogue entry as shown on an activity.
#[derive(Debug, Clone)]
pub struct EntryRef {
    /// Id.
    pub id: i64,
    /// Label.
    pub label: String,
    /// Sensitivity (personal-data categories).
    pub sensitivity: Sensitivity,
    /// Vulnerable (data subjects).
    pub vulnerable: bool,
    /// Kind (measures).
    pub kind: Option<MeasureKind>,
    /// Family (measures).
    pub family: Option<MeasureFamily>,
}

/// A purpose as shown.
#[derive(Debug, Clone)]
pub struct PurposeView {
    /// What for.
    pub description: String,
    /// Lawful bases.
    pub bases: Vec<LawfulBasis>,
    /// Interest pursued.
    pub legitimate_interest: String,
    /// Balancing test reference.
    pub balancing_test_ref: String,
    /// The purpose is direct marketing.
    pub direct_marketing: bool,
    /// Carried out by automated means.
    pub automated_means: bool,
}

/// A party linked from an activity (joint controller, controller acted for, recipient).
#[derive(Debug, Clone)]
pub struct PartyLink {
    /// Party id.
    pub party_id: i64,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: Option<PartyKind>,
    /// Country.
    pub country: Option<Country>,
    /// Contact.
    pub contact: String,
    /// Address.
    pub address: String,
    /// Art. 28 contract reference of the party.
    pub contract_reference: String,
    /// First text of the link (responsibilities, processing categories, data received).
    pub text: String,
    /// Second text of the link (reason for a recipient, representative of a controller acted
    /// for).
    pub detail: String,
}

/// A transfer as shown.
#[derive(Debug, Clone)]
pub struct TransferView {
    /// Third country.
    pub country: Option<Country>,
    /// International organisation.
    pub organisation: String,
    /// Recipient party.
    pub party_id: Option<i64>,
    /// Its name.
    pub party_name: String,
    /// Mechanism.
    pub mechanism: TransferMechanism,
    /// Safeguards documentation.
    pub safeguards: String,
    /// The recipient is inside the scope of a partial adequacy decision (stated on the transfer).
    pub scope_confirmed: bool,
    /// The recipient party's Data Privacy Framework certification was checked on this date.
    pub dpf_checked_on: Option<NaiveDate>,
    /// Reference of the transfer impact assessment.
    pub tia_reference: String,
}

impl TransferView {
    /// The documentation of the safeguards as the record gives it: the safeguards, then the
    /// transfer impact assessment's reference.
    pub fn documentation(&self) -> String {
        match (self.safeguards.is_empty(), self.tia_reference.is_empty()) {
            (_, true) => self.safeguards.clone(),
            (true, false) => format!("Transfer impact assessment: {}", self.tia_reference),
            (false, false) => format!(
                "{}\nTransfer impact assessment: {}",
                self.safeguards, self.tia_reference
            ),
        }
    }

    /// The destination in words.
    pub fn destination(&self) -> String {
        match self.country {
            Some(c) => c.to_string(),
            None => format!("{} (international organisation)", self.organisation),
        }
    }

    /// The adequacy decision relied on, when the mechanism is adequacy.
    pub fn adequacy(&self) -> Option<&'static Adequacy> {
        if self.mechanism != TransferMechanism::AdequacyDecision {
            return None;
        }
        match self.country {
            Some(c) => c.adequacy(),
            None => adequacy_for_organisation(&self.organisation),
        }
    }

    /// The mechanism in words with its article; an adequacy decision is cited in full.
    pub fn mechanism_text(&self) -> String {
        match self.adequacy() {
            Some(decision) => format!("Adequacy: {}", decision.citation()),
            None => format!("{} ({})", self.mechanism.label(), self.mechanism.article()),
        }
    }

    /// Whether the transfer shows what its mechanism needs (see `transfer_evidenced`).
    pub fn evidenced(&self) -> bool {
        transfer_evidenced(
            self.country,
            self.mechanism,
            self.scope_confirmed,
            self.dpf_checked_on.is_some(),
        )
    }

    /// The evidence that the recipient is inside a partial decision's scope, in words; empty
    /// when the decision is full or the mechanism is not adequacy.
    pub fn scope_evidence_text(&self) -> String {
        match self.adequacy().and_then(|a| a.scope_evidence()) {
            None => String::new(),
            Some(ScopeEvidence::DpfCertification) => match self.dpf_checked_on {
                Some(d) => format!(
                    "Recipient certified under the EU-US Data Privacy Framework (checked {d})"
                ),
                None => "Recipient's Data Privacy Framework certification not recorded".into(),
            },
            Some(ScopeEvidence::RecipientInScope) if self.scope_confirmed => {
                "Recipient inside the decision's scope".into()
            }
            Some(ScopeEvidence::RecipientInScope) => {
                "Not recorded that the recipient is inside the decision's scope".into()
            }
        }
    }
}

/// A retention rule as shown.
#[derive(Debug, Clone)]
pub struct RetentionView {
    /// Ids of the categories it covers, in the order chosen.
    pub data_category_ids: Vec<i64>,
    /// Their labels, joined by "; ".
    pub category: String,
    /// Period value.
    pub period_value: Option<i32>,
    /// Period unit.
    pub period_unit: Option<RetentionUnit>,
    /// Criterion.
    pub criterion: String,
    /// Start event.
    pub start_event: String,
    /// Legal reference.
    pub legal_reference: String,
}

impl RetentionView {
    /// The period in words: "6 years from end of contract", or the criterion.
    pub fn period(&self) -> String {
        let mut text = match (self.period_value, self.period_unit) {
            (Some(v), Some(u)) => u.with_value(v),
            _ => self.criterion.clone(),
        };
        if !self.start_event.is_empty() {
            text.push_str(" from ");
            text.push_str(&self.start_event);
        }
        if self.period_value.is_some() && !self.criterion.is_empty() {
            text.push_str("; ");
            text.push_str(&self.criterion);
        }
        text
    }
}

/// A whole activity with everything it refers to, for the activity page and exports.
#[derive(Debug, Clone)]
pub struct ActivityDetail {
    /// Id.
    pub id: i64,
    /// Organisation id.
    pub organisation_id: i64,
    /// Organisation name.
    pub organisation_name: String,
    /// Role.
    pub role: Role,
    /// Reference.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Business function.
    pub business_function: String,
    /// Owner.
    pub owner: String,
    /// Status.
    pub status: Status,
    /// Why it was retired (given when it was; empty otherwise).
    pub retirement_reason: String,
    /// Art. 9(2) conditions.
    pub special_conditions: Vec<SpecialCondition>,
    /// Law relied on with them.
    pub special_legal_reference: String,
    /// Art. 10 basis.
    pub criminal_basis: Option<CriminalBasis>,
    /// Law relied on under Art. 10.
    pub criminal_legal_reference: String,
    /// Source.
    pub data_source: String,
    /// Systems.
    pub systems: String,
    /// Location.
    pub data_location: String,
    /// Automated processing (Art. 22).
    pub automated_processing: AutomatedProcessing,
    /// Its description.
    pub automated_decision_description: String,
    /// The Art. 22(2) exception.
    pub automated_exception: Option<AutomatedDecisionException>,
    /// The logic involved.
    pub automated_logic: String,
    /// The safeguards (Art. 22(3)).
    pub automated_safeguards: String,
    /// DPIA completed on.
    pub dpia_completed_on: Option<NaiveDate>,
    /// No recipients, declared.
    pub no_recipients: bool,
    /// No transfers, declared.
    pub no_transfers: bool,
    /// DPIA required.
    pub dpia_required: DpiaRequired,
    /// DPIA progress.
    pub dpia_status: DpiaStatus,
    /// DPIA reference.
    pub dpia_reference: String,
    /// The DPIA screening's answers.
    pub dpia_screening: DpiaScreening,
    /// Why no DPIA is carried out although the screening points to one.
    pub dpia_not_required_reason: String,
    /// Privacy notice.
    pub privacy_notice_ref: String,
    /// Consent record.
    pub consent_record_ref: String,
    /// Processor contract.
    pub processor_contract_ref: String,
    /// Retention policy.
    pub retention_policy_ref: String,
    /// Breach occurred.
    pub breach_occurred: bool,
    /// Breach record.
    pub breach_record_ref: String,
    /// Security description.
    pub security_description: String,
    /// Last reviewed.
    pub last_reviewed: Option<NaiveDate>,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Version.
    pub version: i64,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Updated.
    pub updated_at: NaiveDateTime,
    /// Data-subject categories.
    pub subjects: Vec<EntryRef>,
    /// Personal-data categories.
    pub data_categories: Vec<EntryRef>,
    /// Security measures.
    pub measures: Vec<EntryRef>,
    /// Purposes.
    pub purposes: Vec<PurposeView>,
    /// Joint controllers.
    pub joint_controllers: Vec<PartyLink>,
    /// Controllers acted for.
    pub controllers: Vec<PartyLink>,
    /// Recipients.
    pub recipients: Vec<PartyLink>,
    /// Transfers.
    pub transfers: Vec<TransferView>,
    /// Retention rules.
    pub retention: Vec<RetentionView>,
}

impl ActivityDetail {
    /// The counts that decide completeness.
    pub fn facts(&self) -> Facts {
        let covered: std::collections::BTreeSet<i64> = self
            .retention
            .iter()
            .flat_map(|r| r.data_category_ids.iter().copied())
            .collect();
        Facts {
            role: Some(self.role),
            purposes: self.purposes.len(),
            subjects: self.subjects.len(),
            data_categories: self.data_categories.len(),
            categories_with_retention: self
                .data_categories
                .iter()
                .filter(|c| covered.contains(&c.id))
                .count(),
            recipients: self.recipients.len(),
            measures: self.measures.len(),
            security_description: !self.security_description.is_empty(),
            special_data: self
                .data_categories
                .iter()
                .any(|c| c.sensitivity == Sensitivity::SpecialCategory),
            special_conditions: self.special_conditions.len(),
            criminal_data: self
                .data_categories
                .iter()
                .any(|c| c.sensitivity == Sensitivity::CriminalOffence),
            criminal_basis: self.criminal_basis.is_some(),
            controllers: self.controllers.len(),
            no_recipients: self.no_recipients,
            transfers: self.transfers.len(),
            no_transfers: self.no_transfers,
            transfers_without_scope_evidence: self
                .transfers
                .iter()
                .filter(|t| !t.evidenced())
                .count(),
            special_condition_needs_law: self
                .special_conditions
                .iter()
                .any(|c| c.needs_basis_in_law()),
            special_law_named: !self.special_legal_reference.is_empty(),
            solely_automated: self.automated_processing
                == AutomatedProcessing::SolelyAutomatedDecisions,
            automated_documented: automated_documented(
                self.automated_exception.is_some(),
                &self.automated_logic,
                &self.automated_safeguards,
            ),
        }
    }

    /// The rights of each purpose, in the order of the purposes; none for a processor
    /// activity, whose controller answers them (Art. 28(3)(e)).
    pub fn rights_per_purpose(&self) -> Vec<Vec<Entitlement>> {
        if self.role == Role::Processor {
            return Vec::new();
        }
        self.purposes
            .iter()
            .map(|p| {
                rights_of_purpose(&PurposeFacts {
                    bases: &p.bases,
                    special_conditions: &self.special_conditions,
                    direct_marketing: p.direct_marketing,
                    automated_means: p.automated_means,
                    automated: self.automated_processing,
                })
            })
            .collect()
    }

    /// The automated processing in full (ICO column 17): the case, the description and, for
    /// solely automated decisions, the Art. 22(2) exception, the logic and the safeguards.
    pub fn automated_text(&self) -> String {
        let mut parts = vec![format!(
            "{} ({})",
            self.automated_processing.label(),
            self.automated_processing.article()
        )];
        if !self.automated_decision_description.is_empty() {
            parts.push(self.automated_decision_description.clone());
        }
        if self.automated_processing == AutomatedProcessing::SolelyAutomatedDecisions {
            parts.push(match self.automated_exception {
                Some(e) => format!("Exception: {} ({})", e.label(), e.article()),
                None => "Exception (Art. 22(2)): not recorded".into(),
            });
            parts.push(format!(
                "Logic involved: {}",
                or_missing(&self.automated_logic)
            ));
            parts.push(format!(
                "Safeguards (Art. 22(3)): {}",
                or_missing(&self.automated_safeguards)
            ));
        }
        parts.join("\n")
    }

    /// The DPIA's progress in words, with its completion date (ICO column 22).
    pub fn dpia_progress_text(&self) -> String {
        match self.dpia_completed_on {
            Some(d) => format!("{}, completed on {d}", self.dpia_status.label()),
            None => self.dpia_status.label().to_owned(),
        }
    }

    /// The Art. 28 contracts with the processors among the recipients, and the activity's own
    /// contract reference (ICO column 7).
    pub fn processor_contracts(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .recipients
            .iter()
            .filter(|r| r.kind.is_some_and(|k| k.has_processing_contract()))
            .map(|r| format!("{}: {}", r.name, or_missing(&r.contract_reference)))
            .collect();
        if !self.processor_contract_ref.is_empty() {
            out.push(self.processor_contract_ref.clone());
        }
        out
    }

    /// The rights of the activity, each with the purposes it applies to.
    pub fn rights(&self) -> Vec<ActivityRight> {
        merge(&self.rights_per_purpose())
    }

    /// Mandatory elements still missing.
    pub fn gaps(&self) -> Vec<Gap> {
        gaps(&self.facts())
    }

    /// Every lawful basis of every purpose, without repeats.
    pub fn lawful_bases(&self) -> Vec<LawfulBasis> {
        let mut all: Vec<LawfulBasis> = self
            .purposes
            .iter()
            .flat_map(|p| p.bases.iter().copied())
            .collect();
        let mut seen = Vec::new();
        all.retain(|b| {
            let first = !seen.contains(b);
            seen.push(*b);
            first
        });
        all
    }

    /// The values as an edit form (also the start of a clone).
    pub fn to_form(&self) -> ActivityForm {
        ActivityForm {
            organisation_id: self.organisation_id.to_string(),
            role: self.role.code().into(),
            reference: self.reference.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            business_function: self.business_function.clone(),
            owner: self.owner.clone(),
            status: self.status.code().into(),
            special_conditions: self
                .special_conditions
                .iter()
                .map(|c| c.code().into())
                .collect(),
            special_legal_reference: self.special_legal_reference.clone(),
            criminal_basis: self
                .criminal_basis
                .map(|c| c.code().into())
                .unwrap_or_default(),
            criminal_legal_reference: self.criminal_legal_reference.clone(),
            data_source: self.data_source.clone(),
            systems: self.systems.clone(),
            data_location: self.data_location.clone(),
            automated_processing: self.automated_processing.code().into(),
            automated_decision_description: self.automated_decision_description.clone(),
            automated_exception: self
                .automated_exception
                .map(|e| e.code().into())
                .unwrap_or_default(),
            automated_logic: self.automated_logic.clone(),
            automated_safeguards: self.automated_safeguards.clone(),
            dpia_completed_on: self
                .dpia_completed_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            no_recipients: self.no_recipients,
            no_transfers: self.no_transfers,
            dpia_required: self.dpia_required.code().into(),
            dpia_status: self.dpia_status.code().into(),
            dpia_reference: self.dpia_reference.clone(),
            dpia_screening: self.dpia_screening.to_document().into_iter().collect(),
            dpia_not_required_reason: self.dpia_not_required_reason.clone(),
            privacy_notice_ref: self.privacy_notice_ref.clone(),
            consent_record_ref: self.consent_record_ref.clone(),
            processor_contract_ref: self.processor_contract_ref.clone(),
            retention_policy_ref: self.retention_policy_ref.clone(),
            breach_occurred: self.breach_occurred,
            breach_record_ref: self.breach_record_ref.clone(),
            security_description: self.security_description.clone(),
            last_reviewed: self
                .last_reviewed
                .map(|d| d.to_string())
                .unwrap_or_default(),
            next_review: self.next_review.map(|d| d.to_string()).unwrap_or_default(),
            version: self.version.to_string(),
            subjects: self.subjects.iter().map(|s| s.id.to_string()).collect(),
            data_categories: self
                .data_categories
                .iter()
                .map(|s| s.id.to_string())
                .collect(),
            measures: self.measures.iter().map(|s| s.id.to_string()).collect(),
            purposes: self
                .purposes
                .iter()
                .map(|p| PurposeRow {
                    description: p.description.clone(),
                    bases: p.bases.iter().map(|b| b.code().into()).collect(),
                    legitimate_interest: p.legitimate_interest.clone(),
                    balancing_test_ref: p.balancing_test_ref.clone(),
                    direct_marketing: p.direct_marketing,
                    manual_only: !p.automated_means,
                })
                .collect(),
            joint_controllers: self
                .joint_controllers
                .iter()
                .map(|j| JointControllerRow {
                    party_id: j.party_id.to_string(),
                    responsibilities: j.text.clone(),
                })
                .collect(),
            controllers: self
                .controllers
                .iter()
                .map(|c| ControllerRow {
                    party_id: c.party_id.to_string(),
                    processing_categories: c.text.clone(),
                    representative: c.detail.clone(),
                })
                .collect(),
            recipients: self
                .recipients
                .iter()
                .map(|r| RecipientRow {
                    party_id: r.party_id.to_string(),
                    data_received: r.text.clone(),
                    reason: r.detail.clone(),
                })
                .collect(),
            transfers: self
                .transfers
                .iter()
                .map(|t| TransferRow {
                    country: t.country.map(|c| c.code().to_owned()).unwrap_or_default(),
                    organisation: t.organisation.clone(),
                    party_id: t.party_id.map(|p| p.to_string()).unwrap_or_default(),
                    mechanism: t.mechanism.code().into(),
                    safeguards: t.safeguards.clone(),
                    scope_confirmed: t.scope_confirmed,
                    tia_reference: t.tia_reference.clone(),
                })
                .collect(),
            retention: self
                .retention
                .iter()
                .map(|r| RetentionRow {
                    data_category_ids: r.data_category_ids.iter().map(i64::to_string).collect(),
                    period_value: r.period_value.map(|v| v.to_string()).unwrap_or_default(),
                    period_unit: r
                        .period_unit
                        .map(|u| u.code().to_owned())
                        .unwrap_or_default(),
                    criterion: r.criterion.clone(),
                    start_event: r.start_event.clone(),
                    legal_reference: r.legal_reference.clone(),
                })
                .collect(),
        }
    }

    /// The activity as the register document shows it; the functions map catalogue ids to codes.
    pub fn to_doc(
        &self,
        data_code: &dyn Fn(i64) -> String,
        subject_code: &dyn Fn(i64) -> String,
        measure_code: &dyn Fn(i64) -> String,
    ) -> ActivityDoc {
        ActivityDoc {
            organisation: self.organisation_name.clone(),
            role: self.role.code().into(),
            reference: self.reference.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            business_function: self.business_function.clone(),
            owner: self.owner.clone(),
            status: self.status.code().into(),
            retirement_reason: self.retirement_reason.clone(),
            purposes: self
                .purposes
                .iter()
                .map(|p| PurposeDoc {
                    description: p.description.clone(),
                    lawful_bases: p.bases.iter().map(|b| b.code().to_owned()).collect(),
                    legitimate_interest: p.legitimate_interest.clone(),
                    balancing_test_ref: p.balancing_test_ref.clone(),
                    direct_marketing: p.direct_marketing,
                    automated_means: p.automated_means,
                })
                .collect(),
            special_conditions: self
                .special_conditions
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
            special_legal_reference: self.special_legal_reference.clone(),
            criminal_basis: self.criminal_basis.map(|b| b.code().to_owned()),
            criminal_legal_reference: self.criminal_legal_reference.clone(),
            joint_controllers: self
                .joint_controllers
                .iter()
                .map(|j| JointControllerDoc {
                    party: j.name.clone(),
                    responsibilities: j.text.clone(),
                })
                .collect(),
            controllers: self
                .controllers
                .iter()
                .map(|c| ControllerDoc {
                    party: c.name.clone(),
                    processing_categories: c.text.clone(),
                    representative: c.detail.clone(),
                })
                .collect(),
            subjects: self.subjects.iter().map(|s| subject_code(s.id)).collect(),
            data_categories: self
                .data_categories
                .iter()
                .map(|c| data_code(c.id))
                .collect(),
            recipients: self
                .recipients
                .iter()
                .map(|r| RecipientDoc {
                    party: r.name.clone(),
                    data_received: r.text.clone(),
                    reason: r.detail.clone(),
                })
                .collect(),
            transfers: self
                .transfers
                .iter()
                .map(|t| TransferDoc {
                    country: t.country.map(|c| c.code().to_owned()),
                    international_organisation: t.organisation.clone(),
                    party: t.party_id.map(|_| t.party_name.clone()),
                    mechanism: t.mechanism.code().into(),
                    safeguards: t.safeguards.clone(),
                    scope_confirmed: t.scope_confirmed,
                    tia_reference: t.tia_reference.clone(),
                })
                .collect(),
            retention: self
                .retention
                .iter()
                .map(|r| RetentionDoc {
                    data_categories: r.data_category_ids.iter().map(|c| data_code(*c)).collect(),
                    data_category: None,
                    period_value: r.period_value,
                    period_unit: r.period_unit.map(|u| u.code().to_owned()),
                    criterion: r.criterion.clone(),
                    start_event: r.start_event.clone(),
                    legal_reference: r.legal_reference.clone(),
                })
                .collect(),
            security_measures: self.measures.iter().map(|m| measure_code(m.id)).collect(),
            security_description: self.security_description.clone(),
            data_source: self.data_source.clone(),
            systems: self.systems.clone(),
            data_location: self.data_location.clone(),
            automated_decision: None,
            automated_processing: self.automated_processing.code().into(),
            automated_decision_description: self.automated_decision_description.clone(),
            automated_exception: self.automated_exception.map(|e| e.code().to_owned()),
            automated_logic: self.automated_logic.clone(),
            automated_safeguards: self.automated_safeguards.clone(),
            dpia_completed_on: self.dpia_completed_on,
            no_recipients: self.no_recipients,
            no_transfers: self.no_transfers,
            dpia_required: self.dpia_required.code().into(),
            dpia_status: self.dpia_status.code().into(),
            dpia_reference: self.dpia_reference.clone(),
            dpia_screening: self.dpia_screening.to_document().into_iter().collect(),
            dpia_not_required_reason: self.dpia_not_required_reason.clone(),
            // Filled by the exports (`records`), which check the register as they write it.
            findings: Vec::new(),
            acknowledgements: Vec::new(),
            privacy_notice_ref: self.privacy_notice_ref.clone(),
            consent_record_ref: self.consent_record_ref.clone(),
            processor_contract_ref: self.processor_contract_ref.clone(),
            retention_policy_ref: self.retention_policy_ref.clone(),
            breach_occurred: self.breach_occurred,
            breach_record_ref: self.breach_record_ref.clone(),
            last_reviewed: self.last_reviewed,
            next_review: self.next_review,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}
