//! What the activities list and the start page read on every request and that changes only
//! when the register does: the number of activities matching a filter, the choices of the
//! filter form, and the start page's figures.
//!
//! Every change to the register is written with an audit entry in the same transaction
//! (`audit::write`), so the audit trail's sequence number is the register's revision: one
//! primary-key read tells whether anything changed since the values were kept. The revision is
//! read before the values, so a kept value is never older than the revision it is kept under;
//! and since the revision lives in the database, several app instances on one PostgreSQL
//! database see each other's changes at their next request.
//!
//! Uses `domain::activity`, `store::{activities, gaps, organisations, schema, search_index}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::activities::{self, ActivityFilter, ActivitySummary, Page};
use super::schema::audit_head;
use super::search_index::SearchTerms;
use super::{organisations, DbConnection, StoreResult};
use crate::domain::activity::Choices;
use crate::domain::vocab::Role;

/// Distinct filters whose counts are kept at once; more clear the map.
const MAX_COUNTS: usize = 1_000;

/// Counts, choices and the start page's figures kept for one revision of the register.
#[derive(Default)]
pub struct RevisionCache {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    revision: Option<i64>,
    counts: HashMap<String, i64>,
    choices: Option<(Choices, ListChoices)>,
    summary: Option<Summary>,
    /// The word index's words (SQLite), read for the first text search of the revision.
    terms: Option<Arc<SearchTerms>>,
}

/// What the list's filters and downloads offer beyond the form's choices.
#[derive(Debug, Clone, Default)]
pub struct ListChoices {
    /// The destination countries transfers go to (codes).
    pub destinations: Vec<String>,
    /// The organisations that have processor activities (ids): only theirs is a processor
    /// record to download.
    pub processors: Vec<i64>,
}

/// The start page's figures.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Number of organisations.
    pub organisations: usize,
    /// Number of activities per status code.
    pub statuses: Vec<(String, i64)>,
    /// Current activities with mandatory elements missing.
    pub incomplete: usize,
    /// Activities due for review by `due_by` (not retired), soonest first, at most ten.
    pub reviews_due: Vec<(i64, String, String, NaiveDate)>,
    /// The date the reviews were selected for.
    pub due_by: NaiveDate,
    /// Every organisation with its active activities as controller and as processor, by name:
    /// the records there are to download.
    pub records: Vec<OrganisationRecords>,
}

/// An organisation and the size of its two records (active activities).
#[derive(Debug, Clone)]
pub struct OrganisationRecords {
    /// Organisation id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Active activities as controller (Art. 30(1)).
    pub controller: i64,
    /// Active activities as processor (Art. 30(2)).
    pub processor: i64,
}

/// The register's revision: the sequence number of its last audit entry.
pub fn revision(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(audit_head::table
        .select(audit_head::seq)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// The part of a filter that decides the count (not the page or the order).
fn count_key(f: &ActivityFilter) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        f.text,
        f.organisation,
        f.role,
        f.status,
        f.lawful_basis,
        f.data_category,
        f.subject,
        f.measure,
        f.destination,
        f.party,
        f.review_from,
        f.review_before,
        f.incomplete
    )
}

impl RevisionCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while the lock was held leaves nothing half-written worth refusing: every
        // field is replaced whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets what was kept if the register changed since.
    fn at(&self, revision: i64) {
        let mut state = self.state();
        if state.revision != Some(revision) {
            state.revision = Some(revision);
            state.counts.clear();
            state.choices = None;
            state.summary = None;
            state.terms = None;
        }
    }

    /// The word index's words at `revision` (kept), when `f` searches text.
    fn terms(
        &self,
        conn: &mut DbConnection,
        f: &ActivityFilter,
        revision: i64,
    ) -> StoreResult<Option<Arc<SearchTerms>>> {
        if f.text.trim().is_empty() {
            return Ok(None);
        }
        if let Some(kept) = self.state().terms.clone() {
            return Ok(Some(kept));
        }
        let read = Arc::new(SearchTerms::read(conn)?);
        let mut state = self.state();
        if state.revision == Some(revision) {
            state.terms = Some(read.clone());
        }
        Ok(Some(read))
    }

    /// A page of the list and the filter form's choices, counting and loading the choices
    /// only if the register changed since they were last kept.
    pub fn search_with_choices(
        &self,
        conn: &mut DbConnection,
        f: &ActivityFilter,
    ) -> StoreResult<(Page<ActivitySummary>, Choices, ListChoices)> {
        let revision = revision(conn)?;
        self.at(revision);
        let key = count_key(f);
        let terms = self.terms(conn, f, revision)?;
        let terms = terms.as_deref();
        let (kept_total, kept_choices) = {
            let state = self.state();
            (state.counts.get(&key).copied(), state.choices.clone())
        };
        let total = match kept_total {
            Some(total) => total,
            None => {
                let total = activities::count(conn, f, terms)?;
                let mut state = self.state();
                if state.revision == Some(revision) {
                    if state.counts.len() >= MAX_COUNTS {
                        state.counts.clear();
                    }
                    state.counts.insert(key, total);
                }
                total
            }
        };
        let (choices, destinations) = match kept_choices {
            Some(kept) => kept,
            None => {
                let kept = (
                    activities::choices(conn)?,
                    ListChoices {
                        destinations: activities::destinations_in_use(conn)?,
                        processors: activities::organisations_with_role(conn, Role::Processor)?,
                    },
                );
                let mut state = self.state();
                if state.revision == Some(revision) {
                    state.choices = Some(kept.clone());
                }
                kept
            }
        };
        let page = activities::search_counted(conn, f, total, terms)?;
        Ok((page, choices, destinations))
    }

    /// The start page's figures, with the reviews due by `due_by`; read again only if the
    /// register changed (or the date moved on) since they were kept.
    pub fn summary(&self, conn: &mut DbConnection, due_by: NaiveDate) -> StoreResult<Summary> {
        let revision = revision(conn)?;
        self.at(revision);
        if let Some(kept) = self.state().summary.clone() {
            if kept.due_by == due_by {
                return Ok(kept);
            }
        }
        let orgs = organisations::list(conn)?;
        let counts = activities::active_by_organisation_and_role(conn)?;
        let count = |id: i64, role: Role| {
            counts
                .iter()
                .filter(|(o, r, _)| *o == id && r == role.code())
                .map(|(_, _, n)| *n)
                .sum()
        };
        let records = orgs
            .iter()
            .map(|o| OrganisationRecords {
                id: o.id,
                name: o.name.clone(),
                controller: count(o.id, Role::Controller),
                processor: count(o.id, Role::Processor),
            })
            .collect();
        let summary = Summary {
            organisations: orgs.len(),
            statuses: activities::status_counts(conn)?,
            incomplete: super::gaps::incomplete_count(conn)?,
            reviews_due: activities::reviews_due(conn, due_by, 10)?,
            due_by,
            records,
        };
        let mut state = self.state();
        if state.revision == Some(revision) {
            state.summary = Some(summary.clone());
        }
        Ok(summary)
    }
}
