//! The activity form as typed: every field a string, nested lists as indexed rows read from
//! plain `name=value` pairs, rows added and removed without losing what was typed.
//!
//! Uses nothing else of the crate.

use std::collections::{BTreeMap, BTreeSet};

use validator::Validate;

/// One purpose row as typed.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
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
    /// The purpose is direct marketing (Art. 21(2)-(3)).
    pub direct_marketing: bool,
    /// The purpose is carried out without automated means (paper files only), which rules out
    /// portability (Art. 20(1)(b)); unticked, the processing is automated.
    pub manual_only: bool,
}

/// One joint-controller row as typed.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
pub struct JointControllerRow {
    /// Party id.
    pub party_id: String,
    /// The arrangement under Art. 26.
    #[validate(length(max = 2000, message = "Responsibilities are at most 2000 characters"))]
    pub responsibilities: String,
}

/// One row of a controller on whose behalf a processor activity is carried out.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
pub struct ControllerRow {
    /// Party id.
    pub party_id: String,
    /// Categories of processing carried out for this controller.
    #[validate(length(
        max = 2000,
        message = "Categories of processing are at most 2000 characters"
    ))]
    pub processing_categories: String,
    /// Name and contact details of the controller's representative (Art. 27), where it has one.
    #[validate(length(max = 1000, message = "Representative is at most 1000 characters"))]
    pub representative: String,
}

/// One recipient row as typed.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
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
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
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
    /// The recipient is inside the scope of a partial adequacy decision (Art. 45).
    pub scope_confirmed: bool,
    /// Reference of the transfer impact assessment.
    #[validate(length(
        max = 500,
        message = "Transfer impact assessment reference is at most 500 characters"
    ))]
    pub tia_reference: String,
}

/// One retention row as typed.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
pub struct RetentionRow {
    /// Ids of the personal-data categories it covers, as ticked.
    pub data_category_ids: Vec<String>,
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

impl RetentionRow {
    /// Whether nothing was typed in it but its categories: with one category at most, an
    /// offered rule left as offered, which a save passes over (the gap "time limits for
    /// erasure" then says what is missing).
    pub fn untyped(&self) -> bool {
        self.period_value.trim().is_empty()
            && self.criterion.trim().is_empty()
            && self.start_event.trim().is_empty()
            && self.legal_reference.trim().is_empty()
    }
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

    /// What one row of the list is called on the form: "Purpose", "Transfer", ...
    pub fn noun(self) -> &'static str {
        match self {
            Self::Purposes => "Purpose",
            Self::JointControllers => "Joint controller",
            Self::Controllers => "Controller",
            Self::Recipients => "Recipient",
            Self::Transfers => "Transfer",
            Self::Retention => "Retention rule",
        }
    }
}

/// The form's fields in the order the page shows them (a row's field as `list[].field`): the
/// error summary lists errors in this order.
pub const FIELD_ORDER: &[&str] = &[
    "organisation_id",
    "role",
    "reference",
    "status",
    "owner",
    "name",
    "business_function",
    "description",
    "joint_controllers[].party_id",
    "joint_controllers[].responsibilities",
    "joint_controllers",
    "controllers[].party_id",
    "controllers[].processing_categories",
    "controllers[].representative",
    "controllers",
    "purposes[].description",
    "purposes[].bases",
    "purposes[].legitimate_interest",
    "purposes[].balancing_test_ref",
    "purposes[].direct_marketing",
    "purposes[].manual_only",
    "purposes",
    "subjects",
    "data_categories",
    "special_conditions",
    "special_legal_reference",
    "criminal_basis",
    "criminal_legal_reference",
    "no_recipients",
    "recipients[].party_id",
    "recipients[].data_received",
    "recipients[].reason",
    "recipients",
    "no_transfers",
    "transfers[].country",
    "transfers[].organisation",
    "transfers[].party_id",
    "transfers[].mechanism",
    "transfers[].safeguards",
    "transfers[].scope_confirmed",
    "transfers[].tia_reference",
    "transfers",
    "retention[].data_category_ids",
    "retention[].period_value",
    "retention[].period_unit",
    "retention[].start_event",
    "retention[].criterion",
    "retention[].legal_reference",
    "retention",
    "retention_policy_ref",
    "security_description",
    "measures",
    "data_source",
    "systems",
    "data_location",
    "automated_processing",
    "automated_decision_description",
    "automated_exception",
    "automated_logic",
    "automated_safeguards",
    "dpia_required",
    "dpia_status",
    "dpia_reference",
    "dpia_completed_on",
    "dpia_screening",
    "dpia_not_required_reason",
    "privacy_notice_ref",
    "consent_record_ref",
    "processor_contract_ref",
    "breach_occurred",
    "breach_record_ref",
    "last_reviewed",
    "next_review",
];

/// Everything a user submits for an activity, exactly as typed.
#[derive(Debug, Clone, Default, Validate, serde::Serialize)]
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
    /// Automated processing code (Art. 22).
    pub automated_processing: String,
    /// Its description.
    #[validate(length(max = 2000, message = "Description is at most 2000 characters"))]
    pub automated_decision_description: String,
    /// Art. 22(2) exception code, for solely automated decisions.
    pub automated_exception: String,
    /// The logic involved (Art. 13(2)(f), 14(2)(g)).
    #[validate(length(max = 2000, message = "Logic involved is at most 2000 characters"))]
    pub automated_logic: String,
    /// The safeguards (Art. 22(3)).
    #[validate(length(max = 2000, message = "Safeguards are at most 2000 characters"))]
    pub automated_safeguards: String,
    /// DPIA completion date.
    pub dpia_completed_on: String,
    /// No recipients, declared.
    pub no_recipients: bool,
    /// No transfers to third countries or international organisations, declared.
    pub no_transfers: bool,
    /// DPIA required code.
    pub dpia_required: String,
    /// DPIA status code.
    pub dpia_status: String,
    /// DPIA reference.
    #[validate(length(max = 500, message = "DPIA reference is at most 500 characters"))]
    pub dpia_reference: String,
    /// The DPIA screening's answers as posted: question code to "yes", "no" or "".
    pub dpia_screening: std::collections::BTreeMap<String, String>,
    /// Why no DPIA is carried out although the screening points to one.
    #[validate(length(
        max = 4000,
        message = "The reason a DPIA is not required is at most 4000 characters"
    ))]
    pub dpia_not_required_reason: String,
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
                    ("purposes", "direct_marketing") => {
                        row(&mut purposes, i).direct_marketing = is_on(&v)
                    }
                    ("purposes", "manual_only") => row(&mut purposes, i).manual_only = is_on(&v),
                    ("joint_controllers", "party_id") => row(&mut joint, i).party_id = v,
                    ("joint_controllers", "responsibilities") => {
                        row(&mut joint, i).responsibilities = v
                    }
                    ("controllers", "party_id") => row(&mut controllers, i).party_id = v,
                    ("controllers", "processing_categories") => {
                        row(&mut controllers, i).processing_categories = v
                    }
                    ("controllers", "representative") => {
                        row(&mut controllers, i).representative = v
                    }
                    ("recipients", "party_id") => row(&mut recipients, i).party_id = v,
                    ("recipients", "data_received") => row(&mut recipients, i).data_received = v,
                    ("recipients", "reason") => row(&mut recipients, i).reason = v,
                    ("transfers", "country") => row(&mut transfers, i).country = v,
                    ("transfers", "organisation") => row(&mut transfers, i).organisation = v,
                    ("transfers", "party_id") => row(&mut transfers, i).party_id = v,
                    ("transfers", "mechanism") => row(&mut transfers, i).mechanism = v,
                    ("transfers", "safeguards") => row(&mut transfers, i).safeguards = v,
                    ("transfers", "scope_confirmed") => {
                        row(&mut transfers, i).scope_confirmed = is_on(&v)
                    }
                    ("transfers", "tia_reference") => row(&mut transfers, i).tia_reference = v,
                    // `data_category_id`: one category a rule, as forms sent before rules could
                    // cover several (a form kept over an upgrade, a sign-in's resumed save).
                    ("retention", "data_category_ids" | "data_category_id") => {
                        row(&mut retention, i).data_category_ids.push(v)
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
                "automated_processing" => form.automated_processing = v,
                "automated_decision_description" => form.automated_decision_description = v,
                "automated_exception" => form.automated_exception = v,
                "automated_logic" => form.automated_logic = v,
                "automated_safeguards" => form.automated_safeguards = v,
                "dpia_completed_on" => form.dpia_completed_on = v,
                "no_recipients" => form.no_recipients = is_on(&v),
                "no_transfers" => form.no_transfers = is_on(&v),
                "dpia_required" => form.dpia_required = v,
                "dpia_status" => form.dpia_status = v,
                "dpia_reference" => form.dpia_reference = v,
                "dpia_not_required_reason" => form.dpia_not_required_reason = v,
                k if k.starts_with("dpia_screening.") => {
                    let code = &k["dpia_screening.".len()..];
                    form.dpia_screening.insert(code.to_owned(), v);
                }
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

    /// Offers a retention rule for each ticked personal-data category that no rule covers
    /// yet, with that category ticked in it (Art. 30(1)(f) asks for a time limit for each
    /// category); a row holding nothing at all gives way to them. The categories offered in a
    /// rule are the ticked ones, so a rule can then take in several.
    pub fn offer_retention_rows(&mut self) {
        let covered: BTreeSet<&str> = self
            .retention
            .iter()
            .flat_map(|r| r.data_category_ids.iter().map(|c| c.trim()))
            .collect();
        let mut missing: Vec<String> = Vec::new();
        for c in &self.data_categories {
            let c = c.trim();
            if !c.is_empty() && !covered.contains(c) && !missing.iter().any(|m| m == c) {
                missing.push(c.to_owned());
            }
        }
        if missing.is_empty() {
            return;
        }
        self.retention
            .retain(|r| !(r.untyped() && r.data_category_ids.iter().all(|c| c.trim().is_empty())));
        self.retention
            .extend(missing.into_iter().map(|c| RetentionRow {
                data_category_ids: vec![c],
                ..Default::default()
            }));
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
}

/// Whether a checkbox value means "ticked".
pub(super) fn is_on(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "yes" | "1")
}
