//! Writing activities: create (one, or many in bulk for imports), replace, change status;
//! each write in one transaction with its audit entry, references numbered per organisation.
//!
//! Uses the lists' writer, the snapshot for the audit trail, and the stored gaps.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::lists::{delete_children, insert_children, insert_rows_returning};
use super::snapshot::{activity_snapshot, SnapshotCodes};
use super::Backend;
use crate::domain::activity::ActivityDraft;
use crate::domain::completeness::{gaps, Gap};
use crate::domain::document::ActivityDoc;
use crate::domain::vocab::Status;
use crate::domain::{ActivityId, OrganisationId};
use crate::store::audit::{self, Actor, Change};
use crate::store::gaps::{draft_facts, gap_context, GapContext};
use crate::store::schema::activities;
use crate::store::search_index::{self, SearchScope};
use crate::store::{now, DbConnection, StoreError, StoreResult};
use crate::store::{organisations, prepared};

/// The next free `PREFIX-NNN` reference of an organisation (its reference prefix, three
/// digits or more): one above the highest it has with that prefix.
fn next_reference(conn: &mut DbConnection, organisation: OrganisationId) -> StoreResult<String> {
    let prefix = organisations::reference_prefix(conn, organisation)?;
    let highest = highest_number(conn, organisation, &prefix)?;
    Ok(numbered(&prefix, highest + 1))
}

/// The highest number of the organisation's references `PREFIX-NNN`, 0 when there is none.
fn highest_number(
    conn: &mut DbConnection,
    organisation: OrganisationId,
    prefix: &str,
) -> StoreResult<u32> {
    let start = format!("{prefix}-");
    let existing: Vec<String> = activities::table
        .filter(activities::organisation_id.eq(organisation.0))
        .filter(activities::reference.like(format!("{start}%")))
        .select(activities::reference)
        .load(conn)?;
    Ok(existing
        .iter()
        .filter_map(|r| r.strip_prefix(&start)?.parse::<u32>().ok())
        .max()
        .unwrap_or(0))
}

fn numbered(prefix: &str, n: u32) -> String {
    format!("{prefix}-{n:03}")
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
    automated_processing: &'a str,
    automated_decision_description: &'a str,
    automated_exception: Option<&'a str>,
    automated_logic: &'a str,
    automated_safeguards: &'a str,
    dpia_completed_on: Option<NaiveDate>,
    no_recipients: bool,
    no_transfers: bool,
    dpia_required: &'a str,
    dpia_status: &'a str,
    dpia_reference: &'a str,
    dpia_screening: String,
    dpia_not_required_reason: &'a str,
    privacy_notice_ref: &'a str,
    consent_record_ref: &'a str,
    processor_contract_ref: &'a str,
    retention_policy_ref: &'a str,
    breach_occurred: bool,
    breach_record_ref: &'a str,
    security_description: &'a str,
    last_reviewed: Option<NaiveDate>,
    next_review: Option<NaiveDate>,
    gaps: String,
}

fn values<'a>(
    d: &'a ActivityDraft,
    reference: &'a str,
    sensitivity: &GapContext,
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
        automated_processing: d.automated_processing.code(),
        automated_decision_description: &d.automated_decision_description,
        automated_exception: d.automated_exception.map(|e| e.code()),
        automated_logic: &d.automated_logic,
        automated_safeguards: &d.automated_safeguards,
        dpia_completed_on: d.dpia_completed_on,
        no_recipients: d.no_recipients,
        no_transfers: d.no_transfers,
        dpia_required: d.dpia_required.code(),
        dpia_status: d.dpia_status.code(),
        dpia_reference: &d.dpia_reference,
        dpia_screening: d.dpia_screening.encode(),
        dpia_not_required_reason: &d.dpia_not_required_reason,
        privacy_notice_ref: &d.privacy_notice_ref,
        consent_record_ref: &d.consent_record_ref,
        processor_contract_ref: &d.processor_contract_ref,
        retention_policy_ref: &d.retention_policy_ref,
        breach_occurred: d.breach_occurred,
        breach_record_ref: &d.breach_record_ref,
        security_description: &d.security_description,
        last_reviewed: d.last_reviewed,
        next_review: d.next_review,
        gaps: Gap::encode(&gaps(&draft_facts(d, sensitivity))),
    }
}

fn duplicate_reference() -> StoreError {
    StoreError::Duplicate {
        field: "reference",
        message: "Another activity of this organisation already has this reference".into(),
    }
}

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
        let sensitivity = gap_context(conn)?;
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
                if crate::store::is_unique_violation(&e) {
                    duplicate_reference()
                } else {
                    e.into()
                }
            })?;
        insert_children(conn, &[(id, draft)])?;
        search_index::refresh(conn, SearchScope::Ids(&[id]))?;
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
    /// Why it was retired (a retired activity's; empty otherwise).
    pub retirement_reason: &'a str,
}

/// Activities (with their rows) written per multi-row INSERT in [`insert_many_unaudited`]:
/// 41 bound parameters an activity row.
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
        // Per organisation: its prefix and the highest number given so far.
        let mut highest: HashMap<i64, (String, u32)> = HashMap::new();
        let mut references = Vec::with_capacity(items.len());
        for item in items {
            let reference = match &item.draft.reference {
                Some(r) => r.clone(),
                None => {
                    let org = item.draft.organisation_id;
                    let entry = match highest.entry(org.0) {
                        std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            let prefix = organisations::reference_prefix(conn, org)?;
                            let n = highest_number(conn, org, &prefix)?;
                            e.insert((prefix, n))
                        }
                    };
                    entry.1 += 1;
                    numbered(&entry.0, entry.1)
                }
            };
            references.push(reference);
        }
        let sensitivity = gap_context(conn)?;
        let rows: Vec<_> = items
            .iter()
            .zip(&references)
            .map(|(item, reference)| {
                (
                    values(item.draft, reference, &sensitivity),
                    activities::version.eq(1i64),
                    activities::created_at.eq(item.created_at),
                    activities::updated_at.eq(item.updated_at),
                    activities::retirement_reason.eq(item.retirement_reason),
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
            StoreError::Db(e) if crate::store::is_unique_violation(&e) => duplicate_reference(),
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
        let new: Vec<i64> = out.iter().map(|(id, _)| *id).collect();
        search_index::refresh(conn, SearchScope::Ids(&new))?;
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
/// The activity's status, or `None` when there is no such activity.
pub fn status(conn: &mut DbConnection, id: ActivityId) -> StoreResult<Option<Status>> {
    let code: Option<String> = activities::table
        .find(id.0)
        .select(activities::status)
        .first(conn)
        .optional()?;
    Ok(code.and_then(|c| Status::from_code(&c)))
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
) -> StoreResult<(SnapshotCodes, ActivityDoc)> {
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
        let sensitivity = gap_context(conn)?;
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
            if crate::store::is_unique_violation(&e) {
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
        search_index::refresh(conn, SearchScope::Ids(&[id.0]))?;
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

/// Changes only the status (retire, reactivate) if the activity is still at `version`; a
/// retirement keeps its `reason` (which the snapshot, and so the audit trail, carries), any
/// other status clears it.
pub fn set_status(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ActivityId,
    version: i64,
    status: Status,
    reason: &str,
) -> StoreResult<()> {
    let reason = if status == Status::Retired {
        reason
    } else {
        ""
    };
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
            activities::retirement_reason.eq(reason),
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
