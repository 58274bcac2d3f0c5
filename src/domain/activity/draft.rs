//! The activity draft: the always-valid value a form parses into, which storage and the exports
//! take. Codes are vocabulary enums, references to other records are typed ids.
//!
//! Uses `domain::vocab`.

use chrono::NaiveDate;

use crate::domain::dpia::DpiaScreening;

use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, DpiaRequired,
    DpiaStatus, LawfulBasis, RetentionUnit, Role, SpecialCondition, Status, TransferMechanism,
};
use crate::domain::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};

/// A purpose with its lawful bases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purpose {
    /// What the processing is for.
    pub description: String,
    /// One or more Art. 6(1) bases.
    pub bases: Vec<LawfulBasis>,
    /// Interest pursued (Art. 6(1)(f)).
    pub legitimate_interest: String,
    /// Reference to the balancing test.
    pub balancing_test_ref: String,
    /// The purpose is direct marketing (Art. 21(2)-(3)).
    pub direct_marketing: bool,
    /// The processing is carried out by automated means (Art. 20(1)(b)).
    pub automated_means: bool,
}

/// A joint controller (Art. 26).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointController {
    /// Party.
    pub party_id: PartyId,
    /// The arrangement.
    pub responsibilities: String,
}

/// A controller on whose behalf a processor activity is carried out (Art. 30(2)(a), (b)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentedController {
    /// Party.
    pub party_id: PartyId,
    /// Categories of processing carried out for it.
    pub processing_categories: String,
    /// Its representative (Art. 27), where it has one.
    pub representative: String,
}

/// A recipient (Art. 30(1)(d)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Party.
    pub party_id: PartyId,
    /// What it receives.
    pub data_received: String,
    /// Why.
    pub reason: String,
}

/// Where a transfer goes: a third country or an international organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A third country (outside the EEA).
    Country(Country),
    /// An international organisation.
    Organisation(String),
}

/// A transfer to a third country or international organisation (Art. 30(1)(e)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Destination.
    pub destination: Destination,
    /// Recipient party, if recorded.
    pub party_id: Option<PartyId>,
    /// Chapter V mechanism.
    pub mechanism: TransferMechanism,
    /// Documentation of the safeguards.
    pub safeguards: String,
    /// The recipient is inside the scope of a partial adequacy decision.
    pub scope_confirmed: bool,
    /// Reference of the transfer impact assessment (Art. 46 tools).
    pub tia_reference: String,
}

/// How long data are kept: a period, or a criterion in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetentionPeriod {
    /// A number of units.
    Fixed {
        /// How many.
        value: i32,
        /// Of what.
        unit: RetentionUnit,
    },
    /// A criterion in words.
    Criterion(String),
}

/// A retention rule for one or more personal-data categories (Art. 30(1)(f)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRule {
    /// The data categories it governs (at least one, each once, in the order chosen).
    pub data_category_ids: Vec<DataCategoryId>,
    /// The period or criterion.
    pub period: RetentionPeriod,
    /// Extra criterion text kept alongside a fixed period.
    pub criterion: String,
    /// Event that starts the period.
    pub start_event: String,
    /// Legal reference that justifies it.
    pub legal_reference: String,
}

/// A valid activity, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    /// Organisation.
    pub organisation_id: OrganisationId,
    /// Controller or processor.
    pub role: Role,
    /// Reference; `None` to generate one.
    pub reference: Option<String>,
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
    /// Source of the data.
    pub data_source: String,
    /// Systems.
    pub systems: String,
    /// Location of the data.
    pub data_location: String,
    /// Automated processing (Art. 22).
    pub automated_processing: AutomatedProcessing,
    /// Its description (ICO column 17).
    pub automated_decision_description: String,
    /// The Art. 22(2) exception relied on.
    pub automated_exception: Option<AutomatedDecisionException>,
    /// The logic involved.
    pub automated_logic: String,
    /// The safeguards (Art. 22(3)).
    pub automated_safeguards: String,
    /// DPIA completed on.
    pub dpia_completed_on: Option<NaiveDate>,
    /// No recipients, declared (complete), as against none recorded yet (a gap).
    pub no_recipients: bool,
    /// No transfers, declared (complete), as against none recorded yet (a gap).
    pub no_transfers: bool,
    /// DPIA required.
    pub dpia_required: DpiaRequired,
    /// DPIA progress.
    pub dpia_status: DpiaStatus,
    /// DPIA reference.
    pub dpia_reference: String,
    /// The DPIA screening's answers (WP248 rev.01 criteria, Art. 35(3) cases).
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
    /// Has a breach occurred.
    pub breach_occurred: bool,
    /// Breach record.
    pub breach_record_ref: String,
    /// General description of the security measures.
    pub security_description: String,
    /// Last reviewed.
    pub last_reviewed: Option<NaiveDate>,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Data-subject categories.
    pub subjects: Vec<SubjectCategoryId>,
    /// Personal-data categories.
    pub data_categories: Vec<DataCategoryId>,
    /// Security measures.
    pub measures: Vec<MeasureId>,
    /// Purposes.
    pub purposes: Vec<Purpose>,
    /// Joint controllers.
    pub joint_controllers: Vec<JointController>,
    /// Controllers acted for.
    pub controllers: Vec<RepresentedController>,
    /// Recipients.
    pub recipients: Vec<Recipient>,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// Retention rules.
    pub retention: Vec<RetentionRule>,
}

/// Whether a reference is well formed: letters, digits, `-`, `_`, `.` and `/`, 1-32 characters.
pub fn valid_reference(reference: &str) -> bool {
    !reference.is_empty()
        && reference.len() <= 32
        && reference
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}
