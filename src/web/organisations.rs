//! Organisations: list, show, create, edit, delete.
//!
//! Uses `domain::{errors, organisation, user, vocab}`, `store::{activities, audit,
//! organisations}`, `web::{auth, editable, errors, page}`.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::editable::{Changes, Editable};
use super::errors::AppError;
use super::page::{db, ok, path_id, Layout};
use super::AppState;
use crate::domain::errors::FieldErrors;
use crate::domain::organisation::{OrganisationDraft, OrganisationForm};
use crate::domain::user::Permission;
use crate::domain::vocab::Country;
use crate::domain::OrganisationId;
use crate::store::activities::{
    self as activity_store, ActivityFilter, ActivitySummary, StatusFilter,
};
use crate::store::audit::Actor;
use crate::store::organisations::{self as store, Organisation};
use crate::store::{DbConnection, StoreResult};

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

/// The organisation form, new or edit (a conflict shows the differences).
#[derive(Template)]
#[template(path = "organisations/form.html")]
pub struct FormPage {
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

/// Organisations as an [`Editable`] kind: create, edit, save and delete are shared.
pub struct Organisations;

impl Editable for Organisations {
    type Id = OrganisationId;
    type Form = OrganisationForm;
    type Draft = OrganisationDraft;
    type Page = FormPage;
    const BASE: &'static str = "/organisations";
    const NOUN: &'static str = "Organisation";
    const THIS: &'static str = "This organisation";

    fn id(raw: i64) -> OrganisationId {
        OrganisationId(raw)
    }
    fn parse(form: &OrganisationForm) -> Result<OrganisationDraft, FieldErrors> {
        form.parse()
    }
    fn version(form: &mut OrganisationForm) -> &mut String {
        &mut form.version
    }
    fn fields(form: &OrganisationForm) -> Vec<(&'static str, String)> {
        form.fields()
    }
    fn saved(conn: &mut DbConnection, id: OrganisationId) -> StoreResult<OrganisationForm> {
        Ok(store::get(conn, id)?.to_form())
    }
    fn insert(
        conn: &mut DbConnection,
        actor: &Actor,
        draft: &OrganisationDraft,
    ) -> StoreResult<OrganisationId> {
        store::insert(conn, actor, draft)
    }
    fn update(
        conn: &mut DbConnection,
        actor: &Actor,
        id: OrganisationId,
        version: i64,
        draft: &OrganisationDraft,
    ) -> StoreResult<()> {
        store::update(conn, actor, id, version, draft)
    }
    fn delete(conn: &mut DbConnection, actor: &Actor, id: OrganisationId) -> StoreResult<()> {
        store::delete(conn, actor, id)
    }
    fn page(
        layout: Layout,
        id: Option<i64>,
        form: OrganisationForm,
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
