//! The register checks (`domain::checks`) run on the stored register: its document read
//! as the JSON export reads it, checked on a given day.
//!
//! Uses `store::records` and the domain's checks.

use chrono::NaiveDate;

use super::records::{activity_in_context, DocumentParts};
use super::{activities, DbConnection, StoreResult};
use crate::domain::checks::acknowledgement::apply;
use crate::domain::checks::{ActivityFindings, Finding, Register, Report};
use crate::domain::vocab::Status;
use crate::domain::OrganisationId;

/// The findings of the register (or of one organisation's part), on `today`: every
/// organisation's and every activity's but the retired ones (they are not part of the
/// register in force, and are left out of the report).
pub fn register_findings(
    conn: &mut DbConnection,
    organisation: Option<OrganisationId>,
    today: NaiveDate,
) -> StoreResult<Report> {
    let parts = DocumentParts::read(conn, organisation)?;
    let head = &parts.head;
    let register = Register::new(&head.organisations, &head.catalogues, &head.parties, today);
    let acknowledged = super::acknowledgements::all(conn)?;
    let mut activities = Vec::new();
    parts.for_each_activity(conn, |id, a| {
        if a.status == Status::Retired.code() {
            return;
        }
        let mut findings = register.check_activity(&a);
        if let Some(acks) = acknowledged.get(&id) {
            apply(&mut findings, acks, today);
        }
        activities.push(ActivityFindings {
            id,
            organisation: a.organisation,
            reference: a.reference,
            name: a.name,
            findings,
        });
    })?;
    let organisations = head
        .organisations
        .iter()
        .map(|o| (o.name.clone(), register.check_organisation(o)))
        .collect();
    Ok(Report {
        today: Some(today),
        organisations,
        activities,
    })
}

/// The findings of one activity on `today` (the activity page's).
pub fn activity_findings(
    conn: &mut DbConnection,
    activity: &activities::ActivityDetail,
    today: NaiveDate,
) -> StoreResult<Vec<Finding>> {
    Ok(activity_checks(conn, activity, today)?.0)
}

/// The findings of `activity` as [`activity_findings`] gives them, with its DPIA screening
/// (the answers, and what the register suggests where none is given): the activity page's.
pub fn activity_checks(
    conn: &mut DbConnection,
    activity: &activities::ActivityDetail,
    today: NaiveDate,
) -> StoreResult<(Vec<Finding>, crate::domain::dpia::Screening)> {
    let (doc, catalogues, parties) = activity_in_context(conn, activity)?;
    let register = Register::new(&[], &catalogues, &parties, today);
    let mut findings = register.check_activity(&doc);
    apply(
        &mut findings,
        &super::acknowledgements::for_activity(conn, activity.id)?,
        today,
    );
    Ok((findings, register.dpia_screening(&doc)))
}
