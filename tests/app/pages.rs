//! Kept pages (`web::page_cache`): a page served from memory is byte for byte the page
//! rendered afresh, for each reader and role, and the next change anywhere on the database,
//! by this instance or another, replaces it.

use std::rc::Rc;

use diesel::RunQueryDsl;
use reqwest::{Client, StatusCode};

use crate::helpers::*;
use ropa::config::WebSettings;

async fn body(client: &Client, address: &str, path: &str) -> String {
    let r = client
        .get(format!("{address}{path}"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::OK, "GET {path} at {address}");
    r.text().await.expect("body")
}

fn first_activity(list: &str) -> i64 {
    list.split("href=\"/activities/")
        .skip(1)
        .find_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            rest[digits.len()..]
                .starts_with('"')
                .then(|| digits.parse().ok())
                .flatten()
        })
        .expect("a link to an activity")
}

#[tokio::test]
async fn kept_pages_are_the_pages_rendered_afresh_for_every_reader() {
    let app = spawn_app().await;
    {
        let mut conn = app.pool.get().expect("conn");
        ropa::demo::load(&mut conn).expect("demo");
    }
    let editor = app.client_as("editor@example.eu", "editor").await;
    let auditor = app.client_as("auditor@example.eu", "auditor").await;
    let afresh = app.another_server(WebSettings {
        page_cache_bytes: 0,
        ..WebSettings::local()
    });
    let id = first_activity(&body(&app.client, &app.address, "/activities").await);
    let paths = [
        "/".to_owned(),
        "/activities".to_owned(),
        "/activities?status=all&sort=name&dir=desc".to_owned(),
        "/activities?q=payroll".to_owned(),
        "/checks".to_owned(),
        format!("/activities/{id}"),
    ];
    let readers = [
        (ADMIN, &app.client),
        ("editor@example.eu", &editor),
        ("auditor@example.eu", &auditor),
    ];
    for (_, client) in readers {
        // The "Signed in." message is shown once, on the next page.
        body(client, &app.address, "/account").await;
    }
    let mut seen = Vec::new();
    for (email, client) in readers {
        for path in &paths {
            let first = body(client, &app.address, path).await;
            let kept = body(client, &app.address, path).await;
            let fresh = body(client, &afresh, path).await;
            assert_eq!(first, fresh, "{email} {path}: first answer");
            assert_eq!(kept, fresh, "{email} {path}: kept answer");
            assert!(kept.contains(email), "{email} {path}: own email");
            let token = csrf_token(&kept);
            assert_eq!(token.len(), 64, "{email} {path}: a CSRF token");
            seen.push((email, path.clone(), token, kept));
        }
    }
    // Each reader gets their own token and email in the same page, and roles differ.
    let page_of = |email: &str, path: &str| {
        seen.iter()
            .find(|(e, p, _, _)| *e == email && p == path)
            .expect("seen")
            .clone()
    };
    let show = format!("/activities/{id}");
    let (_, _, admin_token, _) = page_of(ADMIN, &show);
    let (_, _, editor_token, editor_page) = page_of("editor@example.eu", &show);
    let (_, _, _, auditor_page) = page_of("auditor@example.eu", &show);
    assert_ne!(admin_token, editor_token);
    let edit_link = format!("href=\"/activities/{id}/edit\"");
    assert!(editor_page.contains(&edit_link), "an editor may edit");
    assert!(!auditor_page.contains(&edit_link), "an auditor may not");
}

#[tokio::test]
async fn a_change_on_any_instance_replaces_the_kept_pages() {
    let app = spawn_app().await;
    {
        let mut conn = app.pool.get().expect("conn");
        ropa::demo::load(&mut conn).expect("demo");
    }
    let other = app.another_server(WebSettings::local());
    let id = first_activity(&body(&app.client, &app.address, "/activities").await);
    let path = format!("/activities/{id}");
    let before = body(&app.client, &app.address, &path).await;
    assert!(!before.contains("Renamed behind the register"));

    // A write that bypasses the register (no audit entry, so no new revision) is not seen:
    // the page is served as kept, which is what proves it was kept.
    {
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query(format!(
            "UPDATE activities SET name = 'Renamed behind the register' WHERE id = {id}"
        ))
        .execute(&mut **conn)
        .expect("update");
    }
    assert_eq!(body(&app.client, &app.address, &path).await, before);

    // Any change through the register, here an organisation added on the other instance,
    // moves the revision: the next request renders the page again.
    let token = csrf_token(&body(&app.client, &other, "/organisations/new").await);
    let r = app
        .client
        .post(format!("{other}/organisations"))
        .form(&[
            ("name", "Nordlicht GmbH"),
            ("legal_address", "Hafenstraße 1, Hamburg"),
            ("email", "dpo@nordlicht.example"),
            ("country", "DE"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after = body(&app.client, &app.address, &path).await;
    assert!(after.contains("Renamed behind the register"), "{after}");

    // A page with a flash message is rendered for it and not kept.
    let token = csrf_token(&after);
    let version = input_value(&after, "version").expect("the status form's version");
    let r = app
        .client
        .post(format!("{}/activities/{id}/status", app.address))
        .form(&[
            ("status", "retired"),
            ("version", version.as_str()),
            ("reason", "No longer carried out."),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let with_flash = body(&app.client, &app.address, &path).await;
    assert!(with_flash.contains("class=\"flash\""), "{with_flash}");
    let next = body(&app.client, &app.address, &path).await;
    assert!(!next.contains("class=\"flash\""), "the flash is shown once");
}

/// PostgreSQL only: connections the server dropped (a restart, a failover) are replaced at
/// check-out once they have gone unchecked for a second; the reader never sees an error page.
#[tokio::test]
async fn connections_the_database_dropped_are_replaced_without_an_error_page() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("postgres") {
        return;
    }
    for _ in 0..6 {
        assert_eq!(app.get("/activities").await.0, StatusCode::OK);
    }
    {
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(&mut **conn)
        .expect("terminate the other connections");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    // At once, so that every pooled connection is taken, the dropped ones included.
    let mut answers = Vec::new();
    for path in [
        "/activities",
        "/",
        "/organisations",
        "/activities?status=all",
    ]
    .into_iter()
    .cycle()
    .take(12)
    {
        let (client, url) = (app.client.clone(), format!("{}{path}", app.address));
        answers.push(tokio::spawn(async move {
            let r = client.get(&url).send().await.expect("GET");
            (url, r.status(), r.text().await.expect("body"))
        }));
    }
    for answer in answers {
        let (url, status, html) = answer.await.expect("task");
        assert_eq!(status, StatusCode::OK, "{url}: {html}");
    }
}

/// PostgreSQL only: each worker reads sessions over its own asynchronous connection, and that
/// reader answers exactly what the pooled way does: the live session with its user and the
/// register's revision, nothing for an unknown or ended session, and "take the pooled way"
/// when it cannot connect.
#[tokio::test]
async fn on_postgresql_sessions_are_read_asynchronously_as_through_the_pool() {
    use ropa::store::pg_sessions::{PgSessions, APPLICATION_NAME};
    use ropa::store::users::{self, SessionPeek};

    let app = spawn_empty_app().await;
    if !app.database_url.starts_with("postgres") {
        return;
    }
    app.add_user(ADMIN, "admin");
    let client = new_client();
    let r = app.login(&client, ADMIN, PASSWORD).await;
    let token = r
        .cookies()
        .find(|c| c.name() == ropa::web::auth::SESSION_COOKIE)
        .map(|c| c.value().to_owned())
        .expect("session cookie");
    for _ in 0..4 {
        assert_eq!(app.get_with(&client, "/activities").await.0, StatusCode::OK);
    }
    // The server's workers read through their own connections.
    let readers: i64 = {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = '{APPLICATION_NAME}'"
        ))
        .get_result::<Count>(&mut **conn)
        .expect("count readers")
        .n
    };
    assert!(readers >= 1, "no asynchronous session reader is connected");

    // The reader runs its batches on the local task set, as on a server worker.
    tokio::task::LocalSet::new()
        .run_until(async {
            let reader = Rc::new(PgSessions::new(&app.database_url).expect("reader"));
            let pooled = {
                let mut conn = app.pool.get().expect("conn");
                users::peek_session(&mut conn, &token).expect("pooled read")
            };
            let (SessionPeek::Live(pooled), Some(SessionPeek::Live(read))) =
                (pooled, reader.peek(&token).await)
            else {
                panic!("the session is live both ways");
            };
            assert_eq!(read.user.email, ADMIN);
            assert_eq!(
                (
                    read.user.id,
                    read.user.role,
                    read.user.version,
                    read.revision
                ),
                (
                    pooled.user.id,
                    pooled.user.role,
                    pooled.user.version,
                    pooled.revision
                )
            );
            assert!(read.revision > 0, "the log-in is in the trail");
            assert!(matches!(
                reader.peek("no-such-token").await,
                Some(SessionPeek::None)
            ));

            // Many requests at once are read in batches; each gets its own token's answer,
            // whether its token is live, unknown, or the same as another's.
            let tokens: Vec<String> = (0..40)
                .map(|i| match i % 3 {
                    0 => token.clone(),
                    _ => format!("unknown-{i}"),
                })
                .collect();
            let answers =
                futures_util::future::join_all(tokens.iter().map(|t| reader.peek(t))).await;
            for (t, answer) in tokens.iter().zip(answers) {
                match answer {
                    Some(SessionPeek::Live(live)) if *t == token => {
                        assert_eq!(live.user.id, pooled.user.id)
                    }
                    Some(SessionPeek::None) if *t != token => {}
                    other => panic!("{t}: {other:?}"),
                }
            }

            let r = app.post_with(&client, "/logout", &[]).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert!(matches!(reader.peek(&token).await, Some(SessionPeek::None)));

            let unreachable =
                Rc::new(PgSessions::new("postgres://postgres@127.0.0.1:1/none").expect("reader"));
            assert!(unreachable.peek(&token).await.is_none());
        })
        .await;
}

/// Every pooled connection is set up as `store::Manager` promises: on SQLite a confirmed save
/// survives a power cut (WAL, synchronous FULL) and foreign keys are enforced; on PostgreSQL
/// prepared statements keep one generic plan.
#[tokio::test]
async fn pooled_connections_are_durable_and_keep_their_plans() {
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    let app = spawn_empty_app().await;
    let mut conn = app.pool.get().expect("conn");
    let mut read = |sql: &str| -> String {
        diesel::sql_query(sql)
            .get_result::<Setting>(&mut **conn)
            .expect(sql)
            .value
    };
    if app.database_url.starts_with("postgres") {
        assert_eq!(
            read("SELECT current_setting('plan_cache_mode') AS value"),
            "force_generic_plan"
        );
    } else {
        assert_eq!(
            read("SELECT CAST(synchronous AS TEXT) AS value FROM pragma_synchronous"),
            "2"
        );
        assert_eq!(
            read("SELECT journal_mode AS value FROM pragma_journal_mode"),
            "wal"
        );
        assert_eq!(
            read("SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys"),
            "1"
        );
    }
}

/// A backup restored while ropa runs, then edited until the revision number passes the one
/// pages were kept at: those pages belong to another history and are never served.
#[tokio::test]
async fn after_a_restore_every_page_is_rendered_afresh() {
    use diesel::prelude::*;
    use ropa::store::schema::{activities, audit_head, audit_log};
    let app = spawn_app().await;
    let org = app.create_organisation("Acme").await.to_string();
    let create = |name: &'static str| {
        let (app, org) = (&app, org.clone());
        async move {
            let r = app
                .post(
                    "/activities",
                    &[
                        ("organisation_id", org.as_str()),
                        ("role", "controller"),
                        ("status", "draft"),
                        ("name", name),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
        }
    };
    let backup: (i64, String) = {
        let mut conn = app.pool.get().expect("conn");
        audit_head::table
            .select((audit_head::seq, audit_head::last_hash))
            .first(&mut **conn)
            .expect("head")
    };
    create("Before the restore").await;
    for _ in 0..2 {
        let kept = body(&app.client, &app.address, "/activities").await;
        assert!(kept.contains("Before the restore"));
    }
    // The restore: the register and its trail as they were at the backup.
    {
        let mut conn = app.pool.get().expect("conn");
        diesel::delete(activities::table)
            .execute(&mut **conn)
            .expect("activities");
        diesel::delete(audit_log::table.filter(audit_log::seq.gt(backup.0)))
            .execute(&mut **conn)
            .expect("trail");
        diesel::update(audit_head::table)
            .set((
                audit_head::seq.eq(backup.0),
                audit_head::last_hash.eq(&backup.1),
            ))
            .execute(&mut **conn)
            .expect("head");
    }
    // Edited on: the revision number is the kept pages' again, in another history.
    create("After the restore").await;
    // Twice: the first answer shows the flash message and is never a kept page.
    for _ in 0..2 {
        let page = body(&app.client, &app.address, "/activities").await;
        assert!(page.contains("After the restore"), "{page}");
        assert!(!page.contains("Before the restore"));
    }
}
