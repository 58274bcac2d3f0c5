//! Signing in and setting up under attack: parallel guesses, made-up emails, huge fields,
//! password checks on the account page, parallel set-ups.

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;
use ropa::store::schema::{audit_log, users};

/// The audit entries with `action`: their labels and the actor's email.
fn entries(app: &TestApp, action: &str) -> Vec<(String, String)> {
    let mut conn = app.pool.get().expect("conn");
    audit_log::table
        .filter(audit_log::action.eq(action))
        .select((audit_log::entity_label, audit_log::user_email))
        .load(&mut **conn)
        .expect("audit")
}

/// Every label and actor in the trail, for looking for what must not be there.
fn whole_trail(app: &TestApp) -> String {
    let mut conn = app.pool.get().expect("conn");
    let rows: Vec<(String, String, String)> = audit_log::table
        .select((
            audit_log::entity_label,
            audit_log::user_email,
            audit_log::after_value,
        ))
        .load(&mut **conn)
        .expect("audit");
    rows.iter()
        .map(|(a, b, c)| format!("{a} {b} {c}"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn try_login(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let client = new_client();
    app.login(&client, email, password).await.status()
}

#[tokio::test]
async fn parallel_guesses_check_no_more_passwords_than_the_limit() {
    let app = spawn_app().await;
    app.add_user("victim@example.eu", "editor");
    let (_, html) = app.get_with(&app.client, "/login").await;
    let token = csrf_token(&html);
    let mut guesses = Vec::new();
    for i in 0..64 {
        let password = if i == 63 {
            PASSWORD.to_owned()
        } else {
            format!("wrong guess {i}")
        };
        let (client, address, token) = (app.client.clone(), app.address.clone(), token.clone());
        guesses.push(tokio::spawn(async move {
            client
                .post(format!("{address}/login"))
                .form(&[
                    ("email", "victim@example.eu"),
                    ("password", password.as_str()),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .expect("POST /login")
                .status()
        }));
    }
    let mut checked = 0;
    for g in guesses {
        let status = g.await.expect("task");
        assert!(
            matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS | StatusCode::SEE_OTHER
            ),
            "{status}"
        );
        if status != StatusCode::TOO_MANY_REQUESTS {
            checked += 1;
        }
    }
    assert!(
        checked <= ropa::store::throttle::MAX_FAILURES,
        "{checked} passwords checked"
    );
    assert!(
        entries(&app, "login_failed").len() <= 1,
        "one failure entry per account and period"
    );
}

#[tokio::test]
async fn made_up_emails_never_lock_out_a_correct_password() {
    let app = spawn_app().await;
    for i in 0..8 {
        let status = try_login(&app, &format!("nobody{i}@example.eu"), "a guess!").await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {i} is answered, slowed at most"
        );
    }
    assert_eq!(
        try_login(&app, ADMIN, PASSWORD).await,
        StatusCode::SEE_OTHER,
        "the administrator still signs in from the same address"
    );
    let trail = whole_trail(&app);
    assert!(
        !trail.contains("nobody"),
        "typed emails are not in the trail"
    );
    assert_eq!(
        entries(&app, "login_failed").len(),
        1,
        "counted, not copied"
    );
    assert_eq!(entries(&app, "login_slowed").len(), 1);
    // A success does not clear the address's count: the next failure is still slowed, and
    // still answered.
    assert_eq!(
        try_login(&app, "nobody@example.eu", "a guess!").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(entries(&app, "login_failed").len(), 1);
}

#[tokio::test]
async fn a_locked_account_writes_two_entries_however_often_it_is_tried() {
    let app = spawn_app().await;
    app.add_user("victim@example.eu", "editor");
    let mut locked = 0;
    for _ in 0..20 {
        if try_login(&app, "Victim@Example.eu ", "wrong password!").await
            == StatusCode::TOO_MANY_REQUESTS
        {
            locked += 1;
        }
    }
    assert_eq!(
        locked, 16,
        "the fifth failure locks; the rest are refused unchecked"
    );
    assert_eq!(entries(&app, "login_failed").len(), 1);
    let lock = entries(&app, "login_locked");
    assert_eq!(lock.len(), 1);
    assert!(lock[0].0.contains("victim@example.eu") && lock[0].0.contains("5 failed"));
    assert_eq!(
        try_login(&app, ADMIN, PASSWORD).await,
        StatusCode::SEE_OTHER,
        "another account is not locked"
    );
}

#[tokio::test]
async fn huge_sign_in_fields_are_refused_before_anything_is_written() {
    let app = spawn_app().await;
    let before = whole_trail(&app).len();
    let huge = format!("{}@example.eu", "a".repeat(900_000));
    for (email, password) in [(huge.as_str(), "x"), (ADMIN, huge.as_str())] {
        let client = new_client();
        let r = app.login(&client, email, password).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.expect("body").contains("at most"));
    }
    assert_eq!(whole_trail(&app).len(), before, "nothing recorded");
}

#[tokio::test]
async fn wrong_current_passwords_are_counted_and_lock_the_account() {
    let app = spawn_app().await;
    let client = app.client_as("editor@example.eu", "editor").await;
    let change = |current: &'static str| {
        let app = &app;
        let client = client.clone();
        async move {
            app.post_with(
                &client,
                "/account/password",
                &[
                    ("current_password", current),
                    ("password", "a brand new passphrase"),
                    ("password_confirm", "a brand new passphrase"),
                ],
            )
            .await
            .status()
        }
    };
    for _ in 0..4 {
        assert_eq!(
            change("not my password").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(
        change("not my password").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        change(PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "locked: not even the right one is checked"
    );
    assert_eq!(entries(&app, "password_check_failed").len(), 1);
    assert_eq!(entries(&app, "login_locked").len(), 1);
}

#[tokio::test]
async fn parallel_set_ups_create_one_administrator() {
    let app = spawn_empty_app().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let address = app.address.clone();
        tasks.push(tokio::spawn(async move {
            let client = new_client();
            let html = client
                .get(format!("{address}/setup"))
                .send()
                .await
                .expect("GET /setup")
                .text()
                .await
                .expect("body");
            if !html.contains("csrf_token") {
                return StatusCode::NOT_FOUND;
            }
            client
                .post(format!("{address}/setup"))
                .form(&[
                    ("email", format!("admin{i}@example.eu").as_str()),
                    ("name", "Admin"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("csrf_token", csrf_token(&html).as_str()),
                ])
                .send()
                .await
                .expect("POST /setup")
                .status()
        }));
    }
    let mut created = 0;
    for t in tasks {
        if t.await.expect("task") == StatusCode::SEE_OTHER {
            created += 1;
        }
    }
    let mut conn = app.pool.get().expect("conn");
    let accounts: i64 = users::table.count().get_result(&mut **conn).expect("count");
    assert_eq!(accounts, 1);
    assert_eq!(created, 1);
}

#[tokio::test]
async fn an_email_without_an_account_is_answered_as_one_with_an_account() {
    let app = spawn_app().await;
    app.add_user("known@example.eu", "editor");
    let mut answers = Vec::new();
    for email in ["known@example.eu", "unknown@example.eu"] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(try_login(&app, email, "wrong password!").await);
        }
        answers.push(statuses);
    }
    assert_eq!(
        answers[0], answers[1],
        "the lock does not tell which emails have accounts"
    );
    assert_eq!(answers[1][4], StatusCode::TOO_MANY_REQUESTS);
    assert!(!whole_trail(&app).contains("unknown@example.eu"));
}
