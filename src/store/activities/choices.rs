//! What an activity form may refer to: the organisations, parties and catalogue entries to
//! choose from, and an organisation's usual security measures to start a new activity with.
//!
//! Uses the store's catalogues and the schema.

use diesel::prelude::*;

use crate::domain::activity::{
    Choices, DataCategoryChoice, MeasureChoice, OrganisationChoice, PartyChoice, SubjectChoice,
};
use crate::domain::catalogue::CatalogueKind;
use crate::domain::vocab::{Country, MeasureFamily, MeasureKind, PartyKind, Sensitivity, Status};
use crate::domain::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};
use crate::store::schema::{activities, activity_measures, organisations, parties};
use crate::store::{DbConnection, StoreResult};

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
    let catalogue = |conn: &mut DbConnection, kind| crate::store::catalogues::list(conn, kind);
    let data_categories = catalogue(conn, CatalogueKind::DataCategories)?
        .into_iter()
        .map(|e| DataCategoryChoice {
            id: DataCategoryId(e.id),
            code: e.code,
            label: e.label,
            sensitivity: e.sensitivity.unwrap_or(Sensitivity::Standard),
        })
        .collect();
    let subject_categories = catalogue(conn, CatalogueKind::SubjectCategories)?
        .into_iter()
        .map(|e| SubjectChoice {
            id: SubjectCategoryId(e.id),
            code: e.code,
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
