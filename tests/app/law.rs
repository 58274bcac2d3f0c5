//! The rules of law as a DPO meets them: rights per purpose, partial adequacy evidenced,
//! "none" declared against "not recorded", the Art. 9 law named, and the register document
//! keeping every list in the order it was entered (and reading version 1 documents).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use ropa::domain::catalogue::CatalogueKind;

/// An organisation, a data-subject and a personal-data category, and a measure.
struct Base {
    org: String,
    subject: String,
    data: String,
    measure: String,
}

async fn base(app: &TestApp) -> Base {
    Base {
        org: app.create_organisation("Nordwind AG").await.to_string(),
        subject: app.catalogue_id(CatalogueKind::SubjectCategories, "customers"),
        data: app.catalogue_id(CatalogueKind::DataCategories, "contact_details"),
        measure: app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption"),
    }
}

/// A controller activity complete but for what `extra` adds or leaves out.
fn activity<'a>(
    b: &'a Base,
    name: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("organisation_id", b.org.as_str()),
        ("role", "controller"),
        ("status", "active"),
        ("name", name),
        ("subjects", b.subject.as_str()),
        ("data_categories", b.data.as_str()),
        ("retention[0].data_category_id", b.data.as_str()),
        ("retention[0].period_value", "1"),
        ("retention[0].period_unit", "months"),
        ("measures", b.measure.as_str()),
    ];
    pairs.extend_from_slice(extra);
    pairs
}

async fn create(app: &TestApp, pairs: &[(&str, &str)]) -> i64 {
    let r = app.post("/activities", pairs).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap_or_default()
    );
    id_from_location(&r)
}

/// The text of a page with every run of white space made one space.
async fn text_of(app: &TestApp, path: &str) -> String {
    let (_, html) = app.get(path).await;
    page_text(&html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The "Still missing" box of an activity page, as text ("" when complete).
async fn missing(app: &TestApp, id: i64) -> String {
    let text = text_of(app, &format!("/activities/{id}")).await;
    if text.contains("Complete.") {
        return String::new();
    }
    text.split("Still missing:")
        .nth(1)
        .and_then(|rest| rest.split("(a) Who is responsible").next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn rights_are_derived_per_purpose_and_merged_with_the_purposes_they_apply_to() {
    let app = spawn_app().await;
    let b = base(&app).await;
    let id = create(
        &app,
        &activity(
            &b,
            "Newsletter and tax records",
            &[
                ("purposes[0].description", "Sending the newsletter"),
                ("purposes[0].bases", "consent"),
                ("purposes[0].direct_marketing", "on"),
                (
                    "purposes[1].description",
                    "Keeping invoices for the tax office",
                ),
                ("purposes[1].bases", "legal_obligation"),
                ("purposes[1].manual_only", "on"),
                ("no_recipients", "on"),
                ("no_transfers", "on"),
            ],
        ),
    )
    .await;
    let text = text_of(&app, &format!("/activities/{id}")).await;
    for shown in [
        // Merged for the activity, each right with the purposes it applies to.
        "Right to object to direct marketing (Art. 21(2)-(3)): purpose 1",
        "Right to withdraw consent (Art. 7(3)): purpose 1",
        "Right to data portability (Art. 20(1)(a)-(b)): purpose 1",
        "Right to erasure (Art. 17(1); Art. 17(3)(b)), for purpose 2: limited",
        "Right of access (Art. 15)",
        // Per purpose, with the article of each rule and the markers.
        "Direct marketing Art. 21(2)",
        "Not by automated means Art. 20(1)(b)",
    ] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
    assert!(
        !text.contains("Right to object (Art. 21(1))"),
        "neither consent nor a legal obligation gives the Art. 21(1) objection"
    );
    let (_, csv) = app
        .get(&format!("/export.csv?activity={id}&status=all"))
        .await;
    assert!(csv.contains("Right to object to direct marketing (Art. 21(2)-(3)): purpose 1"));
}

#[tokio::test]
async fn a_transfer_on_a_partial_adequacy_decision_is_complete_only_with_its_evidence() {
    let app = spawn_app().await;
    let b = base(&app).await;
    let r = app
        .post(
            "/parties",
            &[
                ("name", "Uncertified Cloud LLC"),
                ("kind", "processor"),
                ("country", "US"),
            ],
        )
        .await;
    let cloud = id_from_location(&r);
    let cloud_id = cloud.to_string();
    let us = create(
        &app,
        &activity(
            &b,
            "US hosting",
            &[
                ("purposes[0].description", "Hosting"),
                ("purposes[0].bases", "contract"),
                ("recipients[0].party_id", &cloud_id),
                ("transfers[0].country", "US"),
                ("transfers[0].party_id", &cloud_id),
                ("transfers[0].mechanism", "adequacy_decision"),
            ],
        ),
    )
    .await;
    assert!(missing(&app, us).await.contains("adequacy scope Art. 45"));
    let text = text_of(&app, &format!("/activities/{us}")).await;
    assert!(text.contains("Commission Implementing Decision (EU) 2023/1795"));
    assert!(text.contains("Art. 45(3)"));
    assert!(text.contains("Recipient's Data Privacy Framework certification not recorded"));
    assert!(text.contains("Adequacy decisions as checked up to 2026-01-28"));
    let (_, list) = app.get("/activities?q=hosting").await;
    assert!(
        page_text(&list).contains("adequacy scope"),
        "the list knows the gap"
    );

    // Recording the certification on the party completes every transfer to it.
    let (_, form) = app.get(&format!("/parties/{cloud}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/parties/{cloud}"),
            &[
                ("name", "Uncertified Cloud LLC"),
                ("kind", "processor"),
                ("country", "US"),
                ("dpf_checked_on", "2026-11-20"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(missing(&app, us).await, "");
    let text = text_of(&app, &format!("/activities/{us}")).await;
    assert!(text.contains(
        "Recipient certified under the EU-US Data Privacy Framework (checked 2026-11-20)"
    ));
    let (_, list) = app.get("/activities?q=hosting").await;
    assert!(
        !page_text(&list).contains("adequacy scope"),
        "stored gaps follow the party"
    );

    // Canada: the statement on the transfer that the recipient is subject to PIPEDA.
    let ca = |confirmed: bool| {
        let mut extra = vec![
            ("purposes[0].description", "Support"),
            ("purposes[0].bases", "contract"),
            ("no_recipients", "on"),
            ("transfers[0].country", "CA"),
            ("transfers[0].mechanism", "adequacy_decision"),
        ];
        if confirmed {
            extra.push(("transfers[0].scope_confirmed", "on"));
        }
        extra
    };
    let without = create(&app, &activity(&b, "Canada unconfirmed", &ca(false))).await;
    assert!(missing(&app, without).await.contains("adequacy scope"));
    let with = create(&app, &activity(&b, "Canada confirmed", &ca(true))).await;
    assert_eq!(missing(&app, with).await, "");
    let text = text_of(&app, &format!("/activities/{with}")).await;
    assert!(text.contains("Commission Decision 2002/2/EC"));
    assert!(
        text.contains("Art. 45(9)"),
        "a decision under Directive 95/46/EC"
    );
    assert!(text.contains("Recipient inside the decision's scope"));
}

#[tokio::test]
async fn none_declared_is_complete_and_not_recorded_is_a_gap_in_pages_and_exports() {
    let app = spawn_app().await;
    let b = base(&app).await;
    let purpose = [
        ("purposes[0].description", "Answering enquiries"),
        ("purposes[0].bases", "contract"),
    ];
    let open = create(&app, &activity(&b, "Enquiries, lists open", &purpose)).await;
    let gaps = missing(&app, open).await;
    assert!(gaps.contains("recipients Art. 30(1)(d)"), "{gaps}");
    assert!(gaps.contains("transfers Art. 30(1)(e)"), "{gaps}");
    let text = text_of(&app, &format!("/activities/{open}")).await;
    assert!(text.contains("Not recorded yet: list the recipients"));
    let mut declared_pairs = activity(&b, "Enquiries, none declared", &purpose);
    declared_pairs.extend([("no_recipients", "on"), ("no_transfers", "on")]);
    let declared = create(&app, &declared_pairs).await;
    assert_eq!(missing(&app, declared).await, "");
    let text = text_of(&app, &format!("/activities/{declared}")).await;
    assert!(text.contains("None: the personal data are disclosed to no recipient (declared)"));
    assert!(text.contains("None: no personal data are transferred"));

    let (_, body) = app.get("/export.csv?role=controller&status=all").await;
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let at = |h: &str| headers.iter().position(|x| x.starts_with(h)).expect(h);
    let (recipients, transfers) = (
        at("Categories of recipients"),
        at("Names of third countries"),
    );
    for row in reader.records() {
        let row = row.expect("row");
        match &row[3] {
            "Enquiries, lists open" => {
                assert_eq!(&row[recipients], "not recorded");
                assert_eq!(&row[transfers], "not recorded");
            }
            "Enquiries, none declared" => {
                assert_eq!(&row[recipients], "None");
                assert_eq!(&row[transfers], "None");
            }
            other => panic!("unexpected row {other}"),
        }
    }
}

#[tokio::test]
async fn an_art_9_condition_resting_on_law_needs_the_law_named() {
    let app = spawn_app().await;
    let b = base(&app).await;
    let health = app.catalogue_id(CatalogueKind::DataCategories, "health_data");
    let pairs = |law: &'static str| {
        vec![
            ("purposes[0].description", "Occupational health"),
            ("purposes[0].bases", "legal_obligation"),
            ("no_recipients", "on"),
            ("no_transfers", "on"),
            ("special_conditions", "health_or_social_care"),
            ("special_legal_reference", law),
        ]
    };
    let mut unnamed = activity(&b, "Health checks, law unnamed", &pairs(""));
    unnamed.extend([
        ("data_categories", health.as_str()),
        ("retention[1].data_category_id", health.as_str()),
        ("retention[1].criterion", "End of employment"),
    ]);
    let id = create(&app, &unnamed).await;
    assert!(missing(&app, id)
        .await
        .contains("Art. 9 law Art. 9(2)(b), (g)-(j)"));
    let mut named = activity(&b, "Health checks, law named", &pairs("§ 22(1)(1)(b) BDSG"));
    named.extend([
        ("data_categories", health.as_str()),
        ("retention[1].data_category_id", health.as_str()),
        ("retention[1].criterion", "End of employment"),
    ]);
    let id = create(&app, &named).await;
    assert_eq!(missing(&app, id).await, "");
}

/// Reverses every list of every activity in a register document.
fn reverse_lists(doc: &mut Value) {
    for a in doc["activities"].as_array_mut().expect("activities") {
        for key in [
            "subjects",
            "data_categories",
            "security_measures",
            "special_conditions",
            "purposes",
            "recipients",
            "transfers",
            "retention",
        ] {
            if let Some(list) = a[key].as_array_mut() {
                list.reverse();
            }
        }
        for p in a["purposes"].as_array_mut().expect("purposes") {
            if let Some(bases) = p["lawful_bases"].as_array_mut() {
                bases.reverse();
            }
        }
    }
}

async fn rich_register(app: &TestApp) {
    let b = base(app).await;
    let employees = app.catalogue_id(CatalogueKind::SubjectCategories, "employees");
    let identity = app.catalogue_id(CatalogueKind::DataCategories, "identity_civil_status");
    let health = app.catalogue_id(CatalogueKind::DataCategories, "health_data");
    let backup = app.catalogue_id(CatalogueKind::SecurityMeasures, "backup");
    let hr = app
        .create_party("HR department", "internal_department", "DE")
        .await
        .to_string();
    let tax = app
        .create_party("Tax office", "public_authority", "DE")
        .await
        .to_string();
    let pairs = activity(
        &b,
        "Staff administration",
        &[
            ("subjects", employees.as_str()),
            ("data_categories", identity.as_str()),
            ("data_categories", health.as_str()),
            ("measures", backup.as_str()),
            ("special_conditions", "employment_social_security_law"),
            ("special_conditions", "legal_claims_or_courts"),
            ("special_legal_reference", "§ 26(3) BDSG"),
            ("purposes[0].description", "Employment"),
            ("purposes[0].bases", "legal_obligation"),
            ("purposes[0].bases", "contract"),
            ("purposes[1].description", "Staff newsletter"),
            ("purposes[1].bases", "consent"),
            ("purposes[1].direct_marketing", "on"),
            ("recipients[0].party_id", hr.as_str()),
            ("recipients[1].party_id", tax.as_str()),
            ("transfers[0].country", "CH"),
            ("transfers[0].mechanism", "adequacy_decision"),
            ("transfers[1].country", "JP"),
            ("transfers[1].mechanism", "adequacy_decision"),
            ("transfers[1].scope_confirmed", "on"),
            ("retention[1].data_category_id", health.as_str()),
            ("retention[1].period_value", "72"),
            ("retention[1].period_unit", "hours"),
            ("retention[2].data_category_id", identity.as_str()),
            ("retention[2].period_value", "1"),
            ("retention[2].period_unit", "weeks"),
            ("automated_processing", "profiling"),
            ("automated_decision_description", "Absence patterns"),
            ("dpia_required", "yes"),
            ("dpia_status", "completed"),
            ("dpia_completed_on", "2026-03-31"),
        ],
    );
    create(app, &pairs).await;
}

#[tokio::test]
async fn the_register_document_keeps_every_list_in_the_order_it_was_entered() {
    let app = spawn_app().await;
    rich_register(&app).await;
    let (_, json) = app.get("/export.json").await;
    let mut doc = without_generated_at(&json);
    // An unsorted register: every list in the opposite of the order the form sends.
    reverse_lists(&mut doc);
    let mut first = import_and_export(&doc).expect("imports");
    // The findings name rows by their place ("Transfer 2"), so they follow the new order:
    // recomputed, never read back, they are compared by what they find.
    let rules = |v: &mut Value| -> Vec<String> {
        let mut rules: Vec<String> = v["activities"]
            .as_array_mut()
            .expect("activities")
            .iter_mut()
            .flat_map(|a| {
                let found = a["findings"].take();
                found
                    .as_array()
                    .map(|f| {
                        f.iter()
                            .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .collect();
        rules.sort();
        rules
    };
    assert_eq!(rules(&mut first), rules(&mut doc));
    assert_eq!(
        first, doc,
        "export, import, export keeps every list's order"
    );
    let a = &first["activities"][0];
    assert_eq!(
        a["purposes"][1]["lawful_bases"],
        serde_json::json!(["contract", "legal_obligation"])
    );
    assert_eq!(a["purposes"][0]["direct_marketing"], true);
    assert_eq!(a["retention"][1]["period_unit"], "hours");
    assert_eq!(a["dpia_completed_on"], "2026-03-31");
    assert_eq!(a["automated_processing"], "profiling");
}

#[tokio::test]
async fn a_version_1_document_imports_with_the_meaning_it_had() {
    let app = spawn_app().await;
    rich_register(&app).await;
    let b = base_for_second_org(&app).await;
    create(
        &app,
        &activity(
            &b,
            "Scoring without transfers",
            &[
                ("purposes[0].description", "Credit checks"),
                ("purposes[0].bases", "contract"),
                ("no_recipients", "on"),
            ],
        ),
    )
    .await;
    let (_, json) = app.get("/export.json").await;
    let mut doc = without_generated_at(&json);
    // Version 1: no declared "none", no per-purpose facts, a yes/no Art. 22 flag.
    doc["format_version"] = 1.into();
    for p in doc["parties"].as_array_mut().expect("parties") {
        p.as_object_mut().expect("party").remove("dpf_checked_on");
    }
    for a in doc["activities"].as_array_mut().expect("activities") {
        let scoring = a["name"] == "Scoring without transfers";
        let o = a.as_object_mut().expect("activity");
        for key in [
            "automated_processing",
            "automated_exception",
            "automated_logic",
            "automated_safeguards",
            "dpia_completed_on",
            "no_recipients",
            "no_transfers",
        ] {
            o.remove(key);
        }
        o.insert("automated_decision".into(), scoring.into());
        if scoring {
            o.insert(
                "automated_decision_description".into(),
                "Credit score".into(),
            );
        }
        for p in o["purposes"].as_array_mut().expect("purposes") {
            let p = p.as_object_mut().expect("purpose");
            p.remove("direct_marketing");
            p.remove("automated_means");
        }
        // Versions 1 and 2: a retention rule names its one category.
        for r in o["retention"].as_array_mut().expect("retention") {
            let r = r.as_object_mut().expect("rule");
            let categories = r.remove("data_categories").expect("categories");
            assert_eq!(categories.as_array().map(Vec::len), Some(1));
            r.insert("data_category".into(), categories[0].clone());
        }
    }
    let rules_before: Vec<serde_json::Value> = doc["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .map(|a| a["retention"].clone())
        .collect();
    let back = import_and_export(&doc).expect("a version 1 document imports");
    assert_eq!(back["format_version"], 4);
    for (a, before) in back["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .zip(&rules_before)
    {
        for (rule, old) in a["retention"]
            .as_array()
            .expect("rules")
            .iter()
            .zip(before.as_array().expect("rules"))
        {
            assert_eq!(
                rule["data_categories"],
                serde_json::json!([old["data_category"].clone()]),
                "the one category of a version 1 rule"
            );
        }
    }
    let scoring = back["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["name"] == "Scoring without transfers")
        .expect("scoring");
    assert_eq!(
        scoring["automated_processing"],
        "solely_automated_decisions"
    );
    assert_eq!(
        scoring["no_transfers"], true,
        "version 1's empty list meant none"
    );
    assert_eq!(
        scoring["no_recipients"], false,
        "an empty list of recipients was a gap"
    );
    let staff = back["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["name"] == "Staff administration")
        .expect("staff");
    assert_eq!(staff["automated_processing"], "none");
    assert_eq!(staff["no_transfers"], false, "it has transfers");

    // A version 2 document may not carry version 1's flag.
    let mut v2 = without_generated_at(&json);
    v2["activities"][0]["automated_decision"] = true.into();
    let err = import_and_export(&v2).expect_err("refused");
    assert!(err.contains("automated_decision"), "{err}");
}

async fn base_for_second_org(app: &TestApp) -> Base {
    Base {
        org: app.create_organisation("Südwind GmbH").await.to_string(),
        subject: app.catalogue_id(CatalogueKind::SubjectCategories, "customers"),
        data: app.catalogue_id(CatalogueKind::DataCategories, "contact_details"),
        measure: app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption"),
    }
}

#[tokio::test]
async fn a_processor_activity_is_labelled_with_the_points_of_art_30_2() {
    let app = spawn_app().await;
    let b = base(&app).await;
    let client = app
        .create_party("Kunde GmbH", "client_controller", "DE")
        .await
        .to_string();
    let pairs = [
        ("organisation_id", b.org.as_str()),
        ("role", "processor"),
        ("status", "active"),
        ("name", "Payroll for clients"),
        ("controllers[0].party_id", client.as_str()),
        ("controllers[0].processing_categories", "Payroll runs"),
        (
            "purposes[0].description",
            "Payroll on the client's instructions",
        ),
    ];
    let id = create(&app, &pairs).await;

    // Incomplete: the missing points are those of Art. 30(2).
    let gaps = missing(&app, id).await;
    assert!(gaps.contains("Art. 30(2)(c)"), "{gaps}");
    assert!(gaps.contains("Art. 30(2)(d)"), "{gaps}");
    let text = text_of(&app, &format!("/activities/{id}")).await;
    assert!(
        !text.contains("30(1)"),
        "no Art. 30(1) point on a processor's page: {text}"
    );
    assert!(text
        .contains("(c) Transfers to third countries or international organisations Art. 30(2)(c)"));
    assert!(text.contains("(d) Technical and organisational security measures Art. 30(2)(d)"));
    assert!(
        text.contains("Data subjects and personal data kept beyond Art. 30(2)"),
        "not lettered as a point of the processor's record"
    );
    assert!(
        !text.contains("Not recorded yet: list the recipients"),
        "not a gap of Art. 30(2)"
    );

    // The form names the same points for a processor.
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let shown = scraper::Html::parse_document(&form);
    let visible = scraper::Selector::parse("[data-role-label]:not([hidden])").expect("selector");
    let labels: Vec<String> = shown
        .select(&visible)
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(labels.iter().all(|l| !l.contains("30(1)")), "{labels:?}");
    assert!(
        labels.iter().any(|l| l.contains("Art. 30(2)(c)")),
        "{labels:?}"
    );
    assert!(
        labels.iter().any(|l| l.contains("Art. 30(2)(d)")),
        "{labels:?}"
    );

    // Completed with its transfers declared and its measures, it is complete under Art. 30(2).
    let mut complete = pairs.to_vec();
    complete.extend([("no_transfers", "on"), ("measures", b.measure.as_str())]);
    let id = create(&app, &complete).await;
    let text = text_of(&app, &format!("/activities/{id}")).await;
    assert!(text.contains("Complete. Every mandatory element of Art. 30(2) is recorded."));
    assert!(!text.contains("30(1)"), "{text}");
}
