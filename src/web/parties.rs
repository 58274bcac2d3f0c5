//! Parties (recipients and counterparts): list, show, create, edit, delete.
//!
//! Uses `domain::{errors, party, user, vocab}`, `store::{audit, parties}`, `web::{auth,
//! editable, errors, page}`.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::editable::{Changes, Editable};
use super::errors::AppError;
use super::page::{db, ok, path_id, Layout};
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::party::{PartyDraft, PartyForm};
use crate::domain::user::Permission;
use crate::domain::vocab::{Country, PartyKind};
use crate::domain::PartyId;
use crate::store::audit::Actor;
use crate::store::parties::{self as store, Party};
use crate::store::{DbConnection, StoreResult};

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

/// The party form, new or edit (a conflict shows the differences).
#[derive(Template)]
#[template(path = "parties/form.html")]
pub struct FormPage {
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

/// Parties as an [`Editable`] kind: create, edit, save and delete are shared.
pub struct Parties;

impl Editable for Parties {
    type Id = PartyId;
    type Form = PartyForm;
    type Draft = PartyDraft;
    type Page = FormPage;
    const BASE: &'static str = "/parties";
    const NOUN: &'static str = "Party";
    const THIS: &'static str = "This party";

    fn id(raw: i64) -> PartyId {
        PartyId(raw)
    }
    fn parse(form: &PartyForm) -> Result<PartyDraft, FieldErrors> {
        form.parse()
    }
    fn version(form: &mut PartyForm) -> &mut String {
        &mut form.version
    }
    fn fields(form: &PartyForm) -> Vec<(&'static str, String)> {
        form.fields()
    }
    fn saved(conn: &mut DbConnection, id: PartyId) -> StoreResult<PartyForm> {
        Ok(store::get(conn, id)?.to_form())
    }
    fn insert(conn: &mut DbConnection, actor: &Actor, draft: &PartyDraft) -> StoreResult<PartyId> {
        store::insert(conn, actor, draft)
    }
    fn update(
        conn: &mut DbConnection,
        actor: &Actor,
        id: PartyId,
        version: i64,
        draft: &PartyDraft,
    ) -> StoreResult<()> {
        store::update(conn, actor, id, version, draft)
    }
    fn delete(conn: &mut DbConnection, actor: &Actor, id: PartyId) -> StoreResult<()> {
        store::delete(conn, actor, id)
    }
    fn page(
        layout: Layout,
        id: Option<i64>,
        form: PartyForm,
        errors: FieldErrors,
        changes: Option<Changes>,
    ) -> FormPage {
        let mut page = FormPage::new(layout, id, form, errors);
        if let Some(changes) = changes {
            page.conflict = true;
            page.changes = changes;
        }
        page
    }
}
