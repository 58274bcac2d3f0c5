//! The errors a handler can end with, and the pages they show.
//!
//! Uses `store`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::store::StoreError;

/// Why a request failed, as the user should learn it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// Not signed in: go to the log-in page, then back to this path.
    #[error("sign-in required for {0}")]
    LoginRequired(String),
    /// The request was refused (forged request, missing right).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request itself is malformed (bad query string, unreadable form).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The record changed meanwhile, or clashes with another.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Deleting is refused because activities use the record.
    #[error("{what} is used by {} activities", users.len())]
    InUse {
        /// What was to be deleted.
        what: String,
        /// The activities that use it: id, "reference name".
        users: Vec<(i64, String)>,
    },
    /// The server is at its limit for this kind of work; retry in a few seconds.
    #[error("busy: {0}")]
    Busy(String),
    /// Anything unexpected; the user sees a request id, the log the cause.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict(
                "This record was changed by someone else since you opened it. Reload it to see the current version.".into(),
            ),
            StoreError::InUse(users) => AppError::InUse { what: "This record".into(), users },
            StoreError::Duplicate { message, .. } => AppError::Conflict(message),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

/// The page shown for an error.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: String,
    users: &'a [(i64, String)],
    request_id: Option<String>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::LoginRequired(_) => StatusCode::SEE_OTHER,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::InUse { .. } => StatusCode::CONFLICT,
            AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::LoginRequired(next) = self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, format!("/login?{query}")))
                .finish();
        }
        let status = self.status_code();
        let empty: [(i64, String); 0] = [];
        let (title, message, users, request_id): (&str, String, &[(i64, String)], Option<String>) = match self {
            AppError::NotFound => ("Not found", "There is no such page or record. It may have been deleted.".into(), &empty, None),
            AppError::LoginRequired(_) => ("Sign in", "Please sign in.".into(), &empty, None),
            AppError::Forbidden(m) => ("Refused", m.clone(), &empty, None),
            AppError::BadRequest(m) => ("Bad request", m.clone(), &empty, None),
            AppError::Conflict(m) => ("Conflict", m.clone(), &empty, None),
            AppError::Busy(m) => ("Busy, try again", m.clone(), &empty, None),
            AppError::InUse { what, users } => (
                "Still in use",
                format!("{what} cannot be deleted because these activities use it. Change them first:"),
                users.as_slice(),
                None,
            ),
            AppError::Internal(e) => {
                let id = hex::encode(rand::random::<[u8; 6]>());
                tracing::error!(request_id = %id, error = ?e, "request failed");
                (
                    "Something went wrong",
                    "The request could not be completed and nothing was changed. If this happens again, give your administrator the request id below.".into(),
                    &empty,
                    Some(id),
                )
            }
        };
        let page = ErrorPage {
            status: status.as_u16(),
            title,
            message,
            users,
            request_id,
        };
        let body = page
            .render()
            .unwrap_or_else(|_| format!("{} {}", status.as_u16(), title));
        let mut response = HttpResponse::build(status);
        if matches!(self, AppError::Busy(_)) {
            response.insert_header((actix_web::http::header::RETRY_AFTER, "5"));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}
