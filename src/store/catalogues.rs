//! The three catalogues in the database, and their seeding on first start.
//!
//! Uses `domain::{catalogue, document, vocab}`, `store::{audit, gaps, schema}`.

use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::schema::{
    activities, activity_data_categories, activity_measures, activity_subjects, data_categories,
    retention_rule_categories, security_measures, subject_categories,
};
use super::{is_unique_violation, DbConnection, StoreError, StoreResult};
use crate::domain::catalogue::{seed as seed_data, CatalogueDraft, CatalogueForm, CatalogueKind};
use crate::domain::document::{CataloguesDoc, DataCategoryDoc, MeasureDoc, SubjectCategoryDoc};
use crate::domain::vocab::{MeasureFamily, MeasureKind, Sensitivity};
use crate::domain::CatalogueEntryId;

/// An entry of any catalogue, as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CatalogueEntry {
    /// Id within its catalogue.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Description or examples.
    pub description: String,
    /// Article reference.
    pub article: String,
    /// Whether it came from the vocabularies.
    pub seeded: bool,
    /// Version for optimistic locking.
    pub version: i64,
    /// Sensitivity (personal-data categories).
    pub sensitivity: Option<Sensitivity>,
    /// Vulnerable (data-subject categories).
    pub vulnerable: bool,
    /// Kind (security measures).
    pub kind: Option<MeasureKind>,
    /// Family (security measures).
    pub family: Option<MeasureFamily>,
}

impl CatalogueEntry {
    /// The values as an edit form.
    pub fn to_form(&self) -> CatalogueForm {
        CatalogueForm {
            code: self.code.clone(),
            label: self.label.clone(),
            description: self.description.clone(),
            article: self.article.clone(),
            sensitivity: self
                .sensitivity
                .map(|s| s.code().to_owned())
                .unwrap_or_default(),
            vulnerable: if self.vulnerable {
                "on".into()
            } else {
                String::new()
            },
            kind: self.kind.map(|s| s.code().to_owned()).unwrap_or_default(),
            family: self.family.map(|s| s.code().to_owned()).unwrap_or_default(),
            version: self.version.to_string(),
        }
    }
}

type DataRow = (i64, String, String, String, String, String, bool, i64);
type SubjectRow = (i64, String, String, bool, String, bool, i64);
type MeasureRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    i64,
);

fn from_data(
    (id, code, label, sensitivity, article, description, seeded, version): DataRow,
) -> CatalogueEntry {
    CatalogueEntry {
        id,
        code,
        label,
        description,
        article,
        seeded,
        version,
        sensitivity: Sensitivity::from_code(&sensitivity),
        vulnerable: false,
        kind: None,
        family: None,
    }
}

fn from_subject(
    (id, code, label, vulnerable, description, seeded, version): SubjectRow,
) -> CatalogueEntry {
    CatalogueEntry {
        id,
        code,
        label,
        description,
        article: String::new(),
        seeded,
        version,
        sensitivity: None,
        vulnerable,
        kind: None,
        family: None,
    }
}

fn from_measure(
    (id, code, label, kind, family, article, description, seeded, version): MeasureRow,
) -> CatalogueEntry {
    CatalogueEntry {
        id,
        code,
        label,
        description,
        article,
        seeded,
        version,
        sensitivity: None,
        vulnerable: false,
        kind: MeasureKind::from_code(&kind),
        family: MeasureFamily::from_code(&family),
    }
}

macro_rules! data_cols {
    () => {
        (
            data_categories::id,
            data_categories::code,
            data_categories::label,
            data_categories::sensitivity,
            data_categories::article,
            data_categories::description,
            data_categories::seeded,
            data_categories::version,
        )
    };
}
macro_rules! subject_cols {
    () => {
        (
            subject_categories::id,
            subject_categories::code,
            subject_categories::label,
            subject_categories::vulnerable,
            subject_categories::description,
            subject_categories::seeded,
            subject_categories::version,
        )
    };
}
macro_rules! measure_cols {
    () => {
        (
            security_measures::id,
            security_measures::code,
            security_measures::label,
            security_measures::kind,
            security_measures::family,
            security_measures::article,
            security_measures::description,
            security_measures::seeded,
            security_measures::version,
        )
    };
}

/// The three catalogues as the register document shows them.
pub fn document(
    data: &[CatalogueEntry],
    subjects: &[CatalogueEntry],
    measures: &[CatalogueEntry],
) -> CataloguesDoc {
    CataloguesDoc {
        data_categories: data
            .iter()
            .map(|e| DataCategoryDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                sensitivity: e
                    .sensitivity
                    .map(|s| s.code())
                    .unwrap_or("standard")
                    .to_owned(),
                article: e.article.clone(),
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
        subject_categories: subjects
            .iter()
            .map(|e| SubjectCategoryDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                vulnerable: e.vulnerable,
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
        security_measures: measures
            .iter()
            .map(|e| MeasureDoc {
                code: e.code.clone(),
                label: e.label.clone(),
                kind: e
                    .kind
                    .map(|k| k.code())
                    .unwrap_or("organisational")
                    .to_owned(),
                family: e.family.map(|f| f.code()).unwrap_or("other").to_owned(),
                article: e.article.clone(),
                description: e.description.clone(),
                seeded: e.seeded,
            })
            .collect(),
    }
}

/// Every entry of a catalogue, in a stable order for choices (sensitivity or family, then label).
pub fn list(conn: &mut DbConnection, kind: CatalogueKind) -> StoreResult<Vec<CatalogueEntry>> {
    Ok(match kind {
        CatalogueKind::DataCategories => data_categories::table
            .order((
                data_categories::sensitivity.desc(),
                data_categories::label.asc(),
            ))
            .select(data_cols!())
            .load::<DataRow>(conn)?
            .into_iter()
            .map(from_data)
            .collect(),
        CatalogueKind::SubjectCategories => subject_categories::table
            .order(subject_categories::label.asc())
            .select(subject_cols!())
            .load::<SubjectRow>(conn)?
            .into_iter()
            .map(from_subject)
            .collect(),
        CatalogueKind::SecurityMeasures => security_measures::table
            .order((
                security_measures::family.asc(),
                security_measures::label.asc(),
            ))
            .select(measure_cols!())
            .load::<MeasureRow>(conn)?
            .into_iter()
            .map(from_measure)
            .collect(),
    })
}

/// One entry.
pub fn get(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    id: CatalogueEntryId,
) -> StoreResult<CatalogueEntry> {
    let entry = match kind {
        CatalogueKind::DataCategories => data_categories::table
            .find(id.0)
            .select(data_cols!())
            .first::<DataRow>(conn)
            .optional()?
            .map(from_data),
        CatalogueKind::SubjectCategories => subject_categories::table
            .find(id.0)
            .select(subject_cols!())
            .first::<SubjectRow>(conn)
            .optional()?
            .map(from_subject),
        CatalogueKind::SecurityMeasures => security_measures::table
            .find(id.0)
            .select(measure_cols!())
            .first::<MeasureRow>(conn)
            .optional()?
            .map(from_measure),
    };
    entry.ok_or(StoreError::NotFound)
}

fn duplicate_code(e: diesel::result::Error) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Duplicate {
            field: "code",
            message: "Another entry of this catalogue already has this code".into(),
        }
    } else {
        e.into()
    }
}

fn insert_row(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    d: &CatalogueDraft,
    seeded: bool,
) -> StoreResult<i64> {
    let id = match kind {
        CatalogueKind::DataCategories => diesel::insert_into(data_categories::table)
            .values((
                data_categories::code.eq(&d.code),
                data_categories::label.eq(&d.label),
                data_categories::sensitivity.eq(d.sensitivity.code()),
                data_categories::article.eq(&d.article),
                data_categories::description.eq(&d.description),
                data_categories::seeded.eq(seeded),
                data_categories::version.eq(1i64),
            ))
            .returning(data_categories::id)
            .get_result::<i64>(conn),
        CatalogueKind::SubjectCategories => diesel::insert_into(subject_categories::table)
            .values((
                subject_categories::code.eq(&d.code),
                subject_categories::label.eq(&d.label),
                subject_categories::vulnerable.eq(d.vulnerable),
                subject_categories::description.eq(&d.description),
                subject_categories::seeded.eq(seeded),
                subject_categories::version.eq(1i64),
            ))
            .returning(subject_categories::id)
            .get_result::<i64>(conn),
        CatalogueKind::SecurityMeasures => diesel::insert_into(security_measures::table)
            .values((
                security_measures::code.eq(&d.code),
                security_measures::label.eq(&d.label),
                security_measures::kind.eq(d.kind.code()),
                security_measures::family.eq(d.family.code()),
                security_measures::article.eq(&d.article),
                security_measures::description.eq(&d.description),
                security_measures::seeded.eq(seeded),
                security_measures::version.eq(1i64),
            ))
            .returning(security_measures::id)
            .get_result::<i64>(conn),
    };
    id.map_err(duplicate_code)
}

/// Adds an entry with its `seeded` flag as given (imports restore it).
pub fn insert_seeded(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    draft: &CatalogueDraft,
    seeded: bool,
) -> StoreResult<i64> {
    insert_row(conn, kind, draft, seeded)
}

/// The audit trail's name for entries of a catalogue.
fn entity(kind: CatalogueKind) -> &'static str {
    match kind {
        CatalogueKind::DataCategories => "data_category",
        CatalogueKind::SubjectCategories => "subject_category",
        CatalogueKind::SecurityMeasures => "security_measure",
    }
}

/// Adds a user's own entry and records it in the audit trail.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: CatalogueKind,
    draft: &CatalogueDraft,
) -> StoreResult<CatalogueEntryId> {
    audit::write(conn, actor, |conn, audit| {
        let id = insert_row(conn, kind, draft, false)?;
        let after = get(conn, kind, CatalogueEntryId(id))?;
        audit.record(Change::values::<(), _>(
            "create",
            entity(kind),
            Some(id),
            &draft.label,
            None,
            Some(&after),
        ));
        Ok(CatalogueEntryId(id))
    })
}

/// Changes an entry if it is still at `version`; a seeded entry keeps its code.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: CatalogueKind,
    id: CatalogueEntryId,
    version: i64,
    draft: &CatalogueDraft,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let current = get(conn, kind, id)?;
        if current.version != version {
            return Err(StoreError::Conflict {
                current: current.version,
            });
        }
        let code = if current.seeded {
            current.code.as_str()
        } else {
            draft.code.as_str()
        };
        let next = version + 1;
        let changed = match kind {
            CatalogueKind::DataCategories => diesel::update(
                data_categories::table
                    .filter(data_categories::id.eq(id.0))
                    .filter(data_categories::version.eq(version)),
            )
            .set((
                data_categories::code.eq(code),
                data_categories::label.eq(&draft.label),
                data_categories::sensitivity.eq(draft.sensitivity.code()),
                data_categories::article.eq(&draft.article),
                data_categories::description.eq(&draft.description),
                data_categories::version.eq(next),
            ))
            .execute(conn),
            CatalogueKind::SubjectCategories => diesel::update(
                subject_categories::table
                    .filter(subject_categories::id.eq(id.0))
                    .filter(subject_categories::version.eq(version)),
            )
            .set((
                subject_categories::code.eq(code),
                subject_categories::label.eq(&draft.label),
                subject_categories::vulnerable.eq(draft.vulnerable),
                subject_categories::description.eq(&draft.description),
                subject_categories::version.eq(next),
            ))
            .execute(conn),
            CatalogueKind::SecurityMeasures => diesel::update(
                security_measures::table
                    .filter(security_measures::id.eq(id.0))
                    .filter(security_measures::version.eq(version)),
            )
            .set((
                security_measures::code.eq(code),
                security_measures::label.eq(&draft.label),
                security_measures::kind.eq(draft.kind.code()),
                security_measures::family.eq(draft.family.code()),
                security_measures::article.eq(&draft.article),
                security_measures::description.eq(&draft.description),
                security_measures::version.eq(next),
            ))
            .execute(conn),
        }
        .map_err(duplicate_code)?;
        if changed == 0 {
            return Err(StoreError::Conflict { current: next });
        }
        let after = get(conn, kind, id)?;
        if kind == CatalogueKind::DataCategories && after.sensitivity != current.sensitivity {
            // Whether an Art. 9 condition or an Art. 10 basis is required changed for every
            // activity that processes this category.
            let using = using_ids(conn, kind, id)?;
            super::gaps::refresh_gaps(conn, super::gaps::GapScope::Ids(&using))?;
        }
        if after.label != current.label && kind != CatalogueKind::SecurityMeasures {
            // The activities using a data or subject category are found by its label.
            let using = using_ids(conn, kind, id)?;
            super::search_index::refresh(conn, super::search_index::SearchScope::Ids(&using))?;
        }
        audit.record(Change::values(
            "update",
            entity(kind),
            Some(id.0),
            &after.label,
            Some(&current),
            Some(&after),
        ));
        Ok(())
    })
}

/// The activities (id, reference, name) that use an entry.
pub fn users(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    id: CatalogueEntryId,
) -> StoreResult<Vec<(i64, String, String)>> {
    let ids = using_ids(conn, kind, id)?;
    Ok(activities::table
        .filter(activities::id.eq_any(ids))
        .order(activities::reference.asc())
        .select((activities::id, activities::reference, activities::name))
        .load(conn)?)
}

/// The ids of the activities that use an entry (a data category also by a retention rule),
/// each once.
fn using_ids(
    conn: &mut DbConnection,
    kind: CatalogueKind,
    id: CatalogueEntryId,
) -> StoreResult<Vec<i64>> {
    let mut ids: Vec<i64> = match kind {
        CatalogueKind::DataCategories => {
            let mut ids: Vec<i64> = activity_data_categories::table
                .filter(activity_data_categories::data_category_id.eq(id.0))
                .select(activity_data_categories::activity_id)
                .load(conn)?;
            ids.extend(
                retention_rule_categories::table
                    .filter(retention_rule_categories::data_category_id.eq(id.0))
                    .select(retention_rule_categories::activity_id)
                    .load::<i64>(conn)?,
            );
            ids
        }
        CatalogueKind::SubjectCategories => activity_subjects::table
            .filter(activity_subjects::subject_category_id.eq(id.0))
            .select(activity_subjects::activity_id)
            .load(conn)?,
        CatalogueKind::SecurityMeasures => activity_measures::table
            .filter(activity_measures::security_measure_id.eq(id.0))
            .select(activity_measures::activity_id)
            .load(conn)?,
    };
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// How many activities use each entry of the catalogue `kind`, by entry id.
pub fn use_counts(
    conn: &mut DbConnection,
    kind: CatalogueKind,
) -> StoreResult<std::collections::HashMap<i64, i64>> {
    let counts: Vec<(i64, i64)> = match kind {
        CatalogueKind::DataCategories => activity_data_categories::table
            .group_by(activity_data_categories::data_category_id)
            .select((
                activity_data_categories::data_category_id,
                diesel::dsl::count_star(),
            ))
            .load(conn)?,
        CatalogueKind::SubjectCategories => activity_subjects::table
            .group_by(activity_subjects::subject_category_id)
            .select((
                activity_subjects::subject_category_id,
                diesel::dsl::count_star(),
            ))
            .load(conn)?,
        CatalogueKind::SecurityMeasures => activity_measures::table
            .group_by(activity_measures::security_measure_id)
            .select((
                activity_measures::security_measure_id,
                diesel::dsl::count_star(),
            ))
            .load(conn)?,
    };
    Ok(counts.into_iter().collect())
}

/// Deletes an entry no activity uses; otherwise names those activities.
pub fn delete(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: CatalogueKind,
    id: CatalogueEntryId,
) -> StoreResult<()> {
    audit::write(conn, actor, |conn, audit| {
        let before = get(conn, kind, id)?;
        let users = users(conn, kind, id)?;
        if !users.is_empty() {
            return Err(StoreError::InUse(
                users
                    .into_iter()
                    .map(|(a, r, n)| (a, format!("{r} {n}")))
                    .collect(),
            ));
        }
        match kind {
            CatalogueKind::DataCategories => {
                diesel::delete(data_categories::table.find(id.0)).execute(conn)?
            }
            CatalogueKind::SubjectCategories => {
                diesel::delete(subject_categories::table.find(id.0)).execute(conn)?
            }
            CatalogueKind::SecurityMeasures => {
                diesel::delete(security_measures::table.find(id.0)).execute(conn)?
            }
        };
        audit.record(Change::values::<_, ()>(
            "delete",
            entity(kind),
            Some(id.0),
            &before.label,
            Some(&before),
            None,
        ));
        Ok(())
    })
}

fn count(conn: &mut DbConnection, kind: CatalogueKind) -> StoreResult<i64> {
    Ok(match kind {
        CatalogueKind::DataCategories => data_categories::table.count().get_result(conn)?,
        CatalogueKind::SubjectCategories => subject_categories::table.count().get_result(conn)?,
        CatalogueKind::SecurityMeasures => security_measures::table.count().get_result(conn)?,
    })
}

/// Fills each catalogue from the vocabularies when it is empty (the first start), in one transaction.
///
/// A catalogue that already has entries is left alone, so entries a user deleted stay deleted.
pub fn seed(conn: &mut DbConnection) -> StoreResult<()> {
    conn.transaction(|conn| {
        let seed = seed_data();
        if count(conn, CatalogueKind::DataCategories)? == 0 {
            for c in &seed.data_categories {
                let draft = CatalogueDraft {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    description: c.description.clone(),
                    article: c.article.clone(),
                    sensitivity: c.sensitivity,
                    vulnerable: false,
                    kind: MeasureKind::Organisational,
                    family: MeasureFamily::Other,
                };
                insert_row(conn, CatalogueKind::DataCategories, &draft, true)?;
            }
        }
        if count(conn, CatalogueKind::SubjectCategories)? == 0 {
            for c in &seed.subject_categories {
                let draft = CatalogueDraft {
                    code: c.code.clone(),
                    label: c.label.clone(),
                    description: c.description.clone(),
                    article: String::new(),
                    sensitivity: Sensitivity::Standard,
                    vulnerable: c.vulnerable,
                    kind: MeasureKind::Organisational,
                    family: MeasureFamily::Other,
                };
                insert_row(conn, CatalogueKind::SubjectCategories, &draft, true)?;
            }
        }
        if count(conn, CatalogueKind::SecurityMeasures)? == 0 {
            for m in &seed.measures {
                let draft = CatalogueDraft {
                    code: m.code.clone(),
                    label: m.label.clone(),
                    description: String::new(),
                    article: m.article.clone(),
                    sensitivity: Sensitivity::Standard,
                    vulnerable: false,
                    kind: m.kind,
                    family: m.family,
                };
                insert_row(conn, CatalogueKind::SecurityMeasures, &draft, true)?;
            }
        }
        Ok(())
    })
}
