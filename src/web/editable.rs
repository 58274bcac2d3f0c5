//! What organisations and parties share on the web: the edit form, and creating, saving and
//! deleting with the same answers (422 with the input kept and each error by its field, 409
//! with the differences from the saved version, the "in use" refusal naming the activities).
//!
//! A kind of record implements [`Editable`]; its list, show and new pages stay its own, as they
//! differ. Uses the page helpers, the session's user and the store through the trait.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{
    db, db_raw, differences, form_version, ok, path_id, redirect_with, render, resumed,
    CheckedForm, Layout,
};
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::user::Permission;
use crate::store::audit::Actor;
use crate::store::{DbConnection, StoreError, StoreResult};

/// The differences between the saved record and the input, field by field (a conflict).
pub type Changes = Vec<(&'static str, String, String)>;

/// A kind of record edited through one form and kept with a version (organisations, parties).
pub trait Editable: 'static {
    /// The record's id.
    type Id: Copy + std::fmt::Display + Send + 'static;
    /// The form as typed.
    type Form: serde::de::DeserializeOwned + Send + 'static;
    /// The valid value the form parses into.
    type Draft: Send + 'static;
    /// The edit page.
    type Page: Template;

    /// Where the list is, e.g. `/organisations`; a record is at `{BASE}/{id}`.
    const BASE: &'static str;
    /// The kind in a message: "Organisation".
    const NOUN: &'static str;
    /// The kind in a refusal: "This organisation".
    const THIS: &'static str;

    /// The typed id.
    fn id(raw: i64) -> Self::Id;
    /// Parses the form into a draft, or the errors of every field.
    fn parse(form: &Self::Form) -> Result<Self::Draft, FieldErrors>;
    /// The form's version field.
    fn version(form: &mut Self::Form) -> &mut String;
    /// The form's fields with their labels, for the differences shown on a conflict.
    fn fields(form: &Self::Form) -> Vec<(&'static str, String)>;
    /// The saved record as an edit form.
    fn saved(conn: &mut DbConnection, id: Self::Id) -> StoreResult<Self::Form>;
    /// Creates the record.
    fn insert(conn: &mut DbConnection, actor: &Actor, draft: &Self::Draft)
        -> StoreResult<Self::Id>;
    /// Saves the record if it is still at `version`.
    fn update(
        conn: &mut DbConnection,
        actor: &Actor,
        id: Self::Id,
        version: i64,
        draft: &Self::Draft,
    ) -> StoreResult<()>;
    /// Deletes the record unless something uses it.
    fn delete(conn: &mut DbConnection, actor: &Actor, id: Self::Id) -> StoreResult<()>;
    /// The edit page (`id` none for a new record); `changes` is set on a conflict.
    fn page(
        layout: Layout,
        id: Option<i64>,
        form: Self::Form,
        errors: FieldErrors,
        changes: Option<Changes>,
    ) -> Self::Page;
}

/// The form again with status 422 and the errors by their fields.
fn invalid<K: Editable>(
    layout: Layout,
    id: Option<i64>,
    form: K::Form,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &K::page(layout, id, form, errors, None),
    )
}

/// `POST {BASE}`: creates a record.
pub async fn create<K: Editable>(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let form: K::Form = body.parse()?;
    if resumed(&mut layout, &body) {
        return ok(&K::page(layout, None, form, FieldErrors::new(), None));
    }
    let draft = match K::parse(&form) {
        Ok(d) => d,
        Err(errors) => return invalid::<K>(layout, None, form, errors),
    };
    let actor = user.actor();
    match db_raw(&state, move |c| K::insert(c, &actor, &draft)).await? {
        Ok(id) => Ok(redirect_with(
            &format!("{}/{id}", K::BASE),
            &format!("{} created.", K::NOUN),
        )),
        Err(StoreError::Duplicate { field, message }) => {
            invalid::<K>(layout, None, form, FieldErrors::single(field, message))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET {BASE}/{id}/edit`: the form filled with the saved record.
pub async fn edit<K: Editable>(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let raw = path_id(&id)?;
    let id = K::id(raw);
    let form = db(&state, move |c| K::saved(c, id)).await?;
    ok(&K::page(layout, Some(raw), form, FieldErrors::new(), None))
}

/// `POST {BASE}/{id}`: saves a record if nobody saved it in between (else 409 with the
/// differences and the input kept).
pub async fn update<K: Editable>(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    id: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let raw = path_id(&id)?;
    let id = K::id(raw);
    let mut form: K::Form = body.parse()?;
    if resumed(&mut layout, &body) {
        return ok(&K::page(layout, Some(raw), form, FieldErrors::new(), None));
    }
    let version = form_version(K::version(&mut form))?;
    let draft = match K::parse(&form) {
        Ok(d) => d,
        Err(errors) => return invalid::<K>(layout, Some(raw), form, errors),
    };
    let actor = user.actor();
    match db_raw(&state, move |c| K::update(c, &actor, id, version, &draft)).await? {
        Ok(()) => Ok(redirect_with(
            &format!("{}/{id}", K::BASE),
            &format!("{} saved.", K::NOUN),
        )),
        Err(StoreError::Duplicate { field, message }) => {
            invalid::<K>(layout, Some(raw), form, FieldErrors::single(field, message))
        }
        Err(StoreError::Conflict { current }) => {
            *K::version(&mut form) = current.to_string();
            let saved = db(&state, move |c| K::saved(c, id)).await?;
            let changes = differences(&K::fields(&saved), &K::fields(&form));
            let page = K::page(layout, Some(raw), form, FieldErrors::new(), Some(changes));
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// The refusal to delete a record that activities use: a page of the register naming them,
/// each a link, with the way back to the record.
#[derive(Template)]
#[template(path = "in_use.html")]
pub struct InUsePage {
    /// The page layout.
    pub layout: Layout,
    /// What was to be deleted: "This party".
    pub what: String,
    /// The activities that use it: id, "reference name".
    pub users: Vec<(i64, String)>,
    /// The record's page.
    pub back: String,
}

impl InUsePage {
    /// The refusal, with status 409.
    pub fn refuse(self) -> Result<HttpResponse, AppError> {
        render(StatusCode::CONFLICT, &self)
    }
}

/// `POST {BASE}/{id}/delete`: refused, naming the activities, while any uses the record.
pub async fn delete<K: Editable>(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    id: web::Path<String>,
    _body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let id = K::id(path_id(&id)?);
    let actor = user.actor();
    match db_raw(&state, move |c| K::delete(c, &actor, id)).await? {
        Ok(()) => Ok(redirect_with(K::BASE, &format!("{} deleted.", K::NOUN))),
        Err(StoreError::InUse(users)) => InUsePage {
            layout,
            what: K::THIS.into(),
            users,
            back: format!("{}/{id}", K::BASE),
        }
        .refuse(),
        Err(e) => Err(e.into()),
    }
}
