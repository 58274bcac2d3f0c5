//! What every page shares: the layout data (flash message, CSRF token, active navigation),
//! the checked form extractor, rendering, redirects and database access from handlers.
//!
//! Uses `domain::user`, `store::users`, `web::{errors, session}`.

use std::future::{ready, Ready};

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use super::errors::AppError;
use super::session::{can, SessionUser};
use super::AppState;
use crate::store::{DbConnection, StoreResult};

/// Cookie holding the double-submit CSRF token.
pub const CSRF_COOKIE: &str = "ropa_csrf";
/// Form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
/// Cookie carrying a one-time flash message to the next page.
pub const FLASH_COOKIE: &str = "ropa_flash";

/// The CSRF token of this request, put in extensions by the middleware.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Data every page's layout needs.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Token every form carries.
    pub csrf: String,
    /// Message from the previous action.
    pub flash: Option<String>,
    /// Active navigation entry.
    pub nav: &'static str,
    /// The signed-in user, if any.
    pub user: Option<crate::store::users::User>,
    /// Whether the user may change the register (edit controls are shown only then).
    pub can_edit: bool,
    /// Whether the user may read the audit trail.
    pub can_audit: bool,
    /// Whether the user may manage accounts.
    pub can_admin: bool,
    /// The page answers a form posted (a form shown again holds input not saved yet).
    pub posted: bool,
}

impl Layout {
    /// The same layout with a navigation entry marked active.
    pub fn at(mut self, nav: &'static str) -> Self {
        self.nav = nav;
        self
    }
}

impl FromRequest for Layout {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let csrf = req
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let flash = req
            .cookie(FLASH_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
            .map(|v| urlencoding_decode(&v));
        let user = req
            .extensions()
            .get::<SessionUser>()
            .and_then(|s| s.0.clone());
        use crate::domain::user::Permission;
        let can = |p| can(&user, p);
        ready(Ok(Layout {
            csrf,
            flash,
            nav: "",
            can_edit: can(Permission::Edit),
            can_audit: can(Permission::ReadAudit),
            can_admin: can(Permission::Administer),
            user,
            posted: req.method() == actix_web::http::Method::POST,
        }))
    }
}

fn urlencoding_decode(v: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("m={v}"))
        .ok()
        .and_then(|mut p| p.pop())
        .map(|(_, m)| m)
        .unwrap_or_default()
}

/// Refuses a query string holding a control character (`domain::text`), naming the parameter:
/// no backend is handed what one of them cannot store or compare.
pub fn plain_query(query: &[(String, String)]) -> Result<(), AppError> {
    for (key, value) in query {
        if let Some(c) = crate::domain::text::forbidden_character(value, false) {
            return Err(AppError::BadRequest(format!(
                "Parameter `{}` holds the control character U+{:04X}, which is refused.",
                key.chars()
                    .filter(|c| !c.is_control())
                    .take(40)
                    .collect::<String>(),
                u32::from(c)
            )));
        }
    }
    Ok(())
}

/// Makes a fresh random token.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A url-encoded form body whose CSRF token and origin were checked.
///
/// Every state-changing handler takes this, so a forged cross-site request changes nothing.
#[derive(Debug)]
pub struct CheckedForm(pub Vec<(String, String)>);

impl CheckedForm {
    /// The first value of a field.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Deserializes the pairs into a flat form struct.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, AppError> {
        let encoded = serde_urlencoded::to_string(&self.0)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        serde_urlencoded::from_str(&encoded)
            .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))
    }
}

/// The browser's `Sec-Fetch-Site` says another site (or a sibling site) sent the request.
fn from_another_site(req: &HttpRequest) -> bool {
    req.headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| !matches!(site, "same-origin" | "none"))
}

/// A request that a browser did not send from another site: what a download that writes an
/// audit entry takes, so that another site's link or image cannot make a signed-in user's
/// browser export the register in their name. Opening it from ropa's own pages, a bookmark or
/// a typed address works; clients that send no `Sec-Fetch-Site` (scripts) pass.
pub struct NotCrossSite;

impl FromRequest for NotCrossSite {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(if from_another_site(req) {
            Err(AppError::Forbidden(
                "This download was asked for by another site and was refused. Open it from \
                 ropa's own pages."
                    .into(),
            ))
        } else {
            Ok(NotCrossSite)
        })
    }
}

/// Refuses requests that come from another site, by the browser's own headers.
fn check_origin(req: &HttpRequest) -> Result<(), AppError> {
    if from_another_site(req) {
        return Err(AppError::Forbidden(
            "This form was sent from another site and was refused. Nothing was changed.".into(),
        ));
    }
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        let public = req
            .app_data::<web::Data<AppState>>()
            .and_then(|s| s.settings.public_origin.clone());
        let refused = match public {
            // Configured: the one origin users reach ropa at, whatever Host a request names.
            Some(public) => crate::config::origin_of(origin).as_deref() != Some(public.as_str()),
            None => {
                let host = req.connection_info().host().to_owned();
                let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
                origin_host != host
            }
        };
        if origin == "null" || refused {
            return Err(AppError::Forbidden(
                "This form was sent from another origin and was refused. Nothing was changed."
                    .into(),
            ));
        }
    }
    Ok(())
}

impl FromRequest for CheckedForm {
    type Error = AppError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            check_origin(&req)?;
            let body = body
                .await
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            check_token(&req, &pairs)?;
            Ok(CheckedForm(pairs))
        })
    }
}

/// Refuses a form whose CSRF field does not match the cookie (double submit).
fn check_token(req: &HttpRequest, pairs: &[(String, String)]) -> Result<(), AppError> {
    let cookie = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let sent = pairs
        .iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    if cookie.is_empty() || sent.is_empty() || !constant_time_eq(cookie.as_bytes(), sent.as_bytes())
    {
        return Err(AppError::Forbidden(
            "The form's security token is missing or out of date. Go back, reload the page and try again. Nothing was changed.".into(),
        ));
    }
    Ok(())
}

/// Whether a form body read elsewhere (the session middleware keeping a form posted after the
/// session ended) passes the checks of [`CheckedForm`]: same origin, matching CSRF token.
pub fn form_checks(req: &HttpRequest, pairs: &[(String, String)]) -> bool {
    check_origin(req).is_ok() && check_token(req, pairs).is_ok()
}

/// The value of the submit button that asks to show a kept form again without saving it.
pub const RESUME: &str = "resume";

/// Shows a form posted back after signing in again (`action=resume`, see `auth`): true when
/// the handler should show the form with the input as posted, without saving, under a message
/// saying why.
pub fn resumed(layout: &mut Layout, form: &CheckedForm) -> bool {
    if form.get("action") != Some(RESUME) {
        return false;
    }
    layout.flash = Some(
        "Your session had expired, so these changes were not saved. They are all here: check them and save."
            .into(),
    );
    true
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Renders a page with a status.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Result<HttpResponse, AppError> {
    let body = page.render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Renders a page with 200 OK.
pub fn ok<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, page)
}

/// Post/redirect/get: 303 to `location` with a flash message for the next page.
pub fn redirect_with(location: &str, message: &str) -> HttpResponse {
    let encoded = serde_urlencoded::to_string([("m", message)])
        .map(|s| s.trim_start_matches("m=").to_owned())
        .unwrap_or_default();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .cookie(
            Cookie::build(FLASH_COOKIE, encoded)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .finish(),
        )
        .finish()
}

/// Runs store work on the blocking pool with a pooled connection.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    T: Send + 'static,
{
    Ok(db_raw(state, f).await??)
}

/// Like `db`, but hands store errors back for the handler to turn into field errors.
pub async fn db_raw<T, F>(state: &web::Data<AppState>, f: F) -> Result<StoreResult<T>, AppError>
where
    F: FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = state.pool.clone();
    Ok(web::block(move || -> StoreResult<T> {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?)
}

/// Parses an id from the path; anything else is a 404, not a 500.
pub fn path_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::NotFound)
}

/// Parses the `version` field of an edit form.
pub fn form_version(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| {
        AppError::BadRequest(
            "The form has no valid version field; reload the page and try again.".into(),
        )
    })
}

/// The fields where a saved record and a submitted form differ, for conflict pages:
/// (label, value saved meanwhile, value in the form).
pub fn differences(
    saved: &[(&'static str, String)],
    yours: &[(&'static str, String)],
) -> Vec<(&'static str, String, String)> {
    saved
        .iter()
        .zip(yours)
        .filter(|((_, a), (_, b))| a.trim() != b.trim())
        .map(|((label, a), (_, b))| (*label, a.trim().to_owned(), b.trim().to_owned()))
        .collect()
}
