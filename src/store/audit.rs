//! The audit trail: append-only, hash-chained, serialised in the database.
//!
//! Every write to the register runs through [`write`], which first takes the single
//! `audit_head` row for update. That is the first statement of the transaction, so on SQLite it
//! takes the write lock before anything is read (no stale snapshot), and on PostgreSQL it is a
//! row lock that serialises appenders across every app instance sharing the database. Each entry
//! stores the SHA-256 of its own content and of the previous entry's hash; [`verify`] walks the
//! chain and names the first entry that was altered, inserted or removed.
//!
//! Uses `store::{prepared, schema}`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::audit_key;
use super::prepared;
use super::schema::{audit_head, audit_log, users};
use super::{now, DbConnection, StoreResult};

/// Who makes a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id, if a user.
    pub user_id: Option<i64>,
    /// The user's email, or a description such as `command line (demo)`.
    pub email: String,
}

impl Actor {
    /// A signed-in user.
    pub fn user(id: i64, email: &str) -> Self {
        Actor {
            user_id: Some(id),
            email: email.to_owned(),
        }
    }

    /// The system itself (command line, demo, set-up).
    pub fn system(what: &str) -> Self {
        Actor {
            user_id: None,
            email: what.to_owned(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    /// `create`, `update`, `retire`, `delete`, `import`, `login`, `login_failed`, ...
    pub action: String,
    /// `activity`, `organisation`, `party`, `data_category`, `user`, `session`, `export`, ...
    pub entity_type: String,
    /// The entity's id, if it has one.
    pub entity_id: Option<i64>,
    /// A readable label: reference and name, email, ...
    pub entity_label: String,
    /// The values before (JSON), empty for a creation.
    pub before: Option<serde_json::Value>,
    /// The values after (JSON), empty for a deletion.
    pub after: Option<serde_json::Value>,
}

impl Change {
    /// A change with no values (security events).
    pub fn event(action: &str, entity_type: &str, entity_id: Option<i64>, label: &str) -> Self {
        Change {
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id,
            entity_label: label.into(),
            before: None,
            after: None,
        }
    }

    /// A change with values before and after.
    pub fn values<B: Serialize, A: Serialize>(
        action: &str,
        entity_type: &str,
        entity_id: Option<i64>,
        label: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Self {
        Change {
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id,
            entity_label: label.into(),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
        }
    }
}

/// The changes a transaction makes, appended to the chain when it commits.
#[derive(Debug)]
pub struct Audit {
    actor: Actor,
    changes: Vec<Change>,
}

impl Audit {
    /// Records a change.
    pub fn record(&mut self, change: Change) {
        self.changes.push(change);
    }

    /// Who is making the changes.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }
}

/// Runs `f` in one transaction that holds the audit head, then appends what it recorded.
pub fn write<T, E, F>(conn: &mut DbConnection, actor: &Actor, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection, &mut Audit) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    let out = conn.transaction(|conn| {
        // First statement: the head, so that on SQLite the write lock is taken before anything
        // is read.
        let head = take_head(conn)?;
        let mut audit = Audit {
            actor: actor.clone(),
            changes: Vec::new(),
        };
        let out = f(conn, &mut audit)?;
        append(conn, head, &audit.actor, &audit.changes)?;
        Ok(out)
    });
    // Committed or not: what this process remembers of the register is read again.
    crate::store::note_local_write();
    out
}

/// Takes the head (write lock on SQLite, row lock on PostgreSQL) and reads it: it cannot change
/// until the transaction ends.
fn take_head(conn: &mut DbConnection) -> Result<Head, diesel::result::Error> {
    prepared::update(
        audit_head::table,
        audit_head::id.eq(1i64),
        audit_head::seq.eq(audit_head::seq),
    )
    .returning((audit_head::seq, audit_head::last_hash, audit_head::mark))
    .get_result(conn)
}

/// The head as taken: sequence number, last hash, mark.
type Head = (i64, String, String);

/// The mark written once a head was found without the key's mark: no HMAC equals it, so the
/// trail stays reported as broken; appending never blesses a head changed without the key.
const BROKEN_MARK: &str = "broken: an append found the head without the audit key's mark";

/// Records security events (log-in, failed log-in, download) in their own transaction.
pub fn event(conn: &mut DbConnection, actor: &Actor, change: Change) -> StoreResult<()> {
    write(conn, actor, |_, audit| -> StoreResult<()> {
        audit.record(change);
        Ok(())
    })
}

#[derive(Serialize)]
struct Hashed<'a> {
    seq: i64,
    at: String,
    user_id: Option<i64>,
    user_email: &'a str,
    action: &'a str,
    entity_type: &'a str,
    entity_id: Option<i64>,
    entity_label: &'a str,
    before: &'a str,
    after: &'a str,
    prev_hash: &'a str,
}

fn stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The SHA-256 of an entry's content and its predecessor's hash, as hex: the hash the entry
/// must carry.
pub fn entry_hash(e: &AuditRow) -> String {
    let content = Hashed {
        seq: e.seq,
        at: stamp(e.at),
        user_id: e.user_id,
        user_email: &e.user_email,
        action: &e.action,
        entity_type: &e.entity_type,
        entity_id: e.entity_id,
        entity_label: &e.entity_label,
        before: &e.before_value,
        after: &e.after_value,
        prev_hash: &e.prev_hash,
    };
    let bytes = serde_json::to_vec(&content).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

fn append(
    conn: &mut DbConnection,
    (mut seq, mut prev, old_mark): Head,
    actor: &Actor,
    changes: &[Change],
) -> Result<(), diesel::result::Error> {
    if changes.is_empty() {
        return Ok(());
    }
    // The head must carry the key's mark before this append may mark the new one.
    let intact = audit_key::current().is_none_or(|key| old_mark == key.mark(seq, &prev));
    if !intact {
        tracing::error!(
            seq,
            "the audit trail's head does not carry the audit key's mark; the trail stays marked \
             as broken (ropa audit verify tells more)"
        );
    }
    let at = now();
    for c in changes {
        seq += 1;
        let text =
            |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        let mut row = AuditRow {
            seq,
            at,
            user_id: actor.user_id,
            user_email: actor.email.clone(),
            action: c.action.clone(),
            entity_type: c.entity_type.clone(),
            entity_id: c.entity_id,
            entity_label: c.entity_label.clone(),
            before_value: text(&c.before),
            after_value: text(&c.after),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        row.hash = entry_hash(&row);
        diesel::insert_into(audit_log::table)
            .values(&row)
            .execute(conn)?;
        prev = row.hash;
    }
    let mark = match audit_key::current() {
        None => String::new(),
        Some(key) if intact => key.mark(seq, &prev),
        Some(_) => BROKEN_MARK.to_owned(),
    };
    prepared::update(
        audit_head::table,
        audit_head::id.eq(1i64),
        (
            audit_head::seq.eq(seq),
            audit_head::last_hash.eq(&prev),
            audit_head::mark.eq(&mark),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// The chain's head: its sequence number and last hash (`seq:hash` is what an operator keeps,
/// see `ropa audit head`).
pub fn head(conn: &mut DbConnection) -> StoreResult<(i64, String)> {
    Ok(audit_head::table
        .find(1i64)
        .select((audit_head::seq, audit_head::last_hash))
        .first(conn)?)
}

/// Marks a head that carries no mark with the process's key, when that is safe: a new
/// database (no entry, no account, no organisation), or the key was made in this very start by
/// a command that writes (the first start of a version that keys the chain, migrating the chain
/// written before). An unmarked head met with an older key stays unmarked, and `verify` reports
/// it: it was either restored from before the key or stripped of its mark.
pub fn mark_unmarked_head(conn: &mut DbConnection) -> StoreResult<()> {
    let Some(key) = audit_key::current() else {
        return Ok(());
    };
    let (seq, last_hash, mark): (i64, String, String) = audit_head::table
        .find(1i64)
        .select((audit_head::seq, audit_head::last_hash, audit_head::mark))
        .first(conn)?;
    if !mark.is_empty() {
        return Ok(());
    }
    // New: no entry and nobody to have written one (a trail wiped back to nothing in a
    // register that has accounts or organisations is not new).
    let new = seq == 0 && users::table.count().get_result::<i64>(conn)? == 0 && {
        use super::schema::organisations;
        organisations::table.count().get_result::<i64>(conn)? == 0
    };
    if new || key.created() {
        // Only the head just read: another instance may have appended meanwhile.
        diesel::update(
            audit_head::table
                .filter(audit_head::id.eq(1i64))
                .filter(audit_head::seq.eq(seq))
                .filter(audit_head::last_hash.eq(&last_hash))
                .filter(audit_head::mark.eq("")),
        )
        .set(audit_head::mark.eq(key.mark(seq, &last_hash)))
        .execute(conn)?;
        if seq > 0 {
            tracing::info!("the audit trail's {seq} entries are now marked with the audit key");
        }
    }
    Ok(())
}

/// Whether the head carries the process's key's mark (always, without a key): what a command
/// that writes checks before it starts, so that it neither runs with another key than the
/// trail's nor appends to a trail changed without the key.
pub fn head_carries_key(conn: &mut DbConnection) -> StoreResult<bool> {
    let Some(key) = audit_key::current() else {
        return Ok(true);
    };
    let (seq, last_hash, mark): (i64, String, String) = audit_head::table
        .find(1i64)
        .select((audit_head::seq, audit_head::last_hash, audit_head::mark))
        .first(conn)?;
    Ok(mark == key.mark(seq, &last_hash))
}

/// Whether the chain still holds the head an operator kept (`seq:hash`, from `ropa audit
/// head`): `None` if it does, else what differs. Run after [`verify`], which proves the chain
/// up to its head.
pub fn holds_kept_head(conn: &mut DbConnection, kept: &str) -> StoreResult<Option<String>> {
    let Some((seq, hash)) = kept
        .trim()
        .split_once(':')
        .and_then(|(s, h)| Some((s.parse::<i64>().ok()?, h)))
    else {
        return Ok(Some(format!(
            "`{kept}` is not a kept head (SEQ:HASH, as `ropa audit head` prints it)"
        )));
    };
    if seq == 0 {
        return Ok(None);
    }
    let found: Option<String> = audit_log::table
        .find(seq)
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    Ok(match found {
        None => Some(format!(
            "the trail no longer holds entry {seq}: it was cut back after the head was kept"
        )),
        Some(h) if h != hash => Some(format!(
            "entry {seq} is not the one kept: the trail was rewritten after the head was kept"
        )),
        Some(_) => None,
    })
}

/// An entry of the trail as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// User id, if a user.
    pub user_id: Option<i64>,
    /// User email or system description.
    pub user_email: String,
    /// What was done.
    pub action: String,
    /// To what kind of record.
    pub entity_type: String,
    /// Its id.
    pub entity_id: Option<i64>,
    /// Its label.
    pub entity_label: String,
    /// Values before (JSON), may be empty.
    pub before_value: String,
    /// Values after (JSON), may be empty.
    pub after_value: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

impl AuditRow {
    /// What the entry changed, field by field (nothing for an event without values).
    pub fn changes(&self) -> Vec<crate::domain::changes::FieldChange> {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
        let before = parse(&self.before_value);
        let after = parse(&self.after_value);
        crate::domain::changes::field_changes(before.as_ref(), after.as_ref())
    }

    /// The reason given with a retirement (an activity's `retire` entry), if any.
    /// Why, for the entries that say: a retirement's reason, or a finding accepted ("R-CODE:
    /// the justification, until the date").
    pub fn reason(&self) -> Option<String> {
        if self.action == "acknowledge" {
            let after: serde_json::Value = serde_json::from_str(&self.after_value).ok()?;
            let rule = after.get("rule")?.as_str()?;
            let why = after.get("justification")?.as_str()?;
            return Some(match after.get("until").and_then(|u| u.as_str()) {
                Some(until) => format!("{rule} accepted: {why} (until {until})"),
                None => format!("{rule} accepted: {why}"),
            });
        }
        self.retirement_reason()
    }

    /// The reason a retirement gives.
    pub fn retirement_reason(&self) -> Option<String> {
        if self.action != "retire" {
            return None;
        }
        let after: serde_json::Value = serde_json::from_str(&self.after_value).ok()?;
        after
            .get("retirement_reason")
            .and_then(|r| r.as_str())
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
    }
}

/// Filters of the trail view.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entity type.
    pub entity_type: Option<String>,
    /// With `entity_type` and `entity_id`: entries of this type about the same id too (an
    /// activity's history shows the findings accepted on it, entity "finding").
    pub related_type: Option<String>,
    /// Entity id (with the type).
    pub entity_id: Option<i64>,
    /// Action.
    pub action: Option<String>,
    /// Substring of the user email.
    pub user: Option<String>,
    /// At or after this time (UTC).
    pub from: Option<NaiveDateTime>,
    /// Before this time (UTC).
    pub until: Option<NaiveDateTime>,
    /// Leave out sign-ins, sign-outs and failed sign-ins (entries about sessions).
    pub hide_sessions: bool,
    /// Newest first, at most this many.
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}

/// Entries matching a filter, newest first, and how many match in all.
pub fn list(conn: &mut DbConnection, f: &AuditFilter) -> StoreResult<(Vec<AuditRow>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    Ok((latest(conn, f)?, total))
}

/// The newest entries matching a filter (`limit` and `offset` apply), without counting them
/// all: an activity's history on its page.
pub fn latest(conn: &mut DbConnection, f: &AuditFilter) -> StoreResult<Vec<AuditRow>> {
    Ok(filtered(f)
        .order(audit_log::seq.desc())
        .limit(f.limit.clamp(1, 100_000))
        .offset(f.offset.max(0))
        .select(AuditRow::as_select())
        .load(conn)?)
}

type Backend = <DbConnection as diesel::Connection>::Backend;

/// The entries matching a filter.
fn filtered(f: &AuditFilter) -> diesel::dsl::IntoBoxed<'static, audit_log::table, Backend> {
    let mut q = audit_log::table.into_boxed::<Backend>();
    match (&f.entity_type, &f.related_type) {
        (Some(t), Some(r)) => {
            q = q.filter(audit_log::entity_type.eq_any([t.clone(), r.clone()]));
        }
        (Some(t), None) => q = q.filter(audit_log::entity_type.eq(t.clone())),
        _ => {}
    }
    if let Some(id) = f.entity_id {
        q = q.filter(audit_log::entity_id.eq(id));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_log::action.eq(a.clone()));
    }
    if let Some(u) = &f.user {
        q = q.filter(audit_log::user_email.like(format!("%{}%", u.replace(['%', '_'], ""))));
    }
    if let Some(at) = f.from {
        q = q.filter(audit_log::at.ge(at));
    }
    if let Some(at) = f.until {
        q = q.filter(audit_log::at.lt(at));
    }
    if f.hide_sessions {
        q = q.filter(audit_log::entity_type.ne("session"));
    }
    q
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Entries checked.
    pub entries: i64,
    /// The first problem, naming the entry; `None` when the chain is intact.
    pub problem: Option<String>,
}

impl Verdict {
    /// Whether the chain is intact.
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Walks the whole chain, 1,000 entries at a time, and names the first entry that was altered,
/// inserted or removed.
pub fn verify(conn: &mut DbConnection) -> StoreResult<Verdict> {
    let (head_seq, head_hash, head_mark): (i64, String, String) = audit_head::table
        .find(1i64)
        .select((audit_head::seq, audit_head::last_hash, audit_head::mark))
        .first(conn)?;
    let mut expected_seq = 1i64;
    let mut prev = String::new();
    let mut checked = 0i64;
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(1000)
            .select(AuditRow::as_select())
            .load(conn)?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            if row.seq != expected_seq {
                let problem = if row.seq > expected_seq {
                    format!(
                        "entry {expected_seq} was removed (the chain jumps from {} to {})",
                        expected_seq - 1,
                        row.seq
                    )
                } else {
                    format!("entry {} was inserted", row.seq)
                };
                return Ok(Verdict {
                    entries: checked,
                    problem: Some(problem),
                });
            }
            if row.prev_hash != prev {
                return Ok(Verdict {
                    entries: checked,
                    problem: Some(format!(
                        "entry {} does not follow entry {}: an entry was inserted, removed or altered there",
                        row.seq,
                        row.seq - 1
                    )),
                });
            }
            if entry_hash(&row) != row.hash {
                return Ok(Verdict {
                    entries: checked,
                    problem: Some(format!(
                        "entry {} was altered: its content does not match its hash",
                        row.seq
                    )),
                });
            }
            prev = row.hash;
            expected_seq += 1;
            checked += 1;
        }
    }
    let last = expected_seq - 1;
    if last > head_seq {
        return Ok(Verdict {
            entries: checked,
            problem: Some(format!(
                "entry {last} was inserted after the last recorded entry {head_seq}"
            )),
        });
    }
    if last < head_seq {
        return Ok(Verdict {
            entries: checked,
            problem: Some(format!("entry {} was removed: the trail ends at {last} but {head_seq} entries were written", last + 1)),
        });
    }
    if prev != head_hash {
        return Ok(Verdict {
            entries: checked,
            problem: Some(format!("entry {last} was altered or replaced")),
        });
    }
    if let Some(key) = audit_key::current() {
        let problem = if head_mark.is_empty() {
            Some(
                "the trail's head carries no mark of the audit key: the database was restored \
                 from before the key existed, or the mark was removed"
                    .to_owned(),
            )
        } else if head_mark != key.mark(head_seq, &head_hash) {
            Some(format!(
                "the trail's head (entry {head_seq}) does not carry the audit key's mark: the \
                 trail was rewritten or cut back without the key, or another key is in use"
            ))
        } else {
            None
        };
        if problem.is_some() {
            return Ok(Verdict {
                entries: checked,
                problem,
            });
        }
    }
    Ok(Verdict {
        entries: checked,
        problem: None,
    })
}
