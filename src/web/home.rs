//! The start page: the state of the register at a glance.
//!
//! Uses `domain::user`, `store`, `web::{auth, errors, page, page_cache}`.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{db, Layout};
use super::page_cache::kept_page;
use super::AppState;
use crate::domain::user::Permission;
use crate::store::DbConnection;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    organisations: usize,
    draft: i64,
    active: i64,
    retired: i64,
    incomplete: usize,
    reviews_due: Vec<(i64, String, String, chrono::NaiveDate)>,
    today: chrono::NaiveDate,
    /// Each organisation's records to download, offered to every role.
    records: Vec<crate::store::revision_cache::OrganisationRecords>,
}

impl HomePage {
    fn overdue(&self, date: &chrono::NaiveDate) -> bool {
        *date < self.today
    }
}

/// `GET /`.
pub async fn index(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let cache = state.cache.clone();
    // The date is taken after the kept page's stamp (in `kept_page`), so a page rendered
    // across midnight is kept under the earlier day, never the later one.
    let load = move |c: &mut DbConnection| {
        let today = chrono::Utc::now().date_naive();
        Ok((cache.summary(c, today + chrono::Days::new(30))?, today))
    };
    kept_page(&req, &state, layout, load, |(summary, today), layout| {
        let count = |s: &str| {
            summary
                .statuses
                .iter()
                .find(|(k, _)| k == s)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        HomePage {
            layout,
            organisations: summary.organisations,
            draft: count("draft"),
            active: count("active"),
            retired: count("retired"),
            incomplete: summary.incomplete,
            reviews_due: summary.reviews_due,
            today,
            records: summary.records,
        }
    })
    .await
}

/// `GET /health`: answers when the server and the database are up.
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    db(&state, |c| {
        use diesel::connection::SimpleConnection;
        c.batch_execute("SELECT 1")?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Ok().content_type("text/plain").body("ok"))
}

/// Rows in the static benchmark page, like a page of the activities list.
const CEILING_ROWS: usize = 100;

/// `GET /health/page`: a static HTML page about the size of a page of the activities list,
/// built once and served without a session or the database. It is the ceiling the benchmarks
/// compare the real pages to (docs/benchmarks.md).
pub async fn health_page() -> HttpResponse {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let page = PAGE.get_or_init(|| {
        let mut html = String::from(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Static page</title>\
             <link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body><main><h1>Static page</h1>\
             <table class=\"list\"><thead><tr><th>Reference</th><th>Name</th><th>Organisation</th>\
             <th>Role</th><th>Status</th><th>Function</th><th>Next review</th><th>Missing</th></tr></thead><tbody>",
        );
        for i in 0..CEILING_ROWS {
            html.push_str(&format!(
                "<tr><td><a href=\"/activities/{i}\">REF-{i:05}</a></td>\
                 <td><a href=\"/activities/{i}\">Order handling for customers (online) number {i}</a></td>\
                 <td>Aurora Retail GmbH</td><td>Controller</td><td><span class=\"badge status-active\">Active</span></td>\
                 <td>Customer service</td><td>2026-06-01</td>\
                 <td><span class=\"gap\" title=\"Art. 30(1)(f) time limits for erasure\">complete</span></td></tr>"
            ));
        }
        html.push_str("</tbody></table></main></body></html>");
        html
    });
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.as_str())
}
