//! Organisations: list, show, create, edit, delete.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{
    db, db_raw, differences, form_version, ok, path_id, redirect_with, render, CheckedForm, Layout,
};
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::organisation::OrganisationForm;
use crate::domain::user::Permission;
use crate::domain::vocab::Country;
use crate::domain::OrganisationId;
use crate::store::activities::{
    self as activity_store, ActivityFilter, ActivitySummary, StatusFilter,
};
use crate::store::organisations::{self as store, Organisation};
use crate::store::StoreError;

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<(Organisation, i64)>,
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowPage {
    layout: Layout,
    org: Organisation,
    activities: Vec<ActivitySummary>,
    total: i64,
}

impl ShowPage {
    fn country(&self) -> String {
        Country::parse(&self.org.country)
            .map(|c| c.to_string())
            .unwrap_or_else(|| self.org.country.clone())
    }
}

#[derive(Template)]
#[template(path = "organisations/form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    form: OrganisationForm,
    errors: FieldErrors,
    countries: &'static [Country],
    conflict: bool,
    changes: Vec<(&'static str, String, String)>,
}

impl FormPage {
    fn new(layout: Layout, id: Option<i64>, form: OrganisationForm, errors: FieldErrors) -> Self {
        FormPage {
            layout: layout.at("organisations"),
            id,
            form,
            errors,
            countries: Country::all(),
            conflict: false,
            changes: Vec::new(),
        }
    }
}

/// `GET /organisations`.
pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let rows = db(&state, |c| {
        let orgs = store::list(c)?;
        let counts = store::activity_counts(c)?;
        Ok(orgs
            .into_iter()
            .map(|o| {
                let n = counts
                    .iter()
                    .find(|(id, _)| *id == o.id)
                    .map(|(_, n)| *n)
                    .unwrap_or(0);
                (o, n)
            })
            .collect())
    })
    .await?;
    ok(&ListPage {
        layout: layout.at("organisations"),
        rows,
    })
}

/// `GET /organisations/{id}`.
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let id = OrganisationId(path_id(&id)?);
    let (org, page) = db(&state, move |c| {
        let org = store::get(c, id)?;
        let page = activity_store::search(
            c,
            &ActivityFilter {
                organisation: Some(id),
                status: StatusFilter::All,
                per_page: 500,
                page: 1,
                ..Default::default()
            },
        )?;
        Ok((org, page))
    })
    .await?;
    ok(&ShowPage {
        layout: layout.at("organisations"),
        org,
        total: page.total,
        activities: page.rows,
    })
}

/// `GET /organisations/new`.
pub async fn new(user: CurrentUser, layout: Layout) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let form = OrganisationForm {
        review_interval_months: "12".into(),
        ..Default::default()
    };
    ok(&FormPage::new(layout, None, form, FieldErrors::new()))
}

/// `POST /organisations`.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let form: OrganisationForm = body.parse()?;
    let draft = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, None, form, errors),
            )
        }
    };
    let actor = user.actor();
    match db_raw(&state, move |c| store::insert(c, &actor, &draft)).await? {
        Ok(id) => Ok(redirect_with(
            &format!("/organisations/{id}"),
            "Organisation created.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, None, form, errors),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /organisations/{id}/edit`.
pub async fn edit(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = OrganisationId(path_id(&id)?);
    let org = db(&state, move |c| store::get(c, id)).await?;
    ok(&FormPage::new(
        layout,
        Some(id.0),
        org.to_form(),
        FieldErrors::new(),
    ))
}

/// `POST /organisations/{id}`.
pub async fn update(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = OrganisationId(path_id(&id)?);
    let mut form: OrganisationForm = body.parse()?;
    let version = form_version(&form.version)?;
    let draft = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, Some(id.0), form, errors),
            )
        }
    };
    let actor = user.actor();
    match db_raw(&state, move |c| {
        store::update(c, &actor, id, version, &draft)
    })
    .await?
    {
        Ok(()) => Ok(redirect_with(
            &format!("/organisations/{id}"),
            "Organisation saved.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, Some(id.0), form, errors),
            )
        }
        Err(StoreError::Conflict { current }) => {
            form.version = current.to_string();
            let saved = db(&state, move |c| store::get(c, id)).await?;
            let changes = differences(&saved.to_form().fields(), &form.fields());
            let mut page = FormPage::new(layout, Some(id.0), form, FieldErrors::new());
            page.conflict = true;
            page.changes = changes;
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /organisations/{id}/delete`: refused while activities belong to it.
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = OrganisationId(path_id(&id)?);
    let actor = user.actor();
    match db_raw(&state, move |c| store::delete(c, &actor, id)).await? {
        Ok(()) => Ok(redirect_with("/organisations", "Organisation deleted.")),
        Err(StoreError::InUse(users)) => Err(AppError::InUse {
            what: "This organisation".into(),
            users,
        }),
        Err(e) => Err(e.into()),
    }
}
