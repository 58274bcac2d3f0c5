//! Counting password attempts (signing in, and the current password when changing it), shared
//! by every instance through the database.
//!
//! An attempt is counted *before* its password is checked, in a transaction that holds the
//! audit trail's head, so that attempts sent in parallel are counted one after another and no
//! more than [`MAX_FAILURES`] passwords of an account are ever checked in a lock period; a
//! correct password then clears the count. Two keys are counted:
//!
//! - the account (`account:<id>`, or `unknown:<hash of the email>` for an email that names no
//!   account, so the answers do not tell which emails exist): after [`MAX_FAILURES`] failures
//!   within [`LOCK_MINUTES`] it is locked for [`LOCK_MINUTES`], and only then is a correct
//!   password refused;
//! - the client address (`address:<ip>`): never locked, because behind a proxy one address is
//!   the whole organisation and made-up emails would lock everybody out; after
//!   [`FREE_ADDRESS_FAILURES`] failures each further attempt from it waits for its turn, the
//!   turns growing apart (from 250 ms, doubling, at most [`MAX_DELAY`] apart and never more than
//!   [`MAX_DELAY`] away), which slows guessing across accounts without refusing anyone.
//!
//! The audit trail gets bounded entries, never what was typed in the email field (often a
//! password typed in the wrong field): one `login_failed` for the first failure of an account
//! or address in a period, one `login_locked` when an account locks, one `login_slowed` when
//! an address starts waiting. Uses the audit trail and the schema.

use std::time::Duration as Wait;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::schema::login_throttle;
use super::{now, DbConnection, StoreResult};

/// Failures of an account within the lock period before it is locked.
pub const MAX_FAILURES: i32 = 5;
/// How long failures are remembered and a lock lasts.
pub const LOCK_MINUTES: i64 = 15;
/// Failures from one address before its attempts wait for their turn.
pub const FREE_ADDRESS_FAILURES: i32 = 5;
/// The longest wait between two turns of an address, and the longest any attempt waits.
pub const MAX_DELAY: Wait = Wait::from_secs(15);
/// The first wait between turns once an address is slowed.
const FIRST_DELAY_MS: u64 = 250;

/// The account whose password is tried, if the email names one.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its id.
    pub id: i64,
    /// Its email as stored (the only email ever written to the trail).
    pub email: String,
}

/// An attempt admitted and counted, whose password may now be checked.
#[derive(Debug, Clone)]
pub struct Attempt {
    account: Option<Account>,
    address: String,
    /// The account's failures in the period, this attempt counted.
    account_failures: i32,
    /// The address's failures in the period, this attempt counted.
    address_failures: i32,
    /// When the account locks if this attempt fails.
    lock_until: NaiveDateTime,
    /// How long to wait before checking the password (the address's turn).
    pub wait: Wait,
}

impl Attempt {
    /// The client address the attempt came from.
    pub fn address(&self) -> &str {
        &self.address
    }
}

/// Whether an attempt may go on.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Counted; check the password after `wait`.
    Admitted(Attempt),
    /// The account is locked until then (UTC); no password is checked.
    Locked(NaiveDateTime),
}

fn account_key(id: i64) -> String {
    format!("account:{id}")
}

/// The key an email that names no account is counted under: a hash, not the typed text.
fn unknown_key(email: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(Sha256::digest(email.as_bytes()));
    format!("unknown:{}", &digest[..32])
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// A throttle row: failures in the period, the last failure, and (accounts) the lock's end or
/// (addresses) the time of the next turn.
type Row = (i32, NaiveDateTime, Option<NaiveDateTime>);

fn read(conn: &mut DbConnection, key: &str) -> StoreResult<Option<Row>> {
    Ok(login_throttle::table
        .find(key)
        .select((
            login_throttle::failures,
            login_throttle::last_failure_at,
            login_throttle::locked_until,
        ))
        .first(conn)
        .optional()?)
}

fn write(conn: &mut DbConnection, key: &str, existed: bool, row: Row) -> StoreResult<()> {
    let (failures, last, until) = row;
    if existed {
        diesel::update(login_throttle::table.find(key))
            .set((
                login_throttle::failures.eq(failures),
                login_throttle::last_failure_at.eq(last),
                login_throttle::locked_until.eq(until),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(login_throttle::table)
            .values((
                login_throttle::throttle_key.eq(key),
                login_throttle::failures.eq(failures),
                login_throttle::last_failure_at.eq(last),
                login_throttle::locked_until.eq(until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The failures still remembered at `at` (those of an older period are forgotten).
fn remembered(row: Option<Row>, at: NaiveDateTime) -> (i32, Option<NaiveDateTime>) {
    match row {
        Some((n, last, until)) if at - last < Duration::minutes(LOCK_MINUTES) => (n, until),
        _ => (0, None),
    }
}

/// The gap between an address's turns after `failures` failures.
fn delay_after(failures: i32) -> Wait {
    let over = failures - FREE_ADDRESS_FAILURES;
    if over <= 0 {
        return Wait::ZERO;
    }
    let doubled = FIRST_DELAY_MS.saturating_mul(1u64 << (over - 1).min(16));
    Wait::from_millis(doubled).min(MAX_DELAY)
}

/// Counts an attempt on `account` (if the email names one) from `address`, or refuses it when
/// the account is locked. One transaction holding the audit head: attempts on any instance are
/// counted one after another.
pub fn admit(
    conn: &mut DbConnection,
    account: Option<Account>,
    unknown_email: Option<&str>,
    address: &str,
) -> StoreResult<Admission> {
    let at = now();
    // An email that names no account is counted and locked like one (under a hash of it, never
    // the text), so the answers do not tell which emails have accounts.
    let key = match (&account, unknown_email) {
        (Some(a), _) => Some(account_key(a.id)),
        (None, Some(email)) => Some(unknown_key(email)),
        (None, None) => None,
    };
    audit::write(conn, &Actor::system("sign-in"), |conn, _| {
        let mut account_failures = 0;
        let lock_until = at + Duration::minutes(LOCK_MINUTES);
        if let Some(key) = &key {
            let row = read(conn, key)?;
            let (failures, until) = remembered(row, at);
            if let Some(until) = until.filter(|u| *u > at) {
                return Ok(Admission::Locked(until));
            }
            if failures >= MAX_FAILURES {
                return Ok(Admission::Locked(lock_until));
            }
            account_failures = failures.saturating_add(1);
            // The attempt counts as a failure until its password proves right; the lock is set
            // with the attempt that reaches the limit, so parallel attempts meet it at once.
            let lock = (account_failures >= MAX_FAILURES).then_some(lock_until);
            write(conn, key, row.is_some(), (account_failures, at, lock))?;
        }
        let key = address_key(address);
        let row = read(conn, &key)?;
        let (failures, next_turn) = remembered(row, at);
        let address_failures = failures.saturating_add(1);
        let turn = next_turn.filter(|t| *t > at).unwrap_or(at);
        let wait = (turn - at).to_std().unwrap_or(Wait::ZERO).min(MAX_DELAY);
        let gap = Duration::from_std(delay_after(address_failures)).unwrap_or_default();
        let next = (address_failures > FREE_ADDRESS_FAILURES).then_some(turn + gap);
        write(conn, &key, row.is_some(), (address_failures, at, next))?;
        Ok(Admission::Admitted(Attempt {
            account,
            address: address.to_owned(),
            account_failures,
            address_failures,
            lock_until,
            wait,
        }))
    })
}

/// What an attempt came to, once its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The password was right: the counts are cleared.
    Right,
    /// The password was wrong; the account is not locked.
    Wrong,
    /// The password was wrong and the account is now locked until then (UTC).
    NowLocked(NaiveDateTime),
}

/// Settles an attempt whose password was checked: a right one clears its account's count and
/// takes its own count back from the address (in the caller's transaction, with what the
/// success writes); a wrong one stays
/// counted and is recorded in the trail when it is the first of its period or locks the
/// account.
pub fn settle(
    conn: &mut DbConnection,
    attempt: &Attempt,
    right: bool,
    action: &str,
) -> StoreResult<Settled> {
    if right {
        // The account's count is cleared; the address gets back only this attempt's own count,
        // or anyone with an account (an attacker's own, a colleague's behind the same proxy)
        // would reset the address's failures.
        if let Some(a) = &attempt.account {
            diesel::delete(login_throttle::table.find(account_key(a.id))).execute(conn)?;
        }
        diesel::update(
            login_throttle::table
                .filter(login_throttle::throttle_key.eq(address_key(&attempt.address)))
                .filter(login_throttle::failures.gt(0)),
        )
        .set(login_throttle::failures.eq(login_throttle::failures - 1))
        .execute(conn)?;
        return Ok(Settled::Right);
    }
    let who = match &attempt.account {
        Some(a) => format!("{} from {}", a.email, attempt.address),
        None => format!("an unknown account from {}", attempt.address),
    };
    let id = attempt.account.as_ref().map(|a| a.id);
    let mut changes = Vec::new();
    let first = match &attempt.account {
        Some(_) => attempt.account_failures == 1,
        None => attempt.address_failures == 1,
    };
    if first {
        changes.push(Change::event(action, "session", id, &who));
    }
    let locked = attempt.account_failures >= MAX_FAILURES;
    // Locks of made-up emails are not written: one entry per made-up email would not be
    // bounded, and the trail needs only the first failure from the address.
    if locked && attempt.account.is_some() {
        changes.push(Change::event(
            "login_locked",
            "session",
            id,
            &format!(
                "{who}: {} failed attempts; locked until {} UTC",
                attempt.account_failures,
                attempt.lock_until.format("%Y-%m-%d %H:%M")
            ),
        ));
    }
    if attempt.address_failures == FREE_ADDRESS_FAILURES + 1 {
        changes.push(Change::event(
            "login_slowed",
            "session",
            None,
            &format!(
                "{} failed attempts from {}; further attempts wait their turn",
                attempt.address_failures, attempt.address
            ),
        ));
    }
    if !changes.is_empty() {
        audit::write(
            conn,
            &Actor::system("sign-in"),
            |_, audit| -> StoreResult<()> {
                for c in changes {
                    audit.record(c);
                }
                Ok(())
            },
        )?;
    }
    Ok(if locked {
        Settled::NowLocked(attempt.lock_until)
    } else {
        Settled::Wrong
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_waits_longer_after_each_failure_up_to_the_limit() {
        assert_eq!(delay_after(FREE_ADDRESS_FAILURES), Wait::ZERO);
        assert_eq!(
            delay_after(FREE_ADDRESS_FAILURES + 1),
            Wait::from_millis(250)
        );
        assert_eq!(
            delay_after(FREE_ADDRESS_FAILURES + 2),
            Wait::from_millis(500)
        );
        assert_eq!(delay_after(FREE_ADDRESS_FAILURES + 40), MAX_DELAY);
        assert_eq!(delay_after(i32::MAX), MAX_DELAY);
    }
}
