//! The browser UI: routes, middleware and the server.
//!
//! Every route is listed in [`routes`], so the whole surface is visible in one place.
//!
//! Uses `config`, `store::{pg_sessions, revision_cache}`.

pub mod acknowledgements;
pub mod activities;
pub mod activity_form;
pub mod activity_list;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod catalogues;
pub mod checks;
pub mod editable;
pub mod errors;
pub mod exports;
pub mod home;
pub mod organisations;
pub mod page;
pub mod page_cache;
pub mod parties;
pub mod session;
pub mod session_memo;
pub mod users;

use std::net::TcpListener;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpMessage, HttpServer};

use crate::store::Pool;
use errors::AppError;
use page::{new_token, CsrfToken, CSRF_COOKIE, FLASH_COOKIE};

/// What every handler can reach.
pub struct AppState {
    /// The database pool.
    pub pool: Pool,
    /// Session and cookie settings.
    pub settings: crate::config::WebSettings,
    /// What the list and the start page read, kept while the register is unchanged.
    pub cache: std::sync::Arc<crate::store::revision_cache::RevisionCache>,
    /// Whether the database is an SQLite file in this process (`store::is_embedded`).
    pub embedded: bool,
    /// Rendered pages of the current revision (`page_cache`).
    pub pages: page_cache::PageCache,
    /// Downloads of the register (PDF, CSV, JSON) made at once; more wait for a free slot
    /// only briefly, then get a "busy, retry" answer, so saves keep their share of the machine.
    pub export_slots: std::sync::Arc<tokio::sync::Semaphore>,
    /// Sessions read within the last second, on an embedded database (`session_memo`).
    pub sessions: session_memo::SessionMemo,
}

/// Every route of the application.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::index))
        .route("/health", web::get().to(home::health))
        .route("/health/page", web::get().to(home::health_page))
        .route("/assets/{file}", web::get().to(assets::serve))
        .route("/export.{format}", web::get().to(exports::download))
        // Accounts
        .route("/login", web::get().to(auth::login_form))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/setup", web::get().to(auth::setup_form))
        .route("/setup", web::post().to(auth::setup))
        .route("/account", web::get().to(auth::account))
        .route("/account/password", web::post().to(auth::change_password))
        .route("/users", web::get().to(users::list))
        .route("/users", web::post().to(users::create))
        .route("/users/new", web::get().to(users::new))
        .route("/users/{id}", web::post().to(users::update))
        .route("/users/{id}/edit", web::get().to(users::edit))
        // Audit trail
        .route("/audit", web::get().to(audit::list))
        .route("/checks", web::get().to(checks::health))
        .route(
            "/activities/{id}/acknowledge",
            web::get().to(acknowledgements::form),
        )
        .route(
            "/activities/{id}/acknowledge",
            web::post().to(acknowledgements::acknowledge),
        )
        .route("/audit.csv", web::get().to(audit::download))
        // Activities
        .route("/activities", web::get().to(activity_list::list))
        .route("/activities", web::post().to(activities::create))
        .route("/activities/new", web::get().to(activities::new))
        .route("/activities/{id}", web::get().to(activities::show))
        .route("/activities/{id}", web::post().to(activities::update))
        .route("/activities/{id}/edit", web::get().to(activities::edit))
        .route("/activities/{id}/clone", web::get().to(activities::clone))
        .route(
            "/activities/{id}/retire",
            web::get().to(activities::retire_form),
        )
        .route(
            "/activities/{id}/status",
            web::post().to(activities::set_status),
        )
        // Organisations
        .route("/organisations", web::get().to(organisations::list))
        .route(
            "/organisations",
            web::post().to(editable::create::<organisations::Organisations>),
        )
        .route("/organisations/new", web::get().to(organisations::new))
        .route("/organisations/{id}", web::get().to(organisations::show))
        .route(
            "/organisations/{id}",
            web::post().to(editable::update::<organisations::Organisations>),
        )
        .route(
            "/organisations/{id}/edit",
            web::get().to(editable::edit::<organisations::Organisations>),
        )
        .route(
            "/organisations/{id}/delete",
            web::post().to(editable::delete::<organisations::Organisations>),
        )
        // Parties
        .route("/parties", web::get().to(parties::list))
        .route(
            "/parties",
            web::post().to(editable::create::<parties::Parties>),
        )
        .route("/parties/new", web::get().to(parties::new))
        .route("/parties/{id}", web::get().to(parties::show))
        .route(
            "/parties/{id}",
            web::post().to(editable::update::<parties::Parties>),
        )
        .route(
            "/parties/{id}/edit",
            web::get().to(editable::edit::<parties::Parties>),
        )
        .route(
            "/parties/{id}/delete",
            web::post().to(editable::delete::<parties::Parties>),
        )
        // Catalogues
        .route("/catalogues", web::get().to(catalogues::index))
        .route("/catalogues/{kind}", web::get().to(catalogues::list))
        .route("/catalogues/{kind}", web::post().to(catalogues::create))
        .route("/catalogues/{kind}/new", web::get().to(catalogues::new))
        .route(
            "/catalogues/{kind}/{id}",
            web::post().to(catalogues::update),
        )
        .route(
            "/catalogues/{kind}/{id}/edit",
            web::get().to(catalogues::edit),
        )
        .route(
            "/catalogues/{kind}/{id}/delete",
            web::post().to(catalogues::delete),
        );
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Sets the security headers, hands out the CSRF cookie, and clears a flash message once shown.
async fn chrome(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let existing = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()));
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (new_token(), true),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.secure_cookies);
    let had_flash = req.cookie(FLASH_COOKIE).is_some();
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages and downloads hold personal data and the user's CSRF token: no cache (the
    // browser's, a proxy's) keeps them. Only the static assets say otherwise.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let set_by_handler = res.response().cookies().any(|c| c.name() == CSRF_COOKIE);
    if fresh && !set_by_handler {
        res.response_mut()
            .add_cookie(&csrf_cookie(token))
            .map_err(actix_web::error::ErrorInternalServerError)?;
    }
    if had_flash && res.status() != actix_web::http::StatusCode::SEE_OTHER {
        let mut gone = Cookie::build(FLASH_COOKIE, "").path("/").finish();
        gone.make_removal();
        res.response_mut()
            .add_cookie(&gone)
            .map_err(actix_web::error::ErrorInternalServerError)?;
    }
    // Every cookie carries Secure whenever the session cookie does (behind TLS).
    if secure {
        let cookies: Vec<Cookie<'static>> = res
            .response()
            .cookies()
            .filter(|c| c.secure() != Some(true))
            .map(|c| c.into_owned())
            .collect();
        for mut cookie in cookies {
            res.response_mut().del_cookie(cookie.name());
            cookie.set_secure(true);
            res.response_mut()
                .add_cookie(&cookie)
                .map_err(actix_web::error::ErrorInternalServerError)?;
        }
    }
    Ok(res)
}

/// The CSRF cookie holding `token` (double submit: every form sends it back as a field).
pub fn csrf_cookie(token: String) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish()
}

async fn not_found(_user: auth::CurrentUser) -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Builds the server on a bound listener (port 0 in tests); `workers` 0 means one per core.
pub fn server(
    listener: TcpListener,
    pool: Pool,
    settings: crate::config::WebSettings,
    workers: usize,
) -> std::io::Result<Server> {
    let state = web::Data::new(AppState {
        embedded: crate::store::is_embedded(&pool),
        pool,
        pages: page_cache::PageCache::new(settings.page_cache_bytes),
        export_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(settings.export_slots)),
        settings,
        cache: Default::default(),
        sessions: Default::default(),
    });
    let postgres = crate::store::postgres_url(&state.pool);
    let mut server = HttpServer::new(move || {
        // Each worker reads sessions over its own asynchronous PostgreSQL connection.
        let sessions = postgres
            .as_deref()
            .and_then(crate::store::pg_sessions::PgSessions::new)
            .map(std::rc::Rc::new);
        App::new()
            .app_data(state.clone())
            .app_data(sessions)
            .app_data(web::FormConfig::default().limit(1 << 20))
            .app_data(web::PayloadConfig::default().limit(1 << 20))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                AppError::BadRequest(format!("The address has an invalid query: {e}")).into()
            }))
            .wrap(from_fn(auth::authenticate))
            .wrap(from_fn(chrome))
            .wrap(actix_web::middleware::Logger::new("%s %r %Dms").exclude("/health"))
            .configure(routes)
            .default_service(web::to(not_found))
    })
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}
