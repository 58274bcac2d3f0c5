//! The register's list: filters, sorting, paging, counts, and the start page's figures.
//!
//! Uses the schema and the stored gaps (`store::gaps`).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Backend;
use crate::domain::completeness::Gap;
use crate::domain::vocab::{Country, LawfulBasis, Role, Status};
use crate::domain::{DataCategoryId, MeasureId, OrganisationId, PartyId, SubjectCategoryId};
use crate::store::gaps::{incomplete, refresh_gaps, GapScope};
use crate::store::schema::{
    activities, activity_data_categories, activity_measures, activity_search, activity_subjects,
    activity_terms, joint_controllers, organisations, purpose_bases, recipients,
    represented_controllers, transfers,
};
use crate::store::search_index::{SearchTerms, TextQuery, WordPattern};
use crate::store::{code, DbConnection, StoreResult};

type SummaryRowTuple = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDate>,
    NaiveDateTime,
    Option<String>,
);
type FilteredQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<activities::table, organisations::table>,
    Backend,
>;
type AloneQuery = diesel::dsl::IntoBoxed<'static, activities::table, Backend>;

/// Which statuses the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Draft and active: the register in force and in preparation.
    #[default]
    Current,
    /// One status.
    Only(Status),
    /// Everything, retired included.
    All,
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Reference.
    #[default]
    Reference,
    /// Name.
    Name,
    /// Organisation name.
    Organisation,
    /// Status.
    Status,
    /// Last update.
    Updated,
    /// Next review date.
    NextReview,
}

impl SortKey {
    /// The query-string value.
    pub fn code(self) -> &'static str {
        match self {
            Self::Reference => "reference",
            Self::Name => "name",
            Self::Organisation => "organisation",
            Self::Status => "status",
            Self::Updated => "updated",
            Self::NextReview => "next_review",
        }
    }

    /// Parses the query-string value.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Reference,
            Self::Name,
            Self::Organisation,
            Self::Status,
            Self::Updated,
            Self::NextReview,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// A search of the register: every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Words that must all appear, each anywhere in what an activity is found by (its own
    /// text, its parties' names, destinations, data and subject categories: `store::search_index`).
    pub text: String,
    /// Organisation.
    pub organisation: Option<OrganisationId>,
    /// Role.
    pub role: Option<Role>,
    /// Statuses.
    pub status: StatusFilter,
    /// A lawful basis of any purpose.
    pub lawful_basis: Option<LawfulBasis>,
    /// A personal-data category.
    pub data_category: Option<DataCategoryId>,
    /// A data-subject category.
    pub subject: Option<SubjectCategoryId>,
    /// A security measure.
    pub measure: Option<MeasureId>,
    /// A transfer destination.
    pub destination: Option<Country>,
    /// A party the activity uses: as recipient, joint controller, controller acted for, or
    /// transfer recipient.
    pub party: Option<PartyId>,
    /// Next review on or after this date.
    pub review_from: Option<NaiveDate>,
    /// Next review before this date.
    pub review_before: Option<NaiveDate>,
    /// Only activities with mandatory elements missing.
    pub incomplete: bool,
    /// Sort column.
    pub sort: SortKey,
    /// Descending order.
    pub descending: bool,
    /// Page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

/// One row of the activities list.
#[derive(Debug, Clone)]
pub struct ActivitySummary {
    /// Id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Name.
    pub name: String,
    /// Organisation name.
    pub organisation: String,
    /// Role.
    pub role: Role,
    /// Status.
    pub status: Status,
    /// Business function.
    pub business_function: String,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Updated.
    pub updated_at: NaiveDateTime,
    /// Mandatory elements missing.
    pub gaps: Vec<Gap>,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The rows.
    pub rows: Vec<T>,
    /// Rows matching in all.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

impl<T> Page<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

/// Applies every filter of `$f` to the boxed query `$q` (activities alone or joined with
/// their organisation: the filters only name activity columns).
macro_rules! apply_filters {
    ($q:expr, $f:expr, $sqlite:expr, $walk:expr, $terms:expr) => {{
        let mut q = $q;
        let f: &ActivityFilter = $f;
        let text = TextQuery::of(&f.text, $sqlite, $terms);
        for set in text.term_sets {
            q = q.filter(
                activities::id.eq_any(
                    activity_terms::table
                        .filter(
                            diesel::dsl::sql::<diesel::sql_types::Bool>(
                                "activity_terms.terms && string_to_array(",
                            )
                            .bind::<diesel::sql_types::Text, _>(set)
                            .sql(", ' ')"),
                        )
                        .select(activity_terms::rowid),
                ),
            );
        }
        // Each FTS5 index's MATCH (SQLite): the word index, then the trigram index. With
        // `+id`, not a column SQLite looks rows up by, it walks the list's order (an index)
        // testing each id against the matches and stops after a page, instead of reading
        // every match to sort them.
        let column = match $walk {
            Walk::InOrder => "+activities.id",
            Walk::Matches => "activities.id",
        };
        for (m, table) in [
            (text.words_match, "activity_words"),
            (text.fts_match, "activity_search"),
        ] {
            if let Some(m) = m {
                q = q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                        "{column} IN (SELECT rowid FROM {table} WHERE {table} MATCH "
                    ))
                    .bind::<diesel::sql_types::Text, _>(m)
                    .sql(")"),
                );
            }
        }
        for word in text.likes {
            let found = activity_search::table.select(activity_search::rowid);
            q = match word {
                WordPattern::Plain(p) => {
                    q.filter(activities::id.eq_any(found.filter(activity_search::words.like(p))))
                }
                WordPattern::Escaped(p) => q.filter(
                    activities::id
                        .eq_any(found.filter(activity_search::words.like(p).escape('\\'))),
                ),
            };
        }
        if let Some(o) = f.organisation {
            q = q.filter(activities::organisation_id.eq(o.0));
        }
        if let Some(r) = f.role {
            q = q.filter(activities::role.eq(r.code()));
        }
        if f.incomplete {
            q = q.filter(incomplete());
        }
        q = match f.status {
            StatusFilter::Current => q.filter(activities::status.ne(Status::Retired.code())),
            StatusFilter::Only(s) => q.filter(activities::status.eq(s.code())),
            StatusFilter::All => q,
        };
        if let Some(b) = f.lawful_basis {
            q = q.filter(
                activities::id.eq_any(
                    purpose_bases::table
                        .filter(purpose_bases::basis.eq(b.code()))
                        .select(purpose_bases::activity_id),
                ),
            );
        }
        if let Some(c) = f.data_category {
            q = q.filter(
                activities::id.eq_any(
                    activity_data_categories::table
                        .filter(activity_data_categories::data_category_id.eq(c.0))
                        .select(activity_data_categories::activity_id),
                ),
            );
        }
        if let Some(s) = f.subject {
            q = q.filter(
                activities::id.eq_any(
                    activity_subjects::table
                        .filter(activity_subjects::subject_category_id.eq(s.0))
                        .select(activity_subjects::activity_id),
                ),
            );
        }
        if let Some(m) = f.measure {
            q = q.filter(
                activities::id.eq_any(
                    activity_measures::table
                        .filter(activity_measures::security_measure_id.eq(m.0))
                        .select(activity_measures::activity_id),
                ),
            );
        }
        if let Some(c) = f.destination {
            q = q.filter(
                activities::id.eq_any(
                    transfers::table
                        .filter(transfers::destination_country.eq(c.code()))
                        .select(transfers::activity_id),
                ),
            );
        }
        if let Some(d) = f.review_from {
            q = q.filter(activities::next_review.ge(d));
        }
        if let Some(d) = f.review_before {
            q = q.filter(activities::next_review.lt(d));
        }
        if let Some(p) = f.party {
            q = q.filter(
                activities::id
                    .eq_any(
                        recipients::table
                            .filter(recipients::party_id.eq(p.0))
                            .select(recipients::activity_id),
                    )
                    .or(activities::id.eq_any(
                        joint_controllers::table
                            .filter(joint_controllers::party_id.eq(p.0))
                            .select(joint_controllers::activity_id),
                    ))
                    .or(activities::id.eq_any(
                        represented_controllers::table
                            .filter(represented_controllers::party_id.eq(p.0))
                            .select(represented_controllers::activity_id),
                    ))
                    .or(activities::id.eq_any(
                        transfers::table
                            .filter(transfers::party_id.eq(p.0))
                            .select(transfers::activity_id),
                    )),
            );
        }
        q
    }};
}

/// How SQLite is to find the first page of a text search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Read the matching activities and sort them: for few matches, or where the order has
    /// no index (or on PostgreSQL, whose planner chooses by its statistics).
    Matches,
    /// Walk the activities in the list's order (by reference, indexed) and keep those that
    /// match until the page is full: for many matches, where a page is found long before the
    /// end (990 matches of 10,000: 2.4 ms against 5.7 ms).
    InOrder,
}

/// Matches beyond which the first page of a search by reference walks the list in order.
const WALK_IN_ORDER_FROM: i64 = 200;

/// The activities matching `f`, joined with their organisation (for its name). `conn` only
/// tells the backend, whose text index answers different patterns.
fn filtered(
    conn: &DbConnection,
    f: &ActivityFilter,
    walk: Walk,
    terms: Option<&SearchTerms>,
) -> FilteredQuery {
    apply_filters!(
        activities::table
            .inner_join(organisations::table)
            .into_boxed::<Backend>(),
        f,
        matches!(conn, DbConnection::Sqlite(_)),
        walk,
        terms
    )
}

/// The activities matching `f`, without the join: what the count and the page's ids need.
fn filtered_alone(
    conn: &DbConnection,
    f: &ActivityFilter,
    terms: Option<&SearchTerms>,
) -> AloneQuery {
    apply_filters!(
        activities::table.into_boxed::<Backend>(),
        f,
        matches!(conn, DbConnection::Sqlite(_)),
        Walk::Matches,
        terms
    )
}

/// Searches the register: a count, one page of rows, and their completeness in a fixed number of queries.
pub fn search(conn: &mut DbConnection, f: &ActivityFilter) -> StoreResult<Page<ActivitySummary>> {
    let total = count(conn, f, None)?;
    search_counted(conn, f, total, None)
}

/// Number of activities matching `f` (all pages), searching with the register's indexed
/// `terms` where they are known (the same activities are found without).
pub fn count(
    conn: &mut DbConnection,
    f: &ActivityFilter,
    terms: Option<&SearchTerms>,
) -> StoreResult<i64> {
    Ok(filtered_alone(&*conn, f, terms).count().get_result(conn)?)
}

/// One page of the list when the number of matching activities is already known (`terms`
/// as for [`count`]).
pub fn search_counted(
    conn: &mut DbConnection,
    f: &ActivityFilter,
    total: i64,
    terms: Option<&SearchTerms>,
) -> StoreResult<Page<ActivitySummary>> {
    let per_page = f.per_page.clamp(1, 500);
    let page = f.page.max(1);
    let offset = (page - 1) * per_page;
    macro_rules! ordered {
        ($q:expr, $col:expr, $desc:expr) => {
            if $desc {
                $q.order($col.desc())
            } else {
                $q.order($col.asc())
            }
        };
    }
    macro_rules! sorted {
        ($q:expr) => {{
            let desc = f.descending;
            match f.sort {
                SortKey::Reference => ordered!($q, activities::reference, desc),
                SortKey::Name => ordered!($q, activities::name, desc),
                SortKey::Organisation => ordered!($q, organisations::name, desc),
                SortKey::Status => ordered!($q, activities::status, desc),
                SortKey::Updated => ordered!($q, activities::updated_at, desc),
                SortKey::NextReview => ordered!($q, activities::next_review, desc),
            }
            .then_order_by(activities::id.asc())
        }};
    }
    let columns = (
        activities::id,
        activities::reference,
        activities::name,
        organisations::name,
        activities::role,
        activities::status,
        activities::business_function,
        activities::next_review,
        activities::updated_at,
        activities::gaps,
    );
    let rows: Vec<SummaryRowTuple> = if offset == 0 {
        // The first page: one query that stops after `per_page` rows.
        let walk = if matches!(conn, DbConnection::Sqlite(_))
            && f.sort == SortKey::Reference
            && total >= WALK_IN_ORDER_FROM
        {
            Walk::InOrder
        } else {
            Walk::Matches
        };
        sorted!(filtered(conn, f, walk, terms))
            .limit(per_page)
            .select(columns)
            .load(conn)?
    } else {
        // A later page: first its ids, which a backend can read from the list's index alone
        // (skipping index entries, not whole rows: PostgreSQL otherwise fetches every skipped
        // row), then the rows of those ids, put back in that order.
        let ids: Vec<i64> = if f.sort == SortKey::Organisation {
            sorted!(filtered(conn, f, Walk::Matches, terms))
                .limit(per_page)
                .offset(offset)
                .select(activities::id)
                .load(conn)?
        } else {
            // Without the join: nothing to look up for the rows skipped.
            let q = filtered_alone(conn, f, terms);
            let desc = f.descending;
            match f.sort {
                SortKey::Name => ordered!(q, activities::name, desc),
                SortKey::Status => ordered!(q, activities::status, desc),
                SortKey::Updated => ordered!(q, activities::updated_at, desc),
                SortKey::NextReview => ordered!(q, activities::next_review, desc),
                SortKey::Reference | SortKey::Organisation => {
                    ordered!(q, activities::reference, desc)
                }
            }
            .then_order_by(activities::id.asc())
            .limit(per_page)
            .offset(offset)
            .select(activities::id)
            .load(conn)?
        };
        let mut rows: Vec<SummaryRowTuple> = activities::table
            .inner_join(organisations::table)
            .filter(activities::id.eq_any(&ids))
            .select(columns)
            .load(conn)?;
        let position: HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| position.get(&r.0).copied().unwrap_or(usize::MAX));
        rows
    };
    let mut out = Vec::with_capacity(rows.len());
    for (
        id,
        reference,
        name,
        organisation,
        role,
        status,
        business_function,
        next_review,
        updated_at,
        stored_gaps,
    ) in rows
    {
        let role = code("role", &role, Role::from_code)?;
        let gaps = match stored_gaps {
            Some(stored) => code("gaps", &stored, Gap::decode)?,
            // Not computed yet (written by an older version still running): computed here.
            None => {
                refresh_gaps(conn, GapScope::Ids(&[id]))?;
                let stored: Option<String> = activities::table
                    .find(id)
                    .select(activities::gaps)
                    .first(conn)?;
                code("gaps", stored.as_deref().unwrap_or(""), Gap::decode)?
            }
        };
        out.push(ActivitySummary {
            id,
            reference,
            name,
            organisation,
            role,
            status: code("status", &status, Status::from_code)?,
            business_function,
            next_review,
            updated_at,
            gaps,
        });
    }
    Ok(Page {
        rows: out,
        total,
        page,
        per_page,
    })
}

/// Number of activities per status, for the start page.
pub fn status_counts(conn: &mut DbConnection) -> StoreResult<Vec<(String, i64)>> {
    Ok(activities::table
        .group_by(activities::status)
        .select((activities::status, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The destination countries transfers go to (codes, each once): what the list's destination
/// filter offers.
pub fn destinations_in_use(conn: &mut DbConnection) -> StoreResult<Vec<String>> {
    Ok(transfers::table
        .filter(transfers::destination_country.is_not_null())
        .select(transfers::destination_country.assume_not_null())
        .distinct()
        .order(transfers::destination_country.assume_not_null().asc())
        .load(conn)?)
}

/// The organisations with activities (of any status) in `role`, by id.
pub fn organisations_with_role(conn: &mut DbConnection, role: Role) -> StoreResult<Vec<i64>> {
    Ok(activities::table
        .filter(activities::role.eq(role.code()))
        .select(activities::organisation_id)
        .distinct()
        .load(conn)?)
}

/// Active activities per organisation id and role code: what each organisation's records
/// for a supervisory authority hold.
pub fn active_by_organisation_and_role(
    conn: &mut DbConnection,
) -> StoreResult<Vec<(i64, String, i64)>> {
    Ok(activities::table
        .filter(activities::status.eq(Status::Active.code()))
        .group_by((activities::organisation_id, activities::role))
        .select((
            activities::organisation_id,
            activities::role,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// Activities whose next review date is on or before `date` (not retired), soonest first.
pub fn reviews_due(
    conn: &mut DbConnection,
    date: NaiveDate,
    limit: i64,
) -> StoreResult<Vec<(i64, String, String, NaiveDate)>> {
    let rows: Vec<(i64, String, String, Option<NaiveDate>)> = activities::table
        .filter(activities::status.ne(Status::Retired.code()))
        .filter(activities::next_review.le(date))
        .order(activities::next_review.asc())
        .limit(limit)
        .select((
            activities::id,
            activities::reference,
            activities::name,
            activities::next_review,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(i, r, n, d)| Some((i, r, n, d?)))
        .collect())
}

/// Ids of every activity matching `f` (ignoring its page), by organisation name and reference.
pub fn matching_ids(conn: &mut DbConnection, f: &ActivityFilter) -> StoreResult<Vec<i64>> {
    Ok(filtered(&*conn, f, Walk::Matches, None)
        .order((organisations::name.asc(), activities::reference.asc()))
        .select(activities::id)
        .load(conn)?)
}

/// Id and organisation id of every activity matching `f` (ignoring its page), in the order of
/// [`matching_ids`].
pub fn matching_ids_and_organisations(
    conn: &mut DbConnection,
    f: &ActivityFilter,
) -> StoreResult<Vec<(i64, i64)>> {
    Ok(filtered(&*conn, f, Walk::Matches, None)
        .order((organisations::name.asc(), activities::reference.asc()))
        .select((activities::id, activities::organisation_id))
        .load(conn)?)
}
