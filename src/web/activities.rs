//! Processing activities: the record page, the edit form with its nested lists, clone, retire
//! and reactivate. The list with its filters is `activity_list`.
//!
//! Uses `domain::{activity, completeness, errors, user, vocab}`, `store::{activities, audit,
//! organisations}`, `web::{auth, errors, page, page_cache}`.

use crate::domain::checks::Finding;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::activity_form::FormPage;
use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{
    db, db_raw, form_version, ok, path_id, redirect_with, render, resumed, CheckedForm, Layout,
};
use super::page_cache::kept_page;
use super::AppState;
use crate::domain::activity::{ActivityForm, Choices, PurposeRow, RowList};
use crate::domain::completeness::Gap;
use crate::domain::errors::FieldErrors;
use crate::domain::reference::adequacy_as_of;
use crate::domain::rights::{merge, ActivityRight, Entitlement};
use crate::domain::user::Permission;
use crate::domain::vocab::{
    AutomatedProcessing, Country, DpiaRequired, DpiaStatus, Role, Sensitivity, Status,
};
use crate::domain::{ActivityId, OrganisationId};
use crate::store::activities::{self as store, ActivityDetail};
use crate::store::organisations::{self as org_store, Organisation};
use crate::store::{DbConnection, StoreError};

#[derive(Template)]
#[template(path = "activities/show.html")]
struct ShowPage {
    layout: Layout,
    history: Vec<crate::store::audit::AuditRow>,
    a: ActivityDetail,
    org: Organisation,
    gaps: Vec<Gap>,
    rights: Vec<ActivityRight>,
    per_purpose: Vec<Vec<Entitlement>>,
    adequacy_as_of: &'static str,
    findings: Vec<Finding>,
    screening: crate::domain::dpia::Screening,
}

impl ShowPage {
    fn is_controller(&self) -> bool {
        self.a.role == Role::Controller
    }

    /// The article behind a gap, in the point of this activity's record.
    fn gap_article(&self, g: &Gap) -> &'static str {
        g.article_for(self.a.role)
    }

    /// The organisation's country, unless the last line of its address already names it.
    fn org_country(&self) -> String {
        match Country::parse(&self.org.country) {
            Some(c) if c.named_by(&self.org.legal_address) => String::new(),
            Some(c) => c.to_string(),
            None => self.org.country.clone(),
        }
    }

    /// Where the form shows a finding's field: the field itself, or the section of a list
    /// that has no row yet.
    fn fix_anchor(&self, f: &Finding) -> String {
        match f.hit.field.as_str() {
            "recipients" => "s-recipients".into(),
            "transfers" => "s-transfers".into(),
            "retention" => "s-retention".into(),
            field => field.to_owned(),
        }
    }

    /// The page that accepts a finding with a reason.
    fn acknowledge_link(&self, f: &Finding) -> String {
        super::acknowledgements::link(self.a.id, f)
    }

    /// The article behind a finding, in the points of this activity's record.
    fn finding_basis(&self, f: &Finding) -> String {
        f.rule.basis_for(self.a.role == Role::Processor)
    }

    fn purpose_rights(&self, i: &usize) -> &[Entitlement] {
        self.per_purpose.get(*i).map_or(&[], |r| r.as_slice())
    }

    fn has_special(&self) -> bool {
        self.a
            .data_categories
            .iter()
            .any(|c| c.sensitivity == Sensitivity::SpecialCategory)
    }

    fn has_criminal(&self) -> bool {
        self.a
            .data_categories
            .iter()
            .any(|c| c.sensitivity == Sensitivity::CriminalOffence)
    }
}

/// `GET /activities/{id}`.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let id = ActivityId(path_id(&id)?);
    let can_audit = user.0.role.allows(Permission::ReadAudit);
    let load = move |c: &mut DbConnection| {
        let a = store::get(c, id)?;
        let org = org_store::get(c, OrganisationId(a.organisation_id))?;
        let history = if can_audit {
            let f = crate::store::audit::AuditFilter {
                entity_type: Some("activity".into()),
                related_type: Some("finding".into()),
                entity_id: Some(id.0),
                limit: 20,
                ..Default::default()
            };
            crate::store::audit::latest(c, &f)?
        } else {
            Vec::new()
        };
        let (findings, screening) =
            crate::store::checks::activity_checks(c, &a, chrono::Utc::now().date_naive())?;
        Ok((a, org, history, findings, screening))
    };
    kept_page(
        &req,
        &state,
        layout,
        load,
        |(a, org, history, findings, screening), layout| {
            let gaps = a.gaps();
            let per_purpose = a.rights_per_purpose();
            let rights = merge(&per_purpose);
            ShowPage {
                layout: layout.at("activities"),
                history,
                a,
                org,
                gaps,
                rights,
                per_purpose,
                adequacy_as_of: adequacy_as_of(),
                findings,
                screening,
            }
        },
    )
    .await
}

async fn load_choices(state: &web::Data<AppState>) -> Result<Choices, AppError> {
    db(state, store::choices).await
}

/// `GET /activities/new`.
pub async fn new(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let choices = load_choices(&state).await?;
    let wanted = query
        .iter()
        .find(|(k, _)| k == "organisation")
        .and_then(|(_, v)| v.parse::<OrganisationId>().ok());
    let org = wanted
        .and_then(|id| choices.organisations.iter().find(|o| o.id == id))
        .or_else(|| {
            if choices.organisations.len() == 1 {
                choices.organisations.first()
            } else {
                None
            }
        });
    let today = chrono::Utc::now().date_naive();
    let next_review = org
        .and_then(|o| {
            today.checked_add_months(chrono::Months::new(o.review_interval_months.max(1) as u32))
        })
        .map(|d| d.to_string())
        .unwrap_or_default();
    let usual = match org.map(|o| o.id) {
        Some(id) => db(&state, move |c| store::usual_measures(c, id)).await?,
        None => Vec::new(),
    };
    let form = ActivityForm {
        measures: usual.iter().map(|m| m.to_string()).collect(),
        organisation_id: org.map(|o| o.id.to_string()).unwrap_or_default(),
        role: query
            .iter()
            .find(|(k, _)| k == "role")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| Role::Controller.code().into()),
        status: Status::Draft.code().into(),
        dpia_required: DpiaRequired::NotAssessed.code().into(),
        dpia_status: DpiaStatus::NotApplicable.code().into(),
        next_review,
        purposes: vec![PurposeRow::default()],
        ..Default::default()
    };
    ok(&FormPage::new(
        layout,
        None,
        form,
        FieldErrors::new(),
        choices,
    ))
}

/// What the submit button asked for.
enum Action {
    Save,
    Add(RowList),
    Remove(RowList, usize),
}

fn action(form: &CheckedForm) -> Action {
    let raw = form.get("action").unwrap_or("save");
    let mut parts = raw.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("add"), Some(list), None) => RowList::from_name(list)
            .map(Action::Add)
            .unwrap_or(Action::Save),
        (Some("remove"), Some(list), Some(i)) => match (RowList::from_name(list), i.parse()) {
            (Some(l), Ok(i)) => Action::Remove(l, i),
            _ => Action::Save,
        },
        _ => Action::Save,
    }
}

/// Applies an add/remove-row action; returns true when the form should simply be shown again.
fn apply_row_action(form: &mut ActivityForm, action: &Action) -> bool {
    match action {
        Action::Save => false,
        Action::Add(list) => {
            form.add_row(*list);
            true
        }
        Action::Remove(list, i) => {
            form.remove_row(*list, *i);
            true
        }
    }
}

/// Why the form cannot retire or reactivate an activity.
const STATUS_BY_BUTTON: &str = "Status: retire or reactivate an activity with the button on its page; retiring asks for the reason, which the history keeps.";

/// `POST /activities`.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let mut form = ActivityForm::from_pairs(&body.0);
    let choices = load_choices(&state).await?;
    if resumed(&mut layout, &body) || apply_row_action(&mut form, &action(&body)) {
        return ok(&FormPage::new(
            layout,
            None,
            form,
            FieldErrors::new(),
            choices,
        ));
    }
    let draft = match form.parse(&choices) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, None, form, errors, choices),
            );
        }
    };
    if draft.status == Status::Retired {
        let errors = FieldErrors::single("status", STATUS_BY_BUTTON);
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(layout, None, form, errors, choices),
        );
    }
    let actor = user.actor();
    match db_raw(&state, move |c| store::insert(c, &actor, &draft)).await? {
        Ok(id) => Ok(redirect_with(
            &format!("/activities/{id}"),
            "Activity created.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, None, form, errors, choices),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /activities/{id}/edit`.
pub async fn edit(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let (a, choices) = db(&state, move |c| {
        Ok((store::get(c, id)?, store::choices(c)?))
    })
    .await?;
    ok(&FormPage::new(
        layout,
        Some(id.0),
        a.to_form(),
        FieldErrors::new(),
        choices,
    ))
}

/// `GET /activities/{id}/clone`: a new-activity form filled from an existing one.
pub async fn clone(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let (a, choices) = db(&state, move |c| {
        Ok((store::get(c, id)?, store::choices(c)?))
    })
    .await?;
    let mut form = a.to_form();
    form.reference.clear();
    form.version.clear();
    form.name = format!("Copy of {}", a.name);
    form.status = Status::Draft.code().into();
    form.last_reviewed.clear();
    let mut page = FormPage::new(layout, None, form, FieldErrors::new(), choices);
    page.clone_of = Some(format!("{} {}", a.reference, a.name));
    ok(&page)
}

/// `POST /activities/{id}`.
pub async fn update(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let mut form = ActivityForm::from_pairs(&body.0);
    let (stored, choices) = db(&state, move |c| {
        Ok((store::status(c, id)?, store::choices(c)?))
    })
    .await?;
    let Some(stored) = stored else {
        return Err(AppError::NotFound);
    };
    if resumed(&mut layout, &body) || apply_row_action(&mut form, &action(&body)) {
        return ok(&FormPage::new(
            layout,
            Some(id.0),
            form,
            FieldErrors::new(),
            choices,
        ));
    }
    let version = form_version(&form.version)?;
    let draft = match form.parse(&choices) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, Some(id.0), form, errors, choices),
            );
        }
    };
    if (draft.status == Status::Retired) != (stored == Status::Retired) {
        let errors = FieldErrors::single("status", STATUS_BY_BUTTON);
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage::new(layout, Some(id.0), form, errors, choices),
        );
    }
    let actor = user.actor();
    match db_raw(&state, move |c| {
        store::update(c, &actor, id, version, &draft)
    })
    .await?
    {
        Ok(()) => Ok(redirect_with(
            &format!("/activities/{id}"),
            "Activity saved.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, Some(id.0), form, errors, choices),
            )
        }
        Err(StoreError::Conflict { current }) => {
            form.version = current.to_string();
            let saved = db(&state, move |c| store::get(c, id)).await?;
            let changes = differences(&saved.to_form(), &form);
            let mut page = FormPage::new(layout, Some(id.0), form, FieldErrors::new(), choices);
            page.conflict = true;
            page.changes = changes;
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// The fields where the saved record and the submitted form differ, for the conflict page.
fn differences(saved: &ActivityForm, yours: &ActivityForm) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut cmp = |label: &'static str, a: &str, b: &str| {
        if a.trim() != b.trim() {
            out.push((label, a.trim().to_owned(), b.trim().to_owned()));
        }
    };
    cmp("Name", &saved.name, &yours.name);
    cmp("Reference", &saved.reference, &yours.reference);
    cmp("Status", &saved.status, &yours.status);
    cmp("Role", &saved.role, &yours.role);
    cmp("Description", &saved.description, &yours.description);
    cmp(
        "Business function",
        &saved.business_function,
        &yours.business_function,
    );
    cmp("Owner", &saved.owner, &yours.owner);
    cmp(
        "Security description",
        &saved.security_description,
        &yours.security_description,
    );
    cmp("Data source", &saved.data_source, &yours.data_source);
    cmp("Systems", &saved.systems, &yours.systems);
    cmp("Next review", &saved.next_review, &yours.next_review);
    let count = |n: usize| format!("{n} rows");
    let lists = [
        ("Purposes", saved.purposes.len(), yours.purposes.len()),
        ("Recipients", saved.recipients.len(), yours.recipients.len()),
        ("Transfers", saved.transfers.len(), yours.transfers.len()),
        (
            "Retention rules",
            saved.retention.len(),
            yours.retention.len(),
        ),
        (
            "Personal-data categories",
            saved.data_categories.len(),
            yours.data_categories.len(),
        ),
        (
            "Data-subject categories",
            saved.subjects.len(),
            yours.subjects.len(),
        ),
        (
            "Security measures",
            saved.measures.len(),
            yours.measures.len(),
        ),
    ];
    for (label, a, b) in lists {
        cmp(label, &count(a), &count(b));
    }
    out
}

/// The page that asks why an activity is retired (and shows the answer again when it is
/// refused).
#[derive(Template)]
#[template(path = "activities/retire.html")]
struct RetirePage {
    layout: Layout,
    a: ActivityDetail,
    reason: String,
    error: Option<String>,
}

/// Longest reason for a retirement.
const REASON_MAX: usize = 2000;

/// What is wrong with a reason given for retiring, if anything.
fn reason_problem(reason: &str) -> Option<String> {
    if reason.trim().is_empty() {
        return Some(
            "Reason for retiring: say why this activity is retired; the history and the audit trail keep it."
                .into(),
        );
    }
    if reason.chars().count() > REASON_MAX {
        return Some(format!(
            "Reason for retiring: at most {REASON_MAX} characters (this one has {}).",
            reason.chars().count()
        ));
    }
    crate::domain::text::forbidden_character(reason, true).map(|c| {
        format!(
            "Reason for retiring: holds the control character U+{:04X}, which is refused.",
            u32::from(c)
        )
    })
}

/// `GET /activities/{id}/retire`: asks for the reason before retiring.
pub async fn retire_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let a = db(&state, move |c| store::get(c, id)).await?;
    ok(&RetirePage {
        layout,
        a,
        reason: String::new(),
        error: None,
    })
}

/// `POST /activities/{id}/status`: retire (with the reason, which the activity and the audit
/// trail keep) or reactivate.
pub async fn set_status(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = ActivityId(path_id(&id)?);
    let status = body
        .get("status")
        .and_then(Status::from_code)
        .ok_or_else(|| {
            AppError::BadRequest("Field `status` must be draft, active or retired.".into())
        })?;
    let version = form_version(body.get("version").unwrap_or_default())?;
    let reason = body.get("reason").unwrap_or_default().trim().to_owned();
    if status == Status::Retired {
        if let Some(error) = reason_problem(&reason) {
            let a = db(&state, move |c| store::get(c, id)).await?;
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RetirePage {
                    layout,
                    a,
                    reason,
                    error: Some(error),
                },
            );
        }
    }
    let actor = user.actor();
    db(&state, move |c| {
        store::set_status(c, &actor, id, version, status, &reason)
    })
    .await?;
    let message = match status {
        Status::Retired => {
            "Activity retired: it stays on record, outside the active register, with the reason given."
        }
        Status::Active => "Activity reactivated.",
        Status::Draft => "Activity set back to draft.",
    };
    Ok(redirect_with(&format!("/activities/{id}"), message))
}
