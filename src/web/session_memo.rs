//! Signed-in sessions remembered for a moment on an embedded (SQLite) database, so that a run
//! of page views does not read the session and the register's revision once each: an entry is
//! used for at most [`MEMO_FOR`] and only while this process has written nothing since it was
//! read (`store::local_writes`). A change made here (a save, a log-out, an account disabled) is
//! seen by the next request; a change made by another process on the same file (the command
//! line) within that moment. Not used on PostgreSQL, where several instances share sessions.
//!
//! Uses the store's sessions and its count of local writes.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::store::users::LiveSession;

/// How long a session read from the database is used without reading it again.
pub const MEMO_FOR: Duration = Duration::from_secs(1);

/// Sessions remembered at most: past this, all are forgotten at once (read again as needed).
const MAX_ENTRIES: usize = 4096;

/// A session as read, with when and after how many local writes.
#[derive(Debug)]
struct Entry {
    at: Instant,
    writes: u64,
    live: LiveSession,
}

/// The remembered sessions, by token.
#[derive(Debug, Default)]
pub struct SessionMemo {
    entries: Mutex<HashMap<String, Entry>>,
}

impl SessionMemo {
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The live session of `token` read within the last moment, while nothing was written
    /// here since: `writes` is [`crate::store::local_writes`] now.
    pub fn get(&self, token: &str, writes: u64, now: Instant) -> Option<LiveSession> {
        let entries = self.entries();
        let entry = entries.get(token)?;
        (entry.writes == writes && now.saturating_duration_since(entry.at) < MEMO_FOR)
            .then(|| entry.live.clone())
    }

    /// Remembers `live` for `token`, read from the database after `writes` local writes
    /// (counted before the read, so that a write during it makes the entry unusable).
    pub fn keep(&self, token: &str, writes: u64, now: Instant, live: &LiveSession) {
        let mut entries = self.entries();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            token.to_owned(),
            Entry {
                at: now,
                writes,
                live: live.clone(),
            },
        );
    }

    /// Forgets `token` (it was found ended).
    pub fn forget(&self, token: &str) {
        self.entries().remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::user::Role;
    use crate::store::users::User;

    fn live() -> LiveSession {
        LiveSession {
            user: User {
                id: 1,
                email: "dpo@example.eu".into(),
                name: "DPO".into(),
                role: Role::Admin,
                active: true,
                version: 1,
            },
            revision: 7,
            history: 9,
        }
    }

    #[test]
    fn an_entry_serves_for_a_moment_and_not_after_a_local_write() {
        let memo = SessionMemo::default();
        let t0 = Instant::now();
        memo.keep("t", 3, t0, &live());
        assert_eq!(memo.get("t", 3, t0).map(|l| l.revision), Some(7));
        assert!(memo.get("t", 4, t0).is_none(), "written since");
        assert!(memo.get("t", 3, t0 + MEMO_FOR).is_none(), "too old");
        assert!(memo.get("other", 3, t0).is_none());
        memo.forget("t");
        assert!(memo.get("t", 3, t0).is_none());
    }
}
