//! Organisations in the database.
//!
//! Uses `domain::{document, organisation}`, `store::{audit, named, schema}`.

use diesel::prelude::*;

use super::audit::Actor;
use super::named::{self, NamedRecord};
use super::schema::{activities, organisations};
use super::{is_unique_violation, now, DbConnection, StoreError, StoreResult};
use crate::domain::document::OrganisationDoc;
use crate::domain::organisation::{default_reference_prefix, OrganisationDraft, OrganisationForm};
use crate::domain::OrganisationId;

/// An organisation as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    /// Id.
    pub id: i64,
    /// Legal name.
    pub name: String,
    /// Registered address.
    pub legal_address: String,
    /// Contact email.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Registration number.
    pub registration_number: String,
    /// ISO country code.
    pub country: String,
    /// Art. 27 representative.
    pub representative: String,
    /// DPO.
    pub dpo: String,
    /// Lead supervisory authority.
    pub supervisory_authority: String,
    /// Months between reviews.
    pub review_interval_months: i32,
    /// What its generated activity references start with (`NR` gives `NR-001`).
    pub reference_prefix: String,
    /// Version for optimistic locking.
    pub version: i64,
    /// Created.
    pub created_at: chrono::NaiveDateTime,
    /// Last updated.
    pub updated_at: chrono::NaiveDateTime,
}

impl Organisation {
    /// The typed id.
    pub fn id(&self) -> OrganisationId {
        OrganisationId(self.id)
    }

    /// The values as an edit form.
    pub fn to_form(&self) -> OrganisationForm {
        OrganisationForm {
            name: self.name.clone(),
            legal_address: self.legal_address.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            registration_number: self.registration_number.clone(),
            country: self.country.clone(),
            representative: self.representative.clone(),
            dpo: self.dpo.clone(),
            supervisory_authority: self.supervisory_authority.clone(),
            review_interval_months: self.review_interval_months.to_string(),
            reference_prefix: self.reference_prefix.clone(),
            version: self.version.to_string(),
        }
    }

    /// The organisation as the register document shows it (its export, and its audit snapshot).
    pub fn to_doc(&self) -> OrganisationDoc {
        OrganisationDoc {
            name: self.name.clone(),
            legal_address: self.legal_address.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            registration_number: self.registration_number.clone(),
            country: self.country.clone(),
            representative: self.representative.clone(),
            dpo: self.dpo.clone(),
            supervisory_authority: self.supervisory_authority.clone(),
            review_interval_months: self.review_interval_months,
            reference_prefix: self.reference_prefix.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            findings: Vec::new(),
        }
    }
}

#[derive(AsChangeset, Insertable)]
#[diesel(table_name = organisations)]
struct OrganisationValues<'a> {
    name: &'a str,
    legal_address: &'a str,
    email: &'a str,
    phone: &'a str,
    registration_number: &'a str,
    country: &'a str,
    representative: &'a str,
    dpo: &'a str,
    supervisory_authority: &'a str,
    review_interval_months: i32,
    reference_prefix: String,
}

impl<'a> OrganisationValues<'a> {
    /// The values of `d`, with the reference prefix it gives or, without one, a free one made
    /// from its name; a prefix another organisation (not `except`) uses is refused.
    fn of(
        conn: &mut DbConnection,
        d: &'a OrganisationDraft,
        except: Option<OrganisationId>,
    ) -> StoreResult<Self> {
        let reference_prefix = match &d.reference_prefix {
            Some(p) if prefix_taken(conn, p, except)? => {
                return Err(StoreError::Duplicate {
                    field: "reference_prefix",
                    message: "Another organisation already uses this reference prefix".into(),
                })
            }
            Some(p) => p.clone(),
            None => free_prefix(conn, &d.name, except)?,
        };
        Ok(Self {
            name: &d.name,
            legal_address: &d.legal_address,
            email: &d.email,
            phone: &d.phone,
            registration_number: &d.registration_number,
            country: d.country.code(),
            representative: &d.representative,
            dpo: &d.dpo,
            supervisory_authority: &d.supervisory_authority,
            review_interval_months: d.review_interval_months,
            reference_prefix,
        })
    }
}

fn prefix_taken(
    conn: &mut DbConnection,
    prefix: &str,
    except: Option<OrganisationId>,
) -> StoreResult<bool> {
    let owner: Option<i64> = organisations::table
        .filter(organisations::reference_prefix.eq(prefix))
        .select(organisations::id)
        .first(conn)
        .optional()?;
    Ok(owner.is_some_and(|o| Some(OrganisationId(o)) != except))
}

/// The prefix made from `name`, or, when another organisation uses it, the first of it
/// followed by 2, 3, ... that is free.
fn free_prefix(
    conn: &mut DbConnection,
    name: &str,
    except: Option<OrganisationId>,
) -> StoreResult<String> {
    let base = default_reference_prefix(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while prefix_taken(conn, &candidate, except)? {
        candidate = format!("{base}{n}");
        n += 1;
    }
    Ok(candidate)
}

/// Gives every organisation stored without a reference prefix (before prefixes existed) one
/// made from its name; the references its activities have stay as they are.
pub fn fill_reference_prefixes(conn: &mut DbConnection) -> StoreResult<usize> {
    let blank: Vec<(i64, String)> = organisations::table
        .filter(organisations::reference_prefix.eq(""))
        .order(organisations::id.asc())
        .select((organisations::id, organisations::name))
        .load(conn)?;
    for (id, name) in &blank {
        let prefix = free_prefix(conn, name, Some(OrganisationId(*id)))?;
        diesel::update(organisations::table.find(id))
            .set(organisations::reference_prefix.eq(prefix))
            .execute(conn)?;
    }
    Ok(blank.len())
}

/// The reference prefix of an organisation (`PA` for one that has none yet).
pub fn reference_prefix(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<String> {
    let prefix: Option<String> = organisations::table
        .find(id.0)
        .select(organisations::reference_prefix)
        .first(conn)
        .optional()?;
    Ok(prefix
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "PA".to_owned()))
}

fn duplicate_name(e: diesel::result::Error) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Duplicate {
            field: "name",
            message: "Another organisation already has this name".into(),
        }
    } else {
        e.into()
    }
}

/// Every organisation, by name.
pub fn list(conn: &mut DbConnection) -> StoreResult<Vec<Organisation>> {
    Ok(organisations::table
        .order(organisations::name.asc())
        .select(Organisation::as_select())
        .load(conn)?)
}

/// Number of activities of each organisation, by organisation id.
pub fn activity_counts(conn: &mut DbConnection) -> StoreResult<Vec<(i64, i64)>> {
    Ok(activities::table
        .group_by(activities::organisation_id)
        .select((activities::organisation_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// One organisation.
pub fn get(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<Organisation> {
    organisations::table
        .find(id.0)
        .select(Organisation::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Creates an organisation and records it in the audit trail.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    draft: &OrganisationDraft,
) -> StoreResult<OrganisationId> {
    named::insert::<Organisation>(conn, actor, draft)
}

/// Creates an organisation without an audit entry (imports record one entry for the whole).
pub(crate) fn insert_unaudited(
    conn: &mut DbConnection,
    draft: &OrganisationDraft,
) -> StoreResult<OrganisationId> {
    let at = now();
    let id = diesel::insert_into(organisations::table)
        .values((
            OrganisationValues::of(conn, draft, None)?,
            organisations::version.eq(1i64),
            organisations::created_at.eq(at),
            organisations::updated_at.eq(at),
        ))
        .returning(organisations::id)
        .get_result::<i64>(conn)
        .map_err(duplicate_name)?;
    Ok(OrganisationId(id))
}

/// Changes an organisation if it is still at `version`.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: OrganisationId,
    version: i64,
    draft: &OrganisationDraft,
) -> StoreResult<()> {
    named::update::<Organisation>(conn, actor, id, version, draft)
}

/// Deletes an organisation that has no activities; otherwise names them.
pub fn delete(conn: &mut DbConnection, actor: &Actor, id: OrganisationId) -> StoreResult<()> {
    named::delete::<Organisation>(conn, actor, id)
}

impl NamedRecord for Organisation {
    type Id = OrganisationId;
    type Draft = OrganisationDraft;
    type Doc = OrganisationDoc;
    const ENTITY: &'static str = "organisation";

    fn raw(id: OrganisationId) -> i64 {
        id.0
    }

    fn load(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<Self> {
        get(conn, id)
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn doc(&self) -> OrganisationDoc {
        self.to_doc()
    }

    fn insert_row(
        conn: &mut DbConnection,
        draft: &OrganisationDraft,
    ) -> StoreResult<OrganisationId> {
        insert_unaudited(conn, draft)
    }

    fn update_row(
        conn: &mut DbConnection,
        id: OrganisationId,
        version: i64,
        draft: &OrganisationDraft,
    ) -> StoreResult<usize> {
        let values = OrganisationValues::of(conn, draft, Some(id))?;
        diesel::update(
            organisations::table
                .filter(organisations::id.eq(id.0))
                .filter(organisations::version.eq(version)),
        )
        .set((
            values,
            organisations::version.eq(version + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)
        .map_err(duplicate_name)
    }

    fn used_by(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<Vec<(i64, String)>> {
        let users: Vec<(i64, String, String)> = activities::table
            .filter(activities::organisation_id.eq(id.0))
            .order(activities::reference.asc())
            .select((activities::id, activities::reference, activities::name))
            .load(conn)?;
        Ok(users
            .into_iter()
            .map(|(a, r, n)| (a, format!("{r} {n}")))
            .collect())
    }

    fn delete_row(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<()> {
        diesel::delete(organisations::table.find(id.0)).execute(conn)?;
        Ok(())
    }
}
