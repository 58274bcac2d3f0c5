//! Never lose work: a save posted after the session expired comes back after signing in, with
//! the version check still in force; retiring asks for a reason, which the activity, its
//! history and the audit trail keep; the form cannot retire without it.

use reqwest::StatusCode;

use crate::helpers::{
    csrf_token, expire_sessions, field_error, id_from_location, input_value, page_text, spawn_app,
    textarea_value, TestApp, ADMIN, PASSWORD,
};

/// The hidden fields of the first form of `html`, in order.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let hidden = scraper::Selector::parse("form input[type=hidden]").expect("selector");
    doc.select(&hidden)
        .filter_map(|i| {
            Some((
                i.value().attr("name")?.to_owned(),
                i.value().attr("value").unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

/// Creates a draft activity; its id.
async fn draft_activity(app: &TestApp, name: &str) -> i64 {
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post_activity(
            &org,
            "draft",
            name,
            &[
                ("purposes[0].description", "Payroll"),
                ("purposes[0].bases", "contract"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    id_from_location(&r)
}

/// The edit form's fields as the browser would post them, with `name` and `description` set.
fn edited(form_html: &str, name: &str, description: &str) -> Vec<(String, String)> {
    let mut fields = hidden_fields(form_html);
    fields.retain(|(k, _)| k != "name" && k != "description");
    for key in ["organisation_id", "status"] {
        let value = crate::helpers::selected(form_html, key).expect("selected");
        fields.push((key.into(), value));
    }
    fields.push(("role".into(), "controller".into()));
    fields.push(("name".into(), name.into()));
    fields.push(("description".into(), description.into()));
    fields.push(("purposes[0].description".into(), "Payroll".into()));
    fields.push(("purposes[0].bases".into(), "contract".into()));
    fields
}

async fn post_pairs(app: &TestApp, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .form(pairs)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn a_save_after_the_session_expired_comes_back_after_signing_in() {
    let app = spawn_app().await;
    let id = draft_activity(&app, "Payroll").await;
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let typed = "Monthly salaries — written while the session ran out.\nSecond line.";
    let pairs = edited(&form, "Payroll and expenses", typed);

    expire_sessions(&app.pool);
    let r = post_pairs(&app, &format!("/activities/{id}"), &pairs).await;
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "the log-in page, not a redirect"
    );
    let login = r.text().await.expect("body");
    assert!(
        page_text(&login).contains("Your session expired before your changes were saved"),
        "{login}"
    );
    assert!(
        input_value(&login, "carry").is_some_and(|c| c.contains("Payroll+and+expenses")),
        "the input rides along with the log-in form"
    );

    // A wrong password keeps it too.
    let mut sign_in = hidden_fields(&login);
    sign_in.push(("email".into(), ADMIN.into()));
    let mut wrong = sign_in.clone();
    wrong.push(("password".into(), "not the password".into()));
    let r = post_pairs(&app, "/login", &wrong).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let again = r.text().await.expect("body");
    assert_eq!(input_value(&again, "carry"), input_value(&login, "carry"));

    sign_in.push(("password".into(), PASSWORD.into()));
    let r = post_pairs(&app, "/login", &sign_in).await;
    assert_eq!(r.status(), StatusCode::OK, "the way back to the form");
    let resume = r.text().await.expect("body");
    let back = hidden_fields(&resume);
    assert!(back.contains(&("action".into(), "resume".into())));
    assert!(back.contains(&("description".into(), typed.into())));
    let r = post_pairs(&app, &format!("/activities/{id}"), &back).await;
    assert_eq!(r.status(), StatusCode::OK);
    let shown = r.text().await.expect("body");
    assert!(page_text(&shown).contains("Your session had expired, so these changes were not saved"));
    assert_eq!(
        input_value(&shown, "name").as_deref(),
        Some("Payroll and expenses")
    );
    assert_eq!(
        textarea_value(&shown, "description").as_deref(),
        Some(typed)
    );
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    assert!(
        !page_text(&page).contains("Payroll and expenses"),
        "not saved yet"
    );

    // Saving it is a normal save, checked against the version it was loaded at.
    let save = edited(&shown, "Payroll and expenses", typed)
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .chain([("csrf_token".to_owned(), csrf_token(&shown))])
        .collect::<Vec<_>>();
    let r = post_pairs(&app, &format!("/activities/{id}"), &save).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "saved");
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    assert!(page_text(&page).contains("Payroll and expenses"));
    assert!(page_text(&page).contains("written while the session ran out"));
}

#[tokio::test]
async fn a_kept_save_meets_the_conflict_page_when_someone_saved_in_between() {
    let app = spawn_app().await;
    let id = draft_activity(&app, "Payroll").await;
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let pairs = edited(&form, "Mine", "Typed before the session ended");
    expire_sessions(&app.pool);
    let r = post_pairs(&app, &format!("/activities/{id}"), &pairs).await;
    let login = r.text().await.expect("body");

    // Someone else saves meanwhile.
    let other = app.client_as("other@example.eu", "editor").await;
    let (_, theirs) = app
        .get_with(&other, &format!("/activities/{id}/edit"))
        .await;
    let mut their_save = edited(&theirs, "Theirs", "Saved in between");
    their_save.retain(|(k, _)| k != "csrf_token");
    their_save.push(("csrf_token".into(), csrf_token(&theirs)));
    let r = other
        .post(format!("{}/activities/{id}", app.address))
        .form(&their_save)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let mut sign_in = hidden_fields(&login);
    sign_in.push(("email".into(), ADMIN.into()));
    sign_in.push(("password".into(), PASSWORD.into()));
    let resume = post_pairs(&app, "/login", &sign_in)
        .await
        .text()
        .await
        .expect("body");
    let shown = post_pairs(&app, &format!("/activities/{id}"), &hidden_fields(&resume))
        .await
        .text()
        .await
        .expect("body");
    let save = edited(&shown, "Mine", "Typed before the session ended")
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .chain([("csrf_token".to_owned(), csrf_token(&shown))])
        .collect::<Vec<_>>();
    let r = post_pairs(&app, &format!("/activities/{id}"), &save).await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "the newer save is not overwritten"
    );
}

#[tokio::test]
async fn a_form_posted_from_elsewhere_without_a_session_is_not_kept() {
    let app = spawn_app().await;
    let id = draft_activity(&app, "Payroll").await;
    expire_sessions(&app.pool);
    // No CSRF token of this browser: the ordinary way to the log-in page, nothing carried.
    let r = app
        .post_raw(&format!("/activities/{id}"), &[("name", "Forged")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    assert!(location.starts_with("/login"), "{location}");
}

#[tokio::test]
async fn retiring_asks_why_and_the_activity_its_history_and_the_trail_keep_the_reason() {
    let app = spawn_app().await;
    let id = draft_activity(&app, "Old CRM").await;
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    let version = input_value(&page, "version").expect("version");

    // No reason: refused, naming the field, nothing changed.
    let r = app
        .post(
            &format!("/activities/{id}/status"),
            &[
                ("status", "retired"),
                ("version", &version),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.expect("body");
    assert!(
        field_error(&refused, "reason").is_some_and(|e| e.contains("Reason for retiring")),
        "{refused}"
    );
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    assert!(!page_text(&page).contains("This activity is retired"));

    // The form cannot retire it either.
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let mut pairs = edited(&form, "Old CRM", "");
    pairs.retain(|(k, _)| k != "status");
    pairs.push(("status".into(), "retired".into()));
    let r = post_pairs(&app, &format!("/activities/{id}"), &pairs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "status").is_some_and(|e| e.contains("button on its page")));

    let reason = "Replaced by the new CRM (ticket 4711); data erased on 2026-11-30.";
    let r = app
        .post(
            &format!("/activities/{id}/status"),
            &[
                ("status", "retired"),
                ("version", &version),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&page);
    assert!(text.contains("This activity is retired"));
    assert!(
        text.contains(reason),
        "the reason on the page and in its history"
    );
    let (_, trail) = app.get(&format!("/audit?entity=activity&id={id}")).await;
    assert!(
        page_text(&trail).contains("Replaced by the new CRM"),
        "the audit trail"
    );

    // The register document carries it, and reactivating clears it.
    let (_, json) = app.get("/export.json").await;
    assert!(json.contains("\"retirement_reason\""), "{json}");
    let version = input_value(&page, "version").expect("version");
    let r = app
        .post(
            &format!("/activities/{id}/status"),
            &[("status", "active"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, json) = app.get("/export.json").await;
    assert!(!json.contains("\"retirement_reason\""));
}
