//! Processing activities: create, edit, nested lists, validation, retire, clone, list.

use reqwest::StatusCode;

use crate::helpers::*;
use ropa::domain::catalogue::CatalogueKind;

/// Ids of what a complete activity refers to.
struct Fixture {
    org: String,
    processor: String,
    joint: String,
    authority: String,
    employees: String,
    applicants: String,
    identity: String,
    health: String,
    encryption: String,
    backup: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    Fixture {
        org: app
            .create_organisation("Ørsted Retail A/S")
            .await
            .to_string(),
        processor: app
            .create_party("CloudCo \"US\" Inc.", "processor", "US")
            .await
            .to_string(),
        joint: app
            .create_party("Partner Ελλάδα Α.Ε.", "joint_controller", "GR")
            .await
            .to_string(),
        authority: app
            .create_party("Finanzamt Müller", "public_authority", "DE")
            .await
            .to_string(),
        employees: app.catalogue_id(CatalogueKind::SubjectCategories, "employees"),
        applicants: app.catalogue_id(CatalogueKind::SubjectCategories, "job_applicants"),
        identity: app.catalogue_id(CatalogueKind::DataCategories, "identity_civil_status"),
        health: app.catalogue_id(CatalogueKind::DataCategories, "health_data"),
        encryption: app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption"),
        backup: app.catalogue_id(CatalogueKind::SecurityMeasures, "backup"),
    }
}

/// Every field of a controller activity, with every ICO column 1-25 that can be typed.
fn complete_activity(f: &Fixture) -> Vec<(&'static str, String)> {
    let s = |v: &str| v.to_owned();
    vec![
        ("organisation_id", f.org.clone()),
        ("role", s("controller")),
        ("reference", s("HR-001")),
        ("name", s("HR administration, Čeština \"quoted\"")),
        (
            "description",
            s("Personnel files\nfrom hiring to departure"),
        ),
        ("business_function", s("Human resources")),
        ("owner", s("Head of HR")),
        ("status", s("active")),
        (
            "purposes[0].description",
            s("Managing employment contracts"),
        ),
        ("purposes[0].bases", s("contract")),
        ("purposes[0].bases", s("legal_obligation")),
        ("purposes[1].description", s("Staff photos on the intranet")),
        ("purposes[1].bases", s("legitimate_interests")),
        (
            "purposes[1].legitimate_interest",
            s("Helping colleagues recognise each other"),
        ),
        ("purposes[1].balancing_test_ref", s("LIA-2026-04")),
        ("joint_controllers[0].party_id", f.joint.clone()),
        (
            "joint_controllers[0].responsibilities",
            s("Partner answers access requests"),
        ),
        ("subjects", f.employees.clone()),
        ("subjects", f.applicants.clone()),
        ("data_categories", f.identity.clone()),
        ("data_categories", f.health.clone()),
        ("special_conditions", s("employment_social_security_law")),
        ("special_legal_reference", s("§ 26(3) BDSG")),
        ("recipients[0].party_id", f.processor.clone()),
        ("recipients[0].data_received", s("Personnel files")),
        ("recipients[0].reason", s("Hosting of the HR system")),
        ("recipients[1].party_id", f.authority.clone()),
        ("recipients[1].data_received", s("Wage tax data")),
        ("recipients[1].reason", s("Statutory reporting")),
        ("transfers[0].country", s("US")),
        ("transfers[0].party_id", f.processor.clone()),
        ("transfers[0].mechanism", s("adequacy_decision")),
        (
            "transfers[0].safeguards",
            s("Certified under the Data Privacy Framework"),
        ),
        ("transfers[1].country", s("IN")),
        (
            "transfers[1].mechanism",
            s("compelling_legitimate_interests"),
        ),
        (
            "transfers[1].safeguards",
            s("One-off transfer; assessment ASM-9; SA informed"),
        ),
        (
            "transfers[2].organisation",
            s("European Patent Organisation"),
        ),
        ("transfers[2].mechanism", s("adequacy_decision")),
        ("retention[0].data_category_ids", f.identity.clone()),
        ("retention[0].period_value", s("10")),
        ("retention[0].period_unit", s("years")),
        ("retention[0].start_event", s("end of employment")),
        ("retention[0].legal_reference", s("§ 147 AO")),
        ("retention[1].data_category_id", f.health.clone()),
        (
            "retention[1].criterion",
            s("Until fitness for work is confirmed"),
        ),
        ("retention_policy_ref", s("RET-POL-3")),
        ("measures", f.encryption.clone()),
        ("measures", f.backup.clone()),
        (
            "security_description",
            s("Role-based access; encrypted backups"),
        ),
        ("data_source", s("The employees themselves")),
        ("systems", s("Personio")),
        ("data_location", s("Frankfurt data centre")),
        ("automated_processing", s("solely_automated_decisions")),
        ("automated_decision_description", s("Shift planning scores")),
        ("automated_exception", s("contract")),
        (
            "automated_logic",
            s("Scores weigh availability and seniority"),
        ),
        (
            "automated_safeguards",
            s("A planner reviews every contested shift"),
        ),
        ("dpia_required", s("yes")),
        ("dpia_status", s("in_progress")),
        ("dpia_reference", s("DPIA-77")),
        ("privacy_notice_ref", s("Employee notice v3")),
        ("consent_record_ref", s("CONSENT-LOG-1")),
        ("processor_contract_ref", s("DPA-2024-07")),
        ("breach_occurred", s("on")),
        ("breach_record_ref", s("BREACH-2025-02")),
        ("last_reviewed", s("2026-01-15")),
        ("next_review", s("2027-01-15")),
    ]
}

fn borrow<'a>(pairs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn a_complete_activity_records_every_art_30_element_and_ico_column() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let pairs = complete_activity(&f);
    let r = app.post("/activities", &borrow(&pairs)).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let id = id_from_location(&r);
    let (status, html) = app.get(&format!("/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = page_text(&html);
    for (key, value) in &pairs {
        if key.ends_with("_id")
            || matches!(
                *key,
                "subjects" | "data_categories" | "measures" | "organisation_id"
            )
        {
            continue;
        }
        if matches!(
            *key,
            "role" | "status" | "automated_processing" | "automated_exception" | "breach_occurred"
        ) || key.ends_with("bases")
            || key.ends_with("mechanism")
            || key.ends_with("period_unit")
            || *key == "special_conditions"
            || key.starts_with("dpia_r")
            || key.starts_with("dpia_s")
            || key.ends_with("country")
        {
            continue;
        }
        assert!(
            text.contains(value.lines().next().unwrap_or_default()),
            "{key} = {value} is shown"
        );
    }
    for label in [
        "Ørsted Retail A/S",
        "Partner Ελλάδα Α.Ε.",
        "Employees (staff)",
        "Job applicants / candidates",
        "Data concerning health",
        "Employment, social security and social protection law",
        "Art. 9(2)(b)",
        "Contract",
        "Art. 6(1)(b)",
        "Legitimate interests",
        "United States (US)",
        "India (IN)",
        "European Patent Organisation (international organisation)",
        "Art. 49(1) second subparagraph",
        "10 years from end of employment",
        "Until fitness for work is confirmed",
        "Encryption of personal data (at rest, in transit)",
        "Data backup",
        "Right to data portability",
        "Right to object",
        "Solely automated decisions with legal or similarly significant effects",
        "Art. 22(2)(a)",
        "Rights related to automated decision-making",
        "In progress",
        "(a)",
        "(g)",
        "Complete.",
    ] {
        assert!(text.contains(label), "{label} is shown");
    }
}

#[tokio::test]
async fn editing_replaces_the_nested_lists_in_one_save() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = app
        .post("/activities", &borrow(&complete_activity(&f)))
        .await;
    let id = id_from_location(&r);
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    assert_eq!(
        textarea_value(&form, "purposes[1].description").as_deref(),
        Some("Staff photos on the intranet")
    );
    assert_eq!(
        selected(&form, "transfers[1].mechanism").as_deref(),
        Some("compelling_legitimate_interests")
    );
    let version = input_value(&form, "version").expect("version");
    let mut pairs: Vec<(&'static str, String)> = complete_activity(&f)
        .into_iter()
        .filter(|(k, _)| {
            !k.starts_with("purposes[1]")
                && !k.starts_with("transfers[")
                && !k.starts_with("recipients[1]")
        })
        .collect();
    pairs.push(("version", version));
    pairs.push(("transfers[0].country", "JP".into()));
    pairs.push(("transfers[0].mechanism", "adequacy_decision".into()));
    let r = app
        .post(&format!("/activities/{id}"), &borrow(&pairs))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&html);
    assert!(html.contains("Activity saved."));
    assert!(!text.contains("Staff photos"), "removed purpose gone");
    assert!(!text.contains("India"), "removed transfer gone");
    assert!(!text.contains("Finanzamt Müller"), "removed recipient gone");
    assert!(text.contains("Japan (JP)"), "new transfer shown");
    assert!(
        text.contains("Managing employment contracts"),
        "kept purpose shown"
    );

    // Saving the same form again replaces every list with itself: no child row is left behind
    // or doubled in any table.
    let before = child_rows(&app, id);
    assert!(before.iter().all(|(_, n)| *n > 0), "{before:?}");
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let mut again: Vec<(&'static str, String)> =
        pairs.into_iter().filter(|(k, _)| *k != "version").collect();
    again.push(("version", version));
    let r = app
        .post(&format!("/activities/{id}"), &borrow(&again))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(child_rows(&app, id), before);
}

/// Rows per child table of an activity, straight from the database.
fn child_rows(app: &TestApp, id: i64) -> Vec<(&'static str, i64)> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.pool.get().expect("conn");
    [
        "purposes",
        "purpose_bases",
        "activity_special_conditions",
        "activity_subjects",
        "activity_data_categories",
        "activity_measures",
        "joint_controllers",
        "recipients",
        "transfers",
        "retention_rules",
    ]
    .into_iter()
    .map(|table| {
        let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE activity_id = {id}");
        let row: Count = diesel::sql_query(sql)
            .get_result(&mut **conn)
            .expect("count");
        (table, row.n)
    })
    .collect()
}

#[tokio::test]
async fn one_retention_rule_covers_several_categories_and_the_form_offers_a_rule_per_ticked_one() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let contact = app.catalogue_id(CatalogueKind::DataCategories, "contact_details");
    let r = app
        .post_activity(
            &f.org,
            "draft",
            "Staff directory",
            &[
                ("data_categories", &f.identity),
                ("data_categories", &contact),
                ("data_categories", &f.health),
                ("special_conditions", "employment_social_security_law"),
                ("special_legal_reference", "§ 26(3) BDSG"),
                ("retention[0].data_category_ids", &contact),
                ("retention[0].data_category_ids", &f.identity),
                ("retention[0].data_category_ids", &contact),
                ("retention[0].period_value", "6"),
                ("retention[0].period_unit", "months"),
                ("retention[0].start_event", "leaving the company"),
                // Offered for health and left as offered: not a rule.
                ("retention[1].data_category_ids", &f.health),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from_location(&r);
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&html);
    assert!(
        text.contains("Contact details; Civil status, identity, identification data, images"),
        "one rule, its categories in the order chosen, each once: {text}"
    );
    assert!(
        text.contains("Give a retention period or criterion for every category"),
        "health has no rule yet"
    );

    // The edit form offers a rule for health, the one ticked category no rule covers.
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let doc = scraper::Html::parse_document(&form);
    let checked = |i: usize| -> Vec<String> {
        let sel = scraper::Selector::parse(&format!(
            "input[name='retention[{i}].data_category_ids'][checked]"
        ))
        .expect("selector");
        doc.select(&sel)
            .filter_map(|e| e.value().attr("value").map(str::to_owned))
            .collect()
    };
    let mut first = checked(0);
    first.sort();
    let mut both = vec![contact.clone(), f.identity.clone()];
    both.sort();
    assert_eq!(first, both);
    assert_eq!(checked(1), std::slice::from_ref(&f.health));
    assert!(checked(2).is_empty(), "no third rule");
    // A rule offers only the categories ticked above.
    let offered =
        scraper::Selector::parse("input[name='retention[1].data_category_ids']:not([disabled])")
            .expect("selector");
    assert_eq!(doc.select(&offered).count(), 3);

    // The CSV gives the rule once with both categories; the JSON keeps them in order.
    let (_, csv) = app.get("/export.csv?role=controller&status=all").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let column = headers
        .iter()
        .position(|h| h == "Retention schedule (if possible)")
        .expect("retention column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(
        &rows[0][column],
        "Contact details; Civil status, identity, identification data, images: 6 months from leaving the company"
    );
    let (_, json) = app.get("/export.json").await;
    let doc: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(doc["format_version"], 4);
    assert_eq!(
        doc["activities"][0]["retention"][0]["data_categories"],
        serde_json::json!(["contact_details", "identity_civil_status"])
    );

    // A rule may not cover a category that is not ticked above.
    let r = app
        .post_activity(
            &f.org,
            "draft",
            "Visitors",
            &[
                ("data_categories", &contact),
                ("retention[0].data_category_ids", &contact),
                ("retention[0].data_category_ids", &f.identity),
                ("retention[0].period_value", "1"),
                ("retention[0].period_unit", "years"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    let error = field_error(&html, "retention[0].data_category_ids").expect("error");
    assert!(
        error.contains("Civil status, identity, identification data, images"),
        "names the category: {error}"
    );
}

#[tokio::test]
async fn rows_are_added_and_removed_without_losing_what_was_typed() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &f.org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Typed but not saved"),
                ("purposes[0].description", "First purpose"),
                ("purposes[0].bases", "consent"),
                ("action", "add:purposes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("Typed but not saved")
    );
    assert_eq!(
        textarea_value(&html, "purposes[0].description").as_deref(),
        Some("First purpose")
    );
    assert!(
        textarea_value(&html, "purposes[1].description").is_some(),
        "a second row was added"
    );
    assert_eq!(app.activity_count(), 0, "nothing saved");

    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &f.org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Typed but not saved"),
                ("purposes[0].description", "First purpose"),
                ("purposes[1].description", "Second purpose"),
                ("retention[0].criterion", "keep me"),
                ("action", "remove:purposes:0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    assert_eq!(
        textarea_value(&html, "purposes[0].description").as_deref(),
        Some("Second purpose")
    );
    assert!(textarea_value(&html, "purposes[1].description").is_none());
    assert_eq!(
        input_value(&html, "retention[0].criterion").as_deref(),
        Some("keep me")
    );
    for list in [
        "joint_controllers",
        "controllers",
        "recipients",
        "transfers",
        "retention",
    ] {
        let action = format!("add:{list}");
        let r = app
            .post(
                "/activities",
                &[
                    ("organisation_id", &f.org),
                    ("name", "x"),
                    ("action", &action),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{list}");
        let html = r.text().await.expect("body");
        assert!(
            html.contains(&format!("name=\"{list}[0].")),
            "{list} row added"
        );
    }
}

#[tokio::test]
async fn each_legal_rule_is_an_error_next_to_its_field_with_input_kept() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &f.org),
                ("role", "controller"),
                ("status", "active"),
                ("name", ""),
                ("reference", "bad ref!"),
                ("data_categories", &f.health),
                ("purposes[0].description", "Profiling customers"),
                ("purposes[0].bases", "legitimate_interests"),
                ("transfers[0].country", "FR"),
                ("transfers[0].mechanism", "binding_corporate_rules"),
                ("transfers[1].country", "IN"),
                ("transfers[1].mechanism", "compelling_legitimate_interests"),
                ("transfers[2].country", "IN"),
                ("transfers[2].mechanism", "adequacy_decision"),
                ("retention[0].data_category_ids", &f.health),
                ("retention[0].start_event", "end of the contract"),
                ("retention[1].data_category_ids", &f.identity),
                ("retention[1].period_value", "5"),
                ("retention[2].data_category_ids", &f.health),
                ("retention[2].data_category_ids", &f.identity),
                ("automated_processing", "profiling"),
                ("next_review", "31.12.2026"),
                ("transfers[3].country", "RE"),
                ("transfers[3].mechanism", "scc_2021_914_module_1_c2c"),
                ("transfers[4].organisation", "United Nations"),
                ("transfers[4].mechanism", "adequacy_decision"),
                ("no_transfers", "on"),
                ("recipients[0].party_id", &f.authority),
                ("no_recipients", "on"),
                ("dpia_status", "in_progress"),
                ("dpia_completed_on", "2026-01-31"),
                ("controllers[0].party_id", &f.processor),
                ("controllers[0].processing_categories", "x"),
                ("joint_controllers[0].party_id", &f.processor),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    let expect = |field: &str, words: &str| {
        let e = field_error(&html, field).unwrap_or_else(|| panic!("no error next to {field}"));
        assert!(e.contains(words), "{field}: {e}");
    };
    expect("name", "Name is required");
    expect("reference", "Reference may hold");
    expect("special_conditions", "Art. 9(2)");
    expect("purposes[0].legitimate_interest", "interest pursued");
    expect("transfers[0].country", "EEA");
    expect("transfers[1].safeguards", "Art. 49(1) second subparagraph");
    expect("transfers[2].mechanism", "no adequacy decision for India");
    expect("retention[0].period_value", "Give a period");
    expect(
        "retention[1].data_category_ids",
        "under personal data above before giving its retention",
    );
    expect("retention[2].period_value", "Give a period");
    expect(
        "retention[1].period_unit",
        "hours, days, weeks, months or years",
    );
    expect(
        "transfers[3].country",
        "Réunion is in the EEA or is EU territory",
    );
    expect(
        "transfers[4].mechanism",
        "only the European Patent Organisation",
    );
    expect("no_transfers", "declared that there are no transfers");
    expect("no_recipients", "declared that there are no recipients");
    expect("dpia_completed_on", "completed or under review");
    expect("automated_decision_description", "Art. 22");
    expect("next_review", "YYYY-MM-DD");
    expect("controllers[0].party_id", "processor activities");
    expect("joint_controllers[0].party_id", "joint controller");
    assert_eq!(input_value(&html, "reference").as_deref(), Some("bad ref!"));
    assert_eq!(
        textarea_value(&html, "purposes[0].description").as_deref(),
        Some("Profiling customers")
    );
    assert_eq!(
        selected(&html, "transfers[1].country").as_deref(),
        Some("IN")
    );
    assert!(html.contains("error-summary"));
    assert_eq!(app.activity_count(), 0, "nothing saved");

    // Criminal-offence data need an Art. 10 basis; a processor activity's controller rows need their categories.
    let criminal = app.catalogue_id(
        CatalogueKind::DataCategories,
        "criminal_convictions_and_offences",
    );
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &f.org),
                ("role", "processor"),
                ("status", "draft"),
                ("name", "Background checks"),
                ("data_categories", &criminal),
                ("controllers[0].party_id", &f.processor),
                ("purposes[0].description", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "criminal_basis")
        .expect("criminal")
        .contains("Art. 10"));
    assert!(field_error(&html, "controllers[0].processing_categories")
        .expect("categories")
        .contains("Art. 30(2)(b)"));
    assert!(
        field_error(&html, "purposes[0].bases").is_none(),
        "a processor's purposes rest on its client's basis, not an Art. 6 basis of its own"
    );
}

#[tokio::test]
async fn unknown_codes_and_ids_in_a_forged_form_are_errors_not_crashes() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", "99999"),
                ("role", "boss"),
                ("status", "maybe"),
                ("name", "x"),
                ("subjects", "abc"),
                ("data_categories", "99999"),
                ("measures", "-1"),
                ("special_conditions", "because"),
                ("criminal_basis", "vigilante"),
                ("dpia_required", "perhaps"),
                ("purposes[0].description", "p"),
                ("purposes[0].bases", "whim"),
                ("recipients[0].party_id", "99999"),
                ("transfers[0].country", "US"),
                ("transfers[0].mechanism", "handshake"),
                ("transfers[0].party_id", "zz"),
                ("retention[0].data_category_id", "zz"),
                ("retention[0].period_value", "-3"),
                (
                    "purposes[99999999999999999999].description",
                    "overflowing index",
                ),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    for field in [
        "organisation_id",
        "role",
        "status",
        "subjects",
        "data_categories",
        "measures",
        "special_conditions",
        "criminal_basis",
        "dpia_required",
        "purposes[0].bases",
        "recipients[0].party_id",
        "transfers[0].mechanism",
        "transfers[0].party_id",
        "retention[0].data_category_ids",
    ] {
        assert!(
            field_error(&html, field).is_some() || html.contains(&format!("{field}-error")),
            "{field} has an error"
        );
    }
    let _ = f;
    assert_eq!(app.activity_count(), 0);
}

#[tokio::test]
async fn references_are_generated_and_must_be_unique_within_an_organisation() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let other = app.create_organisation("Other Ltd").await.to_string();
    for name in ["One", "Two"] {
        let r = app
            .post(
                "/activities",
                &[
                    ("organisation_id", &org),
                    ("role", "controller"),
                    ("status", "draft"),
                    ("name", name),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let (_, html) = app.get("/activities?sort=reference").await;
    let text = page_text(&html);
    assert!(
        text.contains("ACME-001") && text.contains("ACME-002"),
        "numbered with the prefix made from the name"
    );
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Three"),
                ("reference", "ACME-001"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&r.text().await.expect("body"), "reference")
        .expect("error")
        .contains("already has this reference"));
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &other),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Three"),
                ("reference", "ACME-001"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the same reference in another organisation is fine"
    );
}

#[tokio::test]
async fn retiring_keeps_the_activity_outside_the_active_register() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Old CRM"),
            ],
        )
        .await;
    let id = id_from_location(&r);
    let (_, html) = app.get(&format!("/activities/{id}")).await;
    let version = input_value(&html, "version").expect("version");
    let r = app
        .post(
            &format!("/activities/{id}/status"),
            &[
                ("status", "retired"),
                ("version", &version),
                ("reason", "Replaced by the new CRM."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = app.get(&format!("/activities/{id}")).await;
    assert_eq!(status, StatusCode::OK, "still on record");
    assert!(page_text(&html).contains("This activity is retired"));
    let (_, list) = app.get("/activities").await;
    assert!(
        !page_text(&list).contains("Old CRM"),
        "not in the current register"
    );
    let (_, list) = app.get("/activities?status=retired").await;
    assert!(page_text(&list).contains("Old CRM"));
    let (_, list) = app.get("/activities?status=all").await;
    assert!(page_text(&list).contains("Old CRM"));
    let version = input_value(&html, "version").expect("version");
    let r = app
        .post(
            &format!("/activities/{id}/status"),
            &[("status", "active"), ("version", &version)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, list) = app.get("/activities").await;
    assert!(page_text(&list).contains("Old CRM"));
}

#[tokio::test]
async fn a_clone_starts_a_new_activity_with_the_same_content() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let r = app
        .post("/activities", &borrow(&complete_activity(&f)))
        .await;
    let id = id_from_location(&r);
    let (status, form) = app.get(&format!("/activities/{id}/clone")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(input_value(&form, "reference").as_deref(), Some(""));
    assert!(input_value(&form, "name")
        .expect("name")
        .starts_with("Copy of HR administration"));
    assert_eq!(
        textarea_value(&form, "purposes[1].description").as_deref(),
        Some("Staff photos on the intranet")
    );
    // Submit the clone form as the browser would: every named field as shown.
    let doc = scraper::Html::parse_document(&form);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for e in doc.select(
        &scraper::Selector::parse("input[name], textarea[name], select[name]").expect("sel"),
    ) {
        let name = e.value().attr("name").unwrap_or_default().to_owned();
        match e.value().name() {
            "textarea" => pairs.push((name, e.text().collect())),
            "select" => {
                let opt = scraper::Selector::parse("option[selected]").expect("sel");
                if let Some(o) = e.select(&opt).next() {
                    pairs.push((name, o.value().attr("value").unwrap_or_default().to_owned()));
                }
            }
            _ => {
                let kind = e.value().attr("type").unwrap_or("text");
                if (kind == "checkbox" || kind == "radio") && e.value().attr("checked").is_none() {
                    continue;
                }
                if name == "action" {
                    continue;
                }
                pairs.push((name, e.value().attr("value").unwrap_or_default().to_owned()));
            }
        }
    }
    let body: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app.post_raw("/activities", &body).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let clone_id = id_from_location(&r);
    assert_ne!(clone_id, id);
    let (_, html) = app.get(&format!("/activities/{clone_id}")).await;
    let text = page_text(&html);
    assert!(text.contains("Copy of HR administration"));
    assert!(text.contains("OR-001"), "a new reference was generated");
    assert!(text.contains("Staff photos on the intranet"));
    assert!(text.contains("10 years from end of employment"));
    assert_eq!(app.activity_count(), 2);
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_a_conflict_page_that_keeps_the_input() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
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
    let id = id_from_location(&r);
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let first = [
        ("organisation_id", org.as_str()),
        ("role", "controller"),
        ("status", "draft"),
        ("name", "CRM by Alice"),
        ("version", &version),
    ];
    let r = app.post(&format!("/activities/{id}"), &first).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second = [
        ("organisation_id", org.as_str()),
        ("role", "controller"),
        ("status", "draft"),
        ("name", "CRM by Bob"),
        ("version", &version),
    ];
    let r = app.post(&format!("/activities/{id}"), &second).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert!(html.contains("Someone else saved this activity"));
    assert_eq!(
        input_value(&html, "name").as_deref(),
        Some("CRM by Bob"),
        "Bob's input kept"
    );
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    assert!(
        page_text(&page).contains("CRM by Alice"),
        "Alice's save not overwritten"
    );
}

#[tokio::test]
async fn the_list_searches_filters_sorts_pages_and_shows_missing_elements() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let other = app.create_organisation("ŁÓDŹ Services").await.to_string();
    let r = app
        .post("/activities", &borrow(&complete_activity(&f)))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for i in 0..55 {
        let name = format!("Bulk activity #{i:02} in ŁÓDŹ");
        let role = if i % 2 == 0 {
            "controller"
        } else {
            "processor"
        };
        let r = app
            .post(
                "/activities",
                &[
                    ("organisation_id", &other),
                    ("role", role),
                    ("status", "draft"),
                    ("name", &name),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let count_rows = |html: &str| {
        scraper::Html::parse_document(html)
            .select(&scraper::Selector::parse("table.activities tbody tr").expect("sel"))
            .count()
    };
    let (_, html) = app.get("/activities").await;
    assert_eq!(count_rows(&html), 50, "first page");
    assert!(page_text(&html).contains("of 56"));
    let (_, html) = app.get("/activities?page=2").await;
    assert_eq!(count_rows(&html), 6, "second page");
    let (_, html) = app
        .get("/activities?q=%C5%82%C3%B3d%C5%BA+bulk+%2307")
        .await;
    assert_eq!(
        count_rows(&html),
        1,
        "case-insensitive Unicode search on every word"
    );
    let (_, html) = app
        .get(&format!("/activities?organisation={}", f.org))
        .await;
    assert_eq!(count_rows(&html), 1);
    let (_, html) = app.get("/activities?role=processor").await;
    assert_eq!(count_rows(&html), 27);
    let (_, html) = app.get("/activities?basis=legitimate_interests").await;
    assert_eq!(count_rows(&html), 1);
    let (_, html) = app.get(&format!("/activities?category={}", f.health)).await;
    assert_eq!(count_rows(&html), 1);
    let (_, html) = app.get("/activities?destination=IN").await;
    assert_eq!(count_rows(&html), 1);
    let (_, html) = app.get("/activities?destination=CN").await;
    assert_eq!(count_rows(&html), 0);
    let (_, html) = app.get("/activities?status=active").await;
    assert_eq!(count_rows(&html), 1);
    let (_, html) = app.get("/activities?sort=name&dir=desc&q=bulk").await;
    let first = scraper::Html::parse_document(&html)
        .select(
            &scraper::Selector::parse("table.activities tbody tr td:nth-child(2) a").expect("sel"),
        )
        .next()
        .map(|e| e.text().collect::<String>())
        .expect("row");
    assert_eq!(first, "Bulk activity #54 in ŁÓDŹ");
    let names = |html: &str| -> Vec<String> {
        scraper::Html::parse_document(html)
            .select(
                &scraper::Selector::parse("table.activities tbody tr td:nth-child(2) a")
                    .expect("sel"),
            )
            .map(|e| e.text().collect::<String>())
            .collect()
    };
    let expected = |range: &mut dyn Iterator<Item = usize>| -> Vec<String> {
        range
            .map(|i| format!("Bulk activity #{i:02} in ŁÓDŹ"))
            .collect()
    };
    assert_eq!(
        names(&html),
        expected(&mut (5..=54).rev()),
        "a page lists its rows in the order asked for"
    );
    let (_, html) = app
        .get("/activities?sort=name&dir=desc&q=bulk&page=2")
        .await;
    assert_eq!(names(&html), expected(&mut (0..=4).rev()));
    let (_, html) = app.get("/activities?sort=organisation&q=bulk&page=2").await;
    assert_eq!(count_rows(&html), 5, "sorted by organisation, second page");
    let (_, html) = app.get("/activities?q=Bulk+activity+%2300").await;
    let text = page_text(&html);
    for gap in [
        "purposes",
        "data subjects",
        "personal data",
        "recipients",
        "retention",
        "security measures",
    ] {
        assert!(text.contains(gap), "missing {gap} shown");
    }
    let (_, html) = app.get("/activities?q=Bulk+activity+%2301").await;
    assert!(
        page_text(&html).contains("controllers acted for"),
        "processor gap shown"
    );
    let (_, html) = app
        .get(&format!("/activities?organisation={}", f.org))
        .await;
    assert!(page_text(&html).contains("complete"));
    for bad in [
        "role=boss",
        "status=maybe",
        "basis=x",
        "category=x",
        "destination=XX",
        "sort=evil",
        "dir=up",
        "page=0",
        "organisation=x",
    ] {
        let (status, html) = app.get(&format!("/activities?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let field = bad.split('=').next().unwrap_or_default();
        assert!(
            html.contains(&format!("`{field}`")),
            "{bad} names its field"
        );
    }
}

#[tokio::test]
async fn a_new_activity_starts_with_the_usual_measures_and_the_next_review_date() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let encryption = app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption");
    let backup = app.catalogue_id(CatalogueKind::SecurityMeasures, "backup");
    for (name, measures) in [
        ("One", vec![&encryption, &backup]),
        ("Two", vec![&encryption]),
    ] {
        let mut form = vec![
            ("organisation_id", org.as_str()),
            ("role", "controller"),
            ("status", "draft"),
            ("name", name),
        ];
        for m in measures {
            form.push(("measures", m.as_str()));
        }
        assert_eq!(
            app.post("/activities", &form).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let (_, html) = app
        .get(&format!("/activities/new?organisation={org}"))
        .await;
    let doc = scraper::Html::parse_document(&html);
    let checked = |id: &str| {
        doc.select(
            &scraper::Selector::parse(&format!("input[name='measures'][value='{id}']"))
                .expect("sel"),
        )
        .next()
        .map(|e| e.value().attr("checked").is_some())
        .unwrap_or(false)
    };
    assert!(checked(&encryption), "used by every activity: ticked");
    assert!(checked(&backup), "used by half: ticked");
    let expected = (chrono::Utc::now().date_naive() + chrono::Months::new(12)).to_string();
    assert_eq!(
        input_value(&html, "next_review").as_deref(),
        Some(expected.as_str()),
        "next review by the interval"
    );
}

#[tokio::test]
async fn optional_rows_appear_only_when_added() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let templated = |html: &str, list: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse(&format!(
            "fieldset.row-template[disabled][hidden][data-list='{list}'] .row-card"
        ))
        .expect("selector");
        doc.select(&sel).count() == 1
    };
    let (_, form) = app.get("/activities/new").await;
    for list in ["joint_controllers", "recipients", "transfers"] {
        assert!(
            templated(&form, list),
            "{list}: a hidden, disabled template only"
        );
    }
    assert!(
        !templated(&form, "purposes"),
        "a purpose is there to fill in"
    );

    // Without a script, "Add a transfer" asks the server: the row is then a real one.
    let r = app
        .post_activity(&org, "draft", "Newsletter", &[("action", "add:transfers")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.expect("body");
    assert!(!templated(&html, "transfers"), "the transfer row was added");
    assert!(html.contains("name=\"transfers[0].country\""));
    assert!(
        templated(&html, "recipients"),
        "the others still wait to be added"
    );
}

#[tokio::test]
async fn dates_are_typed_as_they_are_shown() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post_activity(
            &org,
            "draft",
            "Newsletter",
            &[("next_review", "2027-03-31")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from_location(&r);
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    assert!(page_text(&page).contains("2027-03-31"), "shown as typed");
    for path in [
        format!("/activities/{id}/edit"),
        "/activities/new".into(),
        "/parties/new".into(),
    ] {
        let (_, html) = app.get(&path).await;
        assert!(
            !html.contains("type=\"date\""),
            "{path}: no locale date picker"
        );
        let doc = scraper::Html::parse_document(&html);
        let dates = scraper::Selector::parse("input.date-input").expect("selector");
        let inputs: Vec<_> = doc.select(&dates).collect();
        assert!(!inputs.is_empty(), "{path}: date fields");
        for input in inputs {
            assert_eq!(
                input.value().attr("placeholder"),
                Some("YYYY-MM-DD"),
                "{path}"
            );
        }
    }
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    assert_eq!(
        input_value(&form, "next_review").as_deref(),
        Some("2027-03-31")
    );
    // Another way of writing it is refused with the format to use.
    let r = app
        .post_activity(&org, "draft", "Events", &[("next_review", "31/03/2027")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "next_review").is_some_and(|e| e.contains("YYYY-MM-DD")));
}

#[tokio::test]
async fn the_list_shows_as_many_rows_as_asked() {
    let app = spawn_app().await;
    {
        let mut conn = app.pool.get().expect("conn");
        ropa::demo::synthetic::generate(
            &mut conn,
            ropa::demo::synthetic::Size {
                activities: 60,
                organisations: 1,
                seed: 3,
            },
        )
        .expect("synthetic register");
    }
    let rows = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("table tbody tr").expect("selector");
        doc.select(&sel).count()
    };
    let (_, html) = app.get("/activities?status=all").await;
    assert_eq!(rows(&html), 50, "fifty by default");
    let (_, html) = app.get("/activities?status=all&per_page=25").await;
    assert_eq!(rows(&html), 25);
    assert!(
        html.contains("per_page=25"),
        "the pages after keep the size"
    );
    let (_, html) = app.get("/activities?status=all&per_page=100").await;
    assert_eq!(rows(&html), 60);
    let (status, html) = app.get("/activities?per_page=7").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("per_page"), "the parameter is named");
}

#[tokio::test]
async fn the_list_finds_reviews_overdue_and_due_within_30_days() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let today = chrono::Utc::now().date_naive();
    for (name, days) in [("Late one", -1i64), ("Soon one", 10), ("Later one", 60)] {
        let date = (today + chrono::Duration::days(days)).to_string();
        let r = app
            .post_activity(&org, "draft", name, &[("next_review", &date)])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let names = |html: &str| {
        let text = page_text(html);
        ["Late one", "Soon one", "Later one"]
            .into_iter()
            .filter(|n| text.contains(n))
            .collect::<Vec<_>>()
    };
    let (_, html) = app.get("/activities?review=overdue").await;
    assert_eq!(names(&html), ["Late one"]);
    let (_, html) = app.get("/activities?review=due30").await;
    assert_eq!(names(&html), ["Soon one"]);
    let (_, home) = app.get("/").await;
    assert!(
        home.contains("/activities?review=overdue"),
        "linked from the start page"
    );
    let (status, html) = app.get("/activities?review=soon").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("review"), "the parameter is named");
}

#[tokio::test]
async fn the_destination_filter_offers_the_countries_transfers_go_to() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let r = app
        .post_activity(
            &org,
            "draft",
            "Support",
            &[
                ("transfers[0].country", "IN"),
                ("transfers[0].mechanism", "scc_2021_914_module_1_c2c"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities").await;
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("#f-destination option").expect("selector");
    let offered: Vec<String> = doc
        .select(&sel)
        .filter_map(|o| o.value().attr("value").map(str::to_owned))
        .filter(|v| !v.is_empty())
        .collect();
    assert_eq!(offered, ["IN"], "only where transfers go");
    let (_, html) = app.get("/activities?destination=IN").await;
    assert!(page_text(&html).contains("Support"));
}
