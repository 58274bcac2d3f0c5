//! Accounts, their sessions and log-in throttling, all in the database so that several app
//! instances share them.
//!
//! Uses `domain::user`, `store::{audit, schema}`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::audit::{self, Actor, Change};
use super::schema::{audit_head, sessions, users};
use super::throttle::{self, Admission, Attempt, Settled};
use super::{is_unique_violation, now, DbConnection, StoreError, StoreResult};
use crate::domain::user::{Role as UserRole, UserDraft};

/// An account as stored (without its password hash).
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Email, lower case (the log-in name).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: UserRole,
    /// Whether the account may log in.
    pub active: bool,
    /// Version for optimistic locking.
    pub version: i64,
}

/// An account's columns as read: id, email, name, role, active, version.
pub type UserRow = (i64, String, String, String, bool, i64);

fn from_row((id, email, name, role, active, version): UserRow) -> User {
    User {
        id,
        email,
        name,
        role: UserRole::from_code(&role).unwrap_or(UserRole::Auditor),
        active,
        version,
    }
}

macro_rules! user_cols {
    () => {
        (
            users::id,
            users::email,
            users::name,
            users::role,
            users::active,
            users::version,
        )
    };
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> StoreResult<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| StoreError::Password(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Password(e.to_string()))
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Number of accounts (0 before set-up).
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

/// Every account, by email.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<User>> {
    let rows: Vec<UserRow> = users::table
        .order(users::email.asc())
        .select(user_cols!())
        .load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One account.
pub fn get(conn: &mut DbConnection, id: i64) -> StoreResult<User> {
    let row: UserRow = users::table
        .find(id)
        .select(user_cols!())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(from_row(row))
}

fn active_admins(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(users::table
        .filter(users::role.eq(UserRole::Admin.code()))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)?)
}

/// Creates an account; the password is hashed, never stored or logged in clear.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &UserDraft,
    password: &str,
) -> StoreResult<i64> {
    let hash = hash_password(password)?;
    audit::write(conn, actor, |conn, audit| {
        insert_hashed(conn, audit, draft, &hash)
    })
}

/// Writes an account with its password hash, recorded in `audit`.
fn insert_hashed(
    conn: &mut DbConnection,
    audit: &mut audit::Audit,
    draft: &UserDraft,
    hash: &str,
) -> StoreResult<i64> {
    {
        let at = now();
        let id: i64 = diesel::insert_into(users::table)
            .values((
                users::email.eq(&draft.email),
                users::name.eq(&draft.name),
                users::password_hash.eq(&hash),
                users::role.eq(draft.role.code()),
                users::active.eq(draft.active),
                users::version.eq(1i64),
                users::created_at.eq(at),
                users::updated_at.eq(at),
            ))
            .returning(users::id)
            .get_result(conn)
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate {
                        field: "email",
                        message: "Another account already has this email".into(),
                    }
                } else {
                    e.into()
                }
            })?;
        let after = get(conn, id)?;
        audit.record(Change::values::<User, User>(
            "create",
            "user",
            Some(id),
            &draft.email,
            None,
            Some(&after),
        ));
        Ok(id)
    }
}

/// Creates the first account (the set-up page's administrator) if no account exists yet: the
/// check is in the insert's transaction, which holds the audit head, so parallel set-ups create
/// one account. `None` if an account existed.
pub fn insert_first(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &UserDraft,
    password: &str,
) -> StoreResult<Option<i64>> {
    let hash = hash_password(password)?;
    audit::write(conn, actor, |conn, audit| {
        if count(conn)? > 0 {
            return Ok(None);
        }
        insert_hashed(conn, audit, draft, &hash).map(Some)
    })
}

/// Changes an account's name, role, status and organisations; refuses to leave no active admin.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    version: i64,
    draft: &UserDraft,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let before = get(conn, id)?;
        if before.version != version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        diesel::update(users::table.find(id))
            .set((
                users::name.eq(&draft.name),
                users::role.eq(draft.role.code()),
                users::active.eq(draft.active),
                users::version.eq(version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if active_admins(conn)? == 0 {
            return Err(StoreError::Duplicate {
                field: "role",
                message:
                    "This is the last active administrator: appoint another administrator first"
                        .into(),
            });
        }
        if !draft.active {
            diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
        }
        let after = get(conn, id)?;
        audit.record(Change::values(
            "update",
            "user",
            Some(id),
            &before.email,
            Some(&before),
            Some(&after),
        ));
        Ok(())
    })
}

/// What a password change came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed; the account's other sessions were ended.
    Changed,
    /// The current password was wrong (counted like a failed sign-in).
    Wrong,
    /// Too many wrong passwords: the account is locked until then (UTC).
    Locked(NaiveDateTime),
}

/// Changes a password after checking the current one, counted and locked like signing in;
/// ends the account's other sessions.
pub fn change_password(
    conn: &mut DbConnection,
    actor: &Actor,
    id: i64,
    current: &str,
    new: &str,
    keep_session: &str,
    address: &str,
) -> StoreResult<PasswordChange> {
    let (email, stored): (String, String) = users::table
        .find(id)
        .select((users::email, users::password_hash))
        .first(conn)?;
    let account = throttle::Account { id, email };
    let attempt = match throttle::admit(conn, Some(account), None, address)? {
        Admission::Locked(until) => return Ok(PasswordChange::Locked(until)),
        Admission::Admitted(attempt) => attempt,
    };
    if !password_matches(&stored, current) {
        return Ok(
            match throttle::settle(conn, &attempt, false, "password_check_failed")? {
                Settled::NowLocked(until) => PasswordChange::Locked(until),
                _ => PasswordChange::Wrong,
            },
        );
    }
    let hash = hash_password(new)?;
    audit::write(conn, actor, |conn, audit| {
        throttle::settle(conn, &attempt, true, "password_check_failed")?;
        diesel::update(users::table.find(id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(now())))
            .execute(conn)?;
        diesel::delete(
            sessions::table
                .filter(sessions::user_id.eq(id))
                .filter(sessions::token_hash.ne(token_hash(keep_session))),
        )
        .execute(conn)?;
        audit.record(Change::event(
            "password_changed",
            "user",
            Some(id),
            &actor.email,
        ));
        Ok(PasswordChange::Changed)
    })
}

/// SHA-256 of a session token: the database never holds a usable token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a log-in attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in: the new session token for the cookie.
    Success {
        /// The user.
        user_id: i64,
        /// The session token.
        token: String,
    },
    /// Wrong email or password (not saying which).
    Failed,
    /// Too many failures: locked until then.
    Locked(NaiveDateTime),
}

/// The longest email a sign-in reads (RFC 5321 allows 254 in a path; 320 with some slack).
pub const EMAIL_MAX: usize = 320;
/// The longest password a sign-in checks.
pub const PASSWORD_MAX: usize = 1024;

/// A sign-in attempt, counted and admitted: wait [`LoginAttempt::wait`], then
/// [`finish_login`].
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    attempt: Attempt,
    /// The account's password hash and whether it is active, if the email names an account.
    user: Option<(i64, String, String, bool)>,
}

impl LoginAttempt {
    /// How long to wait before the password is checked (the address's turn).
    pub fn wait(&self) -> std::time::Duration {
        self.attempt.wait
    }
}

/// The first step of signing in.
#[derive(Debug, Clone)]
pub enum LoginStart {
    /// Counted: check the password after its wait.
    Go(LoginAttempt),
    /// The account is locked until then (UTC).
    Locked(NaiveDateTime),
}

/// Counts a sign-in attempt before any password is checked (see `throttle`); an email longer
/// than [`EMAIL_MAX`] names no account.
pub fn start_login(conn: &mut DbConnection, email: &str, address: &str) -> StoreResult<LoginStart> {
    let email = email.trim().to_lowercase();
    let unreadable = crate::domain::text::forbidden_character(&email, false).is_some();
    let user: Option<(i64, String, String, bool)> = if email.len() > EMAIL_MAX || unreadable {
        None
    } else {
        users::table
            .filter(users::email.eq(&email))
            .select((users::id, users::email, users::password_hash, users::active))
            .first(conn)
            .optional()?
    };
    let account = user.as_ref().map(|(id, email, _, _)| throttle::Account {
        id: *id,
        email: email.clone(),
    });
    let unknown = account.is_none().then_some(email.as_str());
    Ok(match throttle::admit(conn, account, unknown, address)? {
        Admission::Locked(until) => LoginStart::Locked(until),
        Admission::Admitted(attempt) => LoginStart::Go(LoginAttempt { attempt, user }),
    })
}

/// Checks the password of an admitted attempt: a session on success, else the failure is
/// recorded (bounded) and the account may now be locked.
pub fn finish_login(
    conn: &mut DbConnection,
    attempt: LoginAttempt,
    password: &str,
) -> StoreResult<LoginOutcome> {
    let password = if password.len() > PASSWORD_MAX {
        ""
    } else {
        password
    };
    // Hash even for an unknown email, so timing does not tell which emails exist.
    let ok = match &attempt.user {
        Some((_, _, hash, true)) => password_matches(hash, password),
        Some((_, _, hash, false)) => {
            password_matches(hash, password);
            false
        }
        None => {
            let _ = hash_password(password);
            false
        }
    };
    let Some((user_id, email, _, _)) = attempt.user.as_ref().filter(|_| ok) else {
        return Ok(
            match throttle::settle(conn, &attempt.attempt, false, "login_failed")? {
                Settled::NowLocked(until) => LoginOutcome::Locked(until),
                _ => LoginOutcome::Failed,
            },
        );
    };
    let (user_id, email) = (*user_id, email.clone());
    let token = hex::encode(rand::random::<[u8; 32]>());
    let at = now();
    let address = attempt.attempt.address().to_owned();
    audit::write(
        conn,
        &Actor::user(user_id, &email),
        |conn, audit| -> StoreResult<()> {
            throttle::settle(conn, &attempt.attempt, true, "login_failed")?;
            diesel::insert_into(sessions::table)
                .values((
                    sessions::token_hash.eq(token_hash(&token)),
                    sessions::user_id.eq(user_id),
                    sessions::created_at.eq(at),
                    sessions::last_seen_at.eq(at),
                ))
                .execute(conn)?;
            audit.record(Change::event(
                "login",
                "session",
                Some(user_id),
                &format!("{email} from {address}"),
            ));
            Ok(())
        },
    )?;
    Ok(LoginOutcome::Success { user_id, token })
}

/// Signs in at once, without the address's wait (set-up, tests): [`start_login`] then
/// [`finish_login`].
pub fn login(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    address: &str,
) -> StoreResult<LoginOutcome> {
    match start_login(conn, email, address)? {
        LoginStart::Locked(until) => Ok(LoginOutcome::Locked(until)),
        LoginStart::Go(attempt) => finish_login(conn, attempt, password),
    }
}

/// A live session: its user and the register's revision read with it.
#[derive(Debug, Clone)]
pub struct LiveSession {
    /// The session's active user.
    pub user: User,
    /// The register's revision (sequence number of the last audit entry) when the session was
    /// read: pages kept for this revision may be served without reading the register again.
    pub revision: i64,
    /// The audit chain's head at that revision, as a number (the first 64 bits of its hash):
    /// the same revision number in another history (a restored backup edited on) has another
    /// head, so pages kept before a restore are never served after it.
    pub history: u64,
}

/// What the session statement reads: last seen, the user, the register's revision and the
/// audit chain's head hash.
pub type SessionRow = (NaiveDateTime, UserRow, Option<i64>, Option<String>);

/// The session statement for a token hash: the session, its user and the register's revision
/// in one statement (it runs before every page, and a page kept for the revision needs nothing
/// more from the database). Also written out for the asynchronous reader, which reads many
/// tokens at once and so also selects each row's token hash first.
macro_rules! session_query {
    ($filter:expr $(, $first:expr)?) => {
        sessions::table
            .inner_join(users::table)
            .filter($filter)
            .select((
                $($first,)?
                sessions::last_seen_at,
                user_cols!(),
                audit_head::table.select(audit_head::seq).single_value(),
                audit_head::table.select(audit_head::last_hash).single_value(),
            ))
    };
}

/// The session statement in PostgreSQL's dialect for the asynchronous reader (`pg_sessions`),
/// built from the same query so that the two cannot drift. It reads any number of sessions:
/// `$1` and `$2` are the head sub-selects' `LIMIT 1`, `$3` the array of token hashes; each row
/// starts with its token hash, then a [`SessionRow`].
pub fn sessions_statement_pg() -> diesel::QueryResult<String> {
    use diesel::query_builder::{QueryBuilder, QueryFragment};
    let mut builder = diesel::pg::PgQueryBuilder::default();
    let query = session_query!(
        sessions::token_hash.eq_any(Vec::<String>::new()),
        sessions::token_hash
    );
    QueryFragment::<diesel::pg::Pg>::to_sql(&query, &mut builder, &diesel::pg::Pg)?;
    Ok(builder.finish())
}

/// Runs the session statement on the backend's own connection: the multi-backend wrapper
/// would write the SQL out again each time.
fn read_session(conn: &mut DbConnection, hash: &str) -> StoreResult<Option<SessionRow>> {
    let query = session_query!(sessions::token_hash.eq(hash));
    Ok(match conn {
        DbConnection::Sqlite(c) => query.first(c).optional()?,
        DbConnection::Pg(c) => query.first(c).optional()?,
    })
}

fn live(user: UserRow, revision: Option<i64>, head: Option<String>) -> Option<LiveSession> {
    let user = from_row(user);
    let history = head
        .as_deref()
        .and_then(|h| h.get(..16))
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0);
    user.active.then_some(LiveSession {
        user,
        revision: revision.unwrap_or(0),
        history,
    })
}

/// The active user of a session token, if the session exists and has not been idle too long,
/// with the register's revision. Refreshes the session's last-seen time at most once a minute.
pub fn session_user(
    conn: &mut DbConnection,
    token: &str,
    idle: Duration,
) -> StoreResult<Option<LiveSession>> {
    let hash = token_hash(token);
    let Some((last_seen, user, revision, head)) = read_session(conn, &hash)? else {
        return Ok(None);
    };
    let at = now();
    if at - last_seen > idle {
        diesel::delete(sessions::table.filter(sessions::token_hash.eq(&hash))).execute(conn)?;
        crate::store::note_local_write();
        return Ok(None);
    }
    if at - last_seen > Duration::minutes(1) {
        diesel::update(sessions::table.filter(sessions::token_hash.eq(&hash)))
            .set(sessions::last_seen_at.eq(at))
            .execute(conn)?;
    }
    Ok(live(user, revision, head))
}

/// What a session token shows when only read.
#[derive(Debug, Clone)]
pub enum SessionPeek {
    /// No such session, or its account is disabled.
    None,
    /// A live session seen within the last minute: nothing to write.
    Live(LiveSession),
    /// The session has expired or its last-seen time is due a refresh: [`session_user`] writes.
    NeedsWrite,
}

/// Reads a session without writing: the fast path of every request on an embedded database.
pub fn peek_session(conn: &mut DbConnection, token: &str) -> StoreResult<SessionPeek> {
    Ok(read_session(conn, &token_hash(token))?.map_or(SessionPeek::None, judge_session))
}

/// What a session row read without writing allows.
pub fn judge_session((last_seen, user, revision, head): SessionRow) -> SessionPeek {
    // Sessions idle for at least a minute (the shortest idle limit) need a write either way.
    if now() - last_seen > Duration::minutes(1) {
        return SessionPeek::NeedsWrite;
    }
    live(user, revision, head).map_or(SessionPeek::None, SessionPeek::Live)
}

/// Ends a session.
pub fn logout(conn: &mut DbConnection, token: &str, actor: &Actor) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| -> StoreResult<()> {
        diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash(token))))
            .execute(conn)?;
        audit.record(Change::event(
            "logout",
            "session",
            actor.user_id,
            &actor.email,
        ));
        Ok(())
    })
}

/// Ends a session without an audit entry (the renewal at log-in).
pub fn end_session(conn: &mut DbConnection, token: &str) -> StoreResult<()> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash(token))))
        .execute(conn)?;
    crate::store::note_local_write();
    Ok(())
}
