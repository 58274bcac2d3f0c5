//! Processing activities: the form a user fills in, and the valid draft it parses into.
//!
//! The form is read from plain `name=value` pairs so that any input path (browser form, JSON,
//! test) can fill it. Nested lists use indexed names: `purposes[0].description`,
//! `purposes[0].bases` (repeated), `transfers[2].mechanism`, ...

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use validator::Validate;

use super::errors::{clean, parse_date, FieldErrors};
use super::vocab::{
    Country, CriminalBasis, DpiaRequired, DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind,
    PartyKind, RetentionUnit, Role, Sensitivity, SpecialCondition, Status, TransferMechanism,
};
use super::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};

/// An organisation as offered in a choice.
#[derive(Debug, Clone)]
pub struct OrganisationChoice {
    /// Id.
    pub id: OrganisationId,
    /// Name.
    pub name: String,
    /// Months between reviews, for the default next-review date.
    pub review_interval_months: i32,
}

/// A party as offered in a choice.
#[derive(Debug, Clone)]
pub struct PartyChoice {
    /// Id.
    pub id: PartyId,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// Country, if known.
    pub country: Option<Country>,
}

/// A personal-data category as offered in a choice.
#[derive(Debug, Clone)]
pub struct DataCategoryChoice {
    /// Id.
    pub id: DataCategoryId,
    /// Label.
    pub label: String,
    /// Standard, Art. 9 or Art. 10.
    pub sensitivity: Sensitivity,
}

/// A data-subject category as offered in a choice.
#[derive(Debug, Clone)]
pub struct SubjectChoice {
    /// Id.
    pub id: SubjectCategoryId,
    /// Label.
    pub label: String,
    /// Vulnerable data subjects.
    pub vulnerable: bool,
}

/// A security measure as offered in a choice.
#[derive(Debug, Clone)]
pub struct MeasureChoice {
    /// Id.
    pub id: MeasureId,
    /// Label.
    pub label: String,
    /// Technical or organisational.
    pub kind: MeasureKind,
    /// Family.
    pub family: MeasureFamily,
}

/// Everything an activity may refer to; the form is checked against it.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Organisations.
    pub organisations: Vec<OrganisationChoice>,
    /// Parties.
    pub parties: Vec<PartyChoice>,
    /// Personal-data categories.
    pub data_categories: Vec<DataCategoryChoice>,
    /// Data-subject categories.
    pub subject_categories: Vec<SubjectChoice>,
    /// Security measures.
    pub measures: Vec<MeasureChoice>,
}

/// One purpose row as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct PurposeRow {
    /// What the processing is for.
    #[validate(length(max = 2000, message = "Purpose is at most 2000 characters"))]
    pub description: String,
    /// Lawful basis codes.
    pub bases: Vec<String>,
    /// Interest pursued, for Art. 6(1)(f).
    #[validate(length(max = 2000, message = "Legitimate interest is at most 2000 characters"))]
    pub legitimate_interest: String,
    /// Reference to the balancing test.
    #[validate(length(
        max = 500,
        message = "Balancing test reference is at most 500 characters"
    ))]
    pub balancing_test_ref: String,
}

/// One joint-controller row as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct JointControllerRow {
    /// Party id.
    pub party_id: String,
    /// The arrangement under Art. 26.
    #[validate(length(max = 2000, message = "Responsibilities are at most 2000 characters"))]
    pub responsibilities: String,
}

/// One row of a controller on whose behalf a processor activity is carried out.
#[derive(Debug, Clone, Default, Validate)]
pub struct ControllerRow {
    /// Party id.
    pub party_id: String,
    /// Categories of processing carried out for this controller.
    #[validate(length(
        max = 2000,
        message = "Categories of processing are at most 2000 characters"
    ))]
    pub processing_categories: String,
}

/// One recipient row as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct RecipientRow {
    /// Party id.
    pub party_id: String,
    /// What the recipient receives.
    #[validate(length(max = 2000, message = "Data received is at most 2000 characters"))]
    pub data_received: String,
    /// Why.
    #[validate(length(max = 2000, message = "Reason is at most 2000 characters"))]
    pub reason: String,
}

/// One transfer row as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct TransferRow {
    /// Destination country code.
    pub country: String,
    /// Or an international organisation.
    #[validate(length(
        max = 300,
        message = "International organisation is at most 300 characters"
    ))]
    pub organisation: String,
    /// Recipient party id.
    pub party_id: String,
    /// Mechanism code.
    pub mechanism: String,
    /// Documentation of the safeguards.
    #[validate(length(max = 4000, message = "Safeguards are at most 4000 characters"))]
    pub safeguards: String,
}

/// One retention row as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct RetentionRow {
    /// Personal-data category id.
    pub data_category_id: String,
    /// Number of units.
    pub period_value: String,
    /// Unit code.
    pub period_unit: String,
    /// Criterion in words, when no period.
    #[validate(length(max = 1000, message = "Criterion is at most 1000 characters"))]
    pub criterion: String,
    /// Event that starts the period.
    #[validate(length(max = 300, message = "Start event is at most 300 characters"))]
    pub start_event: String,
    /// Legal reference that justifies it.
    #[validate(length(max = 500, message = "Legal reference is at most 500 characters"))]
    pub legal_reference: String,
}

/// The nested lists of the activity form, for adding and removing rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowList {
    /// Purposes.
    Purposes,
    /// Joint controllers.
    JointControllers,
    /// Controllers acted for.
    Controllers,
    /// Recipients.
    Recipients,
    /// Transfers.
    Transfers,
    /// Retention rules.
    Retention,
}

impl RowList {
    /// Parses the list name used in field names and buttons.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "purposes" => Self::Purposes,
            "joint_controllers" => Self::JointControllers,
            "controllers" => Self::Controllers,
            "recipients" => Self::Recipients,
            "transfers" => Self::Transfers,
            "retention" => Self::Retention,
            _ => return None,
        })
    }
}

/// Everything a user submits for an activity, exactly as typed.
#[derive(Debug, Clone, Default, Validate)]
pub struct ActivityForm {
    /// Organisation id.
    pub organisation_id: String,
    /// Role code.
    pub role: String,
    /// Reference, generated when blank.
    #[validate(length(max = 32, message = "Reference is at most 32 characters"))]
    pub reference: String,
    /// Name.
    #[validate(length(
        min = 1,
        max = 200,
        message = "Name is required (at most 200 characters)"
    ))]
    pub name: String,
    /// Description.
    #[validate(length(max = 4000, message = "Description is at most 4000 characters"))]
    pub description: String,
    /// Business function.
    #[validate(length(max = 200, message = "Business function is at most 200 characters"))]
    pub business_function: String,
    /// Owner.
    #[validate(length(max = 200, message = "Owner is at most 200 characters"))]
    pub owner: String,
    /// Status code.
    pub status: String,
    /// Art. 9(2) condition codes.
    pub special_conditions: Vec<String>,
    /// Law relied on for an Art. 9(2) condition.
    #[validate(length(max = 1000, message = "Legal reference is at most 1000 characters"))]
    pub special_legal_reference: String,
    /// Art. 10 basis code.
    pub criminal_basis: String,
    /// Law relied on under Art. 10.
    #[validate(length(max = 1000, message = "Legal reference is at most 1000 characters"))]
    pub criminal_legal_reference: String,
    /// Source of the data.
    #[validate(length(max = 2000, message = "Source is at most 2000 characters"))]
    pub data_source: String,
    /// Systems and applications.
    #[validate(length(max = 2000, message = "Systems are at most 2000 characters"))]
    pub systems: String,
    /// Where the data are kept.
    #[validate(length(max = 2000, message = "Location is at most 2000 characters"))]
    pub data_location: String,
    /// Automated decision-making or profiling.
    pub automated_decision: bool,
    /// Its description.
    #[validate(length(max = 2000, message = "Description is at most 2000 characters"))]
    pub automated_decision_description: String,
    /// DPIA required code.
    pub dpia_required: String,
    /// DPIA status code.
    pub dpia_status: String,
    /// DPIA reference.
    #[validate(length(max = 500, message = "DPIA reference is at most 500 characters"))]
    pub dpia_reference: String,
    /// Privacy notice reference.
    #[validate(length(
        max = 500,
        message = "Privacy notice reference is at most 500 characters"
    ))]
    pub privacy_notice_ref: String,
    /// Consent record reference.
    #[validate(length(
        max = 500,
        message = "Consent record reference is at most 500 characters"
    ))]
    pub consent_record_ref: String,
    /// Processor contract reference.
    #[validate(length(
        max = 500,
        message = "Processor contract reference is at most 500 characters"
    ))]
    pub processor_contract_ref: String,
    /// Retention policy reference.
    #[validate(length(
        max = 500,
        message = "Retention policy reference is at most 500 characters"
    ))]
    pub retention_policy_ref: String,
    /// Has a breach occurred.
    pub breach_occurred: bool,
    /// Breach record reference.
    #[validate(length(
        max = 500,
        message = "Breach record reference is at most 500 characters"
    ))]
    pub breach_record_ref: String,
    /// General description of the security measures.
    #[validate(length(
        max = 4000,
        message = "Security description is at most 4000 characters"
    ))]
    pub security_description: String,
    /// Last reviewed date.
    pub last_reviewed: String,
    /// Next review date.
    pub next_review: String,
    /// Version the form was loaded at.
    pub version: String,
    /// Data-subject category ids.
    pub subjects: Vec<String>,
    /// Personal-data category ids.
    pub data_categories: Vec<String>,
    /// Security measure ids.
    pub measures: Vec<String>,
    /// Purposes.
    #[validate(nested)]
    pub purposes: Vec<PurposeRow>,
    /// Joint controllers.
    #[validate(nested)]
    pub joint_controllers: Vec<JointControllerRow>,
    /// Controllers acted for (processor activities).
    #[validate(nested)]
    pub controllers: Vec<ControllerRow>,
    /// Recipients.
    #[validate(nested)]
    pub recipients: Vec<RecipientRow>,
    /// Transfers.
    #[validate(nested)]
    pub transfers: Vec<TransferRow>,
    /// Retention rules.
    #[validate(nested)]
    pub retention: Vec<RetentionRow>,
}

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

/// A retention rule for one personal-data category (Art. 30(1)(f)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRule {
    /// The data category it governs.
    pub data_category_id: DataCategoryId,
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
    /// Automated decision-making or profiling.
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

fn row_index(key: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = key.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('.')?;
    Some((list, index.parse().ok()?, field))
}

fn row<T: Default>(rows: &mut BTreeMap<usize, T>, index: usize) -> &mut T {
    rows.entry(index).or_default()
}

impl ActivityForm {
    /// Reads the form from `name=value` pairs; unknown names are ignored, rows are renumbered.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = ActivityForm::default();
        let mut purposes = BTreeMap::<usize, PurposeRow>::new();
        let mut joint = BTreeMap::<usize, JointControllerRow>::new();
        let mut controllers = BTreeMap::<usize, ControllerRow>::new();
        let mut recipients = BTreeMap::<usize, RecipientRow>::new();
        let mut transfers = BTreeMap::<usize, TransferRow>::new();
        let mut retention = BTreeMap::<usize, RetentionRow>::new();
        for (key, value) in pairs {
            let v = value.clone();
            if let Some((list, i, field)) = row_index(key) {
                // Bound the row index so a crafted form cannot allocate without limit.
                if i > 500 {
                    continue;
                }
                match (list, field) {
                    ("purposes", "description") => row(&mut purposes, i).description = v,
                    ("purposes", "bases") => row(&mut purposes, i).bases.push(v),
                    ("purposes", "legitimate_interest") => {
                        row(&mut purposes, i).legitimate_interest = v
                    }
                    ("purposes", "balancing_test_ref") => {
                        row(&mut purposes, i).balancing_test_ref = v
                    }
                    ("joint_controllers", "party_id") => row(&mut joint, i).party_id = v,
                    ("joint_controllers", "responsibilities") => {
                        row(&mut joint, i).responsibilities = v
                    }
                    ("controllers", "party_id") => row(&mut controllers, i).party_id = v,
                    ("controllers", "processing_categories") => {
                        row(&mut controllers, i).processing_categories = v
                    }
                    ("recipients", "party_id") => row(&mut recipients, i).party_id = v,
                    ("recipients", "data_received") => row(&mut recipients, i).data_received = v,
                    ("recipients", "reason") => row(&mut recipients, i).reason = v,
                    ("transfers", "country") => row(&mut transfers, i).country = v,
                    ("transfers", "organisation") => row(&mut transfers, i).organisation = v,
                    ("transfers", "party_id") => row(&mut transfers, i).party_id = v,
                    ("transfers", "mechanism") => row(&mut transfers, i).mechanism = v,
                    ("transfers", "safeguards") => row(&mut transfers, i).safeguards = v,
                    ("retention", "data_category_id") => {
                        row(&mut retention, i).data_category_id = v
                    }
                    ("retention", "period_value") => row(&mut retention, i).period_value = v,
                    ("retention", "period_unit") => row(&mut retention, i).period_unit = v,
                    ("retention", "criterion") => row(&mut retention, i).criterion = v,
                    ("retention", "start_event") => row(&mut retention, i).start_event = v,
                    ("retention", "legal_reference") => row(&mut retention, i).legal_reference = v,
                    _ => {}
                }
                continue;
            }
            match key.as_str() {
                "organisation_id" => form.organisation_id = v,
                "role" => form.role = v,
                "reference" => form.reference = v,
                "name" => form.name = v,
                "description" => form.description = v,
                "business_function" => form.business_function = v,
                "owner" => form.owner = v,
                "status" => form.status = v,
                "special_conditions" => form.special_conditions.push(v),
                "special_legal_reference" => form.special_legal_reference = v,
                "criminal_basis" => form.criminal_basis = v,
                "criminal_legal_reference" => form.criminal_legal_reference = v,
                "data_source" => form.data_source = v,
                "systems" => form.systems = v,
                "data_location" => form.data_location = v,
                "automated_decision" => form.automated_decision = is_on(&v),
                "automated_decision_description" => form.automated_decision_description = v,
                "dpia_required" => form.dpia_required = v,
                "dpia_status" => form.dpia_status = v,
                "dpia_reference" => form.dpia_reference = v,
                "privacy_notice_ref" => form.privacy_notice_ref = v,
                "consent_record_ref" => form.consent_record_ref = v,
                "processor_contract_ref" => form.processor_contract_ref = v,
                "retention_policy_ref" => form.retention_policy_ref = v,
                "breach_occurred" => form.breach_occurred = is_on(&v),
                "breach_record_ref" => form.breach_record_ref = v,
                "security_description" => form.security_description = v,
                "last_reviewed" => form.last_reviewed = v,
                "next_review" => form.next_review = v,
                "version" => form.version = v,
                "subjects" => form.subjects.push(v),
                "data_categories" => form.data_categories.push(v),
                "measures" => form.measures.push(v),
                _ => {}
            }
        }
        form.purposes = purposes.into_values().collect();
        form.joint_controllers = joint.into_values().collect();
        form.controllers = controllers.into_values().collect();
        form.recipients = recipients.into_values().collect();
        form.transfers = transfers.into_values().collect();
        form.retention = retention.into_values().collect();
        form
    }

    /// Appends an empty row to a list (the "Add" buttons).
    pub fn add_row(&mut self, list: RowList) {
        match list {
            RowList::Purposes => self.purposes.push(PurposeRow::default()),
            RowList::JointControllers => self.joint_controllers.push(Default::default()),
            RowList::Controllers => self.controllers.push(Default::default()),
            RowList::Recipients => self.recipients.push(Default::default()),
            RowList::Transfers => self.transfers.push(Default::default()),
            RowList::Retention => self.retention.push(Default::default()),
        }
    }

    /// Number of rows in a list.
    pub fn rows(&self, list: RowList) -> usize {
        match list {
            RowList::Purposes => self.purposes.len(),
            RowList::JointControllers => self.joint_controllers.len(),
            RowList::Controllers => self.controllers.len(),
            RowList::Recipients => self.recipients.len(),
            RowList::Transfers => self.transfers.len(),
            RowList::Retention => self.retention.len(),
        }
    }

    /// Removes a row from a list (the "Remove" buttons); an index out of range changes nothing.
    pub fn remove_row(&mut self, list: RowList, index: usize) {
        fn take<T>(rows: &mut Vec<T>, index: usize) {
            if index < rows.len() {
                rows.remove(index);
            }
        }
        match list {
            RowList::Purposes => take(&mut self.purposes, index),
            RowList::JointControllers => take(&mut self.joint_controllers, index),
            RowList::Controllers => take(&mut self.controllers, index),
            RowList::Recipients => take(&mut self.recipients, index),
            RowList::Transfers => take(&mut self.transfers, index),
            RowList::Retention => take(&mut self.retention, index),
        }
    }

    /// Parses the form against what exists, into a valid draft or the errors of every field.
    pub fn parse(&self, choices: &Choices) -> Result<ActivityDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut form = self.clone();
        form.name = clean(&form.name);
        form.reference = clean(&form.reference);
        if let Err(e) = form.validate() {
            errors.extend_validator(&e);
        }

        let organisation_id = form
            .organisation_id
            .parse::<OrganisationId>()
            .ok()
            .filter(|id| choices.organisations.iter().any(|o| o.id == *id));
        if organisation_id.is_none() {
            errors.add(
                "organisation_id",
                "Organisation must be one of the registered organisations",
            );
        }
        let role = Role::from_code(form.role.trim());
        if role.is_none() {
            errors.add(
                "role",
                "Role must be controller (Art. 30(1)) or processor (Art. 30(2))",
            );
        }
        let status = Status::from_code(form.status.trim());
        if status.is_none() {
            errors.add("status", "Status must be draft, active or retired");
        }
        if !form.reference.is_empty() && !valid_reference(&form.reference) {
            errors.add(
                "reference",
                "Reference may hold letters, digits, '-', '_', '.' and '/' (at most 32), or stay blank to generate one",
            );
        }

        let subjects = ids::<SubjectCategoryId>(&form.subjects, |id| {
            choices.subject_categories.iter().any(|c| c.id == id)
        });
        if subjects.is_none() {
            errors.add(
                "subjects",
                "Data-subject categories must come from the catalogue",
            );
        }
        let data_categories = ids::<DataCategoryId>(&form.data_categories, |id| {
            choices.data_categories.iter().any(|c| c.id == id)
        });
        if data_categories.is_none() {
            errors.add(
                "data_categories",
                "Personal-data categories must come from the catalogue",
            );
        }
        let measures = ids::<MeasureId>(&form.measures, |id| {
            choices.measures.iter().any(|c| c.id == id)
        });
        if measures.is_none() {
            errors.add("measures", "Security measures must come from the catalogue");
        }
        let sensitivity_present = |s: Sensitivity| {
            data_categories
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|id| {
                    choices
                        .data_categories
                        .iter()
                        .any(|c| c.id == *id && c.sensitivity == s)
                })
        };

        let mut special_conditions = Vec::new();
        for code in form
            .special_conditions
            .iter()
            .filter(|c| !c.trim().is_empty())
        {
            match SpecialCondition::from_code(code.trim()) {
                Some(c) if !special_conditions.contains(&c) => special_conditions.push(c),
                Some(_) => {}
                None => errors.add(
                    "special_conditions",
                    "Art. 9(2) conditions must be chosen from the list",
                ),
            }
        }
        special_conditions.sort();
        if sensitivity_present(Sensitivity::SpecialCategory) && special_conditions.is_empty() {
            errors.add(
                "special_conditions",
                "Special-category data are processed: choose the Art. 9(2) condition that allows it",
            );
        }
        let criminal_basis = match form.criminal_basis.trim() {
            "" => None,
            code => {
                let basis = CriminalBasis::from_code(code);
                if basis.is_none() {
                    errors.add(
                        "criminal_basis",
                        "Art. 10 basis must be chosen from the list",
                    );
                }
                basis
            }
        };
        if sensitivity_present(Sensitivity::CriminalOffence) && criminal_basis.is_none() {
            errors.add(
                "criminal_basis",
                "Criminal-offence data are processed: choose the Art. 10 basis that allows it",
            );
        }
        if criminal_basis == Some(CriminalBasis::AuthorisedByLawWithSafeguards)
            && clean(&form.criminal_legal_reference).is_empty()
        {
            errors.add(
                "criminal_legal_reference",
                "Name the Union or Member State law that authorises the processing (Art. 10)",
            );
        }

        let dpia_required = match form.dpia_required.trim() {
            "" => Some(DpiaRequired::NotAssessed),
            c => DpiaRequired::from_code(c),
        };
        if dpia_required.is_none() {
            errors.add(
                "dpia_required",
                "DPIA required must be chosen from the list",
            );
        }
        let dpia_status = match form.dpia_status.trim() {
            "" => Some(DpiaStatus::NotApplicable),
            c => DpiaStatus::from_code(c),
        };
        if dpia_status.is_none() {
            errors.add("dpia_status", "DPIA progress must be chosen from the list");
        }
        if form.automated_decision && clean(&form.automated_decision_description).is_empty() {
            errors.add(
                "automated_decision_description",
                "Describe the automated decision-making or profiling (Art. 22)",
            );
        }
        let last_reviewed = parse_date(
            &mut errors,
            "last_reviewed",
            "Last reviewed",
            &form.last_reviewed,
        );
        let next_review = parse_date(&mut errors, "next_review", "Next review", &form.next_review);
        if let (Some(last), Some(next)) = (last_reviewed, next_review) {
            if next < last {
                errors.add(
                    "next_review",
                    "Next review must not be before the last review",
                );
            }
        }

        let party = |raw: &str| -> Option<&PartyChoice> {
            let id = raw.parse::<PartyId>().ok()?;
            choices.parties.iter().find(|p| p.id == id)
        };

        let mut purposes = Vec::new();
        for (i, row) in form.purposes.iter().enumerate() {
            let blank = row.description.trim().is_empty()
                && row.bases.iter().all(|b| b.trim().is_empty())
                && row.legitimate_interest.trim().is_empty()
                && row.balancing_test_ref.trim().is_empty();
            if blank {
                continue;
            }
            let key = |f: &str| format!("purposes[{i}].{f}");
            if row.description.trim().is_empty() {
                errors.add(key("description"), "Describe the purpose (Art. 30(1)(b))");
            }
            let mut bases = Vec::new();
            for code in row.bases.iter().filter(|c| !c.trim().is_empty()) {
                match LawfulBasis::from_code(code.trim()) {
                    Some(b) if !bases.contains(&b) => bases.push(b),
                    Some(_) => {}
                    None => errors.add(key("bases"), "Lawful bases must be chosen from Art. 6(1)"),
                }
            }
            bases.sort();
            if bases.is_empty() {
                errors.add(
                    key("bases"),
                    "Choose at least one Art. 6(1) lawful basis for this purpose",
                );
            }
            if bases.contains(&LawfulBasis::LegitimateInterests)
                && row.legitimate_interest.trim().is_empty()
            {
                errors.add(
                    key("legitimate_interest"),
                    "Legitimate interests (Art. 6(1)(f)): state the interest pursued",
                );
            }
            purposes.push(Purpose {
                description: clean(&row.description),
                bases,
                legitimate_interest: clean(&row.legitimate_interest),
                balancing_test_ref: clean(&row.balancing_test_ref),
            });
        }
        if role == Some(Role::Controller) && status == Some(Status::Active) && purposes.is_empty() {
            errors.add(
                "purposes",
                "An active controller activity needs at least one purpose (Art. 30(1)(b))",
            );
        }

        let mut joint_controllers = Vec::new();
        for (i, row) in form.joint_controllers.iter().enumerate() {
            if row.party_id.trim().is_empty() && row.responsibilities.trim().is_empty() {
                continue;
            }
            match party(&row.party_id) {
                Some(p) if p.kind == PartyKind::JointController => {
                    joint_controllers.push(JointController {
                        party_id: p.id,
                        responsibilities: clean(&row.responsibilities),
                    })
                }
                Some(_) => errors.add(
                    format!("joint_controllers[{i}].party_id"),
                    "Choose a party recorded as a joint controller (Art. 26)",
                ),
                None => errors.add(
                    format!("joint_controllers[{i}].party_id"),
                    "Choose the joint controller",
                ),
            }
        }

        let mut controllers = Vec::new();
        for (i, row) in form.controllers.iter().enumerate() {
            if row.party_id.trim().is_empty() && row.processing_categories.trim().is_empty() {
                continue;
            }
            let key = |f: &str| format!("controllers[{i}].{f}");
            if role == Some(Role::Controller) {
                errors.add(
                    key("party_id"),
                    "Controllers acted for belong to processor activities (Art. 30(2)); remove this row or change the role",
                );
                continue;
            }
            if row.processing_categories.trim().is_empty() {
                errors.add(
                    key("processing_categories"),
                    "Describe the categories of processing carried out for this controller (Art. 30(2)(b))",
                );
            }
            match party(&row.party_id) {
                Some(p) => controllers.push(RepresentedController {
                    party_id: p.id,
                    processing_categories: clean(&row.processing_categories),
                }),
                None => errors.add(
                    key("party_id"),
                    "Choose the controller on whose behalf you act",
                ),
            }
        }

        let mut recipients = Vec::new();
        for (i, row) in form.recipients.iter().enumerate() {
            if row.party_id.trim().is_empty()
                && row.data_received.trim().is_empty()
                && row.reason.trim().is_empty()
            {
                continue;
            }
            match party(&row.party_id) {
                Some(p) => recipients.push(Recipient {
                    party_id: p.id,
                    data_received: clean(&row.data_received),
                    reason: clean(&row.reason),
                }),
                None => errors.add(format!("recipients[{i}].party_id"), "Choose the recipient"),
            }
        }

        let mut transfers = Vec::new();
        for (i, row) in form.transfers.iter().enumerate() {
            let blank = row.country.trim().is_empty()
                && row.organisation.trim().is_empty()
                && row.party_id.trim().is_empty()
                && row.mechanism.trim().is_empty()
                && row.safeguards.trim().is_empty();
            if blank {
                continue;
            }
            let key = |f: &str| format!("transfers[{i}].{f}");
            let destination = match (row.country.trim(), row.organisation.trim()) {
                ("", "") => {
                    errors.add(
                        key("country"),
                        "Name the third country or the international organisation",
                    );
                    None
                }
                ("", org) => Some(Destination::Organisation(org.to_owned())),
                (code, "") => {
                    match Country::parse(code) {
                        Some(c) if c.in_eea() => {
                            errors.add(
                            key("country"),
                            format!("{} is in the EEA: sending data there is not a Chapter V transfer", c.name()),
                        );
                            None
                        }
                        Some(c) => Some(Destination::Country(c)),
                        None => {
                            errors.add(
                                key("country"),
                                "Country must be an ISO 3166-1 alpha-2 code such as US",
                            );
                            None
                        }
                    }
                }
                _ => {
                    errors.add(
                        key("organisation"),
                        "Give either a country or an international organisation, not both",
                    );
                    None
                }
            };
            let party_id = match row.party_id.trim() {
                "" => None,
                raw => match party(raw) {
                    Some(p) => Some(p.id),
                    None => {
                        errors.add(key("party_id"), "Choose the recipient from the parties");
                        None
                    }
                },
            };
            let mechanism = TransferMechanism::from_code(row.mechanism.trim());
            match mechanism {
                None => errors.add(key("mechanism"), "Choose the Chapter V transfer mechanism"),
                Some(m) if m.requires_documented_safeguards() && row.safeguards.trim().is_empty() => errors.add(
                    key("safeguards"),
                    "Art. 49(1) second subparagraph: document the assessment and the suitable safeguards (Art. 30(1)(e), 49(6))",
                ),
                Some(TransferMechanism::AdequacyDecision) => {
                    if let Some(Destination::Country(c)) = &destination {
                        if c.adequacy().is_none() {
                            errors.add(
                                key("mechanism"),
                                format!("There is no adequacy decision for {}: choose another mechanism", c.name()),
                            );
                        }
                    }
                }
                Some(_) => {}
            }
            if let (Some(destination), Some(mechanism)) = (destination, mechanism) {
                transfers.push(Transfer {
                    destination,
                    party_id,
                    mechanism,
                    safeguards: clean(&row.safeguards),
                });
            }
        }

        let chosen: BTreeSet<DataCategoryId> = data_categories
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut retention = Vec::new();
        for (i, row) in form.retention.iter().enumerate() {
            let blank = row.data_category_id.trim().is_empty()
                && row.period_value.trim().is_empty()
                && row.criterion.trim().is_empty()
                && row.start_event.trim().is_empty()
                && row.legal_reference.trim().is_empty();
            if blank {
                continue;
            }
            let key = |f: &str| format!("retention[{i}].{f}");
            let category = row.data_category_id.parse::<DataCategoryId>().ok();
            match category {
                Some(id) if chosen.contains(&id) => {}
                Some(id) if choices.data_categories.iter().any(|c| c.id == id) => errors.add(
                    key("data_category_id"),
                    "Tick this personal-data category above before giving its retention",
                ),
                _ => errors.add(
                    key("data_category_id"),
                    "Choose the personal-data category this rule governs",
                ),
            }
            let criterion = clean(&row.criterion);
            let period = match row.period_value.trim() {
                "" if criterion.is_empty() => {
                    errors.add(
                        key("period_value"),
                        "Give a period (number and unit) or the criterion used to set it (Art. 30(1)(f))",
                    );
                    None
                }
                "" => Some(RetentionPeriod::Criterion(criterion.clone())),
                raw => match (
                    raw.parse::<i32>().ok().filter(|v| (1..=1000).contains(v)),
                    RetentionUnit::from_code(row.period_unit.trim()),
                ) {
                    (Some(value), Some(unit)) => Some(RetentionPeriod::Fixed { value, unit }),
                    (None, _) => {
                        errors.add(
                            key("period_value"),
                            "Period must be a whole number from 1 to 1000",
                        );
                        None
                    }
                    (_, None) => {
                        errors.add(key("period_unit"), "Choose days, months or years");
                        None
                    }
                },
            };
            if let (Some(data_category_id), Some(period)) = (category, period) {
                retention.push(RetentionRule {
                    data_category_id,
                    period,
                    criterion,
                    start_event: clean(&row.start_event),
                    legal_reference: clean(&row.legal_reference),
                });
            }
        }

        let draft = match (
            organisation_id,
            role,
            status,
            subjects,
            data_categories,
            measures,
            dpia_required,
            dpia_status,
        ) {
            (
                Some(organisation_id),
                Some(role),
                Some(status),
                Some(subjects),
                Some(data_categories),
                Some(measures),
                Some(dpia_required),
                Some(dpia_status),
            ) => ActivityDraft {
                organisation_id,
                role,
                reference: Some(form.reference.clone()).filter(|r| !r.is_empty()),
                name: form.name.clone(),
                description: clean(&form.description),
                business_function: clean(&form.business_function),
                owner: clean(&form.owner),
                status,
                special_conditions,
                special_legal_reference: clean(&form.special_legal_reference),
                criminal_basis,
                criminal_legal_reference: clean(&form.criminal_legal_reference),
                data_source: clean(&form.data_source),
                systems: clean(&form.systems),
                data_location: clean(&form.data_location),
                automated_decision: form.automated_decision,
                automated_decision_description: clean(&form.automated_decision_description),
                dpia_required,
                dpia_status,
                dpia_reference: clean(&form.dpia_reference),
                privacy_notice_ref: clean(&form.privacy_notice_ref),
                consent_record_ref: clean(&form.consent_record_ref),
                processor_contract_ref: clean(&form.processor_contract_ref),
                retention_policy_ref: clean(&form.retention_policy_ref),
                breach_occurred: form.breach_occurred,
                breach_record_ref: clean(&form.breach_record_ref),
                security_description: clean(&form.security_description),
                last_reviewed,
                next_review,
                subjects,
                data_categories,
                measures,
                purposes,
                joint_controllers,
                controllers,
                recipients,
                transfers,
                retention,
            },
            _ => return Err(errors),
        };
        errors.into_result(draft)
    }
}

fn is_on(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "yes" | "1")
}

/// Parses a list of ids, dropping blanks and duplicates; `None` if any is unknown.
fn ids<T>(raw: &[String], exists: impl Fn(T) -> bool) -> Option<Vec<T>>
where
    T: std::str::FromStr + Copy + Ord,
{
    let mut out = BTreeSet::new();
    for value in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = value.parse::<T>().ok().filter(|id| exists(*id))?;
        out.insert(id);
    }
    Some(out.into_iter().collect())
}
