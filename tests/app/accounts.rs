//! Accounts, roles, sessions, throttling and the audit trail.

use diesel::RunQueryDsl;
use reqwest::StatusCode;

use crate::helpers::*;

/// Every page a signed-in user can open, with sample ids filled in by the caller.
const PAGES: &[&str] = &[
    "/",
    "/activities",
    "/activities/new",
    "/activities/1",
    "/activities/1/edit",
    "/activities/1/clone",
    "/activities/1/retire",
    "/organisations",
    "/organisations/new",
    "/organisations/1",
    "/organisations/1/edit",
    "/parties",
    "/parties/new",
    "/parties/1",
    "/parties/1/edit",
    "/catalogues",
    "/catalogues/data-categories",
    "/catalogues/data-categories/new",
    "/catalogues/data-categories/1/edit",
    "/checks",
    "/export.csv",
    "/export.json",
    "/export.pdf",
    "/audit",
    "/audit.csv",
    "/users",
    "/users/new",
    "/users/1/edit",
    "/account",
    "/no/such/page",
];

async fn seed(app: &TestApp) -> String {
    let org = app.create_organisation("Acme Ltd").await.to_string();
    app.create_party("Mail GmbH", "processor", "DE").await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "CRM"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    org
}

#[tokio::test]
async fn every_page_sends_an_anonymous_visitor_to_log_in() {
    let app = spawn_app().await;
    seed(&app).await;
    let anonymous = new_client();
    for path in PAGES {
        let r = anonymous
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        let to = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(to.starts_with("/login?next="), "{path} -> {to}");
    }
    for path in ["/login", "/assets/style.css", "/health"] {
        let r = anonymous
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path} is public");
    }
    let (status, _) = app.get_with(&anonymous, "/setup").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "set-up is gone once an account exists"
    );
    let r = app
        .post_with(
            &anonymous,
            "/organisations",
            &[
                ("name", "Anon"),
                ("legal_address", "x"),
                ("email", "a@b.ie"),
                ("country", "IE"),
            ],
        )
        .await;
    // A well-formed form without a session gets the log-in page carrying its input (see
    // `kept_work`), and nothing is saved.
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.expect("body").contains("action=\"/login\""));
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("Anon"), "an anonymous POST changes nothing");
}

#[tokio::test]
async fn the_first_start_offers_a_one_time_set_up() {
    let app = spawn_empty_app().await;
    let (status, _) = app.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let r = app
        .client
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/setup")
    );
    let (status, html) = app.get("/setup").await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf_token(&html);
    let r = app
        .post_raw(
            "/setup",
            &[
                ("email", "dpo@example.eu"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&r.text().await.expect("body"), "password")
        .expect("error")
        .contains("12 characters"));
    let r = app
        .post_raw(
            "/setup",
            &[
                ("email", "dpo@example.eu"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = app.get("/").await;
    assert_eq!(status, StatusCode::OK, "signed in after set-up");
    assert!(html.contains("dpo@example.eu"));
    assert!(html.contains("Administrator"));
    let (status, _) = app.get("/setup").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_auditor_reads_and_downloads_but_changes_nothing() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let auditor = app.client_as("auditor@example.eu", "auditor").await;
    for path in [
        "/activities",
        "/activities/1",
        "/organisations/1",
        "/parties/1",
        "/catalogues/data-categories",
        "/export.csv",
        "/export.json",
        "/audit",
        "/audit.csv",
    ] {
        let (status, _) = app.get_with(&auditor, path).await;
        assert_eq!(status, StatusCode::OK, "auditor reads {path}");
    }
    let (_, html) = app.get_with(&auditor, "/activities/1").await;
    for control in [
        "/activities/1/edit",
        "/activities/1/clone",
        "/status",
        "New activity",
    ] {
        assert!(!html.contains(control), "no edit control {control}");
    }
    let (_, html) = app.get_with(&auditor, "/organisations/1").await;
    assert!(!html.contains("/delete") && !html.contains("/organisations/1/edit"));
    let before = app.get("/export.json").await.1;
    for path in [
        "/activities/new",
        "/activities/1/edit",
        "/activities/1/clone",
        "/organisations/new",
        "/parties/1/edit",
        "/catalogues/data-categories/new",
        "/users",
    ] {
        let (status, _) = app.get_with(&auditor, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "auditor may not open {path}");
    }
    let forbidden: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/activities",
            vec![
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Sneaky"),
            ],
        ),
        (
            "/activities/1",
            vec![
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Sneaky"),
                ("version", "1"),
            ],
        ),
        (
            "/activities/1/status",
            vec![("status", "retired"), ("version", "1")],
        ),
        (
            "/organisations",
            vec![
                ("name", "Sneaky"),
                ("legal_address", "x"),
                ("email", "a@b.ie"),
                ("country", "IE"),
            ],
        ),
        ("/organisations/1/delete", vec![]),
        ("/parties", vec![("name", "Sneaky"), ("kind", "processor")]),
        ("/parties/1/delete", vec![]),
        (
            "/catalogues/data-categories",
            vec![("label", "Sneaky"), ("sensitivity", "standard")],
        ),
        (
            "/users",
            vec![
                ("email", "x@y.eu"),
                ("role", "admin"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        ),
    ];
    for (path, form) in &forbidden {
        let r = app.post_with(&auditor, path, form).await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "auditor may not POST {path}"
        );
    }
    let after = app.get("/export.json").await.1;
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).expect("json");
        v.as_object_mut().expect("obj").remove("generated_at");
        v
    };
    assert_eq!(strip(&before), strip(&after), "the register is unchanged");
}

#[tokio::test]
async fn an_editor_keeps_the_register_but_cannot_manage_accounts() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let editor = app.client_as("editor@example.eu", "editor").await;
    let r = app
        .post_with(
            &editor,
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Newsletter"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.get_with(&editor, "/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = app
        .post_with(
            &editor,
            "/users",
            &[
                ("email", "x@y.eu"),
                ("role", "admin"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.get("/users").await;
    assert!(!html.contains("x@y.eu"));
}

#[tokio::test]
async fn two_sessions_editing_one_activity_give_one_save_and_one_conflict() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let other = app.client_as("editor@example.eu", "editor").await;
    let (_, form_a) = app.get("/activities/1/edit").await;
    let (_, form_b) = app.get_with(&other, "/activities/1/edit").await;
    let va = input_value(&form_a, "version").expect("version");
    let vb = input_value(&form_b, "version").expect("version");
    let a = app
        .post(
            "/activities/1",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "CRM (A)"),
                ("version", &va),
            ],
        )
        .await;
    let b = app
        .post_with(
            &other,
            "/activities/1",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "CRM (B)"),
                ("version", &vb),
            ],
        )
        .await;
    assert_eq!(a.status(), StatusCode::SEE_OTHER);
    assert_eq!(b.status(), StatusCode::CONFLICT);
    let html = b.text().await.expect("body");
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("CRM (B)"),
        "B's input kept"
    );
    assert!(
        html.contains("CRM (A)"),
        "the conflict page shows what changed meanwhile"
    );
}

#[tokio::test]
async fn repeated_failed_log_ins_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    app.add_user("victim@example.eu", "editor");
    let client = new_client();
    for _ in 0..4 {
        let r = app
            .login(&client, "victim@example.eu", "wrong password!")
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = app
        .login(&client, "victim@example.eu", "wrong password!")
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = app.login(&client, "victim@example.eu", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(r.text().await.expect("body").contains("locked until"));
    let (_, audit) = app.get("/audit?action=login_failed").await;
    assert!(audit.contains("victim@example.eu"));
}

#[tokio::test]
async fn logging_out_ends_the_session_and_idle_sessions_expire() {
    let app = spawn_app().await;
    let r = app.post("/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    let client = app.client_as("idle@example.eu", "editor").await;
    let (status, _) = app.get_with(&client, "/").await;
    assert_eq!(status, StatusCode::OK);
    {
        let mut conn = app.pool.get().expect("conn");
        let old = chrono::Utc::now().naive_utc() - chrono::Duration::hours(3);
        diesel::update(ropa::store::schema::sessions::table)
            .set(ropa::store::schema::sessions::last_seen_at.eq(old))
            .execute(&mut **conn)
            .expect("age sessions");
    }
    // Written behind the server's back, as another process would: seen once the moment the
    // server remembers a session for has passed.
    tokio::time::sleep(ropa::web::session_memo::MEMO_FOR).await;
    let (status, _) = app.get_with(&client, "/").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "an idle session ends");
}

use diesel::ExpressionMethods;

#[tokio::test]
async fn the_last_active_administrator_cannot_be_demoted_and_passwords_change() {
    let app = spawn_app().await;
    let (_, form) = app.get("/users/1/edit").await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            "/users/1",
            &[("role", "editor"), ("active", "on"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("last active administrator"));
    let r = app
        .post(
            "/account/password",
            &[
                ("current_password", "nope nope nope"),
                ("password", "a new long password"),
                ("password_confirm", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "a new long password"),
                ("password_confirm", "a new long password"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let fresh = new_client();
    assert_eq!(
        app.login(&fresh, ADMIN, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&fresh, ADMIN, "a new long password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn passwords_never_appear_in_clear_in_the_database_logs_or_trail() {
    let app = spawn_app().await;
    let secret = "Very Secret Passphrase 42";
    let out = ropa_env(
        &app.database_url,
        &[
            "user",
            "add",
            "--email",
            "cli@example.eu",
            "--role",
            "auditor",
        ],
        &[("ROPA_PASSWORD", secret)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains(secret), "not in the command's output");
    let client = new_client();
    let _ = app
        .login(&client, "cli@example.eu", "Wrong Secret Passphrase 42")
        .await;
    assert_eq!(
        app.login(&client, "cli@example.eu", secret).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, json) = app.get("/export.json").await;
    assert!(!json.contains(secret));
    let (_, trail) = app.get("/audit.csv").await;
    assert!(
        !trail.contains(secret) && !trail.contains("Wrong Secret"),
        "not in the audit trail"
    );
    let mut conn = app.pool.get().expect("conn");
    #[derive(diesel::QueryableByName)]
    struct Hash {
        #[diesel(sql_type = diesel::sql_types::Text)]
        password_hash: String,
    }
    let hashes: Vec<Hash> = diesel::sql_query("SELECT password_hash FROM users")
        .load(&mut **conn)
        .expect("hashes");
    for h in hashes {
        assert!(h.password_hash.starts_with("$argon2id$"), "argon2id");
        assert!(!h.password_hash.contains(secret));
    }
}

#[tokio::test]
async fn tampering_with_the_audit_trail_is_detected_and_named() {
    let app = spawn_app().await;
    seed(&app).await;
    let ok = ropa_env(&app.database_url, &["audit", "verify"], &[]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let (_, page) = app.get("/audit").await;
    assert!(page.contains("Chain intact"));
    let run = |sql: &str| {
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query(sql).execute(&mut **conn).expect("tamper");
    };
    let verify = || {
        let out = ropa_env(&app.database_url, &["audit", "verify"], &[]);
        assert!(!out.status.success(), "verify fails");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    run("UPDATE audit_log SET entity_label = 'nothing to see' WHERE seq = 3");
    assert!(verify().contains("entry 3 was altered"));
    let (_, page) = app.get("/audit").await;
    assert!(
        page.contains("Chain broken") && page.contains("entry 3"),
        "the UI shows the verdict"
    );
    run("DELETE FROM audit_log WHERE seq = 3");
    assert!(verify().contains("entry 3 was removed"));
    run("INSERT INTO audit_log (seq, at, user_id, user_email, action, entity_type, entity_id, entity_label, before_value, after_value, prev_hash, hash) SELECT 3, at, user_id, user_email, 'create', entity_type, entity_id, 'forged', before_value, after_value, prev_hash, hash FROM audit_log WHERE seq = 2");
    let msg = verify();
    assert!(msg.contains("entry 3"), "{msg}");
    run("DELETE FROM audit_log WHERE seq = 3");
    run("INSERT INTO audit_log (seq, at, user_id, user_email, action, entity_type, entity_id, entity_label, before_value, after_value, prev_hash, hash) SELECT seq + 1000, at, user_id, user_email, action, entity_type, entity_id, entity_label, before_value, after_value, prev_hash, hash FROM audit_log WHERE seq = 2");
    let msg = verify();
    assert!(
        msg.contains("entry 3 was removed") || msg.contains("inserted"),
        "{msg}"
    );
}

#[tokio::test]
async fn every_change_is_in_the_trail_with_values_before_and_after() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let (_, form) = app.get("/activities/1/edit").await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            "/activities/1",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "CRM renamed"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, _) = app.get("/export.csv").await;
    let (_, csv) = app.get("/audit.csv").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let find = |action: &str, entity: &str| {
        rows.iter()
            .find(|r| &r[3] == action && &r[4] == entity)
            .cloned()
    };
    assert!(find("create", "organisation").is_some());
    assert!(find("create", "party").is_some());
    assert!(find("create", "activity").is_some());
    let update = find("update", "activity").expect("update recorded");
    assert_eq!(&update[2], ADMIN, "who");
    assert!(update[7].contains("\"name\":\"CRM\""), "before");
    assert!(update[8].contains("\"name\":\"CRM renamed\""), "after");
    assert!(find("login", "session").is_some());
    assert!(find("export", "export").is_some(), "downloads are recorded");
    let (_, page) = app.get("/activities/1").await;
    assert!(page.contains("History"), "the activity shows its trail");
}

#[tokio::test]
async fn two_servers_on_one_database_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let second = app.another_server(ropa::config::WebSettings::local());
    let other = new_client();
    let r = login_at(&second, &other).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a session works on the other instance's database"
    );
    let mut tasks = Vec::new();
    for i in 0..12 {
        let (address, client) = if i % 2 == 0 {
            (app.address.clone(), app.client.clone())
        } else {
            (second.clone(), other.clone())
        };
        let org = org.clone();
        tasks.push(tokio::spawn(async move {
            let html = csrf_at(&client, &address).await;
            let name = format!("Concurrent {i}");
            client
                .post(format!("{address}/activities"))
                .form(&[
                    ("organisation_id", org.as_str()),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", name.as_str()),
                    ("csrf_token", html.as_str()),
                ])
                .send()
                .await
                .expect("post")
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), StatusCode::SEE_OTHER);
    }
    let out = ropa_env(&app.database_url, &["audit", "verify"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.activity_count(), 13);
}

/// Saves, saves that move an activity to another organisation (numbered there), creations and a
/// delete, all at once on two instances: every answer is a save (303) or a conflict (409),
/// never an error; of saves sent at the same version exactly one wins; every win is in the
/// trail, and the chain verifies.
#[tokio::test]
async fn mixed_concurrent_writes_on_two_instances_keep_one_unbroken_chain() {
    let app = spawn_app().await;
    let org = seed(&app).await;
    let other_org = app.create_organisation("Beta GmbH").await.to_string();
    let mut ids = Vec::new();
    for i in 0..6 {
        let name = format!("Activity {i}");
        let r = app
            .post(
                "/activities",
                &[
                    ("organisation_id", org.as_str()),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", name.as_str()),
                ],
            )
            .await;
        ids.push(id_from_location(&r));
    }
    let spare = app.create_party("Spare Ltd", "processor", "FR").await;
    let second = app.another_server(ropa::config::WebSettings::local());
    let other = new_client();
    assert_eq!(
        login_at(&second, &other).await.status(),
        StatusCode::SEE_OTHER
    );

    // (activity, path, form) for every request, sent all at once.
    type Request = (Option<i64>, String, Vec<(String, String)>);
    let mut requests: Vec<Request> = Vec::new();
    let field = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    for (n, id) in ids.iter().enumerate() {
        for attempt in 0..3 {
            // The last activity's first attempt moves it to the other organisation without a
            // reference: it is numbered there.
            let organisation = if n == 5 && attempt == 0 {
                &other_org
            } else {
                &org
            };
            requests.push((
                Some(*id),
                format!("/activities/{id}"),
                vec![
                    field("organisation_id", organisation),
                    field("role", "controller"),
                    field("status", "draft"),
                    field("name", &format!("Activity {n}, attempt {attempt}")),
                    field("version", "1"),
                ],
            ));
        }
    }
    for i in 0..3 {
        requests.push((
            None,
            "/activities".into(),
            vec![
                field("organisation_id", &other_org),
                field("role", "controller"),
                field("status", "draft"),
                field("name", &format!("New {i}")),
            ],
        ));
    }
    requests.push((None, format!("/parties/{spare}/delete"), vec![]));

    let mut tasks = Vec::new();
    for (i, (activity, path, mut form)) in requests.into_iter().enumerate() {
        let (address, client) = if i % 2 == 0 {
            (app.address.clone(), app.client.clone())
        } else {
            (second.clone(), other.clone())
        };
        tasks.push(tokio::spawn(async move {
            form.push(("csrf_token".into(), csrf_at(&client, &address).await));
            let r = client
                .post(format!("{address}{path}"))
                .form(&form)
                .send()
                .await
                .expect("post");
            let status = r.status();
            (activity, path, status, r.text().await.expect("body"))
        }));
    }
    let mut wins = std::collections::HashMap::new();
    for t in tasks {
        let (activity, path, status, body) = t.await.expect("task");
        assert!(
            status == StatusCode::SEE_OTHER || status == StatusCode::CONFLICT,
            "{path}: {status} {body}"
        );
        if let (Some(id), StatusCode::SEE_OTHER) = (activity, status) {
            *wins.entry(id).or_insert(0) += 1;
        }
    }
    for id in &ids {
        assert_eq!(
            wins.get(id),
            Some(&1),
            "one save at version 1 wins for {id}"
        );
    }
    let out = ropa_env(&app.database_url, &["audit", "verify"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut conn = app.pool.get().expect("conn");
    use diesel::QueryDsl;
    use ropa::store::schema::audit_log;
    let updates: i64 = audit_log::table
        .filter(audit_log::action.eq("update"))
        .filter(audit_log::entity_type.eq("activity"))
        .count()
        .get_result(&mut **conn)
        .expect("count");
    assert_eq!(
        updates,
        ids.len() as i64,
        "every winning save is in the trail"
    );
    assert_eq!(app.activity_count(), 10);
}

/// The CSRF token a client holds at an instance (read from its log-in page).
async fn csrf_at(client: &reqwest::Client, address: &str) -> String {
    let page = client
        .get(format!("{address}/login"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    csrf_token(&page)
}

async fn login_at(address: &str, client: &reqwest::Client) -> reqwest::Response {
    let token = csrf_at(client, address).await;
    client
        .post(format!("{address}/login"))
        .form(&[
            ("email", ADMIN),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("login")
}

#[tokio::test]
async fn every_pages_title_is_plain_text() {
    let app = spawn_app().await;
    seed(&app).await;
    // A change gives the activity page a history table: its title once held that table's HTML.
    let (_, page) = app.get("/activities/1").await;
    let version = input_value(&page, "version").expect("version");
    let r = app
        .post(
            "/activities/1/status",
            &[
                ("status", "retired"),
                ("version", &version),
                ("reason", "<b>Replaced</b> & gone"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let anonymous = new_client();
    let (_, login) = app.get_with(&anonymous, "/login").await;
    let mut pages: Vec<(String, String)> = vec![("/login".into(), login)];
    for path in PAGES {
        if path.starts_with("/export") || path.ends_with(".csv") {
            continue;
        }
        let (_, html) = app.get(path).await;
        pages.push(((*path).to_owned(), html));
    }
    let title = scraper::Selector::parse("title").expect("selector");
    for (path, html) in pages {
        let doc = scraper::Html::parse_document(&html);
        let titles: Vec<String> = doc
            .select(&title)
            .map(|t| t.text().collect::<String>())
            .collect();
        assert_eq!(titles.len(), 1, "{path}: one title");
        let t = titles[0].trim();
        assert!(!t.is_empty(), "{path}: a title");
        assert!(
            !t.contains('<') && !t.contains('>') && !t.contains("&lt;") && !t.contains("&amp;"),
            "{path}: the title is plain text: {t:?}"
        );
        assert!(t.len() < 200, "{path}: a title, not a page: {t:?}");
    }
}

#[tokio::test]
async fn the_audit_trail_reads_field_by_field_in_words_and_hides_sign_ins_unless_asked() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post_activity(
            &org,
            "draft",
            "Payroll",
            &[
                ("purposes[0].description", "Pay salaries"),
                ("purposes[0].bases", "contract"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from_location(&r);
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/activities/{id}"),
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Payroll and expenses"),
                ("version", &version),
                ("purposes[0].description", "Pay salaries"),
                ("purposes[0].bases", "contract"),
                ("purposes[0].bases", "legal_obligation"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let (_, html) = app
        .get(&format!("/audit?entity=activity&id={id}&action=update"))
        .await;
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("table.diff tbody tr").expect("selector");
    let changes: Vec<Vec<String>> = doc
        .select(&rows)
        .map(|tr| {
            tr.text()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    assert!(
        changes.contains(&vec![
            "name".to_owned(),
            "Payroll".to_owned(),
            "Payroll and expenses".to_owned()
        ]),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|c| c[0] == "purposes[0].lawful_bases[1]"
            && c.last().map(String::as_str) == Some("legal_obligation")),
        "a nested list's new item: {changes:?}"
    );
    assert!(
        !changes.iter().any(|c| c[0] == "purposes[0].description"),
        "unchanged fields are not listed"
    );
    let text = page_text(&html);
    assert!(
        text.contains("Changed") && text.contains("Processing activity"),
        "in words"
    );

    // Sign-ins only when asked for; dates filter.
    let actions = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let cells = scraper::Selector::parse(".table-wrap > table > tbody > tr > td:nth-child(4)")
            .expect("selector");
        doc.select(&cells).map(|td| td.text().collect()).collect()
    };
    let (_, html) = app.get("/audit").await;
    let shown = actions(&html);
    assert!(shown.contains(&"Changed".to_owned()), "{shown:?}");
    assert!(
        !shown.contains(&"Signed in".to_owned()),
        "hidden by default: {shown:?}"
    );
    let (_, html) = app.get("/audit?signins=1").await;
    assert!(actions(&html).contains(&"Signed in".to_owned()));
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let (_, html) = app.get(&format!("/audit?from={tomorrow}")).await;
    assert!(
        page_text(&html).contains("0 entries"),
        "nothing after today"
    );
    let today = chrono::Utc::now().date_naive();
    let (_, html) = app.get(&format!("/audit?from={today}&to={today}")).await;
    assert!(page_text(&html).contains("Payroll and expenses"));
    let (status, html) = app.get("/audit?from=31.12.2026").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("from"), "the filter is named");
}
