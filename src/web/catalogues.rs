//! Catalogues (personal-data categories, data-subject categories, security measures).
//!
//! Uses `domain::{catalogue, errors, user, vocab}`, `store::catalogues`, `web::{auth, errors,
//! page}`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::auth::CurrentUser;
use super::errors::AppError;
use super::page::{
    db, db_raw, form_version, ok, path_id, redirect_with, render, resumed, CheckedForm, Layout,
};
use super::AppState;
use crate::domain::catalogue::{CatalogueForm, CatalogueKind};
use crate::domain::errors::FieldErrors;
use crate::domain::user::Permission;
use crate::domain::vocab::{MeasureFamily, MeasureKind, Sensitivity};
use crate::domain::CatalogueEntryId;
use crate::store::catalogues::{self as store, CatalogueEntry};
use crate::store::StoreError;

#[derive(Template)]
#[template(path = "catalogues/index.html")]
struct IndexPage {
    layout: Layout,
    catalogues: Vec<(CatalogueKind, usize)>,
}

#[derive(Template)]
#[template(path = "catalogues/list.html")]
struct ListPage {
    layout: Layout,
    kind: CatalogueKind,
    entries: Vec<CatalogueEntry>,
    /// Activities using each entry, by entry id.
    used: std::collections::HashMap<i64, i64>,
}

impl ListPage {
    /// How many activities use entry `id`.
    fn used_by(&self, id: &i64) -> i64 {
        self.used.get(id).copied().unwrap_or(0)
    }

    /// The activity list of those that use entry `id`.
    fn users_url(&self, id: &i64) -> String {
        let key = match self.kind {
            CatalogueKind::DataCategories => "category",
            CatalogueKind::SubjectCategories => "subject",
            CatalogueKind::SecurityMeasures => "measure",
        };
        format!("/activities?{key}={id}&status=all")
    }
}

#[derive(Template)]
#[template(path = "catalogues/form.html")]
struct FormPage {
    layout: Layout,
    kind: CatalogueKind,
    id: Option<i64>,
    seeded: bool,
    form: CatalogueForm,
    errors: FieldErrors,
    conflict: bool,
    users: Vec<(i64, String, String)>,
    sensitivities: &'static [Sensitivity],
    measure_kinds: &'static [MeasureKind],
    families: &'static [MeasureFamily],
}

impl FormPage {
    fn new(
        layout: Layout,
        kind: CatalogueKind,
        id: Option<i64>,
        form: CatalogueForm,
        errors: FieldErrors,
    ) -> Self {
        FormPage {
            layout: layout.at("catalogues"),
            kind,
            id,
            seeded: false,
            form,
            errors,
            conflict: false,
            users: Vec::new(),
            sensitivities: Sensitivity::ALL,
            measure_kinds: MeasureKind::ALL,
            families: MeasureFamily::ALL,
        }
    }
}

fn kind(slug: &str) -> Result<CatalogueKind, AppError> {
    CatalogueKind::from_slug(slug).ok_or(AppError::NotFound)
}

/// `GET /catalogues`.
pub async fn index(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let catalogues = db(&state, |c| {
        CatalogueKind::ALL
            .into_iter()
            .map(|k| Ok((k, store::list(c, k)?.len())))
            .collect()
    })
    .await?;
    ok(&IndexPage {
        layout: layout.at("catalogues"),
        catalogues,
    })
}

/// `GET /catalogues/{kind}`.
pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Read)?;
    let kind = kind(&slug)?;
    let (entries, used) = db(&state, move |c| {
        Ok((store::list(c, kind)?, store::use_counts(c, kind)?))
    })
    .await?;
    ok(&ListPage {
        layout: layout.at("catalogues"),
        kind,
        entries,
        used,
    })
}

/// `GET /catalogues/{kind}/new`.
pub async fn new(
    user: CurrentUser,
    layout: Layout,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = kind(&slug)?;
    let form = CatalogueForm {
        sensitivity: "standard".into(),
        ..Default::default()
    };
    ok(&FormPage::new(layout, kind, None, form, FieldErrors::new()))
}

/// `POST /catalogues/{kind}`.
pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    slug: web::Path<String>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = kind(&slug)?;
    let form: CatalogueForm = body.parse()?;
    if resumed(&mut layout, &body) {
        return ok(&FormPage::new(layout, kind, None, form, FieldErrors::new()));
    }
    let draft = match form.parse(kind) {
        Ok(d) => d,
        Err(errors) => {
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, kind, None, form, errors),
            )
        }
    };
    let actor = user.actor();
    match db_raw(&state, move |c| store::insert(c, &actor, kind, &draft)).await? {
        Ok(_) => Ok(redirect_with(
            &format!("/catalogues/{}", kind.slug()),
            "Entry added to the catalogue.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(layout, kind, None, form, errors),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /catalogues/{kind}/{id}/edit`.
pub async fn edit(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = kind(&path.0)?;
    let id = CatalogueEntryId(path_id(&path.1)?);
    let (entry, users) = db(&state, move |c| {
        Ok((store::get(c, kind, id)?, store::users(c, kind, id)?))
    })
    .await?;
    let mut page = FormPage::new(
        layout,
        kind,
        Some(id.0),
        entry.to_form(),
        FieldErrors::new(),
    );
    page.seeded = entry.seeded;
    page.users = users;
    ok(&page)
}

/// `POST /catalogues/{kind}/{id}`.
pub async fn update(
    user: CurrentUser,
    state: web::Data<AppState>,
    mut layout: Layout,
    path: web::Path<(String, String)>,
    body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = kind(&path.0)?;
    let id = CatalogueEntryId(path_id(&path.1)?);
    let mut form: CatalogueForm = body.parse()?;
    let current = db(&state, move |c| store::get(c, kind, id)).await?;
    if current.seeded {
        // A seeded entry keeps its code whatever the form says.
        form.code = current.code.clone();
    }
    if resumed(&mut layout, &body) {
        let mut page = FormPage::new(layout, kind, Some(id.0), form, FieldErrors::new());
        page.seeded = current.seeded;
        return ok(&page);
    }
    let version = form_version(&form.version)?;
    let draft = match form.parse(kind) {
        Ok(d) => d,
        Err(errors) => {
            let mut page = FormPage::new(layout, kind, Some(id.0), form, errors);
            page.seeded = current.seeded;
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let actor = user.actor();
    match db_raw(&state, move |c| {
        store::update(c, &actor, kind, id, version, &draft)
    })
    .await?
    {
        Ok(()) => Ok(redirect_with(
            &format!("/catalogues/{}", kind.slug()),
            "Catalogue entry saved.",
        )),
        Err(StoreError::Duplicate { field, message }) => {
            let errors = FieldErrors::single(field, message);
            let mut page = FormPage::new(layout, kind, Some(id.0), form, errors);
            page.seeded = current.seeded;
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(StoreError::Conflict { current: v }) => {
            form.version = v.to_string();
            let mut page = FormPage::new(layout, kind, Some(id.0), form, FieldErrors::new());
            page.seeded = current.seeded;
            page.conflict = true;
            render(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /catalogues/{kind}/{id}/delete`: refused while an activity uses the entry.
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    layout: Layout,
    path: web::Path<(String, String)>,
    _body: CheckedForm,
) -> Result<HttpResponse, AppError> {
    user.require(Permission::Edit)?;
    let kind = kind(&path.0)?;
    let id = CatalogueEntryId(path_id(&path.1)?);
    let actor = user.actor();
    match db_raw(&state, move |c| store::delete(c, &actor, kind, id)).await? {
        Ok(()) => Ok(redirect_with(
            &format!("/catalogues/{}", kind.slug()),
            "Catalogue entry deleted.",
        )),
        Err(StoreError::InUse(users)) => super::editable::InUsePage {
            layout,
            what: format!("This {}", kind.singular()),
            users,
            back: format!("/catalogues/{}/{id}/edit", kind.slug()),
        }
        .refuse(),
        Err(e) => Err(e.into()),
    }
}
