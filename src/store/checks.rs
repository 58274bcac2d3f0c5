//! The register checks (`domain::checks`) run on the stored register: its document read
//! as the JSON export reads it, checked on a given day.
//!
//! Uses `store::records` and the domain's checks.

use chrono::NaiveDate;

use super::records::{activity_in_context, register_document};
use super::{activities, DbConnection, StoreResult};
use crate::domain::checks::{ActivityFindings, Finding, Register, Report};
use crate::domain::{ActivityId, OrganisationId};

/// The findings of the register (or of one organisation's part), on `today`: every
/// organisation's and every activity's but the retired ones (they are not part of the
/// register in force, and are left out of the report).
pub fn register_findings(
    conn: &mut DbConnection,
    organisation: Option<OrganisationId>,
    today: NaiveDate,
) -> StoreResult<Report> {
    let doc = register_document(conn, organisation, super::now())?;
    let ids = activities::matching_ids(
        conn,
        &activities::ActivityFilter {
            organisation,
            status: activities::StatusFilter::All,
            ..Default::default()
        },
    )?;
    let register = Register::new(&doc.organisations, &doc.catalogues, &doc.parties, today);
    let organisations = doc
        .organisations
        .iter()
        .map(|o| (o.name.clone(), register.check_organisation(o)))
        .collect();
    // The document lists the activities in the order of `matching_ids`.
    let activities = doc
        .activities
        .iter()
        .zip(ids)
        .filter(|(a, _)| a.status != crate::domain::vocab::Status::Retired.code())
        .map(|(a, id)| ActivityFindings {
            id,
            organisation: a.organisation.clone(),
            reference: a.reference.clone(),
            name: a.name.clone(),
            findings: register.check_activity(a),
        })
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
    let (doc, catalogues, parties) = activity_in_context(conn, activity)?;
    let register = Register::new(&[], &catalogues, &parties, today);
    Ok(register.check_activity(&doc))
}

/// The findings of the activity `id` on `today`.
pub fn findings_of(
    conn: &mut DbConnection,
    id: ActivityId,
    today: NaiveDate,
) -> StoreResult<Vec<Finding>> {
    let a = activities::get(conn, id)?;
    activity_findings(conn, &a, today)
}
