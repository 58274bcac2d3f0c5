//! The test harness: a fresh database and a running server per test, and an HTTP client
//! that keeps cookies and does not follow redirects.

use std::net::TcpListener;

use diesel::{Connection, RunQueryDsl};
use reqwest::{redirect, Client, Response, StatusCode};
use scraper::{Html, Selector};

use ropa::domain::catalogue::CatalogueKind;
use ropa::store::{self, Pool};

/// A running app on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// Client with a cookie jar, no redirects followed.
    pub client: Client,
    /// Direct access to the database, for setup look-ups and for checking that nothing changed.
    pub pool: Pool,
    /// The database URL the app uses.
    pub database_url: String,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop_pg(self.pg.take());
    }
}

/// The database URL for a new test: a fresh PostgreSQL database when `ROPA_TEST_DATABASE_URL`
/// is set, otherwise an SQLite file in a temporary folder.
pub fn fresh_database(dir: &tempfile::TempDir) -> (String, Option<(String, String)>) {
    install_test_key();
    match std::env::var("ROPA_TEST_DATABASE_URL") {
        Ok(base) if !base.trim().is_empty() => {
            let name = format!("ropa_test_{}", hex::encode(rand::random::<[u8; 8]>()));
            let mut conn =
                diesel::PgConnection::establish(&base).expect("connect to ROPA_TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .expect("create test database");
            let (prefix, _) = base.rsplit_once('/').expect("URL has a database name");
            (format!("{prefix}/{name}"), Some((base.clone(), name)))
        }
        _ => (
            dir.path()
                .join("data/ropa.sqlite3")
                .to_string_lossy()
                .into_owned(),
            None,
        ),
    }
}

/// The audit key of every test, in this process and in the `ropa` commands tests run.
pub const TEST_AUDIT_KEY: &str = "5e1f0c2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

/// Installs [`TEST_AUDIT_KEY`] as this process's audit key (once; later calls change nothing).
pub fn install_test_key() {
    if let Ok(key) = ropa::store::audit_key::AuditKey::from_hex(TEST_AUDIT_KEY, "tests") {
        ropa::store::audit_key::install(key);
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";
/// The administrator `spawn_app` signs in as.
pub const ADMIN: &str = "admin@example.eu";

/// Starts the app with a fresh database and an administrator signed in on `app.client`.
pub async fn spawn_app() -> TestApp {
    let app = spawn_empty_app().await;
    app.add_user(ADMIN, "admin");
    let r = app.login(&app.client, ADMIN, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "admin signed in");
    app
}

/// A client that keeps cookies and does not follow redirects.
pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

/// Starts the app on port 0 with a fresh database and no account.
pub async fn spawn_empty_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg) = fresh_database(&dir);
    let pool = store::open(&database_url, 4).expect("open database");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = ropa::web::server(
        listener,
        pool.clone(),
        ropa::config::WebSettings::local(),
        2,
    )
    .expect("server");
    tokio::spawn(server);
    let client = new_client();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client,
        pool,
        database_url,
        _dir: dir,
        pg,
    }
}

/// The CSRF token in a page.
pub fn csrf_token(html: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(r#"input[name="csrf_token"]"#).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_owned)
        .expect("page has a CSRF token")
}

/// All text a user can read in a page: text nodes, input values and selected options.
pub fn page_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out: Vec<String> = doc.root_element().text().map(str::to_owned).collect();
    let inputs = Selector::parse("input[value]").expect("selector");
    for e in doc.select(&inputs) {
        out.push(e.value().attr("value").unwrap_or_default().to_owned());
    }
    out.join("\n")
}

/// The value of a named input in a form page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(&format!(r#"input[name="{name}"]"#)).ok()?;
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_owned)
}

/// The text of a named textarea in a form page.
pub fn textarea_value(html: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(&format!(r#"textarea[name="{name}"]"#)).ok()?;
    doc.select(&sel).next().map(|e| e.text().collect())
}

/// The value of the selected option of a named select.
pub fn selected(html: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(&format!(r#"select[name="{name}"] option[selected]"#)).ok()?;
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_owned)
}

/// The error message shown in the same field block as the input named `name`.
pub fn field_error(html: &str, name: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    let blocks = Selector::parse(".has-error").expect("selector");
    let control = Selector::parse(&format!(r#"[name="{name}"]"#)).ok()?;
    let message = Selector::parse(".field-error").expect("selector");
    doc.select(&blocks)
        .filter(|b| b.select(&control).next().is_some())
        .filter_map(|b| {
            b.select(&message)
                .next()
                .map(|m| m.text().collect::<String>())
        })
        .next_back()
}

impl TestApp {
    /// Adds an account directly in the database (set-up for a test).
    pub fn add_user(&self, email: &str, role: &str) {
        let mut conn = self.pool.get().expect("conn");
        let form = ropa::domain::user::UserForm {
            email: email.into(),
            role: role.into(),
            password: PASSWORD.into(),
            password_confirm: PASSWORD.into(),
            ..Default::default()
        };
        let draft = form.parse(true).expect("valid account");
        store::users::insert(
            &mut conn,
            &store::audit::Actor::system("test set-up"),
            &draft,
            PASSWORD,
        )
        .expect("insert user");
    }

    /// Starts another instance of the app on the same database, with `settings`; its address.
    pub fn another_server(&self, settings: ropa::config::WebSettings) -> String {
        let pool = store::open(&self.database_url, 4).expect("open");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = ropa::web::server(listener, pool, settings, 2).expect("server");
        tokio::spawn(server);
        format!("http://127.0.0.1:{port}")
    }

    /// Signs `client` in through the log-in form.
    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        let (_, html) = self.get_with(client, "/login").await;
        let token = csrf_token(&html);
        client
            .post(format!("{}/login", self.address))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf_token", &token),
            ])
            .send()
            .await
            .expect("POST /login")
    }

    /// A new client signed in as a new account with `role`.
    pub async fn client_as(&self, email: &str, role: &str) -> Client {
        self.add_user(email, role);
        let client = new_client();
        let r = self.login(&client, email, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{email} signed in");
        client
    }

    /// `GET path` with a given client.
    pub async fn get_with(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let r = client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET");
        let status = r.status();
        (status, r.text().await.expect("body"))
    }

    /// `POST path` with a given client, adding its CSRF token.
    pub async fn post_with(&self, client: &Client, path: &str, pairs: &[(&str, &str)]) -> Response {
        let (_, html) = self.get_with(client, "/login").await;
        let token = csrf_token(&html);
        let mut body: Vec<(&str, &str)> = pairs.to_vec();
        body.push(("csrf_token", &token));
        client
            .post(format!("{}{path}", self.address))
            .form(&body)
            .send()
            .await
            .expect("POST")
    }

    /// `GET path`, returning status and body.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET");
        let status = r.status();
        (status, r.text().await.expect("body"))
    }

    /// A valid CSRF token for this client.
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get("/organisations/new").await;
        csrf_token(&html)
    }

    /// `POST path` with a form, adding the CSRF token.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = pairs.to_vec();
        body.push(("csrf_token", &token));
        self.post_raw(path, &body).await
    }

    /// `POST path` exactly as given (no token added).
    pub async fn post_raw(&self, path: &str, pairs: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(pairs)
            .send()
            .await
            .expect("POST")
    }

    /// Posts the new-activity form for a controller activity of `organisation` named `name`
    /// with `status`, plus the fields in `extra`.
    pub async fn post_activity(
        &self,
        organisation: &str,
        status: &str,
        name: &str,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut pairs = vec![
            ("organisation_id", organisation),
            ("role", "controller"),
            ("status", status),
            ("name", name),
        ];
        pairs.extend_from_slice(extra);
        self.post("/activities", &pairs).await
    }

    /// Creates an organisation through the UI and returns its id.
    pub async fn create_organisation(&self, name: &str) -> i64 {
        let r = self
            .post(
                "/organisations",
                &[
                    ("name", name),
                    ("legal_address", "1 Main Street, Dublin"),
                    ("email", "dpo@example.ie"),
                    ("country", "IE"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "organisation {name} created"
        );
        id_from_location(&r)
    }

    /// Creates a party through the UI and returns its id.
    pub async fn create_party(&self, name: &str, kind: &str, country: &str) -> i64 {
        let r = self
            .post(
                "/parties",
                &[
                    ("name", name),
                    ("kind", kind),
                    ("country", country),
                    ("contact", "privacy@example.com"),
                    // US parties are certified under the Data Privacy Framework unless a
                    // test says otherwise (see `activities::partial_adequacy...`).
                    (
                        "dpf_checked_on",
                        if country == "US" { "2026-11-01" } else { "" },
                    ),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "party {name} created");
        id_from_location(&r)
    }

    /// The id of a catalogue entry by its code (a set-up look-up).
    pub fn catalogue_id(&self, kind: CatalogueKind, code: &str) -> String {
        let mut conn = self.pool.get().expect("conn");
        store::catalogues::list(&mut conn, kind)
            .expect("list")
            .into_iter()
            .find(|e| e.code == code)
            .map(|e| e.id.to_string())
            .unwrap_or_else(|| panic!("catalogue code {code}"))
    }

    /// Number of activities in the database.
    pub fn activity_count(&self) -> i64 {
        use diesel::QueryDsl;
        let mut conn = self.pool.get().expect("conn");
        ropa::store::schema::activities::table
            .count()
            .get_result(&mut **conn)
            .expect("count")
    }
}

/// Ends every session, as the idle timeout does.
pub fn expire_sessions(pool: &Pool) {
    use diesel::ExpressionMethods;
    let mut conn = pool.get().expect("conn");
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::hours(3);
    diesel::update(store::schema::sessions::table)
        .set(store::schema::sessions::last_seen_at.eq(old))
        .execute(&mut **conn)
        .expect("age sessions");
    // Written behind the server's back, as the passing of time would: seen once the moment the
    // server remembers a session for has passed (nothing is served while the test waits).
    std::thread::sleep(ropa::web::session_memo::MEMO_FOR);
}

/// The id at the end of a redirect's `Location`.
pub fn id_from_location(r: &Response) -> i64 {
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("Location header");
    location
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("id in {location}"))
}

/// Runs the real `ropa` binary against a database.
pub fn ropa(database_url: &str, args: &[&str]) -> std::process::Output {
    ropa_env(database_url, args, &[])
}

/// Runs the real `ropa` binary against a database with extra environment variables.
pub fn ropa_env(database_url: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ropa"));
    cmd.args(args)
        .env("ROPA_DATABASE_URL", database_url)
        .env("ROPA_AUDIT_KEY", TEST_AUDIT_KEY)
        .env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run ropa")
}

/// Drops a PostgreSQL test database made by `fresh_database` (nothing for SQLite).
pub fn drop_pg(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg {
        if let Ok(mut c) = diesel::PgConnection::establish(&admin) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut c);
        }
    }
}

/// A register document without its `generated_at` (which differs from export to export).
pub fn without_generated_at(json: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(json).expect("json");
    v.as_object_mut().expect("object").remove("generated_at");
    v
}

/// Imports `doc` into a fresh database through the command line and exports it again.
pub fn import_and_export(doc: &serde_json::Value) -> Result<serde_json::Value, String> {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("register.json");
    let mut doc = doc.clone();
    doc["generated_at"] = "2026-11-30T08:00:00".into();
    std::fs::write(&file, doc.to_string()).expect("write");
    let (target, pg) = fresh_database(&dir);
    let out = ropa(&target, &["import", file.to_str().expect("path")]);
    let result = if out.status.success() {
        let out = ropa(&target, &["export", "--format", "json"]);
        Ok(without_generated_at(&String::from_utf8_lossy(&out.stdout)))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    };
    drop_pg(pg);
    result
}
