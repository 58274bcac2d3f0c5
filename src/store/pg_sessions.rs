//! Sessions read over an asynchronous PostgreSQL connection, one per server worker.
//!
//! Every signed-in request reads its session, its user and the register's revision before
//! anything else; a kept page needs nothing more. Through the pool that read is a hand-off to
//! the blocking threads and back; here it is one pipelined round trip on the worker's own
//! thread, many requests sharing one connection. Anything out of the ordinary (no connection
//! yet, a broken one, a session due a write) is answered `None`, and the caller takes the
//! pooled way, which writes what must be written and reports errors.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::users::{self, SessionPeek, SessionRow};

/// How long after a failed connection attempt the worker stays on the pooled way.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// How long a connection attempt may take before the pooled way is taken instead.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// How the readers' connections are named in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "ropa sessions";

/// The worker's connection and its prepared session statement.
struct Live {
    client: tokio_postgres::Client,
    statement: tokio_postgres::Statement,
}

/// One worker's asynchronous session reader (not shared between threads).
pub struct PgSessions {
    config: tokio_postgres::Config,
    live: RefCell<Option<Rc<Live>>>,
    connecting: Cell<bool>,
    retry_at: Cell<Option<Instant>>,
    warned: Cell<bool>,
}

/// Marks a connection attempt under way, until dropped (also when the request that made the
/// attempt is abandoned half-way).
struct Connecting<'a>(&'a Cell<bool>);

impl Drop for Connecting<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

impl PgSessions {
    /// A reader for this PostgreSQL connection string; `None` if tokio-postgres cannot read it
    /// (the pooled way then serves every request).
    pub fn new(url: &str) -> Option<Self> {
        let mut config = url.parse::<tokio_postgres::Config>().ok()?;
        config.application_name(APPLICATION_NAME);
        config.connect_timeout(CONNECT_TIMEOUT);
        Some(Self {
            config,
            live: RefCell::new(None),
            connecting: Cell::new(false),
            retry_at: Cell::new(None),
            warned: Cell::new(false),
        })
    }

    /// Reads a session token without writing. `None`: take the pooled way.
    pub async fn peek(&self, token: &str) -> Option<SessionPeek> {
        let live = self.live().await?;
        let hash = users::token_hash(token);
        match live
            .client
            .query_opt(&live.statement, &[&1_i64, &hash])
            .await
        {
            Ok(None) => Some(SessionPeek::None),
            Ok(Some(row)) => match decode(&row) {
                Ok(row) => Some(users::judge_session(row)),
                Err(e) => {
                    tracing::warn!("session row not understood: {e}");
                    None
                }
            },
            Err(e) => {
                // A broken connection is dropped; the next request connects again.
                tracing::debug!("asynchronous session read failed: {e}");
                let mut slot = self.live.borrow_mut();
                if slot.as_ref().is_some_and(|l| Rc::ptr_eq(l, &live)) {
                    *slot = None;
                }
                None
            }
        }
    }

    /// The worker's connection, opened on first use; `None` while another request of this
    /// worker is opening it or after a failure (for [`RETRY_AFTER`]).
    async fn live(&self) -> Option<Rc<Live>> {
        if let Some(live) = self.live.borrow().as_ref() {
            if !live.client.is_closed() {
                return Some(live.clone());
            }
        }
        if self.connecting.get() || self.retry_at.get().is_some_and(|t| Instant::now() < t) {
            return None;
        }
        self.connecting.set(true);
        let attempt = Connecting(&self.connecting);
        let opened = self.open().await;
        drop(attempt);
        match opened {
            Ok(live) => {
                let live = Rc::new(live);
                *self.live.borrow_mut() = Some(live.clone());
                self.retry_at.set(None);
                Some(live)
            }
            Err(e) => {
                // Once per worker at warning level (a server that insists on TLS refuses every
                // attempt); later failures at debug level.
                if self.warned.replace(true) {
                    tracing::debug!("asynchronous session connection failed again: {e}");
                } else {
                    tracing::warn!(
                        "sessions are read through the pool: asynchronous connection failed: {e}"
                    );
                }
                *self.live.borrow_mut() = None;
                self.retry_at.set(Some(Instant::now() + RETRY_AFTER));
                None
            }
        }
    }

    async fn open(&self) -> Result<Live, String> {
        let (client, connection) = self
            .config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("asynchronous session connection ended: {e}");
            }
        });
        let sql = users::session_statement_pg().map_err(|e| e.to_string())?;
        let statement = client.prepare(&sql).await.map_err(|e| e.to_string())?;
        Ok(Live { client, statement })
    }
}

fn decode(row: &tokio_postgres::Row) -> Result<SessionRow, tokio_postgres::Error> {
    Ok((
        row.try_get::<_, NaiveDateTime>(0)?,
        (
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
            row.try_get(6)?,
        ),
        row.try_get(7)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_takes_the_limit_then_the_token_hash() {
        let sql = users::session_statement_pg().unwrap();
        assert!(sql.starts_with("SELECT"), "{sql}");
        assert!(sql.contains("LIMIT $1"), "{sql}");
        assert!(sql.contains("\"sessions\".\"token_hash\" = $2"), "{sql}");
        assert!(!sql.contains("$3"), "{sql}");
        assert!(sql.contains("\"audit_head\""), "{sql}");
    }
}
