//! Accepting a finding of the register checks with a reason: the form, and its answer.
//!
//! Uses `domain::checks`, `store::{acknowledgements, activities, checks}`,
//! `web::{auth, errors, page}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{db, path_id, redirect_with, render, CheckedForm, Layout};
use super::AppState;
use crate::domain::checks::{AcknowledgementDraft, AcknowledgementForm, Finding};
use crate::domain::errors::FieldErrors;
use crate::domain::user::Permission;
use crate::domain::vocab::Status;
use crate::domain::ActivityId;
use crate::store::activities::ActivityDetail;

#[derive(Template)]
#[template(path = "activities/acknowledge.html")]
struct AcknowledgePage {
    layout: Layout,
    a: ActivityDetail,
    finding: Finding,
    form: AcknowledgementForm,
    errors: FieldErrors,
}

/// The page that accepts `finding` of activity `id` with a reason.
pub fn link(id: i64, finding: &Finding) -> String {
    let query = serde_urlencoded::to_string([
        ("rule", finding.rule.code),
        ("field", finding.hit.field.as_str()),
        ("detail", finding.hit.detail.as_str()),
    ])
    .unwrap_or_default();
    format!("/activities/{id}/acknowledge?{query}")
}

/// The activity and its finding that `form` names, as the checks find it today; 404 when the
/// rule no longer finds it (fixed meanwhile, or a forged link).
async fn finding_of(
    state: &web::Data<AppState>,
    id: ActivityId,
    form: &AcknowledgementForm,
) -> Result<(ActivityDetail, Finding), AppError> {
    let (rule, field, detail) = (form.rule.clone(), form.field.clone(), form.detail.clone());
    let (a, findings) = db(state, move |c| {
        let a = crate::store::activities::get(c, id)?;
        let findings =
            crate::store::checks::activity_findings(c, &a, chrono::Utc::now().date_naive())?;
        Ok((a, findings))
    })
    .await?;
    // Only an open finding of an activity in the register may be accepted (a retired
    // activity is not checked; an accepted finding is not accepted twice).
    if a.status == Status::Retired {
        return Err(AppError::NotFound);
    }
    let finding = findings
        .into_iter()
        .find(|f| {
            f.rule.code == rule.trim()
                && f.hit.field == field
                && f.hit.detail == detail
                && f.acknowledged.is_none()
        })
        .ok_or(AppError::NotFound)?;
    Ok((a, finding))
}

/// `GET /activities/{id}/acknowledge?rule=..&field=..&detail=..`: asks why the finding is
/// accepted, and until when.
pub async fn form(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    query: web::Query<AcknowledgementForm>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let form = query.into_inner();
    let (a, finding) = finding_of(&state, id, &form).await?;
    render(
        StatusCode::OK,
        &AcknowledgePage {
            layout: layout.at("activities"),
            a,
            finding,
            form,
            errors: FieldErrors::new(),
        },
    )
}

/// `POST /activities/{id}/acknowledge`: records the acknowledgement (audited), or shows the
/// form again with its errors.
pub async fn acknowledge(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let form: AcknowledgementForm = body.parse()?;
    let (a, finding) = finding_of(&state, id, &form).await?;
    let draft = match form.parse(chrono::Utc::now().date_naive()) {
        // Stored as the checks give the finding, so that it covers it exactly.
        Ok(d) => AcknowledgementDraft {
            field: finding.hit.field.clone(),
            detail: finding.hit.detail.clone(),
            ..d
        },
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AcknowledgePage {
                    layout: layout.at("activities"),
                    a,
                    finding,
                    form,
                    errors,
                },
            )
        }
    };
    let actor = user.actor();
    db(&state, move |c| {
        crate::store::acknowledgements::acknowledge(c, &actor, id, &draft)
    })
    .await?;
    Ok(redirect_with(
        &format!("/activities/{}", id.0),
        "Finding acknowledged: it stays on the page as accepted, with your reason.",
    ))
}
