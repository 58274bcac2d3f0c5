//! Writes that stay prepared on their connection, though diesel's own would not.
//!
//! diesel keeps a prepared statement per connection for a query whose text cannot vary, and
//! prepares every UPDATE and every raw SQL statement afresh each time it runs (a changeset may
//! skip its `None` fields; raw SQL may have been put together at run time). On PostgreSQL a
//! statement prepared afresh is parsed and planned again by the server: for a save, the
//! activity's UPDATE of some thirty columns and the one statement that deletes its eleven
//! lists were a good part of the database's work. The statements here are written from the
//! same parts as diesel's (columns, changesets and filters of the schema) but do not mark
//! themselves as varying; a part that does vary (an `IN` list) still marks itself, and diesel
//! keeps each statement under its SQL text, so two texts are never confused.
//!
//! Uses nothing else of the crate.

use diesel::backend::Backend;
use diesel::expression::Expression;
use diesel::query_builder::{AsChangeset, AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::BigInt;
use diesel::{QueryResult, RunQueryDsl, Table};

/// `UPDATE table SET changeset WHERE filter [RETURNING columns]`, kept prepared.
#[derive(Debug, Clone)]
pub struct Update<T, V, W, R = NoReturning> {
    table: T,
    set: V,
    filter: W,
    returning: R,
}

/// No `RETURNING` clause.
#[derive(Debug, Clone, Copy)]
pub struct NoReturning;

/// A `RETURNING` clause of these columns.
#[derive(Debug, Clone, Copy)]
pub struct Returning<R>(R);

/// Updates the rows of `table` that match `filter` with `set` (write every field of the
/// changeset, e.g. `treat_none_as_null`, or its text varies with the values and it is prepared
/// once per text).
pub fn update<T, W, V>(table: T, filter: W, set: V) -> Update<T, V::Changeset, W>
where
    T: Table,
    V: AsChangeset<Target = T>,
{
    Update {
        table,
        set: set.as_changeset(),
        filter,
        returning: NoReturning,
    }
}

impl<T, V, W> Update<T, V, W> {
    /// Returns these columns of the updated rows.
    pub fn returning<R: Expression>(self, columns: R) -> Update<T, V, W, Returning<R>> {
        Update {
            table: self.table,
            set: self.set,
            filter: self.filter,
            returning: Returning(columns),
        }
    }
}

impl<DB: Backend> QueryFragment<DB> for NoReturning {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

impl<R, DB> QueryFragment<DB> for Returning<R>
where
    DB: Backend,
    R: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(" RETURNING ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<T, V, W, R, DB> QueryFragment<DB> for Update<T, V, W, R>
where
    DB: Backend,
    T: Table + QueryFragment<DB>,
    V: QueryFragment<DB>,
    W: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        self.set.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        self.filter.walk_ast(out.reborrow())?;
        self.returning.walk_ast(out.reborrow())
    }
}

impl<T, V, W, R> QueryId for Update<T, V, W, R> {
    // Kept under its SQL text, not its type: a changeset that skips a `None` field has
    // another text.
    type QueryId = ();

    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T, V, W, R: Expression> Query for Update<T, V, W, Returning<R>> {
    type SqlType = R::SqlType;
}

impl<T, V, W, R, Conn> RunQueryDsl<Conn> for Update<T, V, W, R> {}

/// One statement that deletes the rows of `tables` whose `activity_id` is `id`: for one table
/// `DELETE FROM a WHERE activity_id = $1` (either backend); for more, data-modifying CTEs,
/// which only PostgreSQL has: `WITH t0 AS (DELETE FROM a WHERE activity_id = $1), ...
/// DELETE FROM z WHERE activity_id = $n`.
#[derive(Debug, Clone, Copy)]
pub struct DeleteByActivity {
    /// The tables, the last one deleted from by the main statement.
    pub tables: &'static [&'static str],
    /// The activity.
    pub id: i64,
}

impl<DB> QueryFragment<DB> for DeleteByActivity
where
    DB: Backend + diesel::sql_types::HasSqlType<BigInt>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let Some((last, with)) = self.tables.split_last() else {
            return Err(diesel::result::Error::QueryBuilderError(
                "no table to delete from".into(),
            ));
        };
        for (n, table) in with.iter().enumerate() {
            out.push_sql(if n == 0 { "WITH " } else { ", " });
            out.push_sql(&format!("t{n} AS (DELETE FROM "));
            out.push_identifier(table)?;
            out.push_sql(" WHERE activity_id = ");
            out.push_bind_param::<BigInt, _>(&self.id)?;
            out.push_sql(")");
        }
        out.push_sql(if with.is_empty() {
            "DELETE FROM "
        } else {
            " DELETE FROM "
        });
        out.push_identifier(last)?;
        out.push_sql(" WHERE activity_id = ");
        out.push_bind_param::<BigInt, _>(&self.id)
    }
}

impl QueryId for DeleteByActivity {
    type QueryId = ();

    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> RunQueryDsl<Conn> for DeleteByActivity {}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Connection, InstrumentationEvent, SimpleConnection};
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    use super::*;
    use crate::store::schema::audit_head;

    /// An in-memory database with the audit head, and the SQL of the statements its
    /// connection keeps prepared.
    fn database() -> (SqliteConnection, Arc<Mutex<Vec<String>>>) {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, last_hash TEXT NOT NULL);
             INSERT INTO audit_head VALUES (1, 0, 'genesis');",
        )
        .unwrap();
        let kept = Arc::new(Mutex::new(Vec::new()));
        let sink = kept.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                sink.lock().unwrap().push(sql.to_owned());
            }
        });
        (conn, kept)
    }

    #[test]
    fn an_update_is_prepared_once_where_diesel_prepares_it_every_time() {
        let (mut conn, kept) = database();
        for seq in 1..=3 {
            diesel::update(audit_head::table.find(1i64))
                .set(audit_head::seq.eq(seq))
                .execute(&mut conn)
                .unwrap();
        }
        assert!(kept.lock().unwrap().is_empty(), "diesel keeps no UPDATE");
        for seq in 4..=6 {
            let n = update(
                audit_head::table,
                audit_head::id.eq(1i64),
                (audit_head::seq.eq(seq), audit_head::last_hash.eq("h")),
            )
            .execute(&mut conn)
            .unwrap();
            assert_eq!(n, 1);
        }
        let (seq, hash): (i64, String) = update(
            audit_head::table,
            audit_head::id.eq(1i64),
            audit_head::seq.eq(audit_head::seq + 1),
        )
        .returning((audit_head::seq, audit_head::last_hash))
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(
            (seq, hash.as_str()),
            (7, "h"),
            "each run bound its own values"
        );
        let kept = kept.lock().unwrap();
        let updates: Vec<_> = kept.iter().filter(|s| s.starts_with("UPDATE")).collect();
        assert_eq!(updates.len(), 2, "one per statement text: {kept:?}");
        assert_eq!(
            updates[0],
            "UPDATE `audit_head` SET `seq` = ?, `last_hash` = ? WHERE (`audit_head`.`id` = ?)"
        );
    }

    #[test]
    fn a_delete_by_activity_deletes_from_every_table_named() {
        let statement = DeleteByActivity {
            tables: &["a", "b", "c"],
            id: 7,
        };
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&statement).to_string();
        assert!(
            sql.starts_with(
                "WITH t0 AS (DELETE FROM \"a\" WHERE activity_id = $1), \
                 t1 AS (DELETE FROM \"b\" WHERE activity_id = $2) \
                 DELETE FROM \"c\" WHERE activity_id = $3"
            ),
            "{sql}"
        );
        let one = DeleteByActivity {
            tables: &["a"],
            id: 7,
        };
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&one).to_string();
        assert!(
            sql.starts_with("DELETE FROM \"a\" WHERE activity_id = $1"),
            "{sql}"
        );
        let none = DeleteByActivity { tables: &[], id: 7 };
        let mut builder = diesel::pg::PgQueryBuilder::default();
        assert!(
            QueryFragment::<diesel::pg::Pg>::to_sql(&none, &mut builder, &diesel::pg::Pg).is_err()
        );
    }
}
