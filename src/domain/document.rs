//! The register document: the complete register in its own shape, lossless and versioned.
//!
//! It is the JSON export and backup format, the way between SQLite and PostgreSQL
//! (`ropa export --format json`, `ropa import`), and the snapshot of an activity that the audit
//! trail keeps before and after each change. References between records use stable natural
//! keys: organisations and parties by name, catalogue entries by code, activities by
//! organisation and reference. Documented in docs/exports.md.
//!
//! Plain serde types; uses nothing else of the crate. `store` builds them from its records and
//! reads them back on import; `export::json` writes them.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The `format` value every document carries.
pub const FORMAT: &str = "ropa-register";
/// The version of the document layout this build writes. Version 1 documents (before the
/// per-purpose facts, the Art. 22 cases and the declared "none"), version 2 (a retention rule
/// for one category, `data_category`) and version 3 (before the DPIA screening and the
/// transfer impact assessment) are read too: see `store::import`.
pub const FORMAT_VERSION: u32 = 4;

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterDocument {
    /// Always `ropa-register`.
    pub format: String,
    /// Layout version, see [`FORMAT_VERSION`].
    pub format_version: u32,
    /// When the document was made (UTC).
    pub generated_at: NaiveDateTime,
    /// Organisations, by name.
    pub organisations: Vec<OrganisationDoc>,
    /// The three catalogues.
    pub catalogues: CataloguesDoc,
    /// Parties, by name.
    pub parties: Vec<PartyDoc>,
    /// Activities, by organisation and reference.
    pub activities: Vec<ActivityDoc>,
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDoc {
    /// Legal name (the key).
    pub name: String,
    /// Registered address.
    pub legal_address: String,
    /// Contact email.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Registration number.
    pub registration_number: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Art. 27 representative.
    pub representative: String,
    /// DPO.
    pub dpo: String,
    /// Lead supervisory authority.
    pub supervisory_authority: String,
    /// Months between reviews.
    pub review_interval_months: i32,
    /// What its generated activity references start with (left out by documents written
    /// before prefixes existed: one is made from the name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference_prefix: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
    /// What the register checks found in the organisation's entry when the document was made
    /// (exports only: recomputed, never read back); version 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingDoc>,
}

/// The catalogues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CataloguesDoc {
    /// Personal-data categories.
    pub data_categories: Vec<DataCategoryDoc>,
    /// Data-subject categories.
    pub subject_categories: Vec<SubjectCategoryDoc>,
    /// Security measures.
    pub security_measures: Vec<MeasureDoc>,
}

/// A personal-data category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategoryDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// `standard`, `special_category` or `criminal_offence`.
    pub sensitivity: String,
    /// Article.
    pub article: String,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A data-subject category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectCategoryDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// Vulnerable data subjects.
    pub vulnerable: bool,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A security measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureDoc {
    /// Code (the key).
    pub code: String,
    /// Label.
    pub label: String,
    /// `technical` or `organisational`.
    pub kind: String,
    /// Family code.
    pub family: String,
    /// Article.
    pub article: String,
    /// Description.
    pub description: String,
    /// From the vocabularies.
    pub seeded: bool,
}

/// A party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDoc {
    /// Name (the key).
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// ISO country code or empty.
    pub country: String,
    /// Contact.
    pub contact: String,
    /// Address.
    pub address: String,
    /// Art. 28 contract reference.
    pub contract_reference: String,
    /// Art. 28 contract date.
    pub contract_date: Option<NaiveDate>,
    /// Date the recipient's EU-US Data Privacy Framework certification was last checked on the
    /// DPF List, if it is certified; version 2.
    #[serde(default)]
    pub dpf_checked_on: Option<NaiveDate>,
    /// Notes.
    pub notes: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
}

/// A purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeDoc {
    /// What for.
    pub description: String,
    /// Art. 6(1) codes.
    pub lawful_bases: Vec<String>,
    /// Interest pursued.
    pub legitimate_interest: String,
    /// Balancing test reference.
    pub balancing_test_ref: String,
    /// The purpose is direct marketing (Art. 21(2)-(3)); version 2.
    #[serde(default)]
    pub direct_marketing: bool,
    /// Carried out by automated means (Art. 20(1)(b)); version 2.
    #[serde(default = "yes")]
    pub automated_means: bool,
}

fn yes() -> bool {
    true
}

/// A link to a party with its text (joint controllers, controllers acted for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointControllerDoc {
    /// Party name.
    pub party: String,
    /// Arrangement.
    pub responsibilities: String,
}

/// A controller acted for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControllerDoc {
    /// Party name.
    pub party: String,
    /// Categories of processing.
    pub processing_categories: String,
    /// The controller's representative (Art. 27); version 2.
    #[serde(default)]
    pub representative: String,
}

/// A recipient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientDoc {
    /// Party name.
    pub party: String,
    /// What it receives.
    pub data_received: String,
    /// Why.
    pub reason: String,
}

/// A finding of the register checks, as an export gives it (docs/checks.md lists the rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingDoc {
    /// The rule's code (`R-TRANSFER-TIA`).
    pub rule: String,
    /// error, warning or notice.
    pub severity: String,
    /// The article or guidance the rule rests on.
    pub basis: String,
    /// The field to fix.
    pub field: String,
    /// What it concerns ("Transfer 1 (India)"), empty for the record as a whole.
    pub detail: String,
    /// The finding in words.
    pub message: String,
    /// Whether a DPO accepted it with a reason (see `acknowledgements`).
    pub accepted: bool,
}

/// A finding accepted with a reason: who, when, why, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementDoc {
    /// The rule's code.
    pub rule: String,
    /// The field the finding is on.
    pub field: String,
    /// What the finding concerns, empty for the record as a whole.
    pub detail: String,
    /// Why it is accepted.
    pub justification: String,
    /// The last day it holds; null until the finding changes.
    pub until: Option<NaiveDate>,
    /// Who accepted it (email).
    pub by: String,
    /// When (UTC).
    pub at: NaiveDateTime,
}

/// A transfer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferDoc {
    /// Third country (ISO code), or null.
    pub country: Option<String>,
    /// International organisation, when no country.
    pub international_organisation: String,
    /// Recipient party name, or null.
    pub party: Option<String>,
    /// Chapter V mechanism code.
    pub mechanism: String,
    /// Documentation of safeguards.
    pub safeguards: String,
    /// The recipient is inside a partial adequacy decision's scope; version 2.
    #[serde(default)]
    pub scope_confirmed: bool,
    /// Reference of the transfer impact assessment (standard contractual clauses and other
    /// Art. 46 tools: Schrems II, EDPB Recommendations 01/2020); version 4.
    #[serde(default)]
    pub tia_reference: String,
}

/// A retention rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionDoc {
    /// Codes of the personal-data categories it covers; version 3.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_categories: Vec<String>,
    /// Versions 1 and 2: the one category a rule covered; read, never written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_category: Option<String>,
    /// Period value.
    pub period_value: Option<i32>,
    /// Period unit code.
    pub period_unit: Option<String>,
    /// Criterion.
    pub criterion: String,
    /// Start event.
    pub start_event: String,
    /// Legal reference.
    pub legal_reference: String,
}

/// An activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDoc {
    /// Organisation name.
    pub organisation: String,
    /// `controller` or `processor`.
    pub role: String,
    /// Reference, unique within the organisation.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Business function.
    pub business_function: String,
    /// Owner.
    pub owner: String,
    /// `draft`, `active` or `retired`.
    pub status: String,
    /// Why a retired activity was retired (left out when there is none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub retirement_reason: String,
    /// Purposes.
    pub purposes: Vec<PurposeDoc>,
    /// Art. 9(2) codes.
    pub special_conditions: Vec<String>,
    /// Law for the Art. 9(2) condition.
    pub special_legal_reference: String,
    /// Art. 10 code.
    pub criminal_basis: Option<String>,
    /// Law under Art. 10.
    pub criminal_legal_reference: String,
    /// Joint controllers.
    pub joint_controllers: Vec<JointControllerDoc>,
    /// Controllers acted for.
    pub controllers: Vec<ControllerDoc>,
    /// Data-subject category codes.
    pub subjects: Vec<String>,
    /// Personal-data category codes.
    pub data_categories: Vec<String>,
    /// Recipients.
    pub recipients: Vec<RecipientDoc>,
    /// Transfers.
    pub transfers: Vec<TransferDoc>,
    /// Retention rules.
    pub retention: Vec<RetentionDoc>,
    /// Security measure codes.
    pub security_measures: Vec<String>,
    /// General description of the security measures.
    pub security_description: String,
    /// Source of the data.
    pub data_source: String,
    /// Systems.
    pub systems: String,
    /// Location.
    pub data_location: String,
    /// Version 1's yes/no flag for automated decision-making; read, never written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated_decision: Option<bool>,
    /// Automated processing code (Art. 22); version 2.
    #[serde(default)]
    pub automated_processing: String,
    /// Its description.
    pub automated_decision_description: String,
    /// Art. 22(2) exception code; version 2.
    #[serde(default)]
    pub automated_exception: Option<String>,
    /// The logic involved; version 2.
    #[serde(default)]
    pub automated_logic: String,
    /// The safeguards (Art. 22(3)); version 2.
    #[serde(default)]
    pub automated_safeguards: String,
    /// DPIA completed on; version 2.
    #[serde(default)]
    pub dpia_completed_on: Option<NaiveDate>,
    /// No recipients, declared; version 2.
    #[serde(default)]
    pub no_recipients: bool,
    /// No transfers, declared; version 2 (a version 1 document's empty list means none).
    #[serde(default)]
    pub no_transfers: bool,
    /// DPIA required code.
    pub dpia_required: String,
    /// DPIA progress code.
    pub dpia_status: String,
    /// DPIA reference.
    pub dpia_reference: String,
    /// The DPIA screening's answers, question code to "yes" or "no"; version 4.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dpia_screening: BTreeMap<String, String>,
    /// Why no DPIA is carried out although the screening points to one; version 4.
    #[serde(default)]
    pub dpia_not_required_reason: String,
    /// What the register checks found in the activity when the document was made, open and
    /// accepted (exports only: recomputed, never read back); version 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<FindingDoc>,
    /// Findings accepted with a reason (read back on import); version 4.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<AcknowledgementDoc>,
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
    /// Last reviewed.
    pub last_reviewed: Option<NaiveDate>,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Updated (UTC).
    pub updated_at: NaiveDateTime,
}
