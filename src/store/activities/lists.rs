//! An activity's nested lists (purposes and their bases, categories, parties, transfers,
//! retention rules) written and deleted in as few statements as either backend allows.
//!
//! Uses the schema and the statements kept prepared.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::domain::activity::{ActivityDraft, Destination, RetentionPeriod};
use crate::store::prepared;
use crate::store::schema::{
    activity_data_categories, activity_measures, activity_special_conditions, activity_subjects,
    joint_controllers, purpose_bases, purposes, recipients, represented_controllers,
    retention_rule_categories, retention_rules, transfers,
};
use crate::store::{DbConnection, StoreError, StoreResult};

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

pub(super) use insert_rows_returning;

/// Writes the nested lists of activities (after any old ones were deleted): one INSERT per
/// table for all of them, whatever the number of rows.
pub(super) fn insert_children(
    conn: &mut DbConnection,
    items: &[(i64, &ActivityDraft)],
) -> StoreResult<()> {
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
                    purposes::direct_marketing.eq(p.direct_marketing),
                    purposes::automated_means.eq(p.automated_means),
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
            for (at, basis) in p.bases.iter().enumerate() {
                basis_rows.push((
                    purpose_bases::purpose_id.eq(purpose_id),
                    purpose_bases::activity_id.eq(*id),
                    purpose_bases::basis.eq(basis.code()),
                    purpose_bases::position.eq(at as i32),
                ));
            }
        }
    }
    insert_rows!(conn, purpose_bases::table, basis_rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.special_conditions.iter().enumerate().map(move |(at, c)| {
                (
                    activity_special_conditions::activity_id.eq(*id),
                    activity_special_conditions::condition_code.eq(c.code()),
                    activity_special_conditions::position.eq(at as i32),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_special_conditions::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.subjects.iter().enumerate().map(move |(at, s)| {
                (
                    activity_subjects::activity_id.eq(*id),
                    activity_subjects::subject_category_id.eq(s.0),
                    activity_subjects::position.eq(at as i32),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_subjects::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.data_categories.iter().enumerate().map(move |(at, c)| {
                (
                    activity_data_categories::activity_id.eq(*id),
                    activity_data_categories::data_category_id.eq(c.0),
                    activity_data_categories::position.eq(at as i32),
                )
            })
        })
        .collect();
    insert_rows!(conn, activity_data_categories::table, rows);

    let rows: Vec<_> = items
        .iter()
        .flat_map(|(id, d)| {
            d.measures.iter().enumerate().map(move |(at, m)| {
                (
                    activity_measures::activity_id.eq(*id),
                    activity_measures::security_measure_id.eq(m.0),
                    activity_measures::position.eq(at as i32),
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
                    represented_controllers::representative.eq(&c.representative),
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
                    transfers::scope_confirmed.eq(t.scope_confirmed),
                    transfers::tia_reference.eq(&t.tia_reference),
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
    // Each rule is found again by (activity, position), as the purposes are.
    let rule_ids: HashMap<(i64, i32), i64> = insert_rows_returning!(
        conn,
        retention_rules::table,
        rows,
        (
            retention_rules::activity_id,
            retention_rules::position,
            retention_rules::id
        ),
        (i64, i32, i64),
        BATCH_ROWS
    )
    .into_iter()
    .map(|(activity, position, id)| ((activity, position), id))
    .collect();
    let mut category_rows = Vec::new();
    for (id, d) in items {
        for (position, r) in d.retention.iter().enumerate() {
            let rule_id = rule_ids
                .get(&(*id, position as i32))
                .copied()
                .ok_or(StoreError::NotFound)?;
            for (at, category) in r.data_category_ids.iter().enumerate() {
                category_rows.push((
                    retention_rule_categories::rule_id.eq(rule_id),
                    retention_rule_categories::activity_id.eq(*id),
                    retention_rule_categories::data_category_id.eq(category.0),
                    retention_rule_categories::position.eq(at as i32),
                ));
            }
        }
    }
    insert_rows!(conn, retention_rule_categories::table, category_rows);
    Ok(())
}

pub(super) fn delete_children(conn: &mut DbConnection, id: i64) -> StoreResult<()> {
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
    "retention_rule_categories",
    "retention_rules",
];

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
        // Acknowledged findings belong to the activity but are not one of its lists: a save
        // keeps them (they lapse by themselves when the finding changes).
        holding.retain(|t| t != "finding_acknowledgements");
        let mut listed: Vec<String> = LIST_TABLES.iter().map(|t| t.to_string()).collect();
        listed.sort();
        holding.sort();
        assert_eq!(listed, holding);
    }
}
