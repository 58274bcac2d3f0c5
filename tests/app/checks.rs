//! Register checks: the demo's findings written out, `ropa check` and its exit codes, the
//! rules' page, the activity page's findings.

use reqwest::StatusCode;

use crate::helpers::*;

#[test]
fn the_demo_register_has_exactly_these_findings() {
    let dir = tempfile::tempdir().expect("dir");
    let (url, pg) = fresh_database(&dir);
    assert!(ropa(&url, &["demo"]).status.success());
    let pool = ropa::store::open(&url, 1).expect("open");
    let mut conn = pool.get().expect("conn");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
    let report = ropa::store::checks::register_findings(&mut conn, None, today).expect("findings");
    let mut found: Vec<String> = report
        .all()
        .map(|(org, a, f)| {
            format!(
                "{org} | {} | {} | {}",
                a.map(|a| a.reference.as_str()).unwrap_or("-"),
                f.rule.code,
                f.message()
            )
        })
        .collect();
    found.sort();
    let mut expected = vec![
        "Nordlicht Retail GmbH | CMP-001 | R-PRIVACY-NOTICE | no privacy notice referenced",
        "Nordlicht Retail GmbH | CS-001 | R-PRIVACY-NOTICE | no privacy notice referenced",
        "Nordlicht Retail GmbH | HR-002 | R-PRIVACY-NOTICE | no privacy notice referenced",
        "Nordlicht Retail GmbH | HR-003 | R-PARTY-THIRD-COUNTRY | Recipient 2 (Alpine Executive Search AG, Switzerland): recipient in a third country without a transfer recorded",
        "Nordlicht Retail GmbH | HR-004 | R-ART30-SECURITY | no security measures described",
        "Nordlicht Retail GmbH | MKT-001 | R-CONSENT-RECORD | consent relied on without a record of consent",
        "Nordlicht Retail GmbH | SEC-002 | R-PRIVACY-NOTICE | no privacy notice referenced",
        "Nordlicht Retail GmbH | WEB-001 | R-CONSENT-RECORD | consent relied on without a record of consent",
        "Nordlicht Retail GmbH | WEB-001 | R-PRIVACY-NOTICE | no privacy notice referenced",
        "Nordlicht Services sp. z o.o. | PA-001 | R-PRIVACY-NOTICE | no privacy notice referenced",
    ];
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(
        report.activities.len(),
        14,
        "the retired one is not checked"
    );
    assert!(!report.fails(ropa::domain::checks::Severity::Error));
    drop(conn);
    drop(pool);
    drop_pg(pg);
}

#[test]
fn ropa_check_prints_the_findings_and_its_exit_status_follows_the_threshold() {
    let dir = tempfile::tempdir().expect("dir");
    let (url, pg) = fresh_database(&dir);
    assert!(ropa(&url, &["demo"]).status.success());
    // No error in the demo: 0 by default, 3 once warnings count.
    let out = ropa(&url, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("R-PARTY-THIRD-COUNTRY"), "{text}");
    assert!(text.contains("in 14 activities checked on"), "{text}");
    let out = ropa(&url, &["check", "--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(3));
    // One organisation, by its reference prefix, as JSON.
    let out = ropa(&url, &["check", "--organisation", "ns", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = json["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["organisation"], "Nordlicht Services sp. z o.o.");
        assert!(f["rule"].as_str().is_some_and(|r| r.starts_with("R-")));
        assert!(f["basis"].as_str().is_some_and(|b| !b.is_empty()));
    }
    assert_eq!(json["activities_checked"], 3);
    let out = ropa(&url, &["check", "--organisation", "Nobody Ltd"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--organisation"));
    let out = ropa(&url, &["check", "--fail-on", "sometimes"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    drop_pg(pg);
}

#[test]
fn docs_checks_md_is_the_rule_set_as_it_is() {
    let out = ropa("unused.sqlite3", &["check", "--rules"]);
    assert!(out.status.success());
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md"))
        .expect("docs/checks.md");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        page,
        "docs/checks.md is out of date: run `ropa check --rules > docs/checks.md`"
    );
    assert!(
        !std::path::Path::new("unused.sqlite3").exists(),
        "--rules opens no database"
    );
}

/// An organisation and a draft newsletter on consent with no record of consent: the
/// organisation's id and the activity's.
async fn newsletter_on_consent(app: &TestApp) -> (String, i64) {
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post_activity(
            &org,
            "draft",
            "Newsletter",
            &[
                ("purposes[0].description", "Sending the newsletter"),
                ("purposes[0].bases", "consent"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    (org, id_from_location(&r))
}

#[tokio::test]
async fn the_activity_page_lists_its_findings_with_the_article_and_the_field_to_fix() {
    let app = spawn_app().await;
    let (org, id) = newsletter_on_consent(&app).await;
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&html);
    assert!(text.contains("What an authority would flag"), "{text}");
    assert!(text.contains("consent relied on without a record of consent"));
    assert!(text.contains("Art. 7(1)") && text.contains("R-CONSENT-RECORD"));
    assert!(
        html.contains(&format!(
            "href=\"/activities/{id}/edit#consent_record_ref\""
        )),
        "a link to the field to fix"
    );
    // Fixed: the finding is gone.
    let r = app
        .post_activity(
            &org,
            "draft",
            "Newsletter 2",
            &[
                ("purposes[0].description", "Sending the newsletter"),
                ("purposes[0].bases", "consent"),
                ("consent_record_ref", "CMP export, monthly"),
            ],
        )
        .await;
    let (_, html) = app
        .get(&format!("/activities/{}", id_from_location(&r)))
        .await;
    assert!(!page_text(&html).contains("R-CONSENT-RECORD"));
    // An auditor reads the findings but gets no link to the form.
    let auditor = app.client_as("auditor@example.eu", "auditor").await;
    let (_, html) = app.get_with(&auditor, &format!("/activities/{id}")).await;
    assert!(page_text(&html).contains("R-CONSENT-RECORD"));
    assert!(!html.contains(&format!("/activities/{id}/edit#")));
}

#[tokio::test]
async fn the_health_page_counts_findings_by_severity_rule_and_organisation_worst_first() {
    let app = spawn_app().await;
    {
        let mut conn = app.pool.get().expect("conn");
        ropa::demo::load(&mut conn).expect("demo");
    }
    let auditor = app.client_as("auditor@example.eu", "auditor").await;
    let (status, html) = app.get_with(&auditor, "/checks").await;
    assert_eq!(status, StatusCode::OK);
    let text = page_text(&html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Register health"), "{text}");
    // The demo: no error, so every activity checked is without one; its findings by rule.
    assert!(
        text.contains("100% of 14 activities without an error"),
        "{text}"
    );
    assert!(text.contains("R-PRIVACY-NOTICE 6"), "{text}");
    assert!(text.contains("R-PARTY-THIRD-COUNTRY 1"), "{text}");
    assert!(
        text.contains("Nordlicht Services sp. z o.o. 3 100% 0 0 1"),
        "{text}"
    );
    // Worst first: the activities with a warning come before those with notices only.
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("section:last-of-type tbody tr").expect("selector");
    let first: Vec<String> = doc
        .select(&rows)
        .map(|r| r.text().collect::<String>())
        .collect();
    assert!(first.len() >= 3);
    assert!(
        first[0].starts_with("WEB-001 Website analytics"),
        "a warning and a notice first: {first:?}"
    );
    assert!(first.last().is_some_and(|r| r.contains("privacy notice")));
    // Each activity links to its page; the start page leads here.
    assert!(html.contains("href=\"/activities/"));
    let (_, home) = app.get_with(&auditor, "/").await;
    assert!(page_text(&home).contains("what a supervisory authority would flag in the register"));
}

#[tokio::test]
async fn the_csv_has_each_activity_s_open_findings() {
    let app = spawn_app().await;
    newsletter_on_consent(&app).await;
    let (_, csv) = app.get("/export.csv?role=controller&status=all").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let column = headers
        .iter()
        .position(|h| h == "Open findings")
        .expect("the column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let cell = &rows[0][column];
    assert!(
        cell.lines().any(|l| {
            l
            == "warning R-CONSENT-RECORD: consent relied on without a record of consent (Art. 7(1))"
        }),
        "{cell}"
    );
    assert!(cell.contains("error R-ART30-SUBJECTS"), "{cell}");
}

#[tokio::test]
async fn a_finding_is_accepted_with_a_reason_audited_and_lapses_when_it_changes() {
    let app = spawn_app().await;
    let (org, id) = newsletter_on_consent(&app).await;
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let doc = scraper::Html::parse_document(&html);
    let link = scraper::Selector::parse("a[href*='/acknowledge?rule=R-CONSENT-RECORD']")
        .expect("selector");
    let href = doc
        .select(&link)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("an accept link")
        .to_owned();
    let (status, form) = app.get(&href).await;
    assert_eq!(status, StatusCode::OK);
    let field = input_value(&form, "field").expect("field");
    // A reason is required, and an end date may not be past.
    let r = app
        .post(
            &format!("/activities/{id}/acknowledge"),
            &[
                ("rule", "R-CONSENT-RECORD"),
                ("field", &field),
                ("detail", ""),
                ("justification", " "),
                ("until", "2001-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "justification").is_some_and(|e| e.contains("required")));
    assert!(field_error(&html, "until").is_some_and(|e| e.contains("today or later")));
    let r = app
        .post(
            &format!("/activities/{id}/acknowledge"),
            &[
                ("rule", "R-CONSENT-RECORD"),
                ("field", &field),
                ("detail", ""),
                (
                    "justification",
                    "Consents are kept by the newsletter provider",
                ),
                ("until", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Accepted once: a second acceptance of the same finding (a double submit) is refused.
    let (status, _) = app.get(&href).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Accepted by admin@example.eu on")
            && text.contains("Consents are kept by the newsletter provider"),
        "{text}"
    );
    // The activity's own history lists the acceptance with its reason.
    assert!(
        text.contains(
            "acknowledge R-CONSENT-RECORD accepted: Consents are kept by the newsletter provider"
        ),
        "{text}"
    );
    // The trail records it; the CLI counts it as accepted, not open.
    let (_, trail) = app.get("/audit?entity=finding").await;
    assert!(page_text(&trail).contains("R-CONSENT-RECORD"), "audited");
    let out = ropa(&app.database_url, &["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["acknowledged"], 1);
    let (_, health) = app.get("/checks").await;
    let health = page_text(&health)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(health.contains("1 accepted with a reason"), "{health}");
    let accepted = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "R-CONSENT-RECORD")
        .expect("still listed");
    assert_eq!(
        accepted["acknowledged"]["justification"],
        "Consents are kept by the newsletter provider"
    );
    // The JSON export carries the findings and the acceptance; an import keeps the acceptance
    // (the findings are recomputed), so an export of the imported register has the same.
    let (_, body) = app.get("/export.json").await;
    let doc: serde_json::Value = serde_json::from_str(&body).expect("document");
    let entry = doc["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["findings"].as_array().is_some_and(|f| !f.is_empty()))
        .expect("an activity with findings");
    let finding = entry["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "R-CONSENT-RECORD")
        .expect("exported");
    assert_eq!(finding["accepted"], true);
    assert_eq!(finding["severity"], "warning");
    assert_eq!(entry["acknowledgements"][0]["by"], "admin@example.eu");
    let again = import_and_export(&doc).expect("imports");
    let same = |d: &serde_json::Value, key: &str| -> Vec<serde_json::Value> {
        d["activities"]
            .as_array()
            .expect("activities")
            .iter()
            .map(|a| a[key].clone())
            .collect()
    };
    assert_eq!(
        same(&again, "acknowledgements"),
        same(&doc, "acknowledgements")
    );
    assert_eq!(same(&again, "findings"), same(&doc, "findings"));
    // A finding no longer found cannot be accepted (a forged or stale link).
    let r = app
        .post(
            &format!("/activities/{id}/acknowledge"),
            &[
                ("rule", "R-ART22-EXCEPTION"),
                ("field", "automated_exception"),
                ("detail", ""),
                ("justification", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let _ = org;
}
