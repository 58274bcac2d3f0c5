//! Storage: the connection pool over SQLite or PostgreSQL, migrations, seeding and queries.
//!
//! The URL's scheme picks the backend: `postgres://` or `postgresql://` for PostgreSQL,
//! `sqlite://path`, `sqlite:path` or a plain path for an SQLite file. Anything else is refused.
//!
//! Uses only its own submodules.

pub mod acknowledgements;
pub mod activities;
pub mod audit;
pub mod audit_key;
pub mod catalogues;
pub mod checks;
pub mod connection;
pub mod gaps;
pub mod import;
pub mod named;
pub mod organisations;
pub mod parties;
pub mod pg_sessions;
pub mod prepared;
pub mod records;
pub mod revision_cache;
pub mod schema;
pub mod search_index;
pub mod throttle;
pub mod users;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// Migrations for SQLite, embedded in the binary.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// Migrations for PostgreSQL, embedded in the binary.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub use connection::DbConnection;

/// Changes this process has written (audited changes, ended sessions), counted so that what it
/// remembers of the register and its sessions for a moment (`web::session_memo`) is read again
/// after each. Writes by other processes are not counted: whatever remembers must expire.
static LOCAL_WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The number of changes this process has written so far (see [`note_local_write`]).
pub fn local_writes() -> u64 {
    LOCAL_WRITES.load(std::sync::atomic::Ordering::Acquire)
}

/// Counts a change written by this process: called after every audited transaction and every
/// ended session, committed or not.
pub fn note_local_write() {
    LOCAL_WRITES.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An SQLite file at this path.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string.
    Postgres(String),
}

/// Errors of opening the database.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL names no supported backend.
    #[error(
        "unsupported database URL scheme `{0}`: use postgres://..., sqlite://PATH or a file path"
    )]
    UnknownScheme(String),
    /// The SQLite folder could not be created.
    #[error("cannot create the folder {path} for the SQLite database: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The first connection failed.
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] r2d2::PoolError),
    /// Migrations failed.
    #[error("cannot apply migrations: {0}")]
    Migrate(String),
    /// Seeding the catalogues failed.
    #[error("cannot seed the catalogues: {0}")]
    Seed(#[from] StoreError),
    /// Computing the missing elements of activities stored before they were kept failed.
    #[error("cannot compute the missing elements of the activities: {0}")]
    Gaps(StoreError),
    /// Giving organisations stored before reference prefixes existed their prefix failed.
    #[error("cannot give the organisations their reference prefixes: {0}")]
    Prefixes(StoreError),
    /// Writing the search words of activities stored before the search index existed failed.
    #[error("cannot index the activities for search: {0}")]
    Search(StoreError),
    /// Refreshing the planner statistics failed.
    #[error("cannot refresh the database statistics: {0}")]
    Statistics(StoreError),
}

impl DatabaseUrl {
    /// Parses a database URL; an unknown scheme is an error, never a silently created file.
    pub fn parse(url: &str) -> Result<Self, OpenError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(OpenError::UnknownScheme(scheme.to_owned()));
        }
        if url.is_empty() {
            return Err(OpenError::UnknownScheme(String::new()));
        }
        Ok(Self::Sqlite(PathBuf::from(url)))
    }

    /// The backend's name for messages.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Opens connections for the pool, choosing the backend by URL so that errors say what failed.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
}

/// How long a PostgreSQL connection that answered is trusted without asking again: checking
/// out a connection checked less than this ago costs no round trip (SQLite connections, a file
/// in this process, are never checked).
const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// A pooled connection and when it was last known to answer (derefs to [`DbConnection`]).
pub struct Pooled {
    conn: DbConnection,
    checked_at: std::time::Instant,
    postgres_url: Option<String>,
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Pooled, r2d2::Error> {
        let conn = match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                // One batch so that every pragma runs (a multi-statement sql_query runs only the first).
                conn.batch_execute(
                    // synchronous FULL: a save the user saw confirmed survives a power cut (in
                    // WAL mode NORMAL may roll back the last commits), as on PostgreSQL. mmap and
                    // a page cache of up to 64 MB (filled only as pages are read): with less, an
                    // export of a big register read its pages again and again
                    // (docs/benchmarks.md).
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536;",
                )
                .map_err(r2d2::Error::QueryError)?;
                DbConnection::Sqlite(conn)
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn =
                    PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                // Prepared statements keep one plan: with PostgreSQL's default, statements with
                // an array parameter (`= ANY($1)`) were planned again at every execution, a
                // quarter of the server's time on a save (docs/benchmarks.md).
                conn.batch_execute("SET plan_cache_mode = force_generic_plan")
                    .map_err(r2d2::Error::QueryError)?;
                DbConnection::Pg(conn)
            }
        };
        Ok(Pooled {
            conn,
            checked_at: std::time::Instant::now(),
            postgres_url: match &self.url {
                DatabaseUrl::Postgres(url) => Some(url.clone()),
                DatabaseUrl::Sqlite(_) => None,
            },
        })
    }

    /// Runs on every check-out: a PostgreSQL connection not checked within [`TRUSTED_FOR`] is
    /// asked `SELECT 1` (a server restart is then met by a new connection, not an error page).
    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), r2d2::Error> {
        if matches!(pooled.conn, DbConnection::Sqlite(_))
            || pooled.checked_at.elapsed() < TRUSTED_FOR
        {
            return Ok(());
        }
        pooled
            .conn
            .batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)?;
        pooled.checked_at = std::time::Instant::now();
        Ok(())
    }

    /// Runs when a connection comes back: one left in a broken transaction is dropped.
    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        use diesel::r2d2::R2D2Connection;
        match &mut pooled.conn {
            DbConnection::Sqlite(c) => c.is_broken(),
            DbConnection::Pg(c) => c.is_broken(),
        }
    }
}

/// The pool every request borrows a connection from.
pub type Pool = r2d2::Pool<Manager>;

/// Whether the pool's database is an SQLite file in this process (a read is then a few
/// microseconds and never waits on the network).
pub fn is_embedded(pool: &Pool) -> bool {
    pool.get()
        .map(|c| matches!(c.conn, DbConnection::Sqlite(_)))
        .unwrap_or(false)
}

/// The PostgreSQL connection string the pool connects with, if it is PostgreSQL.
pub fn postgres_url(pool: &Pool) -> Option<String> {
    pool.get().ok()?.postgres_url.clone()
}

/// Errors of store operations that a user can act on, and the rest.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row.
    #[error("not found")]
    NotFound,
    /// The row changed since the form was loaded.
    #[error("changed by someone else since it was loaded (now version {current})")]
    Conflict {
        /// The version now stored.
        current: i64,
    },
    /// Deleting is refused because these activities use the row.
    #[error("in use by {}", .0.iter().map(|u| u.1.as_str()).collect::<Vec<_>>().join(", "))]
    InUse(Vec<(i64, String)>),
    /// A field clashes with another row (a duplicate name or reference).
    #[error("{field}: {message}")]
    Duplicate {
        /// The field.
        field: &'static str,
        /// What to tell the user.
        message: String,
    },
    /// Hashing a password failed (never expected; the password itself is not in the message).
    #[error("password hashing failed: {0}")]
    Password(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    /// No connection could be had.
    #[error(transparent)]
    Pool(#[from] r2d2::PoolError),
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Opens the database (creating the SQLite folder and file), applies migrations and seeds catalogues.
pub fn open(url: &str, pool_size: u32) -> Result<Pool, OpenError> {
    let url = DatabaseUrl::parse(url)?;
    if let DatabaseUrl::Sqlite(path) = &url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| OpenError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(pool_size.max(1))
        // PostgreSQL: start-up waits for two connections (each costs a server process), the rest
        // are opened in the background as requests need them. SQLite: all at once, before
        // anything writes (opening one sets the journal mode, which waits for no writer).
        .min_idle(match &url {
            DatabaseUrl::Postgres(_) => Some(pool_size.clamp(1, 2)),
            DatabaseUrl::Sqlite(_) => None,
        })
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { url })?;
    let mut conn = pool.get()?;
    migrate(&mut conn)?;
    catalogues::seed(&mut conn)?;
    audit::mark_unmarked_head(&mut conn)?;
    conn.transaction(|c| gaps::refresh_gaps(c, gaps::GapScope::Missing))
        .map_err(OpenError::Gaps)?;
    conn.transaction(|c| search_index::refresh(c, search_index::SearchScope::Missing))
        .map_err(OpenError::Search)?;
    conn.transaction(organisations::fill_reference_prefixes)
        .map_err(OpenError::Prefixes)?;
    refresh_statistics(&mut conn).map_err(OpenError::Statistics)?;
    Ok(pool)
}

/// After a bulk load (import, synthetic register): refreshes the planner statistics, so that
/// the list reads its index in order at once (PostgreSQL's autovacuum would do so a minute
/// later; SQLite never does by itself).
pub fn analyze_after_bulk_load(conn: &mut DbConnection) -> StoreResult<()> {
    match conn {
        DbConnection::Pg(_) => conn.batch_execute("ANALYZE")?,
        DbConnection::Sqlite(_) => analyze_sqlite(conn)?,
    }
    Ok(())
}

/// SQLite's planner statistics. Without them SQLite filters the list by status and sorts the
/// whole register for every page (6 ms at 10,000 activities) instead of reading the list's
/// index in order and stopping after 50 rows (0.2 ms); sampled statistics
/// (`analysis_limit`) mislead it the same way. So a full `ANALYZE` runs after a bulk load and
/// at a start that finds none (about 30 ms at 10,000 activities), otherwise `PRAGMA optimize`,
/// which analyses again only the tables that changed a lot. PostgreSQL keeps its own.
fn refresh_statistics(conn: &mut DbConnection) -> StoreResult<()> {
    use diesel::sql_types::BigInt;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    if let DbConnection::Sqlite(_) = conn {
        let analysed = diesel::sql_query(
            "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
        )
        .get_result::<Count>(conn)?
        .n > 0;
        if analysed {
            conn.batch_execute("PRAGMA optimize;")?;
        } else {
            conn.batch_execute("ANALYZE;")?;
        }
    }
    Ok(())
}

/// Full statistics after a bulk load on SQLite.
fn analyze_sqlite(conn: &mut DbConnection) -> StoreResult<()> {
    conn.batch_execute("ANALYZE;")?;
    Ok(())
}

/// The tables a bulk load (import, synthetic register) writes, besides the activities' lists
/// ([`activities::LIST_TABLES`]).
const BULK_TABLES: &[&str] = &[
    "organisations",
    "parties",
    "data_categories",
    "subject_categories",
    "security_measures",
    "activities",
    "activity_search",
    "activity_terms",
];

/// A foreign key taken off for a bulk load, to be put back as it was.
#[derive(diesel::QueryableByName)]
struct ForeignKey {
    /// `regclass` text: already quoted (and qualified) where PostgreSQL needs it.
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    constraint_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// Runs a bulk load inside the caller's transaction. On PostgreSQL the foreign keys of the
/// loaded tables are dropped first and added back afterwards, each checked once over the whole
/// table, as `pg_restore` does: otherwise every child row runs its own check (a `SELECT ... FOR
/// KEY SHARE` on its parent), most of an import's time. Added back before the transaction
/// commits, so a load that breaks a reference fails and leaves nothing; other connections wait
/// for the tables meanwhile. SQLite checks references cheaply and runs the load as it is.
pub fn bulk_load<T, E>(
    conn: &mut DbConnection,
    load: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::RunQueryDsl;
    let DbConnection::Pg(pg) = conn else {
        return load(conn);
    };
    let keys: Vec<ForeignKey> = diesel::sql_query(
        "SELECT c.conrelid::regclass::text AS table_name, c.conname::text AS constraint_name, \
                pg_get_constraintdef(c.oid) AS definition \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'f' AND t.relname = ANY($1) AND pg_table_is_visible(t.oid) \
         ORDER BY 1, 2",
    )
    .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(
        BULK_TABLES
            .iter()
            .chain(activities::LIST_TABLES)
            .copied()
            .collect::<Vec<_>>(),
    )
    .load(pg)?;
    for k in &keys {
        conn.batch_execute(&format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            k.table_name,
            quote_ident(&k.constraint_name)
        ))?;
    }
    let out = load(conn)?;
    for k in &keys {
        conn.batch_execute(&format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            k.table_name,
            quote_ident(&k.constraint_name),
            k.definition
        ))?;
    }
    Ok(out)
}

/// A PostgreSQL identifier, quoted.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Applies every pending migration of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), OpenError> {
    let result = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| OpenError::Migrate(e.to_string()))
}

/// The current time as stored: UTC, whole microseconds (both backends keep that precision).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::DateTime::from_timestamp_micros(now.and_utc().timestamp_micros())
        .map(|d| d.naive_utc())
        .unwrap_or(now)
}

/// Whether a diesel error is a unique-constraint violation.
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A stored code parsed by `parse`, or a deserialization error naming what it is (a row written
/// by a newer version, or edited by hand).
pub(crate) fn code<T>(
    what: &str,
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, diesel::result::Error> {
    parse(raw).ok_or_else(|| {
        diesel::result::Error::DeserializationError(
            format!("unknown {what} code `{raw}` in the database").into(),
        )
    })
}

/// Lower-cases for the search column; Unicode-aware where SQLite's `lower()` is not.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_sqlite_plans_without_bound_values() {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Used {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            used: i32,
        }
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let row: Used =
            diesel::sql_query("SELECT sqlite_compileoption_used('ENABLE_QPSG') AS used")
                .get_result(&mut conn)
                .unwrap();
        assert_eq!(row.used, 1, "see .cargo/config.toml");
    }

    #[test]
    fn urls_choose_the_backend_and_refuse_unknown_schemes() {
        assert_eq!(
            DatabaseUrl::parse("postgres://localhost/x").ok(),
            Some(DatabaseUrl::Postgres("postgres://localhost/x".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/r.db").ok(),
            Some(DatabaseUrl::Sqlite("data/r.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("./data/r.db").ok(),
            Some(DatabaseUrl::Sqlite("./data/r.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("mysql://localhost/x"),
            Err(OpenError::UnknownScheme(s)) if s == "mysql"
        ));
    }
}
