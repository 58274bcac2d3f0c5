//! Accounts, for administrators: list, add, change role or status.
//!
//! Uses `domain::{errors, user}`, `store::users`, `web::{auth, errors, page}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{
    db, db_raw, form_version, ok, path_id, redirect_with, render, CheckedForm, Layout,
};
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::user::{Permission, Role, UserForm};
use crate::store::users::{self as store, User};
use crate::store::StoreError;

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    layout: Layout,
    users: Vec<User>,
}

#[derive(Template)]
#[template(path = "users/form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    form: UserForm,
    errors: FieldErrors,
    roles: &'static [Role],
    conflict: bool,
}

fn form_page(layout: Layout, id: Option<i64>, mut form: UserForm, errors: FieldErrors) -> FormPage {
    form.password.clear();
    form.password_confirm.clear();
    FormPage {
        layout: layout.at("users"),
        id,
        form,
        errors,
        roles: Role::ALL,
        conflict: false,
    }
}

/// `GET /users`.
pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Administer)?;
    let users = db(&state, store::list).await?;
    ok(&ListPage {
        layout: layout.at("users"),
        users,
    })
}

/// `GET /users/new`.
pub async fn new(layout: Layout, user: CurrentUser) -> Result<HttpResponse, AppError> {
    user.require(Permission::Administer)?;
    let form = UserForm {
        role: Role::Editor.code().into(),
        active: "on".into(),
        ..Default::default()
    };
    ok(&form_page(layout, None, form, FieldErrors::new()))
}

fn read_form(body: &CheckedForm) -> Result<UserForm, AppError> {
    body.parse()
}

/// `POST /users`.
pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    user: CurrentUser,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Administer)?;
    let form = read_form(&body)?;
    let draft = match form.parse(true) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(layout, None, form, errors),
            )
        }
    };
    let password = form.password.clone();
    let actor = user.actor();
    match db_raw(&state, move |c| store::insert(c, &actor, &draft, &password)).await? {
        Ok(_) => Ok(redirect_with("/users", "Account created.")),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(layout, None, form, errors),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /users/{id}/edit`.
pub async fn edit(
    state: web::Data<AppState>,
    layout: Layout,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Administer)?;
    let id = path_id(&id)?;
    let u = db(&state, move |c| store::get(c, id)).await?;
    let form = UserForm {
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role.code().into(),
        active: if u.active { "on".into() } else { String::new() },
        version: u.version.to_string(),
        ..Default::default()
    };
    ok(&form_page(layout, Some(id), form, FieldErrors::new()))
}

/// `POST /users/{id}`: role, name and status; the last active administrator stays.
pub async fn update(
    state: web::Data<AppState>,
    layout: Layout,
    user: CurrentUser,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Administer)?;
    let id = path_id(&id)?;
    let mut form = read_form(&body)?;
    let current = db(&state, move |c| store::get(c, id)).await?;
    form.email = current.email.clone();
    let version = form_version(&form.version)?;
    let draft = match form.parse(false) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(layout, Some(id), form, errors),
            )
        }
    };
    let actor = user.actor();
    match db_raw(&state, move |c| {
        store::update(c, &actor, id, version, &draft)
    })
    .await?
    {
        Ok(()) => Ok(redirect_with("/users", "Account saved.")),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &form_page(layout, Some(id), form, errors),
            )
        }
        Err(StoreError::Conflict { current }) => {
            form.version = current.to_string();
            let mut page = form_page(layout, Some(id), form, FieldErrors::new());
            page.conflict = true;
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}
