//! Storage's read model for the exports: a [`Record`] for the PDF (its activities read from the
//! database a chunk at a time while it is laid out, or loaded whole), chunks of activities for
//! streaming CSV, and the complete register as its document for JSON.
//!
//! Uses the activities, acknowledgements, catalogues, organisations and parties of the store,
//! and the domain's checks (the JSON document carries each activity's findings); the exports
//! take what this loads and never touch the database.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::activities::{
    load_details, matching_ids, matching_ids_and_organisations, ActivityDetail, ActivityFilter,
};
use super::{catalogues, organisations, parties, DbConnection, StoreError, StoreResult};
use crate::domain::catalogue::CatalogueKind;
use crate::domain::checks::acknowledgement::{apply, Acknowledgement};
use crate::domain::checks::Register;
use crate::domain::document::{
    ActivityDoc, FindingDoc, PartyDoc, RegisterDocument, FORMAT, FORMAT_VERSION,
};
use crate::domain::vocab::Role;
use crate::domain::{ActivityId, OrganisationId};
use crate::store::organisations::Organisation;

/// What an export covers: the organisations, and their activities in one role.
#[derive(Debug)]
pub struct Record<'c> {
    /// Controller record (Art. 30(1)) or processor record (Art. 30(2)).
    pub role: Role,
    /// The organisations whose activities are included (at least one), by name.
    pub organisations: Vec<Organisation>,
    /// The activities, all of `role`, ordered by organisation then reference.
    pub activities: Activities<'c>,
    /// What was selected, in words: "Whole register", "Activity HR-001", "Filtered list: ...".
    pub scope: String,
    /// The date the record speaks for.
    pub as_of: NaiveDate,
    /// When the export was generated (UTC).
    pub generated_at: NaiveDateTime,
}

/// The activities of a [`Record`]: loaded whole, or read from the database [`CHUNK`] at a time
/// each time they are gone through, so that a record of any size is laid out in the memory of
/// a few hundred activities.
pub enum Activities<'c> {
    /// Every activity, in memory.
    Loaded(Vec<ActivityDetail>),
    /// Read while gone through, from a connection that keeps one snapshot (see [`in_snapshot`]).
    Read(ReadActivities<'c>),
}

/// The ids of the activities to read and the connection to read them from.
pub struct ReadActivities<'c> {
    conn: RefCell<&'c mut DbConnection>,
    ids: Vec<i64>,
    /// Told the size of each chunk read (the command line's progress bar).
    on_read: Option<Box<dyn Fn(usize) + 'c>>,
    /// The first read that failed: a pass ends early at it and the document is refused.
    failed: RefCell<Option<StoreError>>,
}

impl std::fmt::Debug for Activities<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Activities::Loaded(all) => f.debug_tuple("Loaded").field(&all.len()).finish(),
            Activities::Read(read) => f.debug_tuple("Read").field(&read.ids.len()).finish(),
        }
    }
}

impl<'c> Activities<'c> {
    /// How many activities.
    pub fn len(&self) -> usize {
        match self {
            Activities::Loaded(all) => all.len(),
            Activities::Read(read) => read.ids.len(),
        }
    }

    /// No activities.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with the number of activities of each chunk read from now on (nothing for
    /// activities loaded whole).
    pub fn on_read(&mut self, f: impl Fn(usize) + 'c) {
        if let Activities::Read(read) = self {
            read.on_read = Some(Box::new(f));
        }
    }

    /// Whether the activities are read as they are gone through (not loaded whole).
    pub fn is_read(&self) -> bool {
        matches!(self, Activities::Read(_))
    }

    /// The activities, when loaded whole.
    pub fn as_slice(&self) -> Option<&[ActivityDetail]> {
        match self {
            Activities::Loaded(all) => Some(all),
            Activities::Read(_) => None,
        }
    }

    /// Goes through the activities in order, giving what `each` makes of each one.
    pub fn map<'s, T, F>(&'s self, each: F) -> Mapped<'s, 'c, F>
    where
        F: FnMut(&ActivityDetail) -> T,
    {
        Mapped {
            activities: self,
            each,
            next: 0,
            chunk: Vec::new(),
            at: 0,
        }
    }

    /// Calls `each` with every activity, in order.
    pub fn for_each(&self, each: impl FnMut(&ActivityDetail)) {
        self.map(each).for_each(drop);
    }

    /// The read that failed while the activities were gone through, if any: what was made of
    /// them is then incomplete.
    pub fn failure(&self) -> Option<String> {
        match self {
            Activities::Loaded(_) => None,
            Activities::Read(read) => read.failed.borrow().as_ref().map(ToString::to_string),
        }
    }
}

/// The iterator of [`Activities::map`]: a chunk of activities read at a time.
pub struct Mapped<'s, 'c, F> {
    activities: &'s Activities<'c>,
    each: F,
    /// The next activity (loaded) or the next id to read.
    next: usize,
    chunk: Vec<ActivityDetail>,
    at: usize,
}

impl<T, F: FnMut(&ActivityDetail) -> T> Iterator for Mapped<'_, '_, F> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.activities {
            Activities::Loaded(all) => {
                let a = all.get(self.next)?;
                self.next += 1;
                Some((self.each)(a))
            }
            Activities::Read(read) => {
                while self.at >= self.chunk.len() {
                    if read.failed.borrow().is_some() {
                        return None;
                    }
                    let ids = read.ids.get(self.next..)?;
                    let ids = ids.get(..CHUNK.min(ids.len()))?;
                    if ids.is_empty() {
                        return None;
                    }
                    self.next += ids.len();
                    self.at = 0;
                    self.chunk.clear();
                    let loaded = load_details(&mut read.conn.borrow_mut(), ids);
                    match loaded {
                        Ok(chunk) => {
                            if let Some(f) = &read.on_read {
                                f(ids.len());
                            }
                            self.chunk = chunk;
                        }
                        Err(e) => {
                            read.failed.borrow_mut().get_or_insert(e);
                            return None;
                        }
                    }
                }
                let a = self.chunk.get(self.at)?;
                self.at += 1;
                Some((self.each)(a))
            }
        }
    }
}

/// Activities loaded per query when streaming.
pub const CHUNK: usize = 200;

/// What to export: one activity, or the activities a filter selects, in one role.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Controller or processor record.
    pub role: Role,
    /// One activity only.
    pub activity: Option<ActivityId>,
    /// Otherwise the activities this filter selects (its role is replaced by `role`).
    pub filter: ActivityFilter,
}

impl Selection {
    fn ids(&self, conn: &mut DbConnection) -> StoreResult<Vec<i64>> {
        match self.activity {
            Some(id) => {
                let one = load_details(conn, &[id.0])?;
                Ok(one
                    .into_iter()
                    .filter(|a| a.role == self.role)
                    .map(|a| a.id)
                    .collect())
            }
            None => {
                let mut f = self.filter.clone();
                f.role = Some(self.role);
                matching_ids(conn, &f)
            }
        }
    }
}

/// The organisations by id.
fn organisations_by_id(conn: &mut DbConnection) -> StoreResult<HashMap<i64, Organisation>> {
    Ok(organisations::list(conn)?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// The organisations a record covers: the one the filter names, or those of its activities.
fn record_organisations(
    conn: &mut DbConnection,
    selection: &Selection,
    of_activities: impl Iterator<Item = i64>,
) -> StoreResult<Vec<Organisation>> {
    let orgs = organisations_by_id(conn)?;
    let mut organisations: Vec<Organisation> =
        match (selection.activity, selection.filter.organisation) {
            (None, Some(o)) => orgs.get(&o.0).cloned().into_iter().collect(),
            _ => {
                let mut seen: Vec<i64> = of_activities.collect();
                seen.sort_unstable();
                seen.dedup();
                seen.iter().filter_map(|id| orgs.get(id).cloned()).collect()
            }
        };
    organisations.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(organisations)
}

/// Loads a whole record in memory.
pub fn load_record<'c>(
    conn: &mut DbConnection,
    selection: &Selection,
    scope: String,
    generated_at: NaiveDateTime,
) -> StoreResult<Record<'c>> {
    let ids = selection.ids(conn)?;
    let mut activities: Vec<ActivityDetail> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        activities.extend(load_details(conn, chunk)?);
    }
    let organisations = record_organisations(
        conn,
        selection,
        activities.iter().map(|a| a.organisation_id),
    )?;
    Ok(Record {
        role: selection.role,
        organisations,
        activities: Activities::Loaded(activities),
        scope,
        as_of: generated_at.date(),
        generated_at,
    })
}

/// A record whose activities are read from `conn` a chunk at a time as the PDF is laid out
/// (call it inside [`in_snapshot`], so that every pass reads the same register). One activity
/// is loaded whole, and so is the processor record, which groups its activities by the
/// controllers they serve across the whole register.
pub fn read_record<'c>(
    conn: &'c mut DbConnection,
    selection: &Selection,
    scope: String,
    generated_at: NaiveDateTime,
) -> StoreResult<Record<'c>> {
    if selection.role == Role::Processor || selection.activity.is_some() {
        return load_record(conn, selection, scope, generated_at);
    }
    let mut f = selection.filter.clone();
    f.role = Some(selection.role);
    let listed = matching_ids_and_organisations(conn, &f)?;
    let organisations = record_organisations(conn, selection, listed.iter().map(|l| l.1))?;
    Ok(Record {
        role: selection.role,
        organisations,
        activities: Activities::Read(ReadActivities {
            conn: RefCell::new(conn),
            ids: listed.into_iter().map(|l| l.0).collect(),
            on_read: None,
            failed: RefCell::new(None),
        }),
        scope,
        as_of: generated_at.date(),
        generated_at,
    })
}

/// Calls `each` with every selected activity and its organisation, loading `CHUNK` at a time,
/// so memory does not grow with the register.
pub fn for_each_activity<E>(
    conn: &mut DbConnection,
    selection: &Selection,
    mut each: impl FnMut(&Organisation, &ActivityDetail) -> Result<(), E>,
) -> Result<usize, E>
where
    E: From<super::StoreError>,
{
    let ids = selection.ids(conn)?;
    let orgs = organisations_by_id(conn)?;
    let mut n = 0;
    for chunk in ids.chunks(CHUNK) {
        for a in load_details(conn, chunk)? {
            if let Some(org) = orgs.get(&a.organisation_id) {
                each(org, &a)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The catalogue codes an activity's entries are named by in the document: personal-data
/// categories, data-subject categories, security measures.
type Codes = [HashMap<i64, String>; 3];

/// What both forms of the document start from: everything but the activities, the ids of the
/// activities to write (by organisation and reference), and the catalogue codes.
fn document_parts(
    conn: &mut DbConnection,
    organisation: Option<OrganisationId>,
    generated_at: NaiveDateTime,
) -> StoreResult<(RegisterDocument, Vec<i64>, Codes)> {
    let (catalogues_doc, codes) = catalogue_parts(conn)?;
    let orgs: Vec<Organisation> = organisations::list(conn)?
        .into_iter()
        .filter(|o| organisation.is_none_or(|id| id.0 == o.id))
        .collect();
    let filter = ActivityFilter {
        organisation,
        status: super::activities::StatusFilter::All,
        ..Default::default()
    };
    let ids = matching_ids(conn, &filter)?;
    let mut head = RegisterDocument {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        generated_at,
        organisations: orgs.iter().map(Organisation::to_doc).collect(),
        catalogues: catalogues_doc,
        parties: parties::list(conn)?.iter().map(|p| p.to_doc()).collect(),
        activities: Vec::new(),
    };
    // Each organisation's own findings (contact, DPO, representative).
    let found: Vec<Vec<FindingDoc>> = {
        let register = Register::new(
            &head.organisations,
            &head.catalogues,
            &head.parties,
            generated_at.date(),
        );
        head.organisations
            .iter()
            .map(|o| {
                register
                    .check_organisation(o)
                    .iter()
                    .map(|f| f.to_doc())
                    .collect()
            })
            .collect()
    };
    for (o, f) in head.organisations.iter_mut().zip(found) {
        o.findings = f;
    }
    Ok((head, ids, codes))
}

/// An activity's document entry, its catalogue entries named by `codes`.
fn activity_entry(a: &ActivityDetail, [data, subjects, measures]: &Codes) -> ActivityDoc {
    let lookup = |m: &HashMap<i64, String>, id: i64| m.get(&id).cloned().unwrap_or_default();
    a.to_doc(&|id| lookup(data, id), &|id| lookup(subjects, id), &|id| {
        lookup(measures, id)
    })
}

/// What the register checks read for one activity: its document entry, the catalogues and
/// the parties (the activity page's findings; `domain::checks`).
pub fn activity_in_context(
    conn: &mut DbConnection,
    activity: &ActivityDetail,
) -> StoreResult<(
    ActivityDoc,
    crate::domain::document::CataloguesDoc,
    Vec<PartyDoc>,
)> {
    let (catalogues, codes) = catalogue_parts(conn)?;
    Ok((
        activity_entry(activity, &codes),
        catalogues,
        parties::list(conn)?.iter().map(|p| p.to_doc()).collect(),
    ))
}

/// What the register checks read around activities loaded as details (the exports'): the
/// organisations, catalogues and parties as the document shows them, and the catalogue codes.
pub struct CheckContext {
    /// Organisations.
    pub organisations: Vec<crate::domain::document::OrganisationDoc>,
    /// Catalogues.
    pub catalogues: crate::domain::document::CataloguesDoc,
    /// Parties.
    pub parties: Vec<PartyDoc>,
    codes: Codes,
}

impl CheckContext {
    /// Reads the organisations, catalogues and parties.
    pub fn load(conn: &mut DbConnection) -> StoreResult<Self> {
        let (catalogues, codes) = catalogue_parts(conn)?;
        Ok(Self {
            organisations: organisations::list(conn)?
                .iter()
                .map(Organisation::to_doc)
                .collect(),
            catalogues,
            parties: parties::list(conn)?.iter().map(|p| p.to_doc()).collect(),
            codes,
        })
    }

    /// An activity's document entry, its catalogue entries named by their codes.
    pub fn entry(&self, a: &ActivityDetail) -> ActivityDoc {
        activity_entry(a, &self.codes)
    }
}

/// The catalogues as the document shows them, and each catalogue's codes by id.
fn catalogue_parts(
    conn: &mut DbConnection,
) -> StoreResult<(crate::domain::document::CataloguesDoc, Codes)> {
    let data = catalogues::list(conn, CatalogueKind::DataCategories)?;
    let subjects = catalogues::list(conn, CatalogueKind::SubjectCategories)?;
    let measures = catalogues::list(conn, CatalogueKind::SecurityMeasures)?;
    let code_map = |entries: &[catalogues::CatalogueEntry]| -> HashMap<i64, String> {
        entries.iter().map(|e| (e.id, e.code.clone())).collect()
    };
    let codes = [code_map(&data), code_map(&subjects), code_map(&measures)];
    Ok((catalogues::document(&data, &subjects, &measures), codes))
}

/// The register document (or one organisation's part) without its activities, and the way
/// to read them [`CHUNK`] at a time: what the register checks read, in the memory of a few
/// hundred activities.
pub struct DocumentParts {
    /// Everything but the activities.
    pub head: RegisterDocument,
    ids: Vec<i64>,
    codes: Codes,
}

impl DocumentParts {
    /// Reads everything but the activities now.
    pub fn read(
        conn: &mut DbConnection,
        organisation: Option<OrganisationId>,
    ) -> StoreResult<Self> {
        let (head, ids, codes) = document_parts(conn, organisation, super::now())?;
        Ok(Self { head, ids, codes })
    }

    /// Hands each activity's id and document entry to `each`, in the document's order.
    pub fn for_each_activity(
        &self,
        conn: &mut DbConnection,
        mut each: impl FnMut(i64, ActivityDoc),
    ) -> StoreResult<()> {
        for chunk in self.ids.chunks(CHUNK) {
            for a in load_details(conn, chunk)? {
                each(a.id, activity_entry(&a, &self.codes));
            }
        }
        Ok(())
    }
}

/// The complete register (or one organisation's part of it) as a JSON document, whole in
/// memory (tests, comparisons); downloads write [`streamed_document`].
pub fn register_document(
    conn: &mut DbConnection,
    organisation: Option<OrganisationId>,
    generated_at: NaiveDateTime,
) -> StoreResult<RegisterDocument> {
    let (mut doc, ids, codes) = document_parts(conn, organisation, generated_at)?;
    let acks = super::acknowledgements::all(conn)?;
    doc.activities.reserve(ids.len());
    let mut entries = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        for a in load_details(conn, chunk)? {
            entries.push((a.id, activity_entry(&a, &codes)));
        }
    }
    {
        let register = Register::new(
            &doc.organisations,
            &doc.catalogues,
            &doc.parties,
            generated_at.date(),
        );
        for (id, entry) in &mut entries {
            with_checks(entry, &register, acks.get(id).map(Vec::as_slice));
        }
    }
    doc.activities = entries.into_iter().map(|(_, e)| e).collect();
    Ok(doc)
}

/// Adds to an activity's document entry the findings of the register checks (open and
/// accepted) and the acknowledgements it has: what an export carries and an import reads back
/// (the acknowledgements; the findings are recomputed).
fn with_checks(entry: &mut ActivityDoc, register: &Register<'_>, acks: Option<&[Acknowledgement]>) {
    let acks = acks.unwrap_or_default();
    let mut findings = register.check_activity(entry);
    apply(&mut findings, acks, register.today);
    entry.findings = findings.iter().map(|f| f.to_doc()).collect();
    entry.acknowledgements = acks.to_vec();
}

/// The register document (or one organisation's part) with its activities read from the
/// database while it is written: serialised, it gives the same bytes as
/// [`register_document`]'s, but holds [`CHUNK`] activities at a time, whatever the register's
/// size. A database error while writing ends the output with that error.
pub struct StreamedDocument<'c> {
    conn: RefCell<&'c mut DbConnection>,
    head: RegisterDocument,
    ids: Vec<i64>,
    codes: Codes,
    acks: HashMap<i64, Vec<Acknowledgement>>,
}

/// Prepares the streamed register document: everything but the activities is read now.
pub fn streamed_document(
    conn: &mut DbConnection,
    organisation: Option<OrganisationId>,
    generated_at: NaiveDateTime,
) -> StoreResult<StreamedDocument<'_>> {
    let (head, ids, codes) = document_parts(conn, organisation, generated_at)?;
    let acks = super::acknowledgements::all(conn)?;
    Ok(StreamedDocument {
        conn: RefCell::new(conn),
        head,
        ids,
        codes,
        acks,
    })
}

/// The activities of a [`StreamedDocument`], loaded a chunk at a time as they are written.
struct StreamedActivities<'d, 'c>(&'d StreamedDocument<'c>);

impl Serialize for StreamedActivities<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let doc = self.0;
        let h = &doc.head;
        let register = Register::new(
            &h.organisations,
            &h.catalogues,
            &h.parties,
            h.generated_at.date(),
        );
        let mut seq = serializer.serialize_seq(Some(doc.ids.len()))?;
        for chunk in doc.ids.chunks(CHUNK) {
            let details = {
                let mut conn = doc.conn.borrow_mut();
                load_details(&mut conn, chunk).map_err(S::Error::custom)?
            };
            for a in details {
                let mut entry = activity_entry(&a, &doc.codes);
                with_checks(
                    &mut entry,
                    &register,
                    doc.acks.get(&a.id).map(Vec::as_slice),
                );
                seq.serialize_element(&entry)?;
            }
        }
        seq.end()
    }
}

impl Serialize for StreamedDocument<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The fields of `RegisterDocument`, in its order.
        let h = &self.head;
        let mut doc = serializer.serialize_struct("RegisterDocument", 7)?;
        doc.serialize_field("format", &h.format)?;
        doc.serialize_field("format_version", &h.format_version)?;
        doc.serialize_field("generated_at", &h.generated_at)?;
        doc.serialize_field("organisations", &h.organisations)?;
        doc.serialize_field("catalogues", &h.catalogues)?;
        doc.serialize_field("parties", &h.parties)?;
        doc.serialize_field("activities", &StreamedActivities(self))?;
        doc.end()
    }
}

/// Runs `read` in one read-only transaction that sees the register as it was when it began
/// (PostgreSQL: repeatable read; SQLite: a read transaction keeps its snapshot), so that an
/// export written over minutes is one consistent state, whatever is saved meanwhile.
pub fn in_snapshot<T, E>(
    conn: &mut DbConnection,
    read: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::{Connection, RunQueryDsl};
    conn.transaction(|conn| {
        if let DbConnection::Pg(pg) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(pg)?;
        }
        read(conn)
    })
}
