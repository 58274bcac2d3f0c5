//! What organisations and parties share in storage: a record known by a unique name, kept with
//! a version for optimistic locking, whose every change is one audit entry holding its document
//! entry before and after.
//!
//! A record implements [`NamedRecord`] (its own table's statements); [`insert`], [`update`] and
//! [`delete`] are the audited changes, written once. Uses the audit trail.

use serde::Serialize;

use super::audit::{self, Actor, Change};
use super::{DbConnection, StoreError, StoreResult};

/// A stored record known by name and kept with a version (organisations, parties).
pub trait NamedRecord: Sized {
    /// The record's id.
    type Id: Copy;
    /// The valid value a form parses into.
    type Draft;
    /// The record's entry in the register document (the audit trail's snapshot).
    type Doc: Serialize;
    /// The entity type the audit trail names.
    const ENTITY: &'static str;

    /// The id as stored.
    fn raw(id: Self::Id) -> i64;
    /// Loads the record ([`StoreError::NotFound`] if there is none).
    fn load(conn: &mut DbConnection, id: Self::Id) -> StoreResult<Self>;
    /// The record's name (the audit entry's label).
    fn name(&self) -> &str;
    /// The record's version.
    fn version(&self) -> i64;
    /// The record's document entry.
    fn doc(&self) -> Self::Doc;
    /// Writes a new row at version 1, without an audit entry.
    fn insert_row(conn: &mut DbConnection, draft: &Self::Draft) -> StoreResult<Self::Id>;
    /// Rewrites the row if it is still at `version` (to `version + 1`); the rows changed.
    fn update_row(
        conn: &mut DbConnection,
        id: Self::Id,
        version: i64,
        draft: &Self::Draft,
    ) -> StoreResult<usize>;
    /// The activities that use the record (id, "reference name"), which forbid deleting it.
    fn used_by(conn: &mut DbConnection, id: Self::Id) -> StoreResult<Vec<(i64, String)>>;
    /// Deletes the row.
    fn delete_row(conn: &mut DbConnection, id: Self::Id) -> StoreResult<()>;
}

/// Creates a record and records it in the audit trail.
pub fn insert<R: NamedRecord>(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &R::Draft,
) -> StoreResult<R::Id> {
    audit::write(conn, actor, |conn, audit| {
        let id = R::insert_row(conn, draft)?;
        let after = R::load(conn, id)?;
        audit.record(Change::values::<(), _>(
            "create",
            R::ENTITY,
            Some(R::raw(id)),
            after.name(),
            None,
            Some(&after.doc()),
        ));
        Ok(id)
    })
}

/// Changes a record if it is still at `version`; otherwise a conflict naming the current one.
pub fn update<R: NamedRecord>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: R::Id,
    version: i64,
    draft: &R::Draft,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let current = R::load(conn, id)?;
        if current.version() != version {
            return Err(StoreError::Conflict {
                current: current.version(),
            });
        }
        if R::update_row(conn, id, version, draft)? == 0 {
            return Err(StoreError::Conflict {
                current: version + 1,
            });
        }
        let after = R::load(conn, id)?;
        audit.record(Change::values(
            "update",
            R::ENTITY,
            Some(R::raw(id)),
            after.name(),
            Some(&current.doc()),
            Some(&after.doc()),
        ));
        Ok(())
    })
}

/// Deletes a record no activity uses; otherwise [`StoreError::InUse`] names those activities.
pub fn delete<R: NamedRecord>(
    conn: &mut DbConnection,
    actor: &Actor,
    id: R::Id,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let before = R::load(conn, id)?;
        let users = R::used_by(conn, id)?;
        if !users.is_empty() {
            return Err(StoreError::InUse(users));
        }
        R::delete_row(conn, id)?;
        audit.record(Change::values::<_, ()>(
            "delete",
            R::ENTITY,
            Some(R::raw(id)),
            before.name(),
            Some(&before.doc()),
            None,
        ));
        Ok(())
    })
}
