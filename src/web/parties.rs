//! Parties (recipients and counterparts): list, show, create, edit, delete.

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
use crate::domain::party::PartyForm;
use crate::domain::user::Permission;
use crate::domain::vocab::{Country, PartyKind};
use crate::domain::PartyId;
use crate::store::parties::{self as store, Party};
use crate::store::StoreError;

#[derive(Template)]
#[template(path = "parties/list.html")]
struct ListPage {
    layout: Layout,
    parties: Vec<Party>,
}

#[derive(Template)]
#[template(path = "parties/show.html")]
struct ShowPage {
    layout: Layout,
    party: Party,
    users: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "parties/form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    form: PartyForm,
    errors: FieldErrors,
    countries: &'static [Country],
    kinds: &'static [PartyKind],
    conflict: bool,
    changes: Vec<(&'static str, String, String)>,
}

impl FormPage {
    fn new(layout: Layout, id: Option<i64>, form: PartyForm, errors: FieldErrors) -> Self {
        FormPage {
            layout: layout.at("parties"),
            id,
            form,
            errors,
            countries: Country::all(),
            kinds: PartyKind::ALL,
            conflict: false,
            changes: Vec::new(),
        }
    }
}

/// `GET /parties`.
pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let parties = db(&state, store::list).await?;
    ok(&ListPage {
        layout: layout.at("parties"),
        parties,
    })
}

/// `GET /parties/{id}`.
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let id = PartyId(path_id(&id)?);
    let (party, users) = db(&state, move |c| {
        Ok((store::get(c, id)?, store::users(c, id)?))
    })
    .await?;
    ok(&ShowPage {
        layout: layout.at("parties"),
        party,
        users,
    })
}

/// `GET /parties/new`.
pub async fn new(
    user: CurrentUser,
    layout: Layout,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = query
        .iter()
        .find(|(k, _)| k == "kind")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let form = PartyForm {
        kind,
        ..Default::default()
    };
    ok(&FormPage::new(layout, None, form, FieldErrors::new()))
}

/// `POST /parties`.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let form: PartyForm = body.parse()?;
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
        Ok(id) => Ok(redirect_with(&format!("/parties/{id}"), "Party created.")),
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

/// `GET /parties/{id}/edit`.
pub async fn edit(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = PartyId(path_id(&id)?);
    let party = db(&state, move |c| store::get(c, id)).await?;
    ok(&FormPage::new(
        layout,
        Some(id.0),
        party.to_form(),
        FieldErrors::new(),
    ))
}

/// `POST /parties/{id}`.
pub async fn update(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = PartyId(path_id(&id)?);
    let mut form: PartyForm = body.parse()?;
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
        Ok(()) => Ok(redirect_with(&format!("/parties/{id}"), "Party saved.")),
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

/// `POST /parties/{id}/delete`: refused while an activity refers to the party.
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    _body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = PartyId(path_id(&id)?);
    let actor = user.actor();
    match db_raw(&state, move |c| store::delete(c, &actor, id)).await? {
        Ok(()) => Ok(redirect_with("/parties", "Party deleted.")),
        Err(StoreError::InUse(users)) => Err(AppError::InUse {
            what: "This party".into(),
            users,
        }),
        Err(e) => Err(e.into()),
    }
}
