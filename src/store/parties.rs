//! Parties in the database.
//!
//! Uses `domain::{document, party, vocab}`, `store::{audit, named, schema}`.

use diesel::prelude::*;

use super::audit::Actor;
use super::named::{self, NamedRecord};
use super::schema::{
    activities, joint_controllers, parties, recipients, represented_controllers, transfers,
};
use super::{is_unique_violation, now, DbConnection, StoreError, StoreResult};
use crate::domain::document::PartyDoc;
use crate::domain::party::{PartyDraft, PartyForm};
use crate::domain::vocab::{Country, PartyKind};
use crate::domain::PartyId;

/// A party as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = parties)]
pub struct Party {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// ISO country code or empty.
    pub country: String,
    /// Contact.
    pub contact: String,
    /// Address.
    pub address: String,
    /// Art. 28 contract reference.
    pub contract_reference: String,
    /// Art. 28 contract date.
    pub contract_date: Option<chrono::NaiveDate>,
    /// Date its Data Privacy Framework certification was checked.
    pub dpf_checked_on: Option<chrono::NaiveDate>,
    /// Notes.
    pub notes: String,
    /// Version for optimistic locking.
    pub version: i64,
    /// Created.
    pub created_at: chrono::NaiveDateTime,
    /// Last updated.
    pub updated_at: chrono::NaiveDateTime,
}

impl Party {
    /// The typed id.
    pub fn id(&self) -> PartyId {
        PartyId(self.id)
    }

    /// The kind, if the stored code is known.
    pub fn kind(&self) -> Option<PartyKind> {
        PartyKind::from_code(&self.kind)
    }

    /// The kind's label, or the raw code.
    pub fn kind_label(&self) -> &str {
        self.kind().map(|k| k.label()).unwrap_or(&self.kind)
    }

    /// The country, if any.
    pub fn country(&self) -> Option<Country> {
        Country::parse(&self.country)
    }

    /// The values as an edit form.
    pub fn to_form(&self) -> PartyForm {
        PartyForm {
            name: self.name.clone(),
            kind: self.kind.clone(),
            country: self.country.clone(),
            contact: self.contact.clone(),
            address: self.address.clone(),
            contract_reference: self.contract_reference.clone(),
            contract_date: self
                .contract_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            dpf_checked_on: self
                .dpf_checked_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
            notes: self.notes.clone(),
            version: self.version.to_string(),
        }
    }

    /// The party as the register document shows it (its export, and its audit snapshot).
    pub fn to_doc(&self) -> PartyDoc {
        PartyDoc {
            name: self.name.clone(),
            kind: self.kind.clone(),
            country: self.country.clone(),
            contact: self.contact.clone(),
            address: self.address.clone(),
            contract_reference: self.contract_reference.clone(),
            contract_date: self.contract_date,
            dpf_checked_on: self.dpf_checked_on,
            notes: self.notes.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = parties, treat_none_as_null = true)]
struct PartyValues<'a> {
    name: &'a str,
    kind: &'a str,
    country: &'a str,
    contact: &'a str,
    address: &'a str,
    contract_reference: &'a str,
    contract_date: Option<chrono::NaiveDate>,
    dpf_checked_on: Option<chrono::NaiveDate>,
    notes: &'a str,
}

impl<'a> From<&'a PartyDraft> for PartyValues<'a> {
    fn from(d: &'a PartyDraft) -> Self {
        Self {
            name: &d.name,
            kind: d.kind.code(),
            country: d.country.map(|c| c.code()).unwrap_or(""),
            contact: &d.contact,
            address: &d.address,
            contract_reference: &d.contract_reference,
            contract_date: d.contract_date,
            dpf_checked_on: d.dpf_checked_on,
            notes: &d.notes,
        }
    }
}

fn duplicate_name(e: diesel::result::Error) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Duplicate {
            field: "name",
            message: "Another party already has this name".into(),
        }
    } else {
        e.into()
    }
}

/// Every party, by name.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<Party>> {
    Ok(parties::table
        .order(parties::name.asc())
        .select(Party::as_select())
        .load(conn)?)
}

/// How many activities use each party, by party id: as recipient, joint controller,
/// controller acted for or transfer recipient, each activity once.
pub fn use_counts(conn: &mut DbConnection) -> StoreResult<std::collections::HashMap<i64, usize>> {
    let mut links: Vec<(i64, i64)> = recipients::table
        .select((recipients::party_id, recipients::activity_id))
        .load(conn)?;
    links.extend(
        joint_controllers::table
            .select((joint_controllers::party_id, joint_controllers::activity_id))
            .load::<(i64, i64)>(conn)?,
    );
    links.extend(
        represented_controllers::table
            .select((
                represented_controllers::party_id,
                represented_controllers::activity_id,
            ))
            .load::<(i64, i64)>(conn)?,
    );
    links.extend(
        transfers::table
            .filter(transfers::party_id.is_not_null())
            .select((
                transfers::party_id.assume_not_null(),
                transfers::activity_id,
            ))
            .load::<(i64, i64)>(conn)?,
    );
    links.sort_unstable();
    links.dedup();
    let mut counts = std::collections::HashMap::new();
    for (party, _) in links {
        *counts.entry(party).or_insert(0) += 1;
    }
    Ok(counts)
}

/// One party.
pub fn get(conn: &mut DbConnection, id: PartyId) -> StoreResult<Party> {
    parties::table
        .find(id.0)
        .select(Party::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Creates a party and records it in the audit trail.
pub fn insert(conn: &mut DbConnection, actor: &Actor, draft: &PartyDraft) -> StoreResult<PartyId> {
    named::insert::<Party>(conn, actor, draft)
}

/// Creates a party without an audit entry (imports record one entry for the whole).
pub(crate) fn insert_unaudited(
    conn: &mut DbConnection,
    draft: &PartyDraft,
) -> StoreResult<PartyId> {
    let at = now();
    let id = diesel::insert_into(parties::table)
        .values((
            PartyValues::from(draft),
            parties::version.eq(1i64),
            parties::created_at.eq(at),
            parties::updated_at.eq(at),
        ))
        .returning(parties::id)
        .get_result::<i64>(conn)
        .map_err(duplicate_name)?;
    Ok(PartyId(id))
}

/// Changes a party if it is still at `version`.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PartyId,
    version: i64,
    draft: &PartyDraft,
) -> StoreResult<()> {
    named::update::<Party>(conn, actor, id, version, draft)
}

/// The activities (reference and name) that refer to a party in any role.
pub fn users(conn: &mut DbConnection, id: PartyId) -> StoreResult<Vec<(i64, String, String)>> {
    let mut ids: Vec<i64> = recipients::table
        .filter(recipients::party_id.eq(id.0))
        .select(recipients::activity_id)
        .load(conn)?;
    ids.extend(
        joint_controllers::table
            .filter(joint_controllers::party_id.eq(id.0))
            .select(joint_controllers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.extend(
        represented_controllers::table
            .filter(represented_controllers::party_id.eq(id.0))
            .select(represented_controllers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.extend(
        transfers::table
            .filter(transfers::party_id.eq(id.0))
            .select(transfers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.sort_unstable();
    ids.dedup();
    Ok(activities::table
        .filter(activities::id.eq_any(ids))
        .order(activities::reference.asc())
        .select((activities::id, activities::reference, activities::name))
        .load(conn)?)
}

/// Deletes a party no activity uses; otherwise names those activities.
pub fn delete(conn: &mut DbConnection, actor: &Actor, id: PartyId) -> StoreResult<()> {
    named::delete::<Party>(conn, actor, id)
}

impl NamedRecord for Party {
    type Id = PartyId;
    type Draft = PartyDraft;
    type Doc = PartyDoc;
    const ENTITY: &'static str = "party";

    fn raw(id: PartyId) -> i64 {
        id.0
    }

    fn load(conn: &mut DbConnection, id: PartyId) -> StoreResult<Self> {
        get(conn, id)
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn doc(&self) -> PartyDoc {
        self.to_doc()
    }

    fn insert_row(conn: &mut DbConnection, draft: &PartyDraft) -> StoreResult<PartyId> {
        insert_unaudited(conn, draft)
    }

    fn update_row(
        conn: &mut DbConnection,
        id: PartyId,
        version: i64,
        draft: &PartyDraft,
    ) -> StoreResult<usize> {
        let changed = diesel::update(
            parties::table
                .filter(parties::id.eq(id.0))
                .filter(parties::version.eq(version)),
        )
        .set((
            PartyValues::from(draft),
            parties::version.eq(version + 1),
            parties::updated_at.eq(now()),
        ))
        .execute(conn)
        .map_err(duplicate_name)?;
        // The party's Data Privacy Framework certification decides whether the transfers to
        // it are complete (Art. 45): their activities' stored gaps follow in this transaction.
        let transferring: Vec<i64> = transfers::table
            .filter(transfers::party_id.eq(id.0))
            .select(transfers::activity_id)
            .distinct()
            .load(conn)?;
        super::gaps::refresh_gaps(conn, super::gaps::GapScope::Ids(&transferring))?;
        // The activities using it are found by its name: their words follow a rename.
        let using = super::search_index::using_party(conn, id.0)?;
        super::search_index::refresh(conn, super::search_index::SearchScope::Ids(&using))?;
        Ok(changed)
    }

    fn used_by(conn: &mut DbConnection, id: PartyId) -> StoreResult<Vec<(i64, String)>> {
        Ok(users(conn, id)?
            .into_iter()
            .map(|(a, r, n)| (a, format!("{r} {n}")))
            .collect())
    }

    fn delete_row(conn: &mut DbConnection, id: PartyId) -> StoreResult<()> {
        diesel::delete(parties::table.find(id.0)).execute(conn)?;
        Ok(())
    }
}
