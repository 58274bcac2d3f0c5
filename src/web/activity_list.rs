//! The list of processing activities: its filters from the query string (shared with the
//! downloads), sorting, paging, and the kept page.
//!
//! Uses `domain`, `store::activities`, `web::{auth, errors, page, page_cache}`.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::Layout;
use super::page_cache::kept_page;
use super::AppState;
use crate::domain::activity::Choices;
use crate::domain::user::Permission;
use crate::domain::vocab::{Country, LawfulBasis, Role, Sensitivity, Status};
use crate::domain::{DataCategoryId, OrganisationId};
use crate::store::activities::{ActivityFilter, ActivitySummary, Page, SortKey, StatusFilter};
use crate::store::DbConnection;

const PER_PAGE: i64 = 50;

/// The page sizes offered.
const PAGE_SIZES: [i64; 4] = [25, 50, 100, 200];

#[derive(Template)]
#[template(path = "activities/list.html")]
struct ListPage {
    layout: Layout,
    page: Page<ActivitySummary>,
    query: Vec<(String, String)>,
    filter: ActivityFilter,
    status_value: String,
    choices: Choices,
    countries: Vec<Country>,
    /// Whether the processor record is offered for download (processor activities exist in
    /// the organisation filtered, or in the register).
    processor_record: bool,
    bases: &'static [LawfulBasis],
}

impl ListPage {
    /// The page sizes to choose from.
    fn page_sizes(&self) -> [i64; 4] {
        PAGE_SIZES
    }

    fn value(&self, key: &str) -> &str {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn export_url(&self, ext: &str, role: &str) -> String {
        let mut q: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, v)| {
                !v.is_empty()
                    && matches!(
                        k.as_str(),
                        "q" | "organisation"
                            | "status"
                            | "basis"
                            | "category"
                            | "destination"
                            | "subject"
                            | "measure"
                            | "party"
                            | "review"
                    )
            })
            .cloned()
            .collect();
        if !role.is_empty() {
            q.push(("role".into(), role.into()));
        }
        format!(
            "/export.{ext}?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }

    fn page_url(&self, page: i64) -> String {
        let mut q: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, v)| k != "page" && !v.is_empty())
            .cloned()
            .collect();
        q.push(("page".into(), page.to_string()));
        format!(
            "/activities?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }

    fn sort_url(&self, key: &str) -> String {
        let descending = self.filter.sort.code() == key && !self.filter.descending;
        let mut q: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, v)| k != "sort" && k != "dir" && k != "page" && !v.is_empty())
            .cloned()
            .collect();
        q.push(("sort".into(), key.into()));
        if descending {
            q.push(("dir".into(), "desc".into()));
        }
        format!(
            "/activities?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }

    fn aria_sort(&self, key: &str) -> &'static str {
        if self.filter.sort.code() != key {
            "none"
        } else if self.filter.descending {
            "descending"
        } else {
            "ascending"
        }
    }

    fn first_row(&self) -> i64 {
        if self.page.total == 0 {
            0
        } else {
            (self.page.page - 1) * self.page.per_page + 1
        }
    }

    fn last_row(&self) -> i64 {
        ((self.page.page - 1) * self.page.per_page + self.page.rows.len() as i64).max(0)
    }

    fn is_filtered(&self) -> bool {
        self.query.iter().any(|(k, v)| {
            !v.is_empty() && !matches!(k.as_str(), "sort" | "dir" | "page" | "per_page")
        })
    }
}

fn bad(field: &str, message: &str) -> AppError {
    AppError::BadRequest(format!("Filter `{field}`: {message}"))
}

/// Reads the list's filters from the query string; a bad value names its field.
pub(crate) fn parse_filter(query: &[(String, String)]) -> Result<ActivityFilter, AppError> {
    super::page::plain_query(query)?;
    let mut f = ActivityFilter {
        per_page: PER_PAGE,
        page: 1,
        ..Default::default()
    };
    for (key, value) in query {
        let v = value.trim();
        if v.is_empty() {
            continue;
        }
        match key.as_str() {
            "q" => f.text = v.chars().take(200).collect(),
            "organisation" => {
                f.organisation = Some(
                    v.parse::<OrganisationId>()
                        .map_err(|_| bad("organisation", "must be an organisation id"))?,
                )
            }
            "role" => {
                f.role = Some(
                    Role::from_code(v)
                        .ok_or_else(|| bad("role", "must be controller or processor"))?,
                )
            }
            "status" => {
                f.status = match v {
                    "current" => StatusFilter::Current,
                    "all" => StatusFilter::All,
                    s => StatusFilter::Only(Status::from_code(s).ok_or_else(|| {
                        bad("status", "must be current, draft, active, retired or all")
                    })?),
                }
            }
            "basis" => {
                f.lawful_basis = Some(
                    LawfulBasis::from_code(v)
                        .ok_or_else(|| bad("basis", "must be an Art. 6(1) lawful basis code"))?,
                )
            }
            "category" => {
                f.data_category = Some(
                    v.parse::<DataCategoryId>()
                        .map_err(|_| bad("category", "must be a personal-data category id"))?,
                )
            }
            "missing" => {
                f.incomplete = match v {
                    "any" => true,
                    _ => return Err(bad("missing", "must be any (or left out)")),
                }
            }
            "destination" => {
                f.destination = Some(Country::parse(v).ok_or_else(|| {
                    bad("destination", "must be an ISO 3166-1 alpha-2 country code")
                })?)
            }
            "subject" => {
                f.subject = Some(
                    v.parse::<crate::domain::SubjectCategoryId>()
                        .map_err(|_| bad("subject", "must be a data-subject category id"))?,
                )
            }
            "measure" => {
                f.measure = Some(
                    v.parse::<crate::domain::MeasureId>()
                        .map_err(|_| bad("measure", "must be a security measure id"))?,
                )
            }
            "party" => {
                f.party = Some(
                    v.parse::<crate::domain::PartyId>()
                        .map_err(|_| bad("party", "must be a party id"))?,
                )
            }
            "sort" => {
                f.sort = SortKey::from_code(v).ok_or_else(|| {
                    bad(
                        "sort",
                        "must be reference, name, organisation, status, updated or next_review",
                    )
                })?
            }
            "dir" => {
                f.descending = match v {
                    "asc" => false,
                    "desc" => true,
                    _ => return Err(bad("dir", "must be asc or desc")),
                }
            }
            "review" => {
                // The day's date: kept pages are kept per day (`page_cache`).
                let today = chrono::Utc::now().date_naive();
                match v {
                    "overdue" => f.review_before = Some(today),
                    "due30" => {
                        f.review_from = Some(today);
                        f.review_before = Some(today + chrono::Days::new(31));
                    }
                    _ => return Err(bad("review", "must be overdue or due30")),
                }
            }
            "per_page" => {
                f.per_page = v
                    .parse::<i64>()
                    .ok()
                    .filter(|n| PAGE_SIZES.contains(n))
                    .ok_or_else(|| bad("per_page", "must be 25, 50, 100 or 200"))?
            }
            "page" => {
                f.page = v
                    .parse::<i64>()
                    .ok()
                    .filter(|p| (1..=1_000_000).contains(p))
                    .ok_or_else(|| bad("page", "must be a page number from 1"))?
            }
            _ => {}
        }
    }
    Ok(f)
}

/// `GET /activities`.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let query = query.into_inner();
    let filter = parse_filter(&query)?;
    let f = filter.clone();
    let cache = state.cache.clone();
    let load = move |c: &mut DbConnection| cache.search_with_choices(c, &f);
    kept_page(
        &req,
        &state,
        layout,
        load,
        |(page, choices, list), layout| {
            // The processor record is offered where there is one to download.
            let processor_record = match filter.organisation {
                Some(o) => list.processors.contains(&o.0),
                None => !list.processors.is_empty(),
            };
            // The destination filter offers the countries transfers go to, by name (and the
            // one asked for, should no transfer go there any more).
            let mut countries: Vec<Country> = list
                .destinations
                .iter()
                .filter_map(|c| Country::parse(c))
                .collect();
            if let Some(c) = filter.destination.filter(|c| !countries.contains(c)) {
                countries.push(c);
            }
            countries.sort_by_key(|c| c.name());
            let status_value = query
                .iter()
                .find(|(k, _)| k == "status")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            ListPage {
                layout: layout.at("activities"),
                page,
                query,
                filter,
                status_value,
                choices,
                countries,
                processor_record,
                bases: LawfulBasis::ALL,
            }
        },
    )
    .await
}
