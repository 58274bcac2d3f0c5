//! Importing a JSON register document into an empty database, in one transaction.
//!
//! Every record goes through the same parsing as the browser forms, so the same legal rules
//! hold; a problem is reported with its JSON path and nothing is written.
//!
//! Uses `domain::{activity, catalogue, document, errors, organisation, party, vocab}`,
//! `store::{activities, audit, catalogues, organisations, parties, schema}`.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::activities::NewActivity;
use super::audit::{self, Actor, Change};
use super::schema::{
    activities, data_categories, organisations, parties, security_measures, subject_categories,
};
use super::{activities as activity_store, catalogues, DbConnection, StoreError};
use crate::domain::activity::ActivityForm;
use crate::domain::catalogue::{CatalogueDraft, CatalogueKind};
use crate::domain::checks::acknowledgement::Acknowledgement;
use crate::domain::document::{RegisterDocument, FORMAT, FORMAT_VERSION};
use crate::domain::errors::FieldErrors;
use crate::domain::organisation::OrganisationForm;
use crate::domain::party::PartyForm;
use crate::domain::text;
use crate::domain::vocab::{AutomatedProcessing, MeasureFamily, MeasureKind, Sensitivity, Status};

/// Why an import was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The document is not valid JSON of the expected shape.
    #[error("{path}: {message}")]
    Invalid {
        /// JSON path of the problem, like `$.activities[3].purposes[0].lawful_bases[1]`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The database already holds a register.
    #[error("the database is not empty ({0}); import only into a new database")]
    NotEmpty(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Store(e.into())
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Parses a document, reporting a malformed one with the JSON path of the problem.
pub fn parse_document(json: &str) -> Result<RegisterDocument, ImportError> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            "$".to_owned()
        } else {
            format!("$.{path}")
        };
        invalid(path, e.inner().to_string())
    })
}

/// Maps a form field key to the document's field name.
fn doc_field(key: &str) -> String {
    let mut k = key.to_owned();
    for (from, to) in [
        (".bases", ".lawful_bases"),
        (".party_id", ".party"),
        (".data_category_ids", ".data_categories"),
        (".organisation", ".international_organisation"),
    ] {
        if k.ends_with(from) {
            k = format!("{}{}", &k[..k.len() - from.len()], to);
        }
    }
    match k.as_str() {
        "organisation_id" => "organisation".into(),
        "measures" => "security_measures".into(),
        _ => k,
    }
}

fn first_error(prefix: &str, errors: &FieldErrors) -> ImportError {
    match errors.iter().next() {
        Some((field, message)) => invalid(format!("{prefix}.{}", doc_field(field)), message),
        None => invalid(prefix, "invalid"),
    }
}

/// Counts of what was imported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Organisations.
    pub organisations: usize,
    /// Parties.
    pub parties: usize,
    /// Activities.
    pub activities: usize,
}

/// Imports a document into an empty database in one transaction.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    doc: &RegisterDocument,
) -> Result<ImportSummary, ImportError> {
    import_with(conn, actor, doc, &|_| {})
}

/// [`import`], calling `progress` with the number of activities checked so far (the command
/// line's progress bar).
pub fn import_with(
    conn: &mut DbConnection,
    actor: &Actor,
    doc: &RegisterDocument,
    progress: &dyn Fn(usize),
) -> Result<ImportSummary, ImportError> {
    if doc.format != FORMAT {
        return Err(invalid("$.format", format!("expected \"{FORMAT}\"")));
    }
    if !(1..=FORMAT_VERSION).contains(&doc.format_version) {
        return Err(invalid(
            "$.format_version",
            format!(
                "this ropa reads format versions 1 to {FORMAT_VERSION}, the document has {}",
                doc.format_version
            ),
        ));
    }
    check_text_and_times(doc)?;
    let summary = audit::write(conn, actor, |conn, audit| {
        let orgs: i64 = organisations::table.count().get_result(conn)?;
        let pts: i64 = parties::table.count().get_result(conn)?;
        let acts: i64 = activities::table.count().get_result(conn)?;
        if orgs + pts + acts > 0 {
            return Err(ImportError::NotEmpty(format!(
                "{orgs} organisations, {pts} parties, {acts} activities"
            )));
        }
        let summary = super::bulk_load(conn, |conn| load(conn, doc, progress))?;
        let label = format!(
            "{} organisations, {} parties, {} activities",
            summary.organisations, summary.parties, summary.activities
        );
        let after = serde_json::json!({
            "format_version": doc.format_version,
            "generated_at": doc.generated_at,
            "organisations": summary.organisations,
            "parties": summary.parties,
            "activities": summary.activities,
        });
        audit.record(Change::values::<(), _>(
            "import",
            "register",
            None,
            &label,
            None,
            Some(&after),
        ));
        Ok(summary)
    })?;
    super::analyze_after_bulk_load(conn)?;
    Ok(summary)
}

/// The document's text and times obey the rules of every input path (`domain::text`): no
/// control characters (no line breaks in names, codes and references), times within the years
/// the register accepts. Checked before anything is written; the error names the JSON path.
fn check_text_and_times(doc: &RegisterDocument) -> Result<(), ImportError> {
    let mut errors = FieldErrors::new();
    text::check_form(
        doc,
        &[
            "code",
            "reference",
            "country",
            "kind",
            "family",
            "sensitivity",
            "role",
            "status",
            "mechanism",
            "format",
        ],
        &mut errors,
    );
    if let Some((field, message)) = errors.iter().next() {
        return Err(invalid(format!("$.{field}"), message));
    }
    let out_of_range = |path: String, at: chrono::NaiveDateTime| {
        (!text::timestamp_in_range(at)).then(|| {
            invalid(
                path,
                format!(
                    "a time between {} and {} is expected",
                    text::FIRST_YEAR,
                    text::LAST_YEAR
                ),
            )
        })
    };
    let mut times = vec![("$.generated_at".to_owned(), doc.generated_at)];
    for (i, o) in doc.organisations.iter().enumerate() {
        times.push((format!("$.organisations[{i}].created_at"), o.created_at));
        times.push((format!("$.organisations[{i}].updated_at"), o.updated_at));
    }
    for (i, p) in doc.parties.iter().enumerate() {
        times.push((format!("$.parties[{i}].created_at"), p.created_at));
        times.push((format!("$.parties[{i}].updated_at"), p.updated_at));
    }
    for (i, a) in doc.activities.iter().enumerate() {
        times.push((format!("$.activities[{i}].created_at"), a.created_at));
        times.push((format!("$.activities[{i}].updated_at"), a.updated_at));
    }
    match times
        .into_iter()
        .find_map(|(path, at)| out_of_range(path, at))
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Writes the document into the emptied register; inside the transaction of [`import`].
fn load(
    conn: &mut DbConnection,
    doc: &RegisterDocument,
    progress: &dyn Fn(usize),
) -> Result<ImportSummary, ImportError> {
    // The catalogues seeded at start give way to the document's.
    diesel::delete(data_categories::table).execute(conn)?;
    diesel::delete(subject_categories::table).execute(conn)?;
    diesel::delete(security_measures::table).execute(conn)?;
    let mut data_ids = HashMap::new();
    for (i, e) in doc.catalogues.data_categories.iter().enumerate() {
        let path = format!("$.catalogues.data_categories[{i}]");
        let sensitivity = Sensitivity::from_code(&e.sensitivity).ok_or_else(|| {
            invalid(
                format!("{path}.sensitivity"),
                format!("unknown sensitivity `{}`", e.sensitivity),
            )
        })?;
        let draft = catalogue_draft(&path, &e.code, &e.label, &e.article, &e.description)?;
        let draft = CatalogueDraft {
            sensitivity,
            ..draft
        };
        let id = insert_entry(conn, CatalogueKind::DataCategories, &draft, e.seeded, &path)?;
        if data_ids.insert(e.code.clone(), id).is_some() {
            return Err(invalid(
                format!("{path}.code"),
                format!("duplicate code `{}`", e.code),
            ));
        }
    }
    let mut subject_ids = HashMap::new();
    for (i, e) in doc.catalogues.subject_categories.iter().enumerate() {
        let path = format!("$.catalogues.subject_categories[{i}]");
        let draft = catalogue_draft(&path, &e.code, &e.label, "", &e.description)?;
        let draft = CatalogueDraft {
            vulnerable: e.vulnerable,
            ..draft
        };
        let id = insert_entry(
            conn,
            CatalogueKind::SubjectCategories,
            &draft,
            e.seeded,
            &path,
        )?;
        if subject_ids.insert(e.code.clone(), id).is_some() {
            return Err(invalid(
                format!("{path}.code"),
                format!("duplicate code `{}`", e.code),
            ));
        }
    }
    let mut measure_ids = HashMap::new();
    for (i, e) in doc.catalogues.security_measures.iter().enumerate() {
        let path = format!("$.catalogues.security_measures[{i}]");
        let kind = MeasureKind::from_code(&e.kind)
            .ok_or_else(|| invalid(format!("{path}.kind"), format!("unknown kind `{}`", e.kind)))?;
        let family = MeasureFamily::from_code(&e.family).ok_or_else(|| {
            invalid(
                format!("{path}.family"),
                format!("unknown family `{}`", e.family),
            )
        })?;
        let draft = catalogue_draft(&path, &e.code, &e.label, &e.article, &e.description)?;
        let draft = CatalogueDraft {
            kind,
            family,
            ..draft
        };
        let id = insert_entry(
            conn,
            CatalogueKind::SecurityMeasures,
            &draft,
            e.seeded,
            &path,
        )?;
        if measure_ids.insert(e.code.clone(), id).is_some() {
            return Err(invalid(
                format!("{path}.code"),
                format!("duplicate code `{}`", e.code),
            ));
        }
    }

    let mut org_ids = HashMap::new();
    for (i, o) in doc.organisations.iter().enumerate() {
        let path = format!("$.organisations[{i}]");
        let form = OrganisationForm {
            name: o.name.clone(),
            legal_address: o.legal_address.clone(),
            email: o.email.clone(),
            phone: o.phone.clone(),
            registration_number: o.registration_number.clone(),
            country: o.country.clone(),
            representative: o.representative.clone(),
            dpo: o.dpo.clone(),
            supervisory_authority: o.supervisory_authority.clone(),
            review_interval_months: o.review_interval_months.to_string(),
            reference_prefix: o.reference_prefix.clone(),
            version: String::new(),
        };
        let draft = form.parse().map_err(|e| first_error(&path, &e))?;
        if org_ids.contains_key(&o.name) {
            return Err(invalid(
                format!("{path}.name"),
                format!("duplicate organisation `{}`", o.name),
            ));
        }
        let id = super::organisations::insert_unaudited(conn, &draft)
            .map_err(|e| store_field(e, &path))?;
        diesel::update(organisations::table.find(id.0))
            .set((
                organisations::created_at.eq(o.created_at),
                organisations::updated_at.eq(o.updated_at),
            ))
            .execute(conn)?;
        org_ids.insert(o.name.clone(), id.0);
    }

    let mut party_ids = HashMap::new();
    for (i, p) in doc.parties.iter().enumerate() {
        let path = format!("$.parties[{i}]");
        let form = PartyForm {
            name: p.name.clone(),
            kind: p.kind.clone(),
            country: p.country.clone(),
            contact: p.contact.clone(),
            address: p.address.clone(),
            contract_reference: p.contract_reference.clone(),
            contract_date: p.contract_date.map(|d| d.to_string()).unwrap_or_default(),
            dpf_checked_on: p.dpf_checked_on.map(|d| d.to_string()).unwrap_or_default(),
            notes: p.notes.clone(),
            version: String::new(),
        };
        let draft = form.parse().map_err(|e| first_error(&path, &e))?;
        if party_ids.contains_key(&p.name) {
            return Err(invalid(
                format!("{path}.name"),
                format!("duplicate party `{}`", p.name),
            ));
        }
        let id =
            super::parties::insert_unaudited(conn, &draft).map_err(|e| store_field(e, &path))?;
        diesel::update(parties::table.find(id.0))
            .set((
                parties::created_at.eq(p.created_at),
                parties::updated_at.eq(p.updated_at),
            ))
            .execute(conn)?;
        party_ids.insert(p.name.clone(), id.0);
    }

    let choices = activity_store::choices(conn)?;
    let mut seen = HashSet::new();
    let mut drafts = Vec::with_capacity(doc.activities.len());
    for (i, a) in doc.activities.iter().enumerate() {
        let path = format!("$.activities[{i}]");
        let org = org_ids.get(&a.organisation).ok_or_else(|| {
            invalid(
                format!("{path}.organisation"),
                format!("no organisation named `{}` in the document", a.organisation),
            )
        })?;
        if a.reference.trim().is_empty() {
            return Err(invalid(
                format!("{path}.reference"),
                "every activity needs its reference",
            ));
        }
        if !seen.insert((*org, a.reference.clone())) {
            return Err(invalid(
                format!("{path}.reference"),
                format!(
                    "duplicate reference `{}` in organisation `{}`",
                    a.reference, a.organisation
                ),
            ));
        }
        let party = |name: &str, field: String| -> Result<String, ImportError> {
            party_ids.get(name).map(|id| id.to_string()).ok_or_else(|| {
                invalid(
                    format!("{path}.{field}"),
                    format!("no party named `{name}` in the document"),
                )
            })
        };
        let code = |map: &HashMap<String, i64>,
                    code: &str,
                    field: String|
         -> Result<String, ImportError> {
            map.get(code).map(|id| id.to_string()).ok_or_else(|| {
                invalid(
                    format!("{path}.{field}"),
                    format!("no catalogue entry with code `{code}`"),
                )
            })
        };
        // Version 1 had a yes/no flag for automated decision-making, and an empty list of
        // transfers meant none; version 2 says both in its own fields.
        let (automated, no_transfers) = match (doc.format_version, a.automated_decision) {
            (1, flag) => (
                if flag == Some(true) {
                    AutomatedProcessing::SolelyAutomatedDecisions
                        .code()
                        .to_owned()
                } else {
                    a.automated_processing.clone()
                },
                a.no_transfers || a.transfers.is_empty(),
            ),
            (_, Some(_)) => {
                return Err(invalid(
                    format!("{path}.automated_decision"),
                    "version 1's yes/no flag: a version 2 document gives automated_processing",
                ))
            }
            _ => (a.automated_processing.clone(), a.no_transfers),
        };
        let mut pairs: Vec<(String, String)> = vec![
            ("organisation_id".into(), org.to_string()),
            ("role".into(), a.role.clone()),
            ("reference".into(), a.reference.clone()),
            ("name".into(), a.name.clone()),
            ("description".into(), a.description.clone()),
            ("business_function".into(), a.business_function.clone()),
            ("owner".into(), a.owner.clone()),
            ("status".into(), a.status.clone()),
            (
                "special_legal_reference".into(),
                a.special_legal_reference.clone(),
            ),
            (
                "criminal_basis".into(),
                a.criminal_basis.clone().unwrap_or_default(),
            ),
            (
                "criminal_legal_reference".into(),
                a.criminal_legal_reference.clone(),
            ),
            ("data_source".into(), a.data_source.clone()),
            ("systems".into(), a.systems.clone()),
            ("data_location".into(), a.data_location.clone()),
            ("automated_processing".into(), automated),
            (
                "automated_decision_description".into(),
                a.automated_decision_description.clone(),
            ),
            (
                "automated_exception".into(),
                a.automated_exception.clone().unwrap_or_default(),
            ),
            ("automated_logic".into(), a.automated_logic.clone()),
            (
                "automated_safeguards".into(),
                a.automated_safeguards.clone(),
            ),
            (
                "dpia_completed_on".into(),
                a.dpia_completed_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ("no_recipients".into(), flag(a.no_recipients)),
            ("no_transfers".into(), flag(no_transfers)),
            ("dpia_required".into(), a.dpia_required.clone()),
            ("dpia_status".into(), a.dpia_status.clone()),
            ("dpia_reference".into(), a.dpia_reference.clone()),
            (
                "dpia_not_required_reason".into(),
                a.dpia_not_required_reason.clone(),
            ),
            ("privacy_notice_ref".into(), a.privacy_notice_ref.clone()),
            ("consent_record_ref".into(), a.consent_record_ref.clone()),
            (
                "processor_contract_ref".into(),
                a.processor_contract_ref.clone(),
            ),
            (
                "retention_policy_ref".into(),
                a.retention_policy_ref.clone(),
            ),
            (
                "breach_occurred".into(),
                if a.breach_occurred {
                    "on".into()
                } else {
                    String::new()
                },
            ),
            ("breach_record_ref".into(), a.breach_record_ref.clone()),
            (
                "security_description".into(),
                a.security_description.clone(),
            ),
            (
                "last_reviewed".into(),
                a.last_reviewed.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                "next_review".into(),
                a.next_review.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ];
        for c in &a.special_conditions {
            pairs.push(("special_conditions".into(), c.clone()));
        }
        for (j, s) in a.subjects.iter().enumerate() {
            pairs.push((
                "subjects".into(),
                code(&subject_ids, s, format!("subjects[{j}]"))?,
            ));
        }
        for (j, c) in a.data_categories.iter().enumerate() {
            pairs.push((
                "data_categories".into(),
                code(&data_ids, c, format!("data_categories[{j}]"))?,
            ));
        }
        for (j, m) in a.security_measures.iter().enumerate() {
            pairs.push((
                "measures".into(),
                code(&measure_ids, m, format!("security_measures[{j}]"))?,
            ));
        }
        for (j, p) in a.purposes.iter().enumerate() {
            if p.description.trim().is_empty() {
                return Err(invalid(
                    format!("{path}.purposes[{j}].description"),
                    "describe the purpose",
                ));
            }
            pairs.push((format!("purposes[{j}].description"), p.description.clone()));
            for b in &p.lawful_bases {
                pairs.push((format!("purposes[{j}].bases"), b.clone()));
            }
            pairs.push((
                format!("purposes[{j}].direct_marketing"),
                flag(p.direct_marketing),
            ));
            pairs.push((
                format!("purposes[{j}].manual_only"),
                flag(!p.automated_means),
            ));
            pairs.push((
                format!("purposes[{j}].legitimate_interest"),
                p.legitimate_interest.clone(),
            ));
            pairs.push((
                format!("purposes[{j}].balancing_test_ref"),
                p.balancing_test_ref.clone(),
            ));
        }
        for (j, x) in a.joint_controllers.iter().enumerate() {
            pairs.push((
                format!("joint_controllers[{j}].party_id"),
                party(&x.party, format!("joint_controllers[{j}].party"))?,
            ));
            pairs.push((
                format!("joint_controllers[{j}].responsibilities"),
                x.responsibilities.clone(),
            ));
        }
        for (j, x) in a.controllers.iter().enumerate() {
            pairs.push((
                format!("controllers[{j}].party_id"),
                party(&x.party, format!("controllers[{j}].party"))?,
            ));
            pairs.push((
                format!("controllers[{j}].processing_categories"),
                x.processing_categories.clone(),
            ));
            pairs.push((
                format!("controllers[{j}].representative"),
                x.representative.clone(),
            ));
        }
        for (j, x) in a.recipients.iter().enumerate() {
            pairs.push((
                format!("recipients[{j}].party_id"),
                party(&x.party, format!("recipients[{j}].party"))?,
            ));
            pairs.push((
                format!("recipients[{j}].data_received"),
                x.data_received.clone(),
            ));
            pairs.push((format!("recipients[{j}].reason"), x.reason.clone()));
        }
        for (j, t) in a.transfers.iter().enumerate() {
            pairs.push((
                format!("transfers[{j}].country"),
                t.country.clone().unwrap_or_default(),
            ));
            pairs.push((
                format!("transfers[{j}].organisation"),
                t.international_organisation.clone(),
            ));
            if let Some(p) = &t.party {
                pairs.push((
                    format!("transfers[{j}].party_id"),
                    party(p, format!("transfers[{j}].party"))?,
                ));
            }
            pairs.push((format!("transfers[{j}].mechanism"), t.mechanism.clone()));
            pairs.push((format!("transfers[{j}].safeguards"), t.safeguards.clone()));
            pairs.push((
                format!("transfers[{j}].scope_confirmed"),
                flag(t.scope_confirmed),
            ));
            pairs.push((
                format!("transfers[{j}].tia_reference"),
                t.tia_reference.clone(),
            ));
        }
        for (code, answer) in &a.dpia_screening {
            pairs.push((format!("dpia_screening.{code}"), answer.clone()));
        }
        for (j, r) in a.retention.iter().enumerate() {
            // The form passes over a rule with nothing but its category (one offered and left
            // as it was); a document's rule is never passed over.
            if r.period_value.is_none() && r.criterion.trim().is_empty() {
                return Err(invalid(
                    format!("{path}.retention[{j}].period_value"),
                    "Give a period (number and unit) or the criterion used to set it (Art. 30(1)(f))",
                ));
            }
            // Versions 1 and 2 name one category a rule.
            if let Some(one) = &r.data_category {
                pairs.push((
                    format!("retention[{j}].data_category_ids"),
                    code(&data_ids, one, format!("retention[{j}].data_category"))?,
                ));
            }
            for (k, c) in r.data_categories.iter().enumerate() {
                pairs.push((
                    format!("retention[{j}].data_category_ids"),
                    code(&data_ids, c, format!("retention[{j}].data_categories[{k}]"))?,
                ));
            }
            pairs.push((
                format!("retention[{j}].period_value"),
                r.period_value.map(|v| v.to_string()).unwrap_or_default(),
            ));
            pairs.push((
                format!("retention[{j}].period_unit"),
                r.period_unit.clone().unwrap_or_default(),
            ));
            pairs.push((format!("retention[{j}].criterion"), r.criterion.clone()));
            pairs.push((format!("retention[{j}].start_event"), r.start_event.clone()));
            pairs.push((
                format!("retention[{j}].legal_reference"),
                r.legal_reference.clone(),
            ));
        }
        let form = ActivityForm::from_pairs(&pairs);
        drafts.push(form.parse(&choices).map_err(|e| first_error(&path, &e))?);
        progress(i + 1);
    }
    // Every activity was checked above (references included): written in batches.
    let batch: Vec<NewActivity<'_>> = drafts
        .iter()
        .zip(&doc.activities)
        .map(|(draft, a)| NewActivity {
            draft,
            created_at: a.created_at,
            updated_at: a.updated_at,
            // Only a retired activity has a reason for being retired.
            retirement_reason: if draft.status == Status::Retired {
                &a.retirement_reason
            } else {
                ""
            },
        })
        .collect();
    let ids = activity_store::insert_many_unaudited(conn, &batch)
        .map_err(|e| store_field(e, "$.activities"))?;
    // The findings accepted with a reason come back with their activity; the findings
    // themselves are recomputed, never read.
    let mut acknowledged = Vec::new();
    for (i, (id, a)) in ids.iter().zip(&doc.activities).enumerate() {
        for (j, ack) in a.acknowledgements.iter().enumerate() {
            let read = Acknowledgement::checked(ack).map_err(|problem| {
                let (field, message) = problem.split_once(": ").unwrap_or(("rule", &problem));
                invalid(
                    format!("$.activities[{i}].acknowledgements[{j}].{field}"),
                    message.to_owned(),
                )
            })?;
            acknowledged.push((id.0, read));
        }
    }
    super::acknowledgements::insert_unaudited(conn, &acknowledged)?;
    let summary = ImportSummary {
        organisations: org_ids.len(),
        parties: party_ids.len(),
        activities: doc.activities.len(),
    };
    Ok(summary)
}

/// A checkbox's value in the form's pairs.
fn flag(on: bool) -> String {
    if on {
        "on".into()
    } else {
        String::new()
    }
}

fn store_field(e: StoreError, path: &str) -> ImportError {
    match e {
        StoreError::Duplicate { field, message } => invalid(format!("{path}.{field}"), message),
        other => ImportError::Store(other),
    }
}

fn catalogue_draft(
    path: &str,
    code: &str,
    label: &str,
    article: &str,
    description: &str,
) -> Result<CatalogueDraft, ImportError> {
    let valid = !code.is_empty()
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(invalid(
            format!("{path}.code"),
            format!("`{code}` is not a snake_case code"),
        ));
    }
    if text::trim(label).is_empty() {
        return Err(invalid(format!("{path}.label"), "label is required"));
    }
    Ok(CatalogueDraft {
        code: code.to_owned(),
        label: label.to_owned(),
        description: description.to_owned(),
        article: article.to_owned(),
        sensitivity: Sensitivity::Standard,
        vulnerable: false,
        kind: MeasureKind::Organisational,
        family: MeasureFamily::Other,
    })
}

fn insert_entry(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    draft: &CatalogueDraft,
    seeded: bool,
    path: &str,
) -> Result<i64, ImportError> {
    catalogues::insert_seeded(conn, kind, draft, seeded).map_err(|e| match e {
        StoreError::Duplicate { .. } => invalid(
            format!("{path}.code"),
            format!("duplicate code `{}`", draft.code),
        ),
        other => ImportError::Store(other),
    })
}
