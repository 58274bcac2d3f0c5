//! The connection type over both backends.
//!
//! Uses nothing else of the crate.
// `diesel::MultiConnection` generates a backend, a query builder and bind collectors next to the
// enum; they are diesel's plumbing, documented by diesel.
#![allow(missing_docs)]

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// An SQLite file.
    Sqlite(SqliteConnection),
    /// A PostgreSQL server.
    Pg(PgConnection),
}
