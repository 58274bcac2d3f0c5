//! Stylesheet, script and icon, served from the binary so nothing comes from a CDN.
//!
//! Uses `web::errors`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::errors::AppError;

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/favicon.svg"),
    ),
];

/// `GET /assets/{file}`.
pub async fn serve(file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, mime, bytes) = FILES
        .iter()
        .find(|(name, _, _)| *name == file.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *mime))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*bytes))
}
