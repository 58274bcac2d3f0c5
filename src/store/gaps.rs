//! The missing Art. 30 elements stored per activity (`activities.gaps`): computed from a draft
//! on save, recomputed when a catalogue entry changes sensitivity, filled in at start for rows
//! that have none; the list's badges and the start page's count read them.
//!
//! Uses the schema and the domain's completeness rules; both `activities` and `catalogues`
//! call it in the transaction that changed the facts.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use diesel::prelude::*;

use crate::domain::activity::{ActivityDraft, Destination};
use crate::domain::completeness::{automated_documented, gaps, transfer_evidenced, Facts, Gap};
use crate::domain::vocab::{
    AutomatedProcessing, Country, Role, Sensitivity, SpecialCondition, Status, TransferMechanism,
};
use crate::store::schema::{
    activities, activity_data_categories, activity_measures, activity_special_conditions,
    activity_subjects, data_categories, parties, purposes, recipients, represented_controllers,
    retention_rule_categories, transfers,
};
use crate::store::{code, DbConnection, StoreResult};

/// What a draft's completeness depends on beyond the draft itself.
pub(crate) struct GapContext {
    /// The sensitivity of every personal-data category, by id: what decides whether an
    /// activity needs an Art. 9(2) condition or an Art. 10 basis.
    sensitivity: HashMap<i64, Sensitivity>,
    /// The parties whose Data Privacy Framework certification is recorded (Art. 45).
    certified: HashSet<i64>,
}

/// Reads the [`GapContext`] once per write.
pub(crate) fn gap_context(conn: &mut DbConnection) -> StoreResult<GapContext> {
    let rows: Vec<(i64, String)> = data_categories::table
        .select((data_categories::id, data_categories::sensitivity))
        .load(conn)?;
    let sensitivity = rows
        .into_iter()
        .map(|(id, s)| Ok((id, code("sensitivity", &s, Sensitivity::from_code)?)))
        .collect::<StoreResult<_>>()?;
    let certified = parties::table
        .filter(parties::dpf_checked_on.is_not_null())
        .select(parties::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    Ok(GapContext {
        sensitivity,
        certified,
    })
}

/// The facts of a draft, as its stored rows will give them (see `facts_for`).
pub(crate) fn draft_facts(d: &ActivityDraft, context: &GapContext) -> Facts {
    let sensitivity = &context.sensitivity;
    let retained: std::collections::HashSet<i64> = d
        .retention
        .iter()
        .flat_map(|r| r.data_category_ids.iter().map(|c| c.0))
        .collect();
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
        no_recipients: d.no_recipients,
        transfers: d.transfers.len(),
        no_transfers: d.no_transfers,
        transfers_without_scope_evidence: d
            .transfers
            .iter()
            .filter(|t| {
                let country = match t.destination {
                    Destination::Country(c) => Some(c),
                    Destination::Organisation(_) => None,
                };
                let certified = t.party_id.is_some_and(|p| context.certified.contains(&p.0));
                !transfer_evidenced(country, t.mechanism, t.scope_confirmed, certified)
            })
            .count(),
        special_condition_needs_law: d.special_conditions.iter().any(|c| c.needs_basis_in_law()),
        special_law_named: !d.special_legal_reference.is_empty(),
        solely_automated: d.automated_processing == AutomatedProcessing::SolelyAutomatedDecisions,
        automated_documented: automated_documented(
            d.automated_exception.is_some(),
            &d.automated_logic,
            &d.automated_safeguards,
        ),
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
pub(crate) fn incomplete() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
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
        type Row = (
            i64,
            String,
            bool,
            bool,
            bool,
            bool,
            bool,
            (String, bool, bool, bool),
        );
        let rows: Vec<Row> = activities::table
            .filter(activities::id.eq_any(chunk))
            .select((
                activities::id,
                activities::role,
                activities::security_description.ne(""),
                activities::criminal_basis.is_not_null(),
                activities::no_recipients,
                activities::no_transfers,
                activities::special_legal_reference.ne(""),
                (
                    activities::automated_processing,
                    activities::automated_exception.is_not_null(),
                    activities::automated_logic.ne(""),
                    activities::automated_safeguards.ne(""),
                ),
            ))
            .load(conn)?;
        let mut facts = facts_for(conn, chunk)?;
        // One UPDATE per distinct set of gaps, not one per activity.
        let mut groups: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (id, role, security, criminal, no_recipients, no_transfers, law, automated) in rows {
            let mut f = facts.remove(&id).unwrap_or_default();
            f.role = Some(code("role", &role, Role::from_code)?);
            f.security_description = security;
            f.criminal_basis = criminal;
            f.no_recipients = no_recipients;
            f.no_transfers = no_transfers;
            f.special_law_named = law;
            let (case, exception, logic, safeguards) = automated;
            f.solely_automated = case == AutomatedProcessing::SolelyAutomatedDecisions.code();
            f.automated_documented = exception && logic && safeguards;
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
    let retained = retention_rule_categories::table.select((
        retention_rule_categories::activity_id,
        retention_rule_categories::data_category_id,
    ));
    let retained: std::collections::HashSet<(i64, i64)> = retained
        .filter(retention_rule_categories::activity_id.eq_any(ids))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    let transfers_n = counts!(conn, transfers, ids);
    let conditions: Vec<(i64, String)> = activity_special_conditions::table
        .filter(activity_special_conditions::activity_id.eq_any(ids))
        .select((
            activity_special_conditions::activity_id,
            activity_special_conditions::condition_code,
        ))
        .load(conn)?;
    for (aid, c) in conditions {
        if let Some(f) = out.get_mut(&aid) {
            f.special_conditions += 1;
            if SpecialCondition::from_code(&c).is_some_and(|c| c.needs_basis_in_law()) {
                f.special_condition_needs_law = true;
            }
        }
    }
    type TransferFacts = (i64, Option<String>, String, bool, Option<NaiveDate>);
    let transfer_rows: Vec<TransferFacts> = transfers::table
        .left_join(parties::table)
        .filter(transfers::activity_id.eq_any(ids))
        .select((
            transfers::activity_id,
            transfers::destination_country,
            transfers::mechanism,
            transfers::scope_confirmed,
            parties::dpf_checked_on.nullable(),
        ))
        .load(conn)?;
    for (aid, country, mechanism, scope_confirmed, dpf) in transfer_rows {
        let mechanism = code(
            "transfer mechanism",
            &mechanism,
            TransferMechanism::from_code,
        )?;
        let country = country.as_deref().and_then(Country::parse);
        if !transfer_evidenced(country, mechanism, scope_confirmed, dpf.is_some()) {
            if let Some(f) = out.get_mut(&aid) {
                f.transfers_without_scope_evidence += 1;
            }
        }
    }
    for (id, f) in out.iter_mut() {
        f.transfers = transfers_n.get(id).copied().unwrap_or(0);
        f.purposes = purposes_n.get(id).copied().unwrap_or(0);
        f.subjects = subjects_n.get(id).copied().unwrap_or(0);
        f.recipients = recipients_n.get(id).copied().unwrap_or(0);
        f.measures = measures_n.get(id).copied().unwrap_or(0);
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
