//! Processing activities in the database: write a draft with its lists, read the full record,
//! search the register.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::prepared;
use super::records::{activity_snapshot, SnapshotCodes};
use super::schema::{
    activities, activity_data_categories, activity_measures, activity_special_conditions,
    activity_subjects, data_categories, joint_controllers, organisations, parties, purpose_bases,
    purposes, recipients, represented_controllers, retention_rules, security_measures,
    subject_categories, transfers,
};
use super::{fold, now, DbConnection, StoreError, StoreResult};
use crate::domain::activity::{
    ActivityDraft, ActivityForm, Choices, ControllerRow, DataCategoryChoice, Destination,
    JointControllerRow, MeasureChoice, OrganisationChoice, PartyChoice, PurposeRow, RecipientRow,
    RetentionPeriod, RetentionRow, SubjectChoice, TransferRow,
};
use crate::domain::catalogue::CatalogueKind;
use crate::domain::completeness::{gaps, Facts, Gap};
use crate::domain::vocab::{
    Country, CriminalBasis, DpiaRequired, DpiaStatus, LawfulBasis, MeasureFamily, MeasureKind,
    PartyKind, RetentionUnit, Role, Sensitivity, SpecialCondition, Status, TransferMechanism,
};
use crate::domain::{
    ActivityId, DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId,
};

type TransferRowTuple = (
    i64,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
);
type RetentionRowTuple = (
    i64,
    i64,
    String,
    Option<i32>,
    Option<String>,
    String,
    String,
    String,
);
type SummaryRowTuple = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    NaiveDateTime,
    Option<String>,
);
type FilteredQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<activities::table, organisations::table>,
    Backend,
>;
type AloneQuery = diesel::dsl::IntoBoxed<'static, activities::table, Backend>;
type Backend = <DbConnection as diesel::Connection>::Backend;

fn bad_code(what: &str, code: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("unknown {what} code `{code}` in the database").into(),
    )
}

fn code<T>(
    what: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, diesel::result::Error> {
    parse(raw).ok_or_else(|| bad_code(what, raw))
}

/// Loads everything an activity form may refer to.
pub fn choices(conn: &mut DbConnection) -> StoreResult<Choices> {
    let organisations = organisations::table
        .order(organisations::name.asc())
        .select((
            organisations::id,
            organisations::name,
            organisations::review_interval_months,
        ))
        .load::<(i64, String, i32)>(conn)?
        .into_iter()
        .map(|(id, name, review_interval_months)| OrganisationChoice {
            id: OrganisationId(id),
            name,
            review_interval_months,
        })
        .collect();
    let parties = parties::table
        .order(parties::name.asc())
        .select((parties::id, parties::name, parties::kind, parties::country))
        .load::<(i64, String, String, String)>(conn)?
        .into_iter()
        .filter_map(|(id, name, kind, country)| {
            Some(PartyChoice {
                id: PartyId(id),
                name,
                kind: PartyKind::from_code(&kind)?,
                country: Country::parse(&country),
            })
        })
        .collect();
    let catalogue = |conn: &mut DbConnection, kind| super::catalogues::list(conn, kind);
    let data_categories = catalogue(conn, CatalogueKind::DataCategories)?
        .into_iter()
        .map(|e| DataCategoryChoice {
            id: DataCategoryId(e.id),
            label: e.label,
            sensitivity: e.sensitivity.unwrap_or(Sensitivity::Standard),
        })
        .collect();
    let subject_categories = catalogue(conn, CatalogueKind::SubjectCategories)?
        .into_iter()
        .map(|e| SubjectChoice {
            id: SubjectCategoryId(e.id),
            label: e.label,
            vulnerable: e.vulnerable,
        })
        .collect();
    let measures = catalogue(conn, CatalogueKind::SecurityMeasures)?
        .into_iter()
        .map(|e| MeasureChoice {
            id: MeasureId(e.id),
            label: e.label,
            kind: e.kind.unwrap_or(MeasureKind::Organisational),
            family: e.family.unwrap_or(MeasureFamily::Other),
        })
        .collect();
    Ok(Choices {
        organisations,
        parties,
        data_categories,
        subject_categories,
        measures,
    })
}

fn search_text(d: &ActivityDraft, reference: &str) -> String {
    let mut parts = vec![
        reference,
        d.name.as_str(),
        d.description.as_str(),
        d.business_function.as_str(),
        d.owner.as_str(),
        d.systems.as_str(),
        d.data_source.as_str(),
    ];
    parts.extend(d.purposes.iter().map(|p| p.description.as_str()));
    fold(&parts.join("\n"))
}

/// The next free `PA-NNN` reference of an organisation.
fn next_reference(conn: &mut DbConnection, organisation: OrganisationId) -> StoreResult<String> {
    let existing: Vec<String> = activities::table
        .filter(activities::organisation_id.eq(organisation.0))
        .filter(activities::reference.like("PA-%"))
        .select(activities::reference)
        .load(conn)?;
    let highest = existing
        .iter()
        .filter_map(|r| r.strip_prefix("PA-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("PA-{:03}", highest + 1))
}

fn reference_taken(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    reference: &str,
    except: Option<ActivityId>,
) -> StoreResult<bool> {
    let mut q = activities::table
        .filter(activities::organisation_id.eq(organisation.0))
        .filter(activities::reference.eq(reference))
        .select(activities::id)
        .into_boxed::<Backend>();
    if let Some(id) = except {
        q = q.filter(activities::id.ne(id.0));
    }
    Ok(q.first::<i64>(conn).optional()?.is_some())
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = activities, treat_none_as_null = true)]
struct ActivityValues<'a> {
    organisation_id: i64,
    role: &'a str,
    reference: &'a str,
    name: &'a str,
    description: &'a str,
    business_function: &'a str,
    owner: &'a str,
    status: &'a str,
    criminal_basis: Option<&'a str>,
    criminal_legal_reference: &'a str,
    special_legal_reference: &'a str,
    data_source: &'a str,
    systems: &'a str,
    data_location: &'a str,
    automated_decision: bool,
    automated_decision_description: &'a str,
    dpia_required: &'a str,
    dpia_status: &'a str,
    dpia_reference: &'a str,
    privacy_notice_ref: &'a str,
    consent_record_ref: &'a str,
    processor_contract_ref: &'a str,
    retention_policy_ref: &'a str,
    breach_occurred: bool,
    breach_record_ref: &'a str,
    security_description: &'a str,
    last_reviewed: Option<NaiveDate>,
    next_review: Option<NaiveDate>,
    search_text: String,
    gaps: String,
}

/// The sensitivity of every personal-data category, by id: what decides whether an activity
/// needs an Art. 9(2) condition or an Art. 10 basis.
fn sensitivities(conn: &mut DbConnection) -> StoreResult<HashMap<i64, Sensitivity>> {
    let rows: Vec<(i64, String)> = data_categories::table
        .select((data_categories::id, data_categories::sensitivity))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, s)| Ok((id, code("sensitivity", &s, Sensitivity::from_code)?)))
        .collect()
}

/// The facts of a draft, as its stored rows will give them (see `facts_for`).
fn draft_facts(d: &ActivityDraft, sensitivity: &HashMap<i64, Sensitivity>) -> Facts {
    let retained: std::collections::HashSet<i64> =
        d.retention.iter().map(|r| r.data_category_id.0).collect();
    let mut f = Facts {
        role: Some(d.role),
        purposes: d.purposes.len(),
        subjects: d.subjects.len(),
        data_categories: d.data_categories.len(),
        categories_with_retention: d
            .data_categories
            .iter()
            .filter(|c| retained.contains(&c.0))
            .count(),
        recipients: d.recipients.len(),
        measures: d.measures.len(),
        security_description: !d.security_description.is_empty(),
        special_conditions: d.special_conditions.len(),
        criminal_basis: d.criminal_basis.is_some(),
        controllers: d.controllers.len(),
        ..Facts::default()
    };
    for c in &d.data_categories {
        match sensitivity.get(&c.0) {
            Some(Sensitivity::SpecialCategory) => f.special_data = true,
            Some(Sensitivity::CriminalOffence) => f.criminal_data = true,
            _ => {}
        }
    }
    f
}

fn values<'a>(
    d: &'a ActivityDraft,
    reference: &'a str,
    sensitivity: &HashMap<i64, Sensitivity>,
) -> ActivityValues<'a> {
    ActivityValues {
        organisation_id: d.organisation_id.0,
        role: d.role.code(),
        reference,
        name: &d.name,
        description: &d.description,
        business_function: &d.business_function,
        owner: &d.owner,
        status: d.status.code(),
        criminal_basis: d.criminal_basis.map(|b| b.code()),
        criminal_legal_reference: &d.criminal_legal_reference,
        special_legal_reference: &d.special_legal_reference,
        data_source: &d.data_source,
        systems: &d.systems,
        data_location: &d.data_location,
        automated_decision: d.automated_decision,
        automated_decision_description: &d.automated_decision_description,
        dpia_required: d.dpia_required.code(),
        dpia_status: d.dpia_status.code(),
        dpia_reference: &d.dpia_reference,
        privacy_notice_ref: &d.privacy_notice_ref,
        consent_record_ref: &d.consent_record_ref,
        processor_contract_ref: &d.processor_contract_ref,
        retention_policy_ref: &d.retention_policy_ref,
        breach_occurred: d.breach_occurred,
        breach_record_ref: &d.breach_record_ref,
        security_description: &d.security_description,
        last_reviewed: d.last_reviewed,
        next_review: d.next_review,
        search_text: search_text(d, reference),
        gaps: Gap::encode(&gaps(&draft_facts(d, sensitivity))),
    }
}

fn duplicate_reference() -> StoreError {
    StoreError::Duplicate {
        field: "reference",
        message: "Another activity of this organisation already has this reference".into(),
    }
}

/// Rows to a multi-row INSERT: at most 12 columns a row, so at most 6,000 bound parameters,
/// well within SQLite's 32,766 and PostgreSQL's 65,535.
const BATCH_ROWS: usize = 500;

/// More rows than this go to PostgreSQL by binary `COPY` (a bulk load); fewer (a save) in one
/// INSERT, as `COPY` costs more to set up than it saves on a few rows.
const COPY_FROM_ROWS: usize = 64;

/// Writes `$rows` into `$table` on either backend (diesel's batch insert is written per
/// backend, not for the multi-backend connection): on SQLite one multi-row INSERT per
/// [`BATCH_ROWS`] rows, on PostgreSQL one INSERT for a few rows or else one binary `COPY`, which
/// skips parsing and planning a statement with thousands of parameters.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match &mut *$conn {
            DbConnection::Sqlite(c) => {
                for chunk in $rows.chunks(BATCH_ROWS) {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
            DbConnection::Pg(c) if $rows.len() <= COPY_FROM_ROWS => {
                if !$rows.is_empty() {
                    diesel::insert_into($table).values(&$rows).execute(c)?;
                }
            }
            DbConnection::Pg(c) => {
                diesel::copy_from($table)
                    .from_insertable(&$rows)
                    .execute(c)?;
            }
        }
    };
}

/// Like [`insert_rows`], returning `$returning` of every row inserted.
macro_rules! insert_rows_returning {
    ($conn:expr, $table:expr, $rows:expr, $returning:expr, $ty:ty, $per:expr) => {{
        let mut out: Vec<$ty> = Vec::with_capacity($rows.len());
        for chunk in $rows.chunks($per) {
            let mut got: Vec<$ty> = match &mut *$conn {
                DbConnection::Sqlite(c) => diesel::insert_into($table)
                    .values(chunk)
                    .returning($returning)
                    .get_results(c)?,
                DbConnection::Pg(c) => diesel::insert_into($table)
                    .values(chunk)
                    .returning($returning)
                    .get_results(c)?,
            };
            out.append(&mut got);
        }
        out
    }};
}

/// Writes the nested lists of activities (after any old ones were deleted): one INSERT per
/// table for all of them, whatever the number of rows.
fn insert_children(conn: &mut DbConnection, items: &[(i64, &ActivityDraft)]) -> StoreResult<()> {
    let purpose_rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.purposes.iter().enumerate().map(move |(position, p)| {
                (
                    purposes::activity_id.eq(*id),
                    purposes::position.eq(position as i32),
                    purposes::description.eq(&p.description),
                    purposes::legitimate_interest.eq(&p.legitimate_interest),
                    purposes::balancing_test_ref.eq(&p.balancing_test_ref),
                )
            })
        })
        .collect();
    // Each purpose is found again by (activity, position), not by the order of the rows
    // returned, which neither backend promises.
    let purpose_ids: HashMap<(i64, i32), i64> = insert_rows_returning!(
        conn,
        purposes::table,
        purpose_rows,
        (purposes::activity_id, purposes::position, purposes::id),
        (i64, i32, i64),
        BATCH_ROWS
    )
    .into_iter()
    .map(|(activity, position, id)| ((activity, position), id))
    .collect();
    let mut basis_rows = Vec::new();
    for (id, d) in items {
        for (position, p) in d.purposes.iter().enumerate() {
            let purpose_id = purpose_ids
                .get(&(*id, position as i32))
                .copied()
                .ok_or(StoreError::NotFound)?;
            for basis in &p.bases {
                basis_rows.push((
                    purpose_bases::purpose_id.eq(purpose_id),
                    purpose_bases::activity_id.eq(*id),
                    purpose_bases::basis.eq(basis.code()),
                ));
            }
        }
    }
    insert_rows!(conn, purpose_bases::table, basis_rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.special_conditions.iter().map(move |c| {
                (
                    activity_special_conditions::activity_id.eq(*id),
                    activity_special_conditions::condition_code.eq(c.code()),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_special_conditions::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.subjects.iter().map(move |s| {
                (
                    activity_subjects::activity_id.eq(*id),
                    activity_subjects::subject_category_id.eq(s.0),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_subjects::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.data_categories.iter().map(move |c| {
                (
                    activity_data_categories::activity_id.eq(*id),
                    activity_data_categories::data_category_id.eq(c.0),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_data_categories::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.measures.iter().map(move |m| {
                (
                    activity_measures::activity_id.eq(*id),
                    activity_measures::security_measure_id.eq(m.0),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_measures::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.joint_controllers
                .iter()
                .enumerate()
                .map(move |(position, j)| {
                    (
                        joint_controllers::activity_id.eq(*id),
                        joint_controllers::party_id.eq(j.party_id.0),
                        joint_controllers::position.eq(position as i32),
                        joint_controllers::responsibilities.eq(&j.responsibilities),
                    )
                })
        })
        .collect();
    insert_rows!(conn, joint_controllers::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.controllers.iter().enumerate().map(move |(position, c)| {
                (
                    represented_controllers::activity_id.eq(*id),
                    represented_controllers::party_id.eq(c.party_id.0),
                    represented_controllers::position.eq(position as i32),
                    represented_controllers::processing_categories.eq(&c.processing_categories),
                )
            })
        })
        .collect();
    insert_rows!(conn, represented_controllers::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.recipients.iter().enumerate().map(move |(position, r)| {
                (
                    recipients::activity_id.eq(*id),
                    recipients::party_id.eq(r.party_id.0),
                    recipients::position.eq(position as i32),
                    recipients::data_received.eq(&r.data_received),
                    recipients::reason.eq(&r.reason),
                )
            })
        })
        .collect();
    insert_rows!(conn, recipients::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.transfers.iter().enumerate().map(move |(position, t)| {
                let (country, organisation) = match &t.destination {
                    Destination::Country(c) => (Some(c.code()), ""),
                    Destination::Organisation(o) => (None, o.as_str()),
                };
                (
                    transfers::activity_id.eq(*id),
                    transfers::position.eq(position as i32),
                    transfers::destination_country.eq(country),
                    transfers::destination_organisation.eq(organisation),
                    transfers::party_id.eq(t.party_id.map(|p| p.0)),
                    transfers::mechanism.eq(t.mechanism.code()),
                    transfers::safeguards.eq(&t.safeguards),
                )
            })
        })
        .collect();
    insert_rows!(conn, transfers::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.retention.iter().enumerate().map(move |(position, r)| {
                let (value, unit) = match r.period {
                    RetentionPeriod::Fixed { value, unit } => (Some(value), Some(unit.code())),
                    RetentionPeriod::Criterion(_) => (None, None),
                };
                (
                    retention_rules::activity_id.eq(*id),
                    retention_rules::data_category_id.eq(r.data_category_id.0),
                    retention_rules::position.eq(position as i32),
                    retention_rules::period_value.eq(value),
                    retention_rules::period_unit.eq(unit),
                    retention_rules::criterion.eq(&r.criterion),
                    retention_rules::start_event.eq(&r.start_event),
                    retention_rules::legal_reference.eq(&r.legal_reference),
                )
            })
        })
        .collect();
    insert_rows!(conn, retention_rules::table, rows);
    Ok(())
}

fn delete_children(conn: &mut DbConnection, id: i64) -> StoreResult<()> {
    match conn {
        // One round trip instead of eleven: the save holds the audit trail's head meanwhile.
        DbConnection::Pg(c) => {
            prepared::DeleteByActivity {
                tables: LIST_TABLES,
                id,
            }
            .execute(c)?;
        }
        // In-process statements cost little; SQLite has no deleting CTEs.
        DbConnection::Sqlite(c) => {
            for table in LIST_TABLES.chunks(1) {
                prepared::DeleteByActivity { tables: table, id }.execute(c)?;
            }
        }
    }
    Ok(())
}

/// The tables of an activity's lists, each with its `activity_id` (purposes' lawful bases
/// before the purposes).
pub(crate) const LIST_TABLES: &[&str] = &[
    "purpose_bases",
    "purposes",
    "activity_special_conditions",
    "activity_subjects",
    "activity_data_categories",
    "activity_measures",
    "joint_controllers",
    "represented_controllers",
    "recipients",
    "transfers",
    "retention_rules",
];

/// Creates an activity with all its lists in one transaction; generates the reference when blank.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &ActivityDraft,
) -> StoreResult<ActivityId> {
    audit::write(conn, actor, |conn, audit| {
        let id = insert_unaudited(conn, draft)?;
        let after = activity_snapshot(conn, id.0)?;
        let label = format!("{} {}", after.reference, after.name);
        audit.record(Change::values::<(), _>(
            "create",
            "activity",
            Some(id.0),
            &label,
            None,
            Some(&after),
        ));
        Ok(id)
    })
}

/// Creates an activity without an audit entry (imports record one entry for the whole).
pub(crate) fn insert_unaudited(
    conn: &mut DbConnection,
    draft: &ActivityDraft,
) -> StoreResult<ActivityId> {
    conn.transaction(|conn| {
        let reference = match &draft.reference {
            Some(r) => {
                if reference_taken(conn, draft.organisation_id, r, None)? {
                    return Err(duplicate_reference());
                }
                r.clone()
            }
            None => next_reference(conn, draft.organisation_id)?,
        };
        let at = now();
        let sensitivity = sensitivities(conn)?;
        let id: i64 = diesel::insert_into(activities::table)
            .values((
                values(draft, &reference, &sensitivity),
                activities::version.eq(1i64),
                activities::created_at.eq(at),
                activities::updated_at.eq(at),
            ))
            .returning(activities::id)
            .get_result(conn)
            .map_err(|e| {
                if super::is_unique_violation(&e) {
                    duplicate_reference()
                } else {
                    e.into()
                }
            })?;
        insert_children(conn, &[(id, draft)])?;
        Ok(ActivityId(id))
    })
}

/// An activity to create in bulk, with the times it was created and last changed.
pub(crate) struct NewActivity<'a> {
    /// What to write.
    pub draft: &'a ActivityDraft,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Time of the last change.
    pub updated_at: NaiveDateTime,
}

/// Activities (with their rows) written per multi-row INSERT in [`insert_many_unaudited`]:
/// 32 bound parameters an activity row.
const BATCH_ACTIVITIES: usize = 250;

/// Creates many activities without audit entries (imports and generated registers): several
/// activities to a statement, so a register of 10,000 takes hundreds of statements, not
/// hundreds of thousands. Blank references are numbered per organisation as [`insert`] does.
/// A reference used twice fails the whole call with the usual duplicate error.
pub(crate) fn insert_many_unaudited(
    conn: &mut DbConnection,
    items: &[NewActivity<'_>],
) -> StoreResult<Vec<ActivityId>> {
    conn.transaction(|conn| {
        let mut highest: HashMap<i64, u32> = HashMap::new();
        let mut references = Vec::with_capacity(items.len());
        for item in items {
            let reference = match &item.draft.reference {
                Some(r) => r.clone(),
                None => {
                    let org = item.draft.organisation_id;
                    let next = match highest.get(&org.0) {
                        Some(n) => n + 1,
                        None => {
                            let first = next_reference(conn, org)?;
                            first
                                .strip_prefix("PA-")
                                .and_then(|n| n.parse::<u32>().ok())
                                .unwrap_or(1)
                        }
                    };
                    highest.insert(org.0, next);
                    format!("PA-{next:03}")
                }
            };
            references.push(reference);
        }
        let sensitivity = sensitivities(conn)?;
        let rows: Vec<_> = items
            .iter()
            .zip(&references)
            .map(|(item, reference)| {
                (
                    values(item.draft, reference, &sensitivity),
                    activities::version.eq(1i64),
                    activities::created_at.eq(item.created_at),
                    activities::updated_at.eq(item.updated_at),
                )
            })
            .collect();
        let inserted: Vec<(i64, String, i64)> = (|| -> StoreResult<_> {
            Ok(insert_rows_returning!(
                conn,
                activities::table,
                rows,
                (
                    activities::organisation_id,
                    activities::reference,
                    activities::id
                ),
                (i64, String, i64),
                BATCH_ACTIVITIES
            ))
        })()
        .map_err(|e| match e {
            StoreError::Db(e) if super::is_unique_violation(&e) => duplicate_reference(),
            other => other,
        })?;
        // Found again by (organisation, reference), which is unique, not by row order.
        let ids: HashMap<(i64, &str), i64> = inserted
            .iter()
            .map(|(org, reference, id)| ((*org, reference.as_str()), *id))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (item, reference) in items.iter().zip(&references) {
            let id = ids
                .get(&(item.draft.organisation_id.0, reference.as_str()))
                .copied()
                .ok_or(StoreError::NotFound)?;
            out.push((id, item.draft));
        }
        for chunk in out.chunks(BATCH_ACTIVITIES) {
            insert_children(conn, chunk)?;
        }
        Ok(out.into_iter().map(|(id, _)| ActivityId(id)).collect())
    })
}

fn current_version(conn: &mut DbConnection, id: ActivityId) -> StoreResult<(i64, i64, String)> {
    activities::table
        .find(id.0)
        .select((
            activities::version,
            activities::organisation_id,
            activities::reference,
        ))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Whether an activity exists.
pub fn exists(conn: &mut DbConnection, id: ActivityId) -> StoreResult<bool> {
    Ok(activities::table
        .find(id.0)
        .select(activities::id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}

/// What the trail records as an activity's state before a change, read ahead of the write
/// transaction so that the audit trail's head (which serialises every write) is held for the
/// write alone: the catalogue codes and the activity's snapshot at `version`. A conflict seen
/// here is reported at once; the version is checked again under the head, so a change in
/// between is still a conflict and the snapshot is the state the change replaces.
fn before_change(
    conn: &mut DbConnection,
    id: ActivityId,
    version: i64,
) -> StoreResult<(SnapshotCodes, crate::export::json::ActivityDoc)> {
    let (seen, _, _) = current_version(conn, id)?;
    if seen != version {
        return Err(StoreError::Conflict { current: seen });
    }
    let codes = SnapshotCodes::load(conn)?;
    let before = codes.snapshot(conn, id.0)?;
    Ok((codes, before))
}

/// Replaces an activity and all its lists if it is still at `version`, in one transaction.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ActivityId,
    version: i64,
    draft: &ActivityDraft,
) -> StoreResult<()> {
    let (codes, before) = before_change(conn, id, version)?;
    audit::write(conn, actor, |conn, audit| {
        let (current, organisation, old_reference) = current_version(conn, id)?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let reference = match &draft.reference {
            Some(r) => {
                if reference_taken(conn, draft.organisation_id, r, Some(id))? {
                    return Err(duplicate_reference());
                }
                r.clone()
            }
            None if organisation == draft.organisation_id.0 => old_reference,
            None => next_reference(conn, draft.organisation_id)?,
        };
        let sensitivity = sensitivities(conn)?;
        // Every field is written (`treat_none_as_null`): one statement, kept prepared.
        let changed = prepared::update(
            activities::table,
            activities::id.eq(id.0).and(activities::version.eq(version)),
            (
                values(draft, &reference, &sensitivity),
                activities::version.eq(version + 1),
                activities::updated_at.eq(now()),
            ),
        )
        .execute(conn)
        .map_err(|e| {
            if super::is_unique_violation(&e) {
                duplicate_reference()
            } else {
                e.into()
            }
        })?;
        if changed == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        delete_children(conn, id.0)?;
        insert_children(conn, &[(id.0, draft)])?;
        let after = codes.snapshot(conn, id.0)?;
        let label = format!("{} {}", after.reference, after.name);
        audit.record(Change::values(
            "update",
            "activity",
            Some(id.0),
            &label,
            Some(&before),
            Some(&after),
        ));
        Ok(())
    })
}

/// Changes only the status (retire, reactivate) if the activity is still at `version`.
pub fn set_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ActivityId,
    version: i64,
    status: Status,
) -> StoreResult<()> {
    let (codes, before) = before_change(conn, id, version)?;
    audit::write(conn, actor, |conn, audit| {
        let (current, _, _) = current_version(conn, id)?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        diesel::update(
            activities::table
                .filter(activities::id.eq(id.0))
                .filter(activities::version.eq(version)),
        )
        .set((
            activities::status.eq(status.code()),
            activities::version.eq(version + 1),
            activities::updated_at.eq(now()),
        ))
        .execute(conn)?;
        let after = codes.snapshot(conn, id.0)?;
        let label = format!("{} {}", after.reference, after.name);
        let action = match status {
            Status::Retired => "retire",
            Status::Active => "activate",
            Status::Draft => "set_draft",
        };
        audit.record(Change::values(
            action,
            "activity",
            Some(id.0),
            &label,
            Some(&before),
            Some(&after),
        ));
        Ok(())
    })
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
}

type ActivityRow = (
    (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    (
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        bool,
        String,
    ),
    (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
    ),
    (
        Option<NaiveDate>,
        Option<NaiveDate>,
        i64,
        NaiveDateTime,
        NaiveDateTime,
        String,
    ),
);

/// Loads one whole activity: a fixed number of queries whatever its size.
pub fn get(conn: &mut DbConnection, id: ActivityId) -> StoreResult<ActivityDetail> {
    let mut list = load_details(conn, &[id.0])?;
    list.pop().ok_or(StoreError::NotFound)
}

/// Loads whole activities by id, in the order given; a fixed number of queries for any number.
pub fn load_details(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<ActivityDetail>> {
    let rows: Vec<ActivityRow> = activities::table
        .inner_join(organisations::table)
        .filter(activities::id.eq_any(ids))
        .select((
            (
                activities::id,
                activities::organisation_id,
                organisations::name,
                activities::role,
                activities::reference,
                activities::name,
                activities::description,
                activities::business_function,
                activities::owner,
            ),
            (
                activities::criminal_basis,
                activities::status,
                activities::criminal_legal_reference,
                activities::special_legal_reference,
                activities::data_source,
                activities::systems,
                activities::automated_decision,
                activities::data_location,
            ),
            (
                activities::automated_decision_description,
                activities::dpia_required,
                activities::dpia_status,
                activities::dpia_reference,
                activities::privacy_notice_ref,
                activities::consent_record_ref,
                activities::processor_contract_ref,
                activities::breach_occurred,
                activities::breach_record_ref,
                activities::retention_policy_ref,
            ),
            (
                activities::last_reviewed,
                activities::next_review,
                activities::version,
                activities::created_at,
                activities::updated_at,
                activities::security_description,
            ),
        ))
        .load(conn)?;

    let mut details: HashMap<i64, ActivityDetail> = HashMap::new();
    for (a, b, c, d) in rows {
        let detail = ActivityDetail {
            id: a.0,
            organisation_id: a.1,
            organisation_name: a.2,
            role: code("role", &a.3, Role::from_code)?,
            reference: a.4,
            name: a.5,
            description: a.6,
            business_function: a.7,
            owner: a.8,
            criminal_basis: match b.0 {
                Some(c) => Some(code("Art. 10 basis", &c, CriminalBasis::from_code)?),
                None => None,
            },
            status: code("status", &b.1, Status::from_code)?,
            criminal_legal_reference: b.2,
            special_legal_reference: b.3,
            data_source: b.4,
            systems: b.5,
            automated_decision: b.6,
            data_location: b.7,
            automated_decision_description: c.0,
            dpia_required: code("DPIA required", &c.1, DpiaRequired::from_code)?,
            dpia_status: code("DPIA status", &c.2, DpiaStatus::from_code)?,
            dpia_reference: c.3,
            privacy_notice_ref: c.4,
            consent_record_ref: c.5,
            processor_contract_ref: c.6,
            breach_occurred: c.7,
            breach_record_ref: c.8,
            retention_policy_ref: c.9,
            last_reviewed: d.0,
            next_review: d.1,
            version: d.2,
            created_at: d.3,
            updated_at: d.4,
            security_description: d.5,
            special_conditions: Vec::new(),
            subjects: Vec::new(),
            data_categories: Vec::new(),
            measures: Vec::new(),
            purposes: Vec::new(),
            joint_controllers: Vec::new(),
            controllers: Vec::new(),
            recipients: Vec::new(),
            transfers: Vec::new(),
            retention: Vec::new(),
        };
        details.insert(detail.id, detail);
    }
    if details.is_empty() {
        return Ok(Vec::new());
    }

    let purpose_rows: Vec<(i64, i64, String, String, String)> = purposes::table
        .filter(purposes::activity_id.eq_any(ids))
        .order((purposes::activity_id, purposes::position))
        .select((
            purposes::id,
            purposes::activity_id,
            purposes::description,
            purposes::legitimate_interest,
            purposes::balancing_test_ref,
        ))
        .load(conn)?;
    let basis_rows: Vec<(i64, String)> = purpose_bases::table
        .filter(purpose_bases::activity_id.eq_any(ids))
        .select((purpose_bases::purpose_id, purpose_bases::basis))
        .load(conn)?;
    let mut bases: BTreeMap<i64, Vec<LawfulBasis>> = BTreeMap::new();
    for (purpose, basis) in basis_rows {
        bases.entry(purpose).or_default().push(code(
            "lawful basis",
            &basis,
            LawfulBasis::from_code,
        )?);
    }
    for (pid, aid, description, legitimate_interest, balancing_test_ref) in purpose_rows {
        if let Some(d) = details.get_mut(&aid) {
            let mut b = bases.remove(&pid).unwrap_or_default();
            b.sort();
            d.purposes.push(PurposeView {
                description,
                bases: b,
                legitimate_interest,
                balancing_test_ref,
            });
        }
    }

    let conditions: Vec<(i64, String)> = activity_special_conditions::table
        .filter(activity_special_conditions::activity_id.eq_any(ids))
        .select((
            activity_special_conditions::activity_id,
            activity_special_conditions::condition_code,
        ))
        .load(conn)?;
    for (aid, c) in conditions {
        if let Some(d) = details.get_mut(&aid) {
            d.special_conditions
                .push(code("Art. 9 condition", &c, SpecialCondition::from_code)?);
        }
    }

    let subjects: Vec<(i64, i64, String, bool)> = activity_subjects::table
        .inner_join(subject_categories::table)
        .filter(activity_subjects::activity_id.eq_any(ids))
        .order(subject_categories::label.asc())
        .select((
            activity_subjects::activity_id,
            subject_categories::id,
            subject_categories::label,
            subject_categories::vulnerable,
        ))
        .load(conn)?;
    for (aid, id, label, vulnerable) in subjects {
        if let Some(d) = details.get_mut(&aid) {
            d.subjects.push(EntryRef {
                id,
                label,
                sensitivity: Sensitivity::Standard,
                vulnerable,
                kind: None,
                family: None,
            });
        }
    }

    let categories: Vec<(i64, i64, String, String)> = activity_data_categories::table
        .inner_join(data_categories::table)
        .filter(activity_data_categories::activity_id.eq_any(ids))
        .order((
            data_categories::sensitivity.desc(),
            data_categories::label.asc(),
        ))
        .select((
            activity_data_categories::activity_id,
            data_categories::id,
            data_categories::label,
            data_categories::sensitivity,
        ))
        .load(conn)?;
    for (aid, id, label, sensitivity) in categories {
        if let Some(d) = details.get_mut(&aid) {
            let sensitivity = code("sensitivity", &sensitivity, Sensitivity::from_code)?;
            d.data_categories.push(EntryRef {
                id,
                label,
                sensitivity,
                vulnerable: false,
                kind: None,
                family: None,
            });
        }
    }

    let measures: Vec<(i64, i64, String, String, String)> = activity_measures::table
        .inner_join(security_measures::table)
        .filter(activity_measures::activity_id.eq_any(ids))
        .order((
            security_measures::family.asc(),
            security_measures::label.asc(),
        ))
        .select((
            activity_measures::activity_id,
            security_measures::id,
            security_measures::label,
            security_measures::kind,
            security_measures::family,
        ))
        .load(conn)?;
    for (aid, id, label, kind, family) in measures {
        if let Some(d) = details.get_mut(&aid) {
            d.measures.push(EntryRef {
                id,
                label,
                sensitivity: Sensitivity::Standard,
                vulnerable: false,
                kind: MeasureKind::from_code(&kind),
                family: MeasureFamily::from_code(&family),
            });
        }
    }

    type LinkRow = (
        i64,
        i64,
        String,
        (String, String, String, String, String, String, String),
    );
    let party_cols = (
        parties::name,
        parties::kind,
        parties::country,
        parties::contact,
        parties::address,
        parties::contract_reference,
        parties::notes,
    );
    let link = |(
        _,
        party_id,
        text,
        (name, kind, country, contact, address, contract_reference, _),
    ): LinkRow,
                detail: String| PartyLink {
        party_id,
        name,
        kind: PartyKind::from_code(&kind),
        country: Country::parse(&country),
        contact,
        address,
        contract_reference,
        text,
        detail,
    };
    let joint: Vec<LinkRow> = joint_controllers::table
        .inner_join(parties::table)
        .filter(joint_controllers::activity_id.eq_any(ids))
        .order((joint_controllers::activity_id, joint_controllers::position))
        .select((
            joint_controllers::activity_id,
            joint_controllers::party_id,
            joint_controllers::responsibilities,
            party_cols,
        ))
        .load(conn)?;
    for row in joint {
        if let Some(d) = details.get_mut(&row.0) {
            d.joint_controllers.push(link(row, String::new()));
        }
    }
    let controllers: Vec<LinkRow> = represented_controllers::table
        .inner_join(parties::table)
        .filter(represented_controllers::activity_id.eq_any(ids))
        .order((
            represented_controllers::activity_id,
            represented_controllers::position,
        ))
        .select((
            represented_controllers::activity_id,
            represented_controllers::party_id,
            represented_controllers::processing_categories,
            party_cols,
        ))
        .load(conn)?;
    for row in controllers {
        if let Some(d) = details.get_mut(&row.0) {
            d.controllers.push(link(row, String::new()));
        }
    }
    let recipient_rows: Vec<(String, LinkRow)> = recipients::table
        .inner_join(parties::table)
        .filter(recipients::activity_id.eq_any(ids))
        .order((recipients::activity_id, recipients::position))
        .select((
            recipients::reason,
            (
                recipients::activity_id,
                recipients::party_id,
                recipients::data_received,
                party_cols,
            ),
        ))
        .load(conn)?;
    for (reason, row) in recipient_rows {
        if let Some(d) = details.get_mut(&row.0) {
            d.recipients.push(link(row, reason));
        }
    }

    let transfer_rows: Vec<TransferRowTuple> = transfers::table
        .left_join(parties::table)
        .filter(transfers::activity_id.eq_any(ids))
        .order((transfers::activity_id, transfers::position))
        .select((
            transfers::activity_id,
            transfers::destination_country,
            transfers::destination_organisation,
            transfers::party_id,
            parties::name.nullable(),
            transfers::mechanism,
            transfers::safeguards,
        ))
        .load(conn)?;
    for (aid, country, organisation, party_id, party_name, mechanism, safeguards) in transfer_rows {
        if let Some(d) = details.get_mut(&aid) {
            d.transfers.push(TransferView {
                country: country.as_deref().and_then(Country::parse),
                organisation,
                party_id,
                party_name: party_name.unwrap_or_default(),
                mechanism: code(
                    "transfer mechanism",
                    &mechanism,
                    TransferMechanism::from_code,
                )?,
                safeguards,
            });
        }
    }

    let retention_rows: Vec<RetentionRowTuple> = retention_rules::table
        .inner_join(data_categories::table)
        .filter(retention_rules::activity_id.eq_any(ids))
        .order((retention_rules::activity_id, retention_rules::position))
        .select((
            retention_rules::activity_id,
            retention_rules::data_category_id,
            data_categories::label,
            retention_rules::period_value,
            retention_rules::period_unit,
            retention_rules::criterion,
            retention_rules::start_event,
            retention_rules::legal_reference,
        ))
        .load(conn)?;
    for (
        aid,
        data_category_id,
        category,
        period_value,
        period_unit,
        criterion,
        start_event,
        legal_reference,
    ) in retention_rows
    {
        if let Some(d) = details.get_mut(&aid) {
            d.retention.push(RetentionView {
                data_category_id,
                category,
                period_value,
                period_unit: period_unit.as_deref().and_then(RetentionUnit::from_code),
                criterion,
                start_event,
                legal_reference,
            });
        }
    }

    Ok(ids.iter().filter_map(|id| details.remove(id)).collect())
}

/// Which statuses the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Draft and active: the register in force and in preparation.
    #[default]
    Current,
    /// One status.
    Only(Status),
    /// Everything, retired included.
    All,
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Reference.
    #[default]
    Reference,
    /// Name.
    Name,
    /// Organisation name.
    Organisation,
    /// Status.
    Status,
    /// Last update.
    Updated,
    /// Next review date.
    NextReview,
}

impl SortKey {
    /// The query-string value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reference => "reference",
            Self::Name => "name",
            Self::Organisation => "organisation",
            Self::Status => "status",
            Self::Updated => "updated",
            Self::NextReview => "next_review",
        }
    }

    /// Parses the query-string value.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Reference,
            Self::Name,
            Self::Organisation,
            Self::Status,
            Self::Updated,
            Self::NextReview,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// A search of the register: every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Words that must all appear (reference, name, description, function, owner, systems, purposes).
    pub text: String,
    /// Organisation.
    pub organisation: Option<OrganisationId>,
    /// Role.
    pub role: Option<Role>,
    /// Statuses.
    pub status: StatusFilter,
    /// A lawful basis of any purpose.
    pub lawful_basis: Option<LawfulBasis>,
    /// A personal-data category.
    pub data_category: Option<DataCategoryId>,
    /// A transfer destination.
    pub destination: Option<Country>,
    /// Only activities with mandatory elements missing.
    pub incomplete: bool,
    /// Sort column.
    pub sort: SortKey,
    /// Descending order.
    pub descending: bool,
    /// Page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

/// One row of the activities list.
#[derive(Debug, Clone)]
pub struct ActivitySummary {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Organisation name.
    pub organisation: String,
    /// Role.
    pub role: Role,
    /// Status.
    pub status: Status,
    /// Business function.
    pub business_function: String,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Updated.
    pub updated_at: NaiveDateTime,
    /// Mandatory elements missing.
    pub gaps: Vec<Gap>,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows.
    pub rows: Vec<T>,
    /// Rows matching in all.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The activities joined to their organisation, with every filter of `f` applied.
/// Applies every filter of `$f` to the boxed query `$q` (activities alone or joined with
/// their organisation: the filters only name activity columns).
macro_rules! apply_filters {
    ($q:expr, $f:expr) => {{
        let mut q = $q;
        let f: &ActivityFilter = $f;
        for word in fold(&f.text).split_whitespace() {
            q = q.filter(activities::search_text.like(escape_like(word)).escape('\\'));
        }
        if let Some(o) = f.organisation {
            q = q.filter(activities::organisation_id.eq(o.0));
        }
        if let Some(r) = f.role {
            q = q.filter(activities::role.eq(r.code()));
        }
        if f.incomplete {
            q = q.filter(incomplete());
        }
        q = match f.status {
            StatusFilter::Current => q.filter(activities::status.ne(Status::Retired.code())),
            StatusFilter::Only(s) => q.filter(activities::status.eq(s.code())),
            StatusFilter::All => q,
        };
        if let Some(b) = f.lawful_basis {
            q = q.filter(
                activities::id.eq_any(
                    purpose_bases::table
                        .filter(purpose_bases::basis.eq(b.code()))
                        .select(purpose_bases::activity_id),
                ),
            );
        }
        if let Some(c) = f.data_category {
            q = q.filter(
                activities::id.eq_any(
                    activity_data_categories::table
                        .filter(activity_data_categories::data_category_id.eq(c.0))
                        .select(activity_data_categories::activity_id),
                ),
            );
        }
        if let Some(c) = f.destination {
            q = q.filter(
                activities::id.eq_any(
                    transfers::table
                        .filter(transfers::destination_country.eq(c.code()))
                        .select(transfers::activity_id),
                ),
            );
        }
        q
    }};
}

/// The activities matching `f`, joined with their organisation (for its name).
fn filtered(f: &ActivityFilter) -> FilteredQuery {
    apply_filters!(
        activities::table
            .inner_join(organisations::table)
            .into_boxed::<Backend>(),
        f
    )
}

/// The activities matching `f`, without the join: what the count and the page's ids need.
fn filtered_alone(f: &ActivityFilter) -> AloneQuery {
    apply_filters!(activities::table.into_boxed::<Backend>(), f)
}

/// Searches the register: a count, one page of rows, and their completeness in a fixed number of queries.
pub fn search(conn: &mut DbConnection, f: &ActivityFilter) -> StoreResult<Page<ActivitySummary>> {
    let total = count(conn, f)?;
    search_counted(conn, f, total)
}

/// Number of activities matching `f` (all pages).
pub fn count(conn: &mut DbConnection, f: &ActivityFilter) -> StoreResult<i64> {
    Ok(filtered_alone(f).count().get_result(conn)?)
}

/// One page of the list when the number of matching activities is already known.
pub fn search_counted(
    conn: &mut DbConnection,
    f: &ActivityFilter,
    total: i64,
) -> StoreResult<Page<ActivitySummary>> {
    let per_page = f.per_page.clamp(1, 500);
    let page = f.page.max(1);
    let offset = (page - 1) * per_page;
    macro_rules! ordered {
        ($q:expr, $col:expr, $desc:expr) => {
            if $desc {
                $q.order($col.desc())
            } else {
                $q.order($col.asc())
            }
        };
    }
    macro_rules! sorted {
        ($q:expr) => {{
            let desc = f.descending;
            match f.sort {
                SortKey::Reference => ordered!($q, activities::reference, desc),
                SortKey::Name => ordered!($q, activities::name, desc),
                SortKey::Organisation => ordered!($q, organisations::name, desc),
                SortKey::Status => ordered!($q, activities::status, desc),
                SortKey::Updated => ordered!($q, activities::updated_at, desc),
                SortKey::NextReview => ordered!($q, activities::next_review, desc),
            }
            .then_order_by(activities::id.asc())
        }};
    }
    let columns = (
        activities::id,
        activities::reference,
        activities::name,
        organisations::name,
        activities::role,
        activities::status,
        activities::business_function,
        activities::next_review,
        activities::updated_at,
        activities::gaps,
    );
    let rows: Vec<SummaryRowTuple> = if offset == 0 {
        // The first page: one query that stops after `per_page` rows.
        sorted!(filtered(f))
            .limit(per_page)
            .select(columns)
            .load(conn)?
    } else {
        // A later page: first its ids, which a backend can read from the list's index alone
        // (skipping index entries, not whole rows: PostgreSQL otherwise fetches every skipped
        // row), then the rows of those ids, put back in that order.
        let ids: Vec<i64> = if f.sort == SortKey::Organisation {
            sorted!(filtered(f))
                .limit(per_page)
                .offset(offset)
                .select(activities::id)
                .load(conn)?
        } else {
            // Without the join: nothing to look up for the rows skipped.
            let q = filtered_alone(f);
            let desc = f.descending;
            match f.sort {
                SortKey::Name => ordered!(q, activities::name, desc),
                SortKey::Status => ordered!(q, activities::status, desc),
                SortKey::Updated => ordered!(q, activities::updated_at, desc),
                SortKey::NextReview => ordered!(q, activities::next_review, desc),
                SortKey::Reference | SortKey::Organisation => {
                    ordered!(q, activities::reference, desc)
                }
            }
            .then_order_by(activities::id.asc())
            .limit(per_page)
            .offset(offset)
            .select(activities::id)
            .load(conn)?
        };
        let mut rows: Vec<SummaryRowTuple> = activities::table
            .inner_join(organisations::table)
            .filter(activities::id.eq_any(&ids))
            .select(columns)
            .load(conn)?;
        let position: HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| position.get(&r.0).copied().unwrap_or(usize::MAX));
        rows
    };
    let mut out = Vec::with_capacity(rows.len());
    for (
        id,
        reference,
        name,
        organisation,
        role,
        status,
        business_function,
        next_review,
        updated_at,
        stored_gaps,
    ) in rows
    {
        let role = code("role", &role, Role::from_code)?;
        let gaps = match stored_gaps {
            Some(stored) => code("gaps", &stored, Gap::decode)?,
            // Not computed yet (written by an older version still running): computed here.
            None => {
                refresh_gaps(conn, GapScope::Ids(&[id]))?;
                let stored: Option<String> = activities::table
                    .find(id)
                    .select(activities::gaps)
                    .first(conn)?;
                code("gaps", stored.as_deref().unwrap_or(""), Gap::decode)?
            }
        };
        out.push(ActivitySummary {
            id,
            reference,
            name,
            organisation,
            role,
            status: code("status", &status, Status::from_code)?,
            business_function,
            next_review,
            updated_at,
            gaps,
        });
    }
    Ok(Page {
        rows: out,
        total,
        page,
        per_page,
    })
}

fn count_by_activity<Q>(conn: &mut DbConnection, query: Q) -> StoreResult<HashMap<i64, usize>>
where
    Q: diesel::query_dsl::LoadQuery<'static, DbConnection, (i64, i64)>,
{
    Ok(query
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .map(|(id, n)| (id, n as usize))
        .collect())
}

/// Grouped counts per activity of one child table, for the activities `ids`.
macro_rules! counts {
    ($conn:expr, $table:ident, $ids:expr) => {
        count_by_activity(
            $conn,
            $table::table
                .filter($table::activity_id.eq_any($ids.to_vec()))
                .group_by($table::activity_id)
                .select(($table::activity_id, diesel::dsl::count_star())),
        )?
    };
}

/// `gaps <> ''` written as a literal, not a bound parameter: only then can either backend's
/// planner match it to the partial index `activities_incomplete`.
fn incomplete() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql::<diesel::sql_types::Bool>("activities.gaps <> ''")
}

/// Activities whose stored gaps are recomputed per round of queries: the ids are bound in
/// `IN` lists, kept well under SQLite's 32,766 parameters.
const GAP_CHUNK: usize = 2_000;

/// Which activities' stored gaps to recompute.
#[derive(Debug, Clone, Copy)]
pub enum GapScope<'a> {
    /// These activities (just written).
    Ids(&'a [i64]),
    /// Those not computed yet (rows written before the column existed).
    Missing,
    /// Every activity (a catalogue entry changed sensitivity).
    All,
}

/// Recomputes and stores the missing Art. 30 elements of activities: the badges of the list
/// and the start page's count read them. Called in the transaction that changed the facts.
pub fn refresh_gaps(conn: &mut DbConnection, scope: GapScope<'_>) -> StoreResult<usize> {
    let ids: Vec<i64> = match scope {
        GapScope::Ids(ids) => ids.to_vec(),
        GapScope::Missing => activities::table
            .filter(activities::gaps.is_null())
            .select(activities::id)
            .load(conn)?,
        GapScope::All => activities::table.select(activities::id).load(conn)?,
    };
    for chunk in ids.chunks(GAP_CHUNK) {
        let rows: Vec<(i64, String, bool, bool)> = activities::table
            .filter(activities::id.eq_any(chunk))
            .select((
                activities::id,
                activities::role,
                activities::security_description.ne(""),
                activities::criminal_basis.is_not_null(),
            ))
            .load(conn)?;
        let mut facts = facts_for(conn, chunk)?;
        // One UPDATE per distinct set of gaps, not one per activity.
        let mut groups: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (id, role, security, criminal) in rows {
            let mut f = facts.remove(&id).unwrap_or_default();
            f.role = Some(code("role", &role, Role::from_code)?);
            f.security_description = security;
            f.criminal_basis = criminal;
            groups.entry(Gap::encode(&gaps(&f))).or_default().push(id);
        }
        for (stored, ids) in groups {
            diesel::update(activities::table.filter(activities::id.eq_any(&ids)))
                .set(activities::gaps.eq(Some(stored)))
                .execute(conn)?;
        }
    }
    Ok(ids.len())
}

/// Completeness counts for a set of activities, with one grouped query per list.
fn facts_for(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<HashMap<i64, Facts>> {
    let mut out: HashMap<i64, Facts> = ids.iter().map(|id| (*id, Facts::default())).collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let purposes_n = counts!(conn, purposes, ids);
    let subjects_n = counts!(conn, activity_subjects, ids);
    let recipients_n = counts!(conn, recipients, ids);
    let measures_n = counts!(conn, activity_measures, ids);
    let conditions_n = counts!(conn, activity_special_conditions, ids);
    let controllers_n = counts!(conn, represented_controllers, ids);
    let categories = activity_data_categories::table
        .inner_join(data_categories::table)
        .select((
            activity_data_categories::activity_id,
            data_categories::id,
            data_categories::sensitivity,
        ));
    let categories: Vec<(i64, i64, String)> = categories
        .filter(activity_data_categories::activity_id.eq_any(ids))
        .load(conn)?;
    let retained = retention_rules::table.select((
        retention_rules::activity_id,
        retention_rules::data_category_id,
    ));
    let retained: std::collections::HashSet<(i64, i64)> = retained
        .filter(retention_rules::activity_id.eq_any(ids))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    for (id, f) in out.iter_mut() {
        f.purposes = purposes_n.get(id).copied().unwrap_or(0);
        f.subjects = subjects_n.get(id).copied().unwrap_or(0);
        f.recipients = recipients_n.get(id).copied().unwrap_or(0);
        f.measures = measures_n.get(id).copied().unwrap_or(0);
        f.special_conditions = conditions_n.get(id).copied().unwrap_or(0);
        f.controllers = controllers_n.get(id).copied().unwrap_or(0);
    }
    for (aid, cid, sensitivity) in categories {
        if let Some(f) = out.get_mut(&aid) {
            f.data_categories += 1;
            if retained.contains(&(aid, cid)) {
                f.categories_with_retention += 1;
            }
            match Sensitivity::from_code(&sensitivity) {
                Some(Sensitivity::SpecialCategory) => f.special_data = true,
                Some(Sensitivity::CriminalOffence) => f.criminal_data = true,
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Number of current (draft and active) activities that lack a mandatory Art. 30 element, for the
/// start page: the same completeness as the list shows, from a fixed number of grouped queries.
pub fn incomplete_count(conn: &mut DbConnection) -> StoreResult<usize> {
    let n: i64 = activities::table
        .filter(activities::status.ne(Status::Retired.code()))
        .filter(incomplete())
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Number of activities per status, for the start page.
pub fn status_counts(conn: &mut DbConnection) -> StoreResult<Vec<(String, i64)>> {
    Ok(activities::table
        .group_by(activities::status)
        .select((activities::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Activities whose next review date is on or before `date` (not retired), soonest first.
pub fn reviews_due(
    conn: &mut DbConnection,
    date: NaiveDate,
    limit: i64,
) -> StoreResult<Vec<(i64, String, String, NaiveDate)>> {
    let rows: Vec<(i64, String, String, Option<NaiveDate>)> = activities::table
        .filter(activities::status.ne(Status::Retired.code()))
        .filter(activities::next_review.le(date))
        .order(activities::next_review.asc())
        .limit(limit)
        .select((
            activities::id,
            activities::reference,
            activities::name,
            activities::next_review,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(i, r, n, d)| Some((i, r, n, d?)))
        .collect())
}

/// Ids of every activity matching `f` (ignoring its page), by organisation name and reference.
pub fn matching_ids(conn: &mut DbConnection, f: &ActivityFilter) -> StoreResult<Vec<i64>> {
    Ok(filtered(f)
        .order((organisations::name.asc(), activities::reference.asc()))
        .select(activities::id)
        .load(conn)?)
}

/// The organisation's usual security measures: those used by at least half of its current
/// activities, to start a new activity with.
pub fn usual_measures(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<i64>> {
    let ids: Vec<i64> = activities::table
        .filter(activities::organisation_id.eq(organisation.0))
        .filter(activities::status.ne(Status::Retired.code()))
        .select(activities::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let counts: Vec<(i64, i64)> = activity_measures::table
        .filter(activity_measures::activity_id.eq_any(&ids))
        .group_by(activity_measures::security_measure_id)
        .select((
            activity_measures::security_measure_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let half = (ids.len() as i64 + 1) / 2;
    Ok(counts
        .into_iter()
        .filter(|(_, n)| *n >= half)
        .map(|(m, _)| m)
        .collect())
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    use super::*;

    #[test]
    fn the_list_tables_deleted_on_a_save_are_every_table_that_holds_an_activity_id() {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        crate::store::migrate(&mut conn).unwrap();
        let DbConnection::Sqlite(c) = &mut conn else {
            unreachable!()
        };
        let mut holding: Vec<String> = diesel::sql_query(
            "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND c.name = 'activity_id' ORDER BY m.name",
        )
        .load::<Name>(c)
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
        let mut listed: Vec<String> = LIST_TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        holding.sort();
        assert_eq!(listed, holding);
    }
}
