//! Downloads: the record as PDF, CSV or JSON, for the list (honouring its filters), for one
//! activity, or for an organisation. `GET /export.{pdf|csv|json}?role=...&organisation=...`.
//!
//! Uses `domain::{user, vocab}`, `export::{csv, json, pdf}`, `store::{activities, audit,
//! organisations, records}`, `web::{activities, auth, errors, page}`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use futures_util::stream;

use super::activity_list::parse_filter;
use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{db, NotCrossSite};
use super::AppState;
use crate::domain::user::Permission;
use crate::domain::vocab::{Role, Status};
use crate::domain::ActivityId;
use crate::export::csv::CsvWriter;
use crate::export::{pdf, ExportError, FileName};
use crate::store::activities::StatusFilter;
use crate::store::now;
use crate::store::records::{self, Selection};
use tokio::sync::OwnedSemaphorePermit;

/// The file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Csv,
    Json,
}

fn value<'a>(query: &'a [(String, String)], key: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Describes a selection in words for the cover and the file.
pub fn describe(selection: &Selection, organisation_name: Option<&str>) -> String {
    if selection.activity.is_some() {
        return "One activity".into();
    }
    let f = &selection.filter;
    let mut parts = Vec::new();
    if !f.text.is_empty() {
        parts.push(format!("search \"{}\"", f.text));
    }
    if let Some(b) = f.lawful_basis {
        parts.push(format!("lawful basis {}", b.label()));
    }
    if f.data_category.is_some() {
        parts.push("one personal-data category".into());
    }
    if let Some(c) = f.destination {
        parts.push(format!("transfers to {}", c.name()));
    }
    let status = match f.status {
        StatusFilter::Current => "draft and active activities".to_owned(),
        StatusFilter::All => "all activities, retired included".to_owned(),
        StatusFilter::Only(s) => {
            format!("{} activities", s.label().to_lowercase())
        }
    };
    let whose = organisation_name
        .map(|n| format!(" of {n}"))
        .unwrap_or_default();
    if parts.is_empty() {
        format!("Register{whose}: {status}")
    } else {
        format!(
            "Register{whose}: {status}, filtered by {}",
            parts.join(", ")
        )
    }
}

/// `GET /export.{format}`.
pub async fn download(
    user: CurrentUser,
    _not_cross_site: NotCrossSite,
    state: web::Data<AppState>,
    format: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let format = match format.as_str() {
        "pdf" => Format::Pdf,
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => return Err(AppError::NotFound),
    };
    let query = query.into_inner();
    let role = match value(&query, "role") {
        None => Role::Controller,
        Some(r) => Role::from_code(r).ok_or_else(|| {
            AppError::BadRequest("Parameter `role` must be controller or processor.".into())
        })?,
    };
    let activity = match value(&query, "activity") {
        None => None,
        Some(v) => Some(ActivityId(v.parse().map_err(|_| {
            AppError::BadRequest("Parameter `activity` must be an activity id.".into())
        })?)),
    };
    let bom = matches!(value(&query, "bom"), Some("1" | "true" | "on"));
    let mut filter = parse_filter(&query)?;
    // The regulator's copy is the active register; drafts and retired activities only when
    // asked for (and then marked as such on their pages).
    if value(&query, "status").is_none() {
        filter.status = StatusFilter::Only(Status::Active);
    }
    let generated_at = now();
    let statuses = match filter.status {
        StatusFilter::Only(Status::Active) => None,
        StatusFilter::Only(s) => Some(s.code()),
        StatusFilter::Current => Some("current"),
        StatusFilter::All => Some("all"),
    };
    let filtered = !filter.text.is_empty()
        || filter.lawful_basis.is_some()
        || filter.data_category.is_some()
        || filter.destination.is_some()
        || filter.incomplete;
    let what = format!(
        "{} {} export: {}",
        match format {
            Format::Pdf => "PDF",
            Format::Csv => "CSV",
            Format::Json => "JSON",
        },
        role.code(),
        serde_urlencoded::to_string(&query).unwrap_or_default()
    );
    // A slot among the downloads made at once, held until the last byte is written.
    let slot = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        state.export_slots.clone().acquire_owned(),
    )
    .await
    .ok()
    .and_then(Result::ok)
    .ok_or_else(|| {
        AppError::Busy(
            "ropa is making other downloads of the register right now. Try again in a few \
             seconds."
                .into(),
        )
    })?;
    let actor = user.actor();
    db(&state, move |c| {
        crate::store::audit::event(
            c,
            &actor,
            crate::store::audit::Change::event("export", "export", None, &what),
        )
    })
    .await?;

    // What the download holds, for its name; an unknown activity or organisation is a 404 page
    // before anything is streamed.
    let (filter_organisation, activity_of) = {
        let (activity, organisation) = (activity, filter.organisation);
        db(&state, move |c| -> crate::store::StoreResult<_> {
            let filter_organisation = match organisation {
                Some(o) => Some(crate::store::organisations::get(c, o)?.name),
                None => None,
            };
            let activity_of = match activity {
                Some(id) => {
                    let a = crate::store::activities::get(c, id)?;
                    Some((a.organisation_name, a.reference))
                }
                None => None,
            };
            Ok((filter_organisation, activity_of))
        })
        .await?
    };
    // One activity's download is named for its organisation; otherwise the filter's.
    let organisation_name = activity_of
        .as_ref()
        .map(|(name, _)| name.clone())
        .or_else(|| filter_organisation.clone());
    let activity_reference = activity_of.map(|(_, reference)| reference);
    let file_name = |kind: &str, extension: &str| {
        FileName {
            organisation: organisation_name.as_deref(),
            kind,
            activity: activity_reference.as_deref(),
            filtered,
            statuses,
            date: generated_at.date(),
            extension,
        }
        .render()
    };

    if format == Format::Json {
        let organisation = filter.organisation;
        let rx = stream_json(state.pool.clone(), organisation, generated_at, slot);
        let body = stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
        });
        return Ok(attachment("application/json", &file_name("register", "json")).streaming(body));
    }

    let selection = Selection {
        role,
        activity,
        filter,
    };
    let kind = match role {
        Role::Controller => "controller-record",
        Role::Processor => "processor-record",
    };
    match format {
        Format::Pdf => {
            let scope = describe(&selection, filter_organisation.as_deref());
            // The activities are read a chunk at a time while the pages are laid out and
            // streamed.
            let rx = stream_pdf(state.pool.clone(), selection, scope, generated_at, slot);
            let body = stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|chunk| (chunk, rx))
            });
            Ok(attachment("application/pdf", &file_name(kind, "pdf")).streaming(body))
        }
        _ => {
            let rx = stream_csv(state.pool.clone(), selection, bom, slot);
            let body = stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|chunk| (chunk, rx))
            });
            Ok(attachment("text/csv; charset=utf-8", &file_name(kind, "csv")).streaming(body))
        }
    }
}

fn attachment(content_type: &str, filename: &str) -> actix_web::HttpResponseBuilder {
    let mut r = HttpResponse::Ok();
    r.insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    r
}

/// How long a download waits for a reader that stopped reading before it gives up.
const STALLED_READER: std::time::Duration = std::time::Duration::from_secs(120);

/// A writer that hands each flushed buffer to the response stream.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<web::Bytes, std::io::Error>>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut chunk = Ok(web::Bytes::from(std::mem::take(&mut self.buffer)));
        // A reader that stops reading gives its slot and connection back after a while.
        let deadline = std::time::Instant::now() + STALLED_READER;
        loop {
            match self.tx.try_send(chunk) {
                Ok(()) => return Ok(()),
                Err(tokio::sync::mpsc::error::TrySendError::Full(back))
                    if std::time::Instant::now() < deadline =>
                {
                    chunk = back;
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    ))
                }
                Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::BrokenPipe,
                        "the client went away",
                    ))
                }
            }
        }
    }
}

/// The receiving end of a download written on a blocking thread.
type Stream = tokio::sync::mpsc::Receiver<Result<web::Bytes, std::io::Error>>;

/// Runs `write` on a blocking thread with a writer to the response, holding the download's
/// slot until it ends; an error is logged (naming `what`) and ends the stream with it.
fn stream_blocking(
    what: &'static str,
    slot: OwnedSemaphorePermit,
    write: impl FnOnce(ChannelWriter) -> Result<(), ExportError> + Send + 'static,
) -> Stream {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let error_tx = tx.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let _slot = slot;
        let out = ChannelWriter {
            buffer: Vec::new(),
            tx,
        };
        if let Err(e) = write(out) {
            tracing::error!(error = %e, "{what} export failed while streaming");
            let _ = error_tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    rx
}

/// A pooled connection for a download's blocking thread.
fn connection(
    pool: &crate::store::Pool,
) -> Result<diesel::r2d2::PooledConnection<crate::store::Manager>, ExportError> {
    pool.get()
        .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
}

/// Writes the PDF on a blocking thread, reading its activities in one snapshot as it goes and
/// handing it to the response 64 KB at a time.
fn stream_pdf(
    pool: crate::store::Pool,
    selection: Selection,
    scope: String,
    generated_at: chrono::NaiveDateTime,
    slot: OwnedSemaphorePermit,
) -> Stream {
    stream_blocking("PDF", slot, move |mut out| {
        let mut conn = connection(&pool)?;
        records::in_snapshot(&mut conn, |conn| -> Result<(), ExportError> {
            let record = records::read_record(conn, &selection, scope, generated_at)?;
            pdf::write_pdf(&record, selection.role, &mut out)
        })
    })
}

/// Writes the CSV on a blocking thread, a chunk of activities at a time.
fn stream_csv(
    pool: crate::store::Pool,
    selection: Selection,
    bom: bool,
    slot: OwnedSemaphorePermit,
) -> Stream {
    stream_blocking("CSV", slot, move |out| {
        let mut conn = connection(&pool)?;
        records::in_snapshot(&mut conn, |conn| -> Result<(), ExportError> {
            let context = records::CheckContext::load(conn)?;
            let mut w =
                CsvWriter::new(out, bom)?.with_findings(context, chrono::Utc::now().date_naive());
            match selection.role {
                Role::Controller => w.controller_header()?,
                Role::Processor => w.processor_header()?,
            }
            records::for_each_activity(conn, &selection, |org, a| -> Result<(), ExportError> {
                match selection.role {
                    Role::Controller => w.controller_row(org, a),
                    Role::Processor => w.processor_row(org, a),
                }
            })?;
            let mut out = w.finish()?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        })
    })
}

/// Writes the register document as JSON on a blocking thread, its activities read a chunk at
/// a time as they are written (`records::StreamedDocument`).
fn stream_json(
    pool: crate::store::Pool,
    organisation: Option<crate::domain::OrganisationId>,
    generated_at: chrono::NaiveDateTime,
    slot: OwnedSemaphorePermit,
) -> Stream {
    stream_blocking("JSON", slot, move |mut out| {
        let mut conn = connection(&pool)?;
        records::in_snapshot(&mut conn, |conn| -> Result<(), ExportError> {
            let doc = records::streamed_document(conn, organisation, generated_at)?;
            crate::export::json::write(&doc, &mut out)?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        })
    })
}
