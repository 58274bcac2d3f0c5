//! The audit trail: browse and filter it, check the chain, download it as CSV.
//!
//! Uses `domain::user`, `export::csv`, `store::audit`, `web::{auth, errors, page}`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{db, ok, Layout, NotCrossSite};
use super::AppState;
use crate::domain::user::Permission;
use crate::store::audit::{self, AuditFilter, AuditRow, Change, Verdict};

const PER_PAGE: i64 = 100;

/// The highest page number asked for that is answered (with checked arithmetic below it).
const MAX_PAGE: i64 = 1_000_000;

#[derive(Template)]
#[template(path = "audit/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<AuditRow>,
    total: i64,
    page: i64,
    query: Vec<(String, String)>,
    verdict: Option<Verdict>,
}

impl ListPage {
    /// A record type in words.
    fn record_type(&self, code: &str) -> String {
        words(RECORD_TYPES, code)
    }

    /// An action in words.
    fn action_words(&self, code: &str) -> String {
        words(ACTIONS, code)
    }

    /// The record types to filter by.
    fn record_types(&self) -> &'static [(&'static str, &'static str)] {
        RECORD_TYPES
    }

    /// The actions to filter by.
    fn actions(&self) -> &'static [(&'static str, &'static str)] {
        ACTIONS
    }

    fn value(&self, key: &str) -> &str {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn pages(&self) -> i64 {
        ((self.total + PER_PAGE - 1) / PER_PAGE).max(1)
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
            "/audit?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }

    fn csv_url(&self) -> String {
        let q: Vec<(String, String)> = self
            .query
            .iter()
            .filter(|(k, v)| k != "page" && !v.is_empty())
            .cloned()
            .collect();
        format!(
            "/audit.csv?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    }
}

/// The kinds of record the trail names, in words.
const RECORD_TYPES: &[(&str, &str)] = &[
    ("activity", "Processing activity"),
    ("organisation", "Organisation"),
    ("party", "Party"),
    ("data_category", "Personal-data category"),
    ("subject_category", "Data-subject category"),
    ("security_measure", "Security measure"),
    ("user", "Account"),
    ("session", "Sign-in"),
    ("export", "Download"),
    ("register", "Whole register"),
    ("finding", "Finding of the register checks"),
    ("audit_trail", "Audit trail"),
];

/// The actions the trail records, in words.
const ACTIONS: &[(&str, &str)] = &[
    ("create", "Created"),
    ("update", "Changed"),
    ("delete", "Deleted"),
    ("retire", "Retired"),
    ("activate", "Reactivated"),
    ("set_draft", "Set back to draft"),
    ("acknowledge", "Acknowledged"),
    ("import", "Imported"),
    ("demo", "Demo loaded"),
    ("export", "Downloaded"),
    ("login", "Signed in"),
    ("logout", "Signed out"),
    ("login_failed", "Sign-in failed"),
    ("login_locked", "Account locked after failed sign-ins"),
    ("login_slowed", "Sign-ins from an address slowed"),
    ("password_changed", "Password changed"),
    ("verify", "Chain verified"),
];

/// The words for `code` in `table`, or the code itself.
fn words(table: &'static [(&'static str, &'static str)], code: &str) -> String {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.replace('_', " "), |(_, w)| (*w).to_owned())
}

/// A day (`YYYY-MM-DD`) of the date filters, naming the filter when it is not one.
fn day(name: &str, v: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .filter(|d| crate::domain::text::date_in_range(*d))
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "Filter `{name}` must be a date written YYYY-MM-DD, like 2026-12-31."
            ))
        })
}

fn filter(query: &[(String, String)]) -> Result<AuditFilter, AppError> {
    super::page::plain_query(query)?;
    let mut f = AuditFilter {
        limit: PER_PAGE,
        hide_sessions: true,
        ..Default::default()
    };
    for (k, v) in query {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "entity" => f.entity_type = Some(v.chars().take(40).collect()),
            "id" => {
                f.entity_id =
                    Some(v.parse().map_err(|_| {
                        AppError::BadRequest("Filter `id` must be a number.".into())
                    })?)
            }
            "action" => f.action = Some(v.chars().take(40).collect()),
            "user" => f.user = Some(v.chars().take(200).collect()),
            "from" => f.from = day("from", v)?.and_hms_opt(0, 0, 0),
            // The whole of the last day.
            "to" => {
                f.until = day("to", v)?
                    .succ_opt()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            }
            "signins" => f.hide_sessions = false,
            "page" => {
                let bad = || {
                    AppError::BadRequest(format!(
                        "Filter `page` must be a page number from 1 to {MAX_PAGE}."
                    ))
                };
                let page: i64 = v
                    .parse()
                    .ok()
                    .filter(|p| (1..=MAX_PAGE).contains(p))
                    .ok_or_else(bad)?;
                f.offset = (page - 1).checked_mul(PER_PAGE).ok_or_else(bad)?;
            }
            _ => {}
        }
    }
    // Asking for sign-ins, an action or one record shows them.
    if f.entity_type.as_deref() == Some("session") || f.action.is_some() || f.entity_id.is_some() {
        f.hide_sessions = false;
    }
    Ok(f)
}

/// `GET /audit`: the trail, newest first, with the chain's verdict.
pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    user: CurrentUser,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::ReadAudit)?;
    let query = query.into_inner();
    let f = filter(&query)?;
    let page = f.offset / PER_PAGE + 1;
    let (rows, total, verdict) = db(&state, move |c| {
        let (rows, total) = audit::list(c, &f)?;
        Ok((rows, total, Some(audit::verify(c)?)))
    })
    .await?;
    ok(&ListPage {
        layout: layout.at("audit"),
        rows,
        total,
        page,
        query,
        verdict,
    })
}

/// `GET /audit.csv`: the filtered trail as CSV, values before and after included.
pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    _not_cross_site: NotCrossSite,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::ReadAudit)?;
    let mut f = filter(&query)?;
    // The download is the trail for the filters chosen, sign-ins included.
    f.hide_sessions = false;
    f.limit = 100_000;
    f.offset = 0;
    let actor = user.actor();
    let rows = db(&state, move |c| {
        let (rows, _) = audit::list(c, &f)?;
        audit::event(
            c,
            &actor,
            Change::event(
                "export",
                "audit_trail",
                None,
                &format!("audit trail CSV, {} entries", rows.len()),
            ),
        )?;
        Ok(rows)
    })
    .await?;
    let mut w = crate::export::csv::CsvWriter::new(Vec::new(), false)
        .map_err(|e| AppError::Internal(e.into()))?;
    w.raw_row(&[
        "Entry",
        "Time (UTC)",
        "User",
        "Action",
        "Record type",
        "Record id",
        "Record",
        "Before",
        "After",
        "Previous hash",
        "Hash",
    ])
    .map_err(|e| AppError::Internal(e.into()))?;
    for r in rows {
        w.raw_row(&[
            &r.seq.to_string(),
            &r.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            &r.user_email,
            &r.action,
            &r.entity_type,
            &r.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            &r.entity_label,
            &r.before_value,
            &r.after_value,
            &r.prev_hash,
            &r.hash,
        ])
        .map_err(|e| AppError::Internal(e.into()))?;
    }
    let body = w.finish().map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"ropa-audit-trail.csv\"",
        ))
        .body(body))
}
