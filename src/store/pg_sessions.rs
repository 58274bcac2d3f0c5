//! Sessions read over an asynchronous PostgreSQL connection, one per server worker.
//!
//! Every signed-in request reads its session, its user and the register's revision before
//! anything else; a kept page needs nothing more. Through the pool that read is a hand-off to
//! the blocking threads and back; here it runs on the worker's own thread, and the requests
//! that arrive while one read is under way are read together by the next, in one statement
//! (`token_hash = ANY($2)`): under load the database answers one statement per batch rather
//! than one per request, and alone a request waits for no one. Anything out of the ordinary
//! (no connection yet, a broken one, a session due a write) is answered `None`, and the caller
//! takes the pooled way, which writes what must be written and reports errors.
//!
//! The reader spawns its batches on the worker's local task set, so it is used from a server
//! worker (or another `tokio::task::LocalSet`).
//!
//! Uses `store::users`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use tokio::sync::oneshot;

use super::users::{self, SessionPeek, SessionRow};

/// How long after a failed connection attempt the worker stays on the pooled way.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// How long a connection attempt may take before the pooled way is taken instead.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The most tokens read by one statement; more waiting are read by the next.
const BATCH_LIMIT: usize = 256;

/// How the readers' connections are named in `pg_stat_activity`.
pub const APPLICATION_NAME: &str = "ropa sessions";

/// The worker's connection and its prepared session statement.
struct Live {
    client: tokio_postgres::Client,
    statement: tokio_postgres::Statement,
}

/// A request waiting for its session: the token's hash and where to send the answer.
struct Waiting {
    hash: String,
    answer: oneshot::Sender<Option<SessionPeek>>,
}

/// One worker's asynchronous session reader (not shared between threads).
pub struct PgSessions {
    config: tokio_postgres::Config,
    live: RefCell<Option<Rc<Live>>>,
    connecting: Cell<bool>,
    retry_at: Cell<Option<Instant>>,
    warned: Cell<bool>,
    /// Requests waiting for the next batch.
    waiting: RefCell<Vec<Waiting>>,
    /// Whether a batch task is running (it reads until no request waits).
    reading: Cell<bool>,
}

/// Keeps a flag raised until dropped: a connection attempt under way (also when the request
/// that made it is abandoned half-way), a batch task running (also if it panicked, so that the
/// next request starts another rather than waiting for one that is gone).
struct Raised<'a>(&'a Cell<bool>);

impl Drop for Raised<'_> {
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
            waiting: RefCell::new(Vec::new()),
            reading: Cell::new(false),
        })
    }

    /// Reads a session token without writing. `None`: take the pooled way.
    pub async fn peek(self: &Rc<Self>, token: &str) -> Option<SessionPeek> {
        self.live().await?;
        let (answer, answered) = oneshot::channel();
        self.waiting.borrow_mut().push(Waiting {
            hash: users::token_hash(token),
            answer,
        });
        if !self.reading.replace(true) {
            tokio::task::spawn_local(self.clone().read_batches());
        }
        // A batch task that ended without answering (it panicked) means the pooled way.
        answered.await.ok().flatten()
    }

    /// Reads the waiting requests' sessions, one statement per batch, until none waits.
    async fn read_batches(self: Rc<Self>) {
        let _running = Raised(&self.reading);
        loop {
            let batch: Vec<Waiting> = {
                let mut waiting = self.waiting.borrow_mut();
                let take = waiting.len().min(BATCH_LIMIT);
                waiting.drain(..take).collect()
            };
            if batch.is_empty() {
                return;
            }
            let live = self.live.borrow().clone();
            let found = match live {
                Some(live) => self.read(&live, &batch).await,
                None => None,
            };
            for Waiting { hash, answer } in batch {
                let peek = found.as_ref().and_then(|found| match found.get(&hash) {
                    Some(row) => row.clone(),
                    None => Some(SessionPeek::None),
                });
                // The request may have been abandoned meanwhile: nobody to answer then.
                let _ = answer.send(peek);
            }
        }
    }

    /// One statement for a batch: what each token found (`None` for a row not understood);
    /// `None` if the statement failed, and then the connection is dropped.
    async fn read(
        &self,
        live: &Rc<Live>,
        batch: &[Waiting],
    ) -> Option<HashMap<String, Option<SessionPeek>>> {
        let hashes: Vec<&str> = batch.iter().map(|w| w.hash.as_str()).collect();
        match live
            .client
            .query(&live.statement, &[&1_i64, &1_i64, &hashes])
            .await
        {
            Ok(rows) => Some(
                rows.iter()
                    .filter_map(|row| match decode(row) {
                        Ok((hash, row)) => Some((hash, Some(users::judge_session(row)))),
                        Err(e) => {
                            tracing::warn!("session row not understood: {e}");
                            let hash = row.try_get::<_, String>(0).ok()?;
                            Some((hash, None))
                        }
                    })
                    .collect(),
            ),
            Err(e) => {
                // A broken connection is dropped; the next request connects again.
                tracing::debug!("asynchronous session read failed: {e}");
                let mut slot = self.live.borrow_mut();
                if slot.as_ref().is_some_and(|l| Rc::ptr_eq(l, live)) {
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
        let attempt = Raised(&self.connecting);
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
        let sql = users::sessions_statement_pg().map_err(|e| e.to_string())?;
        let statement = client.prepare(&sql).await.map_err(|e| e.to_string())?;
        Ok(Live { client, statement })
    }
}

/// A row of the sessions statement: the token hash, then the session row.
fn decode(row: &tokio_postgres::Row) -> Result<(String, SessionRow), tokio_postgres::Error> {
    Ok((
        row.try_get(0)?,
        (
            row.try_get::<_, NaiveDateTime>(1)?,
            (
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
                row.try_get(7)?,
            ),
            row.try_get(8)?,
            row.try_get(9)?,
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_takes_the_limits_then_the_token_hashes() {
        let sql = users::sessions_statement_pg().unwrap();
        assert!(
            sql.starts_with("SELECT \"sessions\".\"token_hash\","),
            "{sql}"
        );
        assert!(
            sql.contains("LIMIT $1") && sql.contains("LIMIT $2"),
            "{sql}"
        );
        assert!(
            sql.contains("\"sessions\".\"token_hash\" = ANY($3)"),
            "{sql}"
        );
        assert!(!sql.contains("$4"), "{sql}");
        assert!(sql.contains("\"audit_head\""), "{sql}");
    }
}
