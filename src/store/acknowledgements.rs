//! Acknowledged findings of the register checks: written with their audit entry, read per
//! activity or for the whole register.
//!
//! Uses `store::{audit, schema}` and the domain's checks.

use std::collections::HashMap;

use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::schema::{activities, finding_acknowledgements};
use super::{now, DbConnection, StoreError, StoreResult};
use crate::domain::checks::{Acknowledgement, AcknowledgementDraft};
use crate::domain::ActivityId;

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<chrono::NaiveDate>,
    String,
    chrono::NaiveDateTime,
);

fn read(rows: Vec<Row>) -> HashMap<i64, Vec<Acknowledgement>> {
    let mut out: HashMap<i64, Vec<Acknowledgement>> = HashMap::new();
    for (activity, rule, field, detail, justification, until, by, at) in rows {
        out.entry(activity).or_default().push(Acknowledgement {
            rule,
            field,
            detail,
            justification,
            until,
            by,
            at,
        });
    }
    out
}

fn columns() -> (
    finding_acknowledgements::activity_id,
    finding_acknowledgements::rule_code,
    finding_acknowledgements::field,
    finding_acknowledgements::detail,
    finding_acknowledgements::justification,
    finding_acknowledgements::until,
    finding_acknowledgements::acknowledged_by,
    finding_acknowledgements::acknowledged_at,
) {
    (
        finding_acknowledgements::activity_id,
        finding_acknowledgements::rule_code,
        finding_acknowledgements::field,
        finding_acknowledgements::detail,
        finding_acknowledgements::justification,
        finding_acknowledgements::until,
        finding_acknowledgements::acknowledged_by,
        finding_acknowledgements::acknowledged_at,
    )
}

/// Records that the actor accepts a finding of `activity`, with its audit entry.
pub fn acknowledge(
    conn: &mut DbConnection,
    actor: &Actor,
    activity: ActivityId,
    draft: &AcknowledgementDraft,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let label: (String, String) = activities::table
            .find(activity.0)
            .select((activities::reference, activities::name))
            .first(conn)
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let record = Acknowledgement {
            rule: draft.rule.to_owned(),
            field: draft.field.clone(),
            detail: draft.detail.clone(),
            justification: draft.justification.clone(),
            until: draft.until,
            by: actor.email.clone(),
            at: now(),
        };
        insert_unaudited(conn, std::slice::from_ref(&(activity.0, record.clone())))?;
        audit.record(Change::values::<(), _>(
            "acknowledge",
            "finding",
            Some(activity.0),
            &format!("{} {}: {}", label.0, label.1, draft.rule),
            None,
            Some(&record),
        ));
        Ok(())
    })
}

/// Writes acknowledgements as a register document holds them, without an audit entry each
/// (an import, whose own entry covers what it wrote).
pub(crate) fn insert_unaudited(
    conn: &mut DbConnection,
    rows: &[(i64, Acknowledgement)],
) -> StoreResult<()> {
    for (activity, a) in rows {
        diesel::insert_into(finding_acknowledgements::table)
            .values((
                finding_acknowledgements::activity_id.eq(activity),
                finding_acknowledgements::rule_code.eq(&a.rule),
                finding_acknowledgements::field.eq(&a.field),
                finding_acknowledgements::detail.eq(&a.detail),
                finding_acknowledgements::justification.eq(&a.justification),
                finding_acknowledgements::until.eq(a.until),
                finding_acknowledgements::acknowledged_by.eq(&a.by),
                finding_acknowledgements::acknowledged_at.eq(a.at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The acknowledgements of one activity, oldest first.
pub fn for_activity(conn: &mut DbConnection, activity: i64) -> StoreResult<Vec<Acknowledgement>> {
    let rows: Vec<Row> = finding_acknowledgements::table
        .filter(finding_acknowledgements::activity_id.eq(activity))
        .order(finding_acknowledgements::id.asc())
        .select(columns())
        .load(conn)?;
    Ok(read(rows).remove(&activity).unwrap_or_default())
}

/// Every acknowledgement, by activity id, oldest first.
pub fn all(conn: &mut DbConnection) -> StoreResult<HashMap<i64, Vec<Acknowledgement>>> {
    let rows: Vec<Row> = finding_acknowledgements::table
        .order(finding_acknowledgements::id.asc())
        .select(columns())
        .load(conn)?;
    Ok(read(rows))
}
