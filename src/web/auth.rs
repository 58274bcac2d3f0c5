//! Who is asking: the session middleware, the signed-in user extractor, log-in, log-out and the
//! one-time set-up of the first administrator.
//!
//! Uses `domain::{errors, user}`, `store::{audit, pg_sessions, users}`, `web::{errors, page,
//! session}`.

use std::future::{ready, Ready};
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use askama::Template;

use super::errors::AppError;
use super::page::{db, form_checks, ok, redirect_with, render, CheckedForm, Layout};
use super::session::SessionUser;
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::user::{check_password, Permission, Role, UserForm};
use crate::store::audit::Actor;
use crate::store::pg_sessions::PgSessions;
use crate::store::users::{self, LoginOutcome, LoginStart, PasswordChange, User};

/// Cookie holding the session token.
pub const SESSION_COOKIE: &str = "ropa_session";

/// The register's revision and its history (the audit head as a number), read in the same
/// statement as the session (signed-in requests only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenRevision(pub i64, pub u64);

/// Resolves the session cookie to a user (shared by every instance through the database).
///
/// A form posted without a live session (it expired while the user was typing) is not lost:
/// when it is one of the register's edit forms and passes the form checks, the answer is the
/// log-in page carrying the input, and signing in leads back to the form with it (see
/// [`login`]).
pub async fn authenticate(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let path = req.path();
    let public = path.starts_with("/assets/") || path == "/health" || path == "/health/page";
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|t| !t.is_empty());
    let mut live = None;
    if let (false, Some(token), Some(state)) = (
        public,
        token,
        req.app_data::<web::Data<AppState>>().cloned(),
    ) {
        let peeked = match peek_inline(&state, &token) {
            Some(found) => Some(found),
            None => peek_async(&req, &token).await,
        };
        live = match peeked {
            Some(found) => found,
            None => {
                let idle = state.settings.session_idle;
                let pool = state.pool.clone();
                web::block(move || -> Result<_, crate::store::StoreError> {
                    let mut conn = pool.get()?;
                    users::session_user(&mut conn, &token, idle)
                })
                .await
                .map_err(actix_web::error::ErrorInternalServerError)?
                .map_err(|e| actix_web::error::ErrorInternalServerError(AppError::from(e)))?
            }
        };
    }
    match live {
        Some(users::LiveSession {
            user,
            revision,
            history,
        }) => {
            req.extensions_mut().insert(SeenRevision(revision, history));
            req.extensions_mut().insert(SessionUser(Some(user)));
        }
        None => {
            req.extensions_mut().insert(SessionUser(None));
            if !public && req.method() == actix_web::http::Method::POST && resumable(req.path()) {
                if let Some(page) = kept_form(&mut req).await {
                    return Ok(req.into_response(page).map_into_right_body());
                }
            }
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// The edit forms whose input is kept across signing in again: an activity, an organisation,
/// a party, a catalogue entry, new or saved. A path of this origin only: one leading `/`.
fn resumable(path: &str) -> bool {
    let id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["activities" | "organisations" | "parties"] | ["catalogues", _] => true,
        ["activities" | "organisations" | "parties", i] | ["catalogues", _, i] => id(i),
        _ => false,
    }
}

/// Largest form body kept across signing in again (the forms' own limit).
const KEPT_FORM_MAX: usize = 1 << 20;

/// The log-in page carrying a form posted after the session ended, if the body can be read
/// and passes the form checks (same origin, the CSRF token of this browser). Otherwise `None`:
/// the request goes on and is sent to the log-in page as any other.
async fn kept_form(req: &mut ServiceRequest) -> Option<HttpResponse> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > KEPT_FORM_MAX {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).ok()?;
    if !form_checks(req.request(), &pairs) {
        return None;
    }
    let carry = carried(&pairs)?;
    let layout = Layout::from_request(req.request(), &mut Payload::None)
        .into_inner()
        .ok()?;
    render(
        StatusCode::UNAUTHORIZED,
        &LoginPage {
            layout,
            email: String::new(),
            next: "/".into(),
            error: None,
            carry,
            resume: req.path().to_owned(),
        },
    )
    .ok()
}

/// The fields of a kept form, url-encoded, without its CSRF token and submit button.
fn carried(pairs: &[(String, String)]) -> Option<String> {
    serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(k, _)| k != super::page::CSRF_FIELD && k != "action")
            .collect::<Vec<_>>(),
    )
    .ok()
}

/// On an embedded (SQLite) database, reads the session on this thread when a connection is
/// free at once and nothing needs writing: a read of a few microseconds costs less than handing
/// it to the blocking pool. `None`: go the blocking way (PostgreSQL, no free connection, a
/// session due a write, or an error, which the blocking way then reports).
///
/// A session read here within the last second, with nothing written by this process since, is
/// taken from the memo without reading (`session_memo`).
fn peek_inline(state: &AppState, token: &str) -> Option<Option<users::LiveSession>> {
    if !state.embedded {
        return None;
    }
    let writes = crate::store::local_writes();
    let now = std::time::Instant::now();
    if let Some(live) = state.sessions.get(token, writes, now) {
        return Some(Some(live));
    }
    let mut conn = state.pool.try_get()?;
    match users::peek_session(&mut conn, token).ok()? {
        users::SessionPeek::None => {
            state.sessions.forget(token);
            Some(None)
        }
        users::SessionPeek::Live(live) => {
            state.sessions.keep(token, writes, now, &live);
            Some(Some(live))
        }
        users::SessionPeek::NeedsWrite => None,
    }
}

/// On PostgreSQL, reads the session over the worker's asynchronous connection
/// (`store::pg_sessions`). `None`: go the blocking way.
async fn peek_async(req: &ServiceRequest, token: &str) -> Option<Option<users::LiveSession>> {
    let sessions = req.app_data::<Option<Rc<PgSessions>>>()?.clone()?;
    match sessions.peek(token).await? {
        users::SessionPeek::None => Some(None),
        users::SessionPeek::Live(live) => Some(Some(live)),
        users::SessionPeek::NeedsWrite => None,
    }
}

/// A signed-in, active user; anonymous visitors are sent to the log-in page.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl CurrentUser {
    /// Refuses with 403 unless the user's role allows `p`.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.0.role.allows(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "Your role ({}) does not allow this. Nothing was changed.",
                self.0.role.label().to_lowercase()
            )))
        }
    }

    /// The actor recorded in the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::user(self.0.id, &self.0.email)
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user = req
            .extensions()
            .get::<SessionUser>()
            .and_then(|s| s.0.clone());
        ready(match user {
            Some(u) => Ok(CurrentUser(u)),
            None => {
                let target = req
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                Err(AppError::LoginRequired(target.to_owned()))
            }
        })
    }
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<String>,
    /// A form posted after the session ended, url-encoded (empty: none).
    carry: String,
    /// Where that form was posted.
    resume: String,
}

/// After signing in with a kept form: the form posted back to where it came from, to be shown
/// again with its input (`action=resume`); sent at once by the script, or by its button.
#[derive(Template)]
#[template(path = "auth/resume.html")]
struct ResumePage {
    layout: Layout,
    resume: String,
    fields: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    layout: Layout,
    form: UserForm,
    errors: FieldErrors,
}

/// Longest `next` path kept; a longer one goes to the start page.
const NEXT_MAX: usize = 2048;

/// Where to go after signing in: `next` if it is a path on this origin, else the start page.
///
/// A path starts with exactly one `/` and holds no backslash and no control character:
/// browsers drop tabs and line breaks from a URL, so `/<TAB>/evil.example` would become the
/// other host `//evil.example`, and a line break cannot stand in a `Location` header. Anything
/// outside visible ASCII (a space, a non-Latin letter) is percent-encoded, so the header is
/// always valid and names the same path.
fn safe_next(next: &str) -> String {
    let path_like = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= NEXT_MAX
        && !next.chars().any(|c| c == '\\' || c.is_control());
    if !path_like {
        return "/".into();
    }
    let mut out = String::with_capacity(next.len());
    for c in next.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn client_address(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let address = if trust_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    address.map_or_else(|| "unknown".into(), address_only)
}

/// The IP address of a peer or forwarded value (`1.2.3.4:5678`, `[2001:db8::1]:443`,
/// `2001:db8::1`), without its port; anything else (a forwarded value that is no address) is
/// kept as visible characters only, at most 64, so it can neither break a key nor the trail.
fn address_only(raw: &str) -> String {
    use std::net::{IpAddr, SocketAddr};
    let raw = raw.trim();
    if let Ok(socket) = raw.parse::<SocketAddr>() {
        return socket.ip().to_string();
    }
    if let Ok(ip) = raw
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return ip.to_string();
    }
    raw.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(64)
        .collect()
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .finish()
}

/// `GET /login`.
pub async fn login_form(
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if db(&state, users::count).await? == 0 {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/setup"))
            .finish());
    }
    let next = query
        .iter()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| safe_next(v))
        .unwrap_or_else(|| "/".into());
    ok(&LoginPage {
        layout,
        email: String::new(),
        next,
        error: None,
        carry: String::new(),
        resume: String::new(),
    })
}

/// `POST /login`: a new session (the old one, if any, is ended), throttled on failures.
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let email = body.get("email").unwrap_or_default().trim().to_owned();
    let password = body.get("password").unwrap_or_default().to_owned();
    let next = safe_next(body.get("next").unwrap_or("/"));
    // A kept form (see `authenticate`) goes through every answer until the user is signed in.
    let carry = body.get("carry").unwrap_or_default().to_owned();
    let resume = match body.get("resume") {
        Some(r) if resumable(r) && !carry.is_empty() => r.to_owned(),
        _ => String::new(),
    };
    let login_page = |layout: Layout, email: String, error: String| LoginPage {
        layout,
        email,
        next: next.clone(),
        error: Some(error),
        carry: carry.clone(),
        resume: resume.clone(),
    };
    if email.len() > users::EMAIL_MAX || password.len() > users::PASSWORD_MAX {
        let error = if email.len() > users::EMAIL_MAX {
            format!("An email is at most {} characters.", users::EMAIL_MAX)
        } else {
            format!("A password is at most {} characters.", users::PASSWORD_MAX)
        };
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &login_page(layout, String::new(), error),
        );
    }
    let address = client_address(&req, state.settings.trust_proxy);
    let old = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
    let e = email.clone();
    let start = db(&state, move |c| {
        if let Some(old) = old {
            users::end_session(c, &old)?;
        }
        users::start_login(c, &e, &address)
    })
    .await?;
    let outcome = match start {
        LoginStart::Locked(until) => LoginOutcome::Locked(until),
        LoginStart::Go(attempt) => {
            // The address's turn: attempts from an address that failed often wait, growing
            // apart, instead of being refused (see `store::throttle`).
            if !attempt.wait().is_zero() {
                actix_web::rt::time::sleep(attempt.wait()).await;
            }
            db(&state, move |c| users::finish_login(c, attempt, &password)).await?
        }
    };
    match outcome {
        LoginOutcome::Success { token, .. } => {
            // A fresh CSRF token with the new session: one planted before signing in is void.
            let csrf = super::page::new_token();
            let fields: Option<Vec<(String, String)>> = if resume.is_empty() {
                None
            } else {
                serde_urlencoded::from_str(&carry).ok()
            };
            let mut response = match fields {
                Some(fields) => {
                    let mut layout = layout;
                    layout.csrf = csrf.clone();
                    layout.flash = None;
                    ok(&ResumePage {
                        layout,
                        resume,
                        fields,
                    })?
                }
                None => redirect_with(&next, "Signed in."),
            };
            response.add_cookie(&session_cookie(&state, token)).map_err(|e| AppError::Internal(e.into()))?;
            response
                .add_cookie(&super::csrf_cookie(csrf))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(response)
        }
        LoginOutcome::Failed => {
            // Slow down guessing; the lock after repeated failures does the rest.
            actix_web::rt::time::sleep(std::time::Duration::from_millis(400)).await;
            render(
                StatusCode::UNAUTHORIZED,
                &login_page(layout, email, "The email or the password is wrong.".into()),
            )
        }
        LoginOutcome::Locked(until) => render(
            StatusCode::TOO_MANY_REQUESTS,
            &login_page(
                layout,
                email,
                format!(
                    "Too many failed attempts on this account. Signing in is locked until {} UTC; try again then or ask an administrator.",
                    until.format("%H:%M")
                ),
            ),
        ),
    }
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    _body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        let actor = user.actor();
        db(&state, move |c| users::logout(c, &token, &actor)).await?;
    }
    let mut response = redirect_with("/login", "Signed out.");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    response
        .add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(response)
}

/// `GET /setup`: only while no account exists.
pub async fn setup_form(
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    if db(&state, users::count).await? > 0 {
        return Err(AppError::NotFound);
    }
    ok(&SetupPage {
        layout,
        form: UserForm {
            role: Role::Admin.code().into(),
            ..Default::default()
        },
        errors: FieldErrors::new(),
    })
}

/// `POST /setup`: creates the first administrator and signs them in.
pub async fn setup(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let mut form: UserForm = body.parse()?;
    form.role = Role::Admin.code().into();
    let draft = match form.parse(true) {
        Ok(d) => d,
        Err(errors) => {
            form.password.clear();
            form.password_confirm.clear();
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SetupPage {
                    layout,
                    form,
                    errors,
                },
            );
        }
    };
    let password = form.password.clone();
    let address = client_address(&req, state.settings.trust_proxy);
    let outcome = db(&state, move |c| {
        // Refused if someone else completed the set-up meanwhile: checked in the insert's
        // transaction, so parallel set-ups create one administrator.
        if users::insert_first(c, &Actor::system("set-up page"), &draft, &password)?.is_none() {
            return Ok(None);
        }
        users::login(c, &draft.email, &password, &address).map(Some)
    })
    .await?;
    match outcome {
        Some(LoginOutcome::Success { token, .. }) => {
            let mut response = redirect_with("/", "Welcome. Your administrator account is ready.");
            response
                .add_cookie(&session_cookie(&state, token))
                .map_err(|e| AppError::Internal(e.into()))?;
            response
                .add_cookie(&super::csrf_cookie(super::page::new_token()))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(response)
        }
        _ => Err(AppError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    layout: Layout,
    errors: FieldErrors,
}

/// `GET /account`: change one's own password.
pub async fn account(layout: Layout, user: CurrentUser) -> Result<HttpResponse, AppError> {
    let _ = user;
    ok(&AccountPage {
        layout: layout.at("account"),
        errors: FieldErrors::new(),
    })
}

/// `POST /account/password`.
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: Layout,
    user: CurrentUser,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    let current = body.get("current_password").unwrap_or_default().to_owned();
    let new = body.get("password").unwrap_or_default().to_owned();
    let confirm = body.get("password_confirm").unwrap_or_default();
    let mut errors = FieldErrors::new();
    check_password(&mut errors, "password", &new, confirm);
    if !errors.is_empty() {
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &AccountPage {
                layout: layout.at("account"),
                errors,
            },
        );
    }
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let actor = user.actor();
    let id = user.0.id;
    let address = client_address(&req, state.settings.trust_proxy);
    let outcome = db(&state, move |c| {
        users::change_password(c, &actor, id, &current, &new, &token, &address)
    })
    .await?;
    let (status, message) = match outcome {
        PasswordChange::Changed => {
            return Ok(redirect_with(
                "/account",
                "Password changed. Your other sessions were signed out.",
            ))
        }
        PasswordChange::Wrong => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "The current password is wrong".to_owned(),
        ),
        PasswordChange::Locked(until) => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many wrong passwords: this account is locked until {} UTC",
                until.format("%H:%M")
            ),
        ),
    };
    errors.add("current_password", &message);
    render(
        status,
        &AccountPage {
            layout: layout.at("account"),
            errors,
        },
    )
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use reqwest::Url;

    use super::safe_next;

    /// Characters that have opened redirects elsewhere: slashes, backslashes, white space and
    /// control characters browsers strip, schemes, at signs, dots and percent signs.
    const TRICKY: &[&str] = &[
        "/",
        "\\",
        "\t",
        "\n",
        "\r",
        " ",
        "\u{0}",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{3000}",
        ":",
        "@",
        ".",
        "%",
        "%2f",
        "%5c",
        "%0a",
        "%09",
        "?",
        "#",
        "evil.example",
        "http:",
        "https:",
        "javascript:",
        "ł",
        "名",
        "\u{feff}",
        "\u{200b}",
    ];

    fn stays_on_this_origin(next: &str) {
        let base = Url::parse("https://ropa.example/login").expect("base");
        let target = safe_next(next);
        let url = base
            .join(&target)
            .unwrap_or_else(|e| panic!("{next:?} -> {target:?}: {e}"));
        assert_eq!(
            url.origin(),
            base.origin(),
            "{next:?} -> {target:?} -> {url}"
        );
        assert!(
            target.bytes().all(|b| b.is_ascii_graphic()),
            "{next:?} -> {target:?} is not a valid header value"
        );
    }

    #[test]
    fn every_next_value_resolves_to_a_path_on_the_same_origin() {
        for fixed in [
            "/\t/evil.example",
            "/\n/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "/%0Ax",
            "/\nx",
            "/activities?q=ł ó",
            "",
            "javascript:alert(1)",
        ] {
            stays_on_this_origin(fixed);
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(30);
        for _ in 0..20_000 {
            let len = rng.random_range(0..8);
            let next: String = (0..len)
                .map(|_| TRICKY[rng.random_range(0..TRICKY.len())])
                .collect();
            stays_on_this_origin(&next);
            stays_on_this_origin(&format!("/{next}"));
        }
    }

    #[test]
    fn client_addresses_lose_their_port_and_keep_their_whole_address() {
        use super::address_only;
        assert_eq!(address_only("203.0.113.7:51234"), "203.0.113.7");
        assert_eq!(address_only("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_only("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(address_only("2001:db8::1"), "2001:db8::1");
        assert_eq!(address_only("::1"), "::1");
        assert_eq!(address_only("unknown\t\u{0}x"), "unknownx");
    }

    #[test]
    fn only_the_register_s_edit_forms_on_this_origin_are_kept() {
        use super::resumable;
        for kept in [
            "/activities",
            "/activities/12",
            "/parties/3",
            "/organisations",
            "/catalogues/data-categories",
            "/catalogues/data-categories/7",
        ] {
            assert!(resumable(kept), "{kept}");
        }
        for not in [
            "//activities",
            "activities",
            "/activities/12/status",
            "/activities/new",
            "/users/1",
            "/login",
            "/parties/3/delete",
            "//evil.example/activities",
        ] {
            assert!(!resumable(not), "{not}");
        }
    }

    #[test]
    fn a_path_on_this_origin_is_kept() {
        assert_eq!(safe_next("/activities/3?x=1#a"), "/activities/3?x=1#a");
        assert_eq!(safe_next("/activities?q=ł"), "/activities?q=%C5%82");
        assert_eq!(safe_next("/\t/evil.example"), "/");
    }
}
