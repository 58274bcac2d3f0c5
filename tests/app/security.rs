//! Forged requests and security headers.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let form = [
        ("name", "Forged Ltd"),
        ("legal_address", "x"),
        ("email", "a@b.ie"),
        ("country", "IE"),
    ];
    let _ = app.get("/").await;
    let r = app.post_raw("/organisations", &form).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut wrong = form.to_vec();
    wrong.push(("csrf_token", "0000"));
    let r = app.post_raw("/organisations", &wrong).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("Forged Ltd"));
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = spawn_app().await;
    let token = app.csrf().await;
    let form = [
        ("name", "Forged Ltd"),
        ("legal_address", "x"),
        ("email", "a@b.ie"),
        ("country", "IE"),
        ("csrf_token", &token),
    ];
    let r = app
        .client
        .post(format!("{}/organisations", app.address))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .post(format!("{}/organisations", app.address))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("Forged Ltd"));
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/activities", app.address))
        .send()
        .await
        .expect("get");
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("form-action 'self'")
    );
    assert_eq!(
        h.get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    assert_eq!(
        h.get("referrer-policy").and_then(|v| v.to_str().ok()),
        Some("same-origin")
    );
    let fresh = new_client();
    let r = fresh
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("get");
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let r = app.login(&fresh, ADMIN, PASSWORD).await;
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("ropa_session="))
        .unwrap_or_default()
        .to_owned();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
}

#[tokio::test]
async fn signing_in_never_sends_the_user_to_another_host() {
    let app = spawn_empty_app().await;
    app.add_user(ADMIN, "admin");
    let base = reqwest::Url::parse(&app.address).expect("address");
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\nx",
        "/%0Ax",
        "/activities?q=łódź 名",
    ] {
        let client = new_client();
        let (_, html) = app.get_with(&client, "/login").await;
        let r = client
            .post(format!("{}/login", app.address))
            .form(&[
                ("email", ADMIN),
                ("password", PASSWORD),
                ("next", next),
                ("csrf_token", &csrf_token(&html)),
            ])
            .send()
            .await
            .expect("POST /login");
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let to = base.join(&location).expect("a URL");
        assert_eq!(to.origin(), base.origin(), "{next:?} -> {location:?}");
        let (status, _) = app.get_with(&client, &location).await;
        assert!(
            status.is_success() || status == StatusCode::NOT_FOUND,
            "{next:?} -> {status}"
        );
    }
}

#[tokio::test]
async fn pages_and_downloads_are_never_kept_by_a_cache() {
    let app = spawn_app().await;
    let cache_control = |r: &reqwest::Response| {
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    for path in [
        "/",
        "/activities",
        "/activities/999999",
        "/organisations",
        "/audit",
        "/audit.csv",
        "/export.csv",
        "/account",
    ] {
        let r = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("get");
        assert_eq!(cache_control(&r), "no-store", "{path} ({})", r.status());
    }
    let anonymous = new_client();
    let r = anonymous
        .get(format!("{}/login", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(cache_control(&r), "no-store", "/login");
    let r = anonymous
        .get(format!("{}/assets/style.css", app.address))
        .send()
        .await
        .expect("get");
    assert!(
        cache_control(&r).contains("max-age"),
        "assets may be cached"
    );
}

#[tokio::test]
async fn another_site_cannot_make_a_signed_in_browser_download_the_register() {
    let app = spawn_app().await;
    let audit_entries = |app: &TestApp| {
        let mut conn = app.pool.get().expect("conn");
        ropa::store::audit::verify(&mut conn)
            .expect("verify")
            .entries
    };
    for path in ["/export.csv", "/export.pdf", "/export.json", "/audit.csv"] {
        let before = audit_entries(&app);
        for site in ["cross-site", "same-site"] {
            let r = app
                .client
                .get(format!("{}{path}", app.address))
                .header("sec-fetch-site", site)
                .send()
                .await
                .expect("get");
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} from {site}");
        }
        assert_eq!(audit_entries(&app), before, "{path}: nothing recorded");
        for site in [Some("same-origin"), Some("none"), None] {
            let mut req = app.client.get(format!("{}{path}", app.address));
            if let Some(site) = site {
                req = req.header("sec-fetch-site", site);
            }
            let r = req.send().await.expect("get");
            assert_eq!(r.status(), StatusCode::OK, "{path} from {site:?}");
        }
    }
}

#[tokio::test]
async fn page_numbers_never_wrap_round() {
    let app = spawn_app().await;
    for path in [
        "/audit?page=9223372036854775807",
        "/audit?page=4611686018427387904",
        "/audit?page=0",
        "/audit?page=-1",
        "/activities?page=9223372036854775807",
        "/activities?page=0",
        "/activities?per_page=9223372036854775807",
    ] {
        let (status, html) = app.get(path).await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::OK,
            "{path}: {status}"
        );
        assert!(!html.contains("Page -"), "{path} shows a negative page");
        if status == StatusCode::BAD_REQUEST {
            assert!(
                page_text(&html).contains("page"),
                "{path}: the message names the parameter"
            );
        }
    }
    let (status, html) = app.get("/audit?page=1000000").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Page -"));
}

/// A form to post: its path, its fields, the field holding the hostile value, its table.
type HostileForm<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);

/// Values one backend stores and the other refuses, or that are no value at all.
const HOSTILE_TEXT: &[&str] = &[
    "\u{0}",
    "Acme\u{0}Ltd",
    "bell\u{7}",
    "\u{1b}[31mred",
    "\u{200B}\u{FEFF}\u{2060}",
];
const HOSTILE_DATES: &[&str] = &[
    "-5000-01-01",
    "0000-01-01",
    "1899-12-31",
    "10000-01-01",
    "+275760-09-13",
];

#[tokio::test]
async fn hostile_values_are_refused_on_their_field_on_every_path_and_never_crash() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme").await.to_string();
    let count = |app: &TestApp, table: &str| -> i64 {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .get_result::<N>(&mut **conn)
            .expect("count")
            .n
    };
    let refused = |status: StatusCode, what: &str| {
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
            "{what}: {status}"
        );
    };
    for value in HOSTILE_TEXT {
        let forms: Vec<HostileForm> = vec![
            (
                "/organisations",
                vec![
                    ("name", value),
                    ("legal_address", "x"),
                    ("email", "a@b.ie"),
                    ("country", "IE"),
                ],
                "name",
                "organisations",
            ),
            (
                "/organisations",
                vec![
                    ("name", "Other"),
                    ("legal_address", value),
                    ("email", "a@b.ie"),
                    ("country", "IE"),
                ],
                "legal_address",
                "organisations",
            ),
            (
                "/parties",
                vec![("name", value), ("kind", "processor")],
                "name",
                "parties",
            ),
            (
                "/catalogues/data-categories",
                vec![("label", value)],
                "label",
                "data_categories",
            ),
            (
                "/activities",
                vec![
                    ("organisation_id", &org),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", value),
                ],
                "name",
                "activities",
            ),
            (
                "/activities",
                vec![
                    ("organisation_id", &org),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", "Payroll"),
                    ("purposes[0].description", value),
                ],
                "purposes[0].description",
                "activities",
            ),
        ];
        for (path, pairs, field, table) in forms {
            let name = matches!(field, "name" | "label");
            if !value.chars().any(|c| c.is_control()) && !name {
                // Invisible characters alone are blank only where a name is required.
                continue;
            }
            let before = count(&app, table);
            let r = app.post(path, &pairs).await;
            let status = r.status();
            let html = r.text().await.expect("body");
            refused(status, &format!("{path} {field}={value:?}"));
            assert!(
                field_error(&html, field).is_some(),
                "{path}: the error stands by {field} for {value:?}"
            );
            assert_eq!(count(&app, table), before, "{path}: nothing stored");
        }
        for path in ["/activities?q=", "/audit?user=", "/export.csv?q="] {
            let url = format!("{}{path}{}", app.address, urlencode(value));
            let r = app.client.get(url).send().await.expect("get");
            assert!(
                r.status() != StatusCode::INTERNAL_SERVER_ERROR,
                "{path}{value:?}"
            );
        }
        let client = new_client();
        let r = app
            .login(&client, &format!("x{value}@example.eu"), "whatever")
            .await;
        assert!(
            r.status().is_client_error(),
            "sign-in with {value:?}: {}",
            r.status()
        );
    }
    for date in HOSTILE_DATES {
        let r = app
            .post(
                "/parties",
                &[
                    ("name", "Dated"),
                    ("kind", "processor"),
                    ("contract_date", date),
                ],
            )
            .await;
        let status = r.status();
        let html = r.text().await.expect("body");
        refused(status, &format!("contract_date {date}"));
        assert!(field_error(&html, "contract_date").is_some(), "{date}");
        let r = app
            .post(
                "/activities",
                &[
                    ("organisation_id", &org),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", "Dated"),
                    ("next_review", date),
                ],
            )
            .await;
        let status = r.status();
        let html = r.text().await.expect("body");
        refused(status, &format!("next_review {date}"));
        assert!(field_error(&html, "next_review").is_some(), "{date}");
    }
    assert_eq!(count(&app, "parties"), 0);
}

/// Percent-encodes a query value.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The `Set-Cookie` headers of a response, whole.
fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

/// The value a `Set-Cookie` header gives `name`, if it sets it.
fn cookie_value(headers: &[String], name: &str) -> Option<String> {
    headers.iter().find_map(|h| {
        h.strip_prefix(&format!("{name}="))
            .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
    })
}

#[tokio::test]
async fn behind_tls_every_cookie_is_secure_and_signing_in_changes_the_csrf_token() {
    let app = spawn_empty_app().await;
    app.add_user(ADMIN, "admin");
    let address = app.another_server(ropa::config::WebSettings {
        secure_cookies: true,
        ..ropa::config::WebSettings::local()
    });
    let client = new_client();
    let r = client
        .get(format!("{address}/login"))
        .send()
        .await
        .expect("GET /login");
    let first = set_cookies(&r);
    let planted = cookie_value(&first, "ropa_csrf").expect("a CSRF cookie");
    let html = r.text().await.expect("body");
    let r = client
        .post(format!("{address}/login"))
        .form(&[
            ("email", ADMIN),
            ("password", PASSWORD),
            ("csrf_token", csrf_token(&html).as_str()),
        ])
        .send()
        .await
        .expect("POST /login");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookies = set_cookies(&r);
    for name in ["ropa_session", "ropa_csrf", "ropa_flash"] {
        let header = cookies
            .iter()
            .find(|h| h.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} is set at sign-in: {cookies:?}"));
        assert!(header.contains("Secure"), "{header}");
    }
    for header in &first {
        assert!(header.contains("Secure"), "{header}");
    }
    let fresh = cookie_value(&cookies, "ropa_csrf").expect("a new CSRF cookie");
    assert_ne!(fresh, planted, "a token from before signing in is void");

    // Over plain http (the cookies without Secure): a form sent with the token planted before
    // signing in fails the double submit, the new one passes.
    let client = new_client();
    let (_, html) = app.get_with(&client, "/login").await;
    let planted = csrf_token(&html);
    let r = app.login(&client, ADMIN, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let org = |token: String| {
        let (client, address) = (client.clone(), app.address.clone());
        async move {
            client
                .post(format!("{address}/organisations"))
                .form(&[
                    ("name", "Planted"),
                    ("legal_address", "x"),
                    ("email", "a@b.ie"),
                    ("country", "IE"),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .expect("POST")
                .status()
        }
    };
    assert!(org(planted).await.is_client_error());
    let (_, html) = app.get_with(&client, "/organisations/new").await;
    assert_eq!(org(csrf_token(&html)).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn with_a_public_url_forms_are_accepted_from_that_origin_only() {
    let app = spawn_empty_app().await;
    app.add_user(ADMIN, "admin");
    let address = app.another_server(ropa::config::WebSettings {
        public_origin: ropa::config::origin_of("https://ropa.example.eu/"),
        ..ropa::config::WebSettings::local()
    });
    for (origin, accepted) in [
        (address.as_str(), false),
        ("https://evil.example", false),
        ("https://ropa.example.eu", true),
        ("https://ROPA.example.eu:443", true),
    ] {
        let client = new_client();
        let html = client
            .get(format!("{address}/login"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        let r = client
            .post(format!("{address}/login"))
            .header("origin", origin)
            .form(&[
                ("email", ADMIN),
                ("password", PASSWORD),
                ("csrf_token", csrf_token(&html).as_str()),
            ])
            .send()
            .await
            .expect("POST /login");
        if accepted {
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{origin}");
        } else {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
        }
    }
}

#[tokio::test]
async fn downloads_beyond_the_free_slots_are_answered_busy_and_slots_come_back() {
    let app = spawn_app().await;
    app.create_organisation("Acme").await;
    let count_exports = |app: &TestApp| {
        use diesel::prelude::*;
        use ropa::store::schema::audit_log;
        let mut conn = app.pool.get().expect("conn");
        audit_log::table
            .filter(audit_log::action.eq("export"))
            .count()
            .get_result::<i64>(&mut **conn)
            .expect("count")
    };
    // No free slot at all: every download is refused at once, and nothing is recorded.
    let full = app.another_server(ropa::config::WebSettings {
        export_slots: 0,
        ..ropa::config::WebSettings::local()
    });
    let before = count_exports(&app);
    for path in ["/export.pdf", "/export.csv", "/export.json"] {
        let r = app
            .client
            .get(format!("{full}{path}"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(
            r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
            Some("5")
        );
        assert!(r.text().await.expect("body").contains("Try again"));
    }
    assert_eq!(count_exports(&app), before);
    // One slot: downloads one after the other all get it back.
    let one = app.another_server(ropa::config::WebSettings {
        export_slots: 1,
        ..ropa::config::WebSettings::local()
    });
    for path in ["/export.pdf", "/export.csv", "/export.json", "/export.json"] {
        let r = app
            .client
            .get(format!("{one}{path}"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(!r.bytes().await.expect("body").is_empty());
    }
}
