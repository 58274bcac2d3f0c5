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
    /// The parties the search and the kind select, each with the number of activities that
    /// use it.
    parties: Vec<(Party, usize)>,
    /// Parties in the register.
    total: usize,
    /// The words searched for.
    q: String,
    /// The kind chosen (code), or empty.
    kind: String,
    /// The kinds of the parties recorded, to choose from.
    kinds: Vec<PartyKind>,
}

impl ListPage {
    fn is_filtered(&self) -> bool {
        !self.q.is_empty() || !self.kind.is_empty()
    }
}

/// Whether `p` holds every word of `q` (lower case) in its name, contact, address or country
/// (code or name).
fn matches(p: &Party, words: &[String]) -> bool {
    let country = Country::parse(&p.country)
        .map(|c| c.name().to_owned())
        .unwrap_or_default();
    let text = crate::store::fold(&format!(
        "{} {} {} {} {}",
        p.name, p.contact, p.address, p.country, country
    ));
    words.iter().all(|w| text.contains(w.as_str()))
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
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    super::page::plain_query(&query)?;
    let value = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let q: String = value("q").chars().take(200).collect();
    let kind = value("kind");
    let wanted = match kind.as_str() {
        "" => None,
        code => Some(PartyKind::from_code(code).ok_or_else(|| {
            AppError::BadRequest("Filter `kind`: must be a party kind code".into())
        })?),
    };
    let (parties, counts) = db(&state, |c| Ok((store::list(c)?, store::use_counts(c)?))).await?;
    let total = parties.len();
    let mut kinds: Vec<PartyKind> = PartyKind::ALL
        .iter()
        .copied()
        .filter(|k| parties.iter().any(|p| p.kind == k.code()))
        .collect();
    if let Some(k) = wanted.filter(|k| !kinds.contains(k)) {
        kinds.push(k);
    }
    let words: Vec<String> = crate::store::fold(&q)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let parties = parties
        .into_iter()
        .filter(|p| wanted.is_none_or(|k| p.kind == k.code()) && matches(p, &words))
        .map(|p| {
            let n = counts.get(&p.id).copied().unwrap_or(0);
            (p, n)
        })
        .collect();
    ok(&ListPage {
        layout: layout.at("parties"),
        parties,
        total,
        q,
        kind,
        kinds,
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
