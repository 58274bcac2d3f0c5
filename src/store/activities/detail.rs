//! The detail read model: a whole activity with everything it refers to, as the activity
//! page and the exports show it, and its entry in the register document.
//!
//! Plain values; uses the domain only.
//!
//! Uses `domain::{activity, completeness, document, vocab}`.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::activity::{
    ActivityForm, ControllerRow, JointControllerRow, PurposeRow, RecipientRow, RetentionRow,
    TransferRow,
};
use crate::domain::completeness::{gaps, Facts, Gap};
use crate::domain::document::{
    ActivityDoc, ControllerDoc, JointControllerDoc, PurposeDoc, RecipientDoc, RetentionDoc,
    TransferDoc,
};
use crate::domain::vocab::{
    Country, CriminalBasis, DpiaRequired, DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind,
    PartyKind, RetentionUnit, Role, Sensitivity, SpecialCondition, Status, TransferMechanism,
};

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
    /// Second text of the link (reason for a recipient).
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
}

impl TransferView {
    /// The destination in words.
    pub fn destination(&self) -> String {
        match self.country {
            Some(c) => c.to_string(),
            None => format!("{} (international organisation)", self.organisation),
        }
    }
}

/// A retention rule as shown.
#[derive(Debug, Clone)]
pub struct RetentionView {
    /// Category id.
    pub data_category_id: i64,
    /// Category label.
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
            (Some(v), Some(u)) => format!("{v} {}", u.label()),
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
    /// Automated decision-making.
    pub automated_decision: bool,
    /// Its description.
    pub automated_decision_description: String,
    /// DPIA required.
    pub dpia_required: DpiaRequired,
    /// DPIA progress.
    pub dpia_status: DpiaStatus,
    /// DPIA reference.
    pub dpia_reference: String,
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
        let covered: std::collections::BTreeSet<i64> =
            self.retention.iter().map(|r| r.data_category_id).collect();
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
        }
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
        all.sort();
        all.dedup();
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
            automated_decision: self.automated_decision,
            automated_decision_description: self.automated_decision_description.clone(),
            dpia_required: self.dpia_required.code().into(),
            dpia_status: self.dpia_status.code().into(),
            dpia_reference: self.dpia_reference.clone(),
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
                })
                .collect(),
            retention: self
                .retention
                .iter()
                .map(|r| RetentionRow {
                    data_category_id: r.data_category_id.to_string(),
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
            purposes: self
                .purposes
                .iter()
                .map(|p| PurposeDoc {
                    description: p.description.clone(),
                    lawful_bases: p.bases.iter().map(|b| b.code().to_owned()).collect(),
                    legitimate_interest: p.legitimate_interest.clone(),
                    balancing_test_ref: p.balancing_test_ref.clone(),
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
                })
                .collect(),
            retention: self
                .retention
                .iter()
                .map(|r| RetentionDoc {
                    data_category: data_code(r.data_category_id),
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
            automated_decision: self.automated_decision,
            automated_decision_description: self.automated_decision_description.clone(),
            dpia_required: self.dpia_required.code().into(),
            dpia_status: self.dpia_status.code().into(),
            dpia_reference: self.dpia_reference.clone(),
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
