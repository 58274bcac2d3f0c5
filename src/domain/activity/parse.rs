//! Parsing an activity form into a draft, with the legal rules decided on codes: Art. 6(1)
//! bases per purpose, Art. 9(2) and Art. 10 for special and criminal-offence data, Chapter V
//! for transfers, Art. 30(1)(f) retention, Art. 30(2) for processor records. Every error is
//! attached to its field.
//!
//! Uses `domain::{errors, vocab}`, `domain::activity::{choices, draft, form}`.

use std::collections::BTreeSet;

use validator::Validate;

use super::choices::*;
use super::draft::*;
use super::form::*;
use crate::domain::dpia::{yes_no, DpiaQuestion, DpiaScreening};
use crate::domain::errors::FieldErrors;
use crate::domain::reference::adequacy_for_organisation;
use crate::domain::text::{clean, parse_date};
use crate::domain::vocab::{
    AutomatedDecisionException, AutomatedProcessing, Country, CriminalBasis, DpiaRequired,
    DpiaStatus, LawfulBasis, PartyKind, RetentionUnit, Role, Sensitivity, SpecialCondition, Status,
    TransferMechanism,
};
use crate::domain::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};

impl ActivityForm {
    /// Parses the form against what exists, into a valid draft or the errors of every field;
    /// a row's errors name the row ("Purpose 2: ...").
    pub fn parse(&self, choices: &Choices) -> Result<ActivityDraft, FieldErrors> {
        self.parse_fields(choices).map_err(|mut errors| {
            errors.name_rows(|list| RowList::from_name(list).map(RowList::noun));
            errors
        })
    }

    fn parse_fields(&self, choices: &Choices) -> Result<ActivityDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut form = self.clone();
        form.name = clean(&form.name);
        form.reference = clean(&form.reference);
        crate::domain::text::check_form(
            &form,
            &[
                "reference",
                "organisation_id",
                "role",
                "status",
                "criminal_basis",
                "dpia_required",
                "dpia_status",
                "dpia_completed_on",
                "automated_processing",
                "automated_exception",
                "country",
                "mechanism",
                "party_id",
                "data_category_id",
                "period_value",
                "period_unit",
                "bases",
                "special_conditions",
                "subjects",
                "data_categories",
                "measures",
            ],
            &mut errors,
        );
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
        // The screening: each answer yes, no or none (WP248 rev.01, Art. 35(3)).
        let mut dpia_screening = DpiaScreening::default();
        for (code, answer) in &form.dpia_screening {
            let Some(question) = DpiaQuestion::from_code(code) else {
                errors.add(
                    "dpia_screening",
                    format!("DPIA screening: there is no question \"{code}\""),
                );
                continue;
            };
            match answer.trim() {
                "" => {}
                a => match yes_no(a) {
                    Some(yes) => {
                        dpia_screening.answers.insert(question, yes);
                    }
                    None => errors.add(
                        "dpia_screening",
                        format!("DPIA screening, {}: answer yes or no", question.short()),
                    ),
                },
            }
        }
        let automated_processing = match form.automated_processing.trim() {
            "" => Some(AutomatedProcessing::NoAutomatedDecisions),
            c => AutomatedProcessing::from_code(c),
        };
        match automated_processing {
            None => errors.add(
                "automated_processing",
                "Automated processing must be chosen from the list (Art. 22)",
            ),
            Some(AutomatedProcessing::NoAutomatedDecisions) => {}
            Some(_) if clean(&form.automated_decision_description).is_empty() => errors.add(
                "automated_decision_description",
                "Describe the profiling or automated decision-making (Art. 22; ICO column 17)",
            ),
            Some(_) => {}
        }
        let automated_exception = match form.automated_exception.trim() {
            "" => None,
            c => {
                let e = AutomatedDecisionException::from_code(c);
                if e.is_none() {
                    errors.add(
                        "automated_exception",
                        "The Art. 22(2) exception must be chosen from the list",
                    );
                }
                e
            }
        };
        let dpia_completed_on = parse_date(
            &mut errors,
            "dpia_completed_on",
            "DPIA completed on",
            &form.dpia_completed_on,
        );
        if dpia_completed_on.is_some()
            && !matches!(
                dpia_status,
                Some(DpiaStatus::Completed | DpiaStatus::UnderReview) | None
            )
        {
            errors.add(
                "dpia_completed_on",
                "A completion date goes with a DPIA that is completed or under review: change the progress or clear the date",
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
                && !row.direct_marketing
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
            // A processor's purposes rest on its client's basis, not one of its own (Art. 28(3)(a)).
            if bases.is_empty() && role != Some(Role::Processor) {
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
                direct_marketing: row.direct_marketing,
                automated_means: !row.manual_only,
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
            if row.party_id.trim().is_empty()
                && row.processing_categories.trim().is_empty()
                && row.representative.trim().is_empty()
            {
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
                    representative: clean(&row.representative),
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
        if form.no_recipients && !recipients.is_empty() {
            errors.add(
                "no_recipients",
                "You declared that there are no recipients but listed some: untick the declaration or remove the rows (Art. 30(1)(d))",
            );
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
                (code, "") => match Country::parse(code) {
                    Some(c) if c.in_eea() => {
                        errors.add(
                            key("country"),
                            format!("{} is in the EEA or is EU territory: sending data there is not a Chapter V transfer", c.name()),
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
                },
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
                Some(TransferMechanism::AdequacyDecision) => match &destination {
                    Some(Destination::Country(c)) if c.adequacy().is_none() => errors.add(
                        key("mechanism"),
                        format!(
                            "There is no adequacy decision for {} (Art. 45): choose another mechanism",
                            c.name()
                        ),
                    ),
                    Some(Destination::Organisation(o)) if adequacy_for_organisation(o).is_none() => {
                        errors.add(
                            key("mechanism"),
                            "Among international organisations only the European Patent Organisation has an adequacy decision (Art. 45): choose another mechanism",
                        )
                    }
                    _ => {}
                },
                Some(_) => {}
            }
            if let (Some(destination), Some(mechanism)) = (destination, mechanism) {
                transfers.push(Transfer {
                    destination,
                    party_id,
                    mechanism,
                    safeguards: clean(&row.safeguards),
                    scope_confirmed: row.scope_confirmed,
                    tia_reference: clean(&row.tia_reference),
                });
            }
        }

        if form.no_transfers && !transfers.is_empty() {
            errors.add(
                "no_transfers",
                "You declared that there are no transfers but listed some: untick the declaration or remove the rows (Art. 30(1)(e))",
            );
        }

        let chosen: BTreeSet<DataCategoryId> = data_categories
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let mut retention = Vec::new();
        for (i, row) in form.retention.iter().enumerate() {
            // A rule offered for a ticked category and left as offered holds nothing typed (a
            // rule the user gave several categories is theirs: it needs its period).
            let ticked = row
                .data_category_ids
                .iter()
                .filter(|c| !c.trim().is_empty())
                .count();
            if row.untyped() && ticked <= 1 {
                continue;
            }
            let key = |f: &str| format!("retention[{i}].{f}");
            let mut categories: Vec<DataCategoryId> = Vec::new();
            let mut categories_valid = true;
            for raw in row
                .data_category_ids
                .iter()
                .filter(|c| !c.trim().is_empty())
            {
                match raw.trim().parse::<DataCategoryId>().ok() {
                    Some(id) if chosen.contains(&id) => {
                        if !categories.contains(&id) {
                            categories.push(id);
                        }
                    }
                    Some(id) if choices.data_categories.iter().any(|c| c.id == id) => {
                        categories_valid = false;
                        let label = choices
                            .data_categories
                            .iter()
                            .find(|c| c.id == id)
                            .map(|c| c.label.as_str())
                            .unwrap_or_default();
                        errors.add(
                            key("data_category_ids"),
                            format!(
                                "Tick \u{201c}{label}\u{201d} under personal data above before giving its retention, or untick it here"
                            ),
                        );
                    }
                    _ => {
                        categories_valid = false;
                        errors.add(
                            key("data_category_ids"),
                            "Choose among the personal-data categories ticked above",
                        );
                    }
                }
            }
            if categories.is_empty() && categories_valid {
                errors.add(
                    key("data_category_ids"),
                    "Tick the personal-data categories this rule governs",
                );
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
                        errors.add(
                            key("period_unit"),
                            "Choose hours, days, weeks, months or years",
                        );
                        None
                    }
                },
            };
            if let (false, Some(period)) = (categories.is_empty() || !categories_valid, period) {
                retention.push(RetentionRule {
                    data_category_ids: categories,
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
            automated_processing,
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
                Some(automated_processing),
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
                automated_processing,
                automated_decision_description: clean(&form.automated_decision_description),
                automated_exception,
                automated_logic: clean(&form.automated_logic),
                automated_safeguards: clean(&form.automated_safeguards),
                dpia_completed_on,
                no_recipients: form.no_recipients,
                no_transfers: form.no_transfers,
                dpia_required,
                dpia_status,
                dpia_reference: clean(&form.dpia_reference),
                dpia_screening,
                dpia_not_required_reason: clean(&form.dpia_not_required_reason),
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

/// Parses a list of ids in the order given, dropping blanks and repeats; `None` if any is
/// unknown.
fn ids<T>(raw: &[String], exists: impl Fn(T) -> bool) -> Option<Vec<T>>
where
    T: std::str::FromStr + Copy + PartialEq,
{
    let mut out = Vec::new();
    for value in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = value.parse::<T>().ok().filter(|id| exists(*id))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Some(out)
}
