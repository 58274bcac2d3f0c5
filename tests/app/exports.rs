//! Exports: CSV parsed back, JSON round trip and import validation, role separation.

use reqwest::StatusCode;

use crate::helpers::*;
use ropa::domain::catalogue::CatalogueKind;

/// Values that break naive exports: commas, quotes, line breaks, scripts, formulas.
const TRICKY_NAME: &str = "Payroll, \"Łódź\" Ørsted\nMüller Ελλάδα Čeština";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\")";

struct Register {
    controller_id: i64,
    processor_id: i64,
}

async fn build_register(app: &TestApp) -> Register {
    let org = app
        .create_organisation("Ørsted Ελλάδα Ltd")
        .await
        .to_string();
    let r = app
        .post(
            "/parties",
            &[
                ("name", "Cloud, \"Inc\""),
                ("kind", "processor"),
                ("country", "US"),
                ("contract_reference", "DPA-CLOUD-7"),
                ("dpf_checked_on", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let processor = id_from_location(&r).to_string();
    let client = app
        .create_party("Client Čeština s.r.o.", "client_controller", "CZ")
        .await
        .to_string();
    let sub = app
        .create_party("Sub Łódź", "sub_processor", "IN")
        .await
        .to_string();
    let employees = app.catalogue_id(CatalogueKind::SubjectCategories, "employees");
    let identity = app.catalogue_id(CatalogueKind::DataCategories, "identity_civil_status");
    let encryption = app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption");
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "active"),
                ("reference", "HR-1"),
                ("name", TRICKY_NAME),
                ("business_function", FORMULA),
                ("owner", "-Owner with minus"),
                (
                    "purposes[0].description",
                    "Paying staff, monthly\nand yearly",
                ),
                ("purposes[0].bases", "contract"),
                ("purposes[0].bases", "legal_obligation"),
                ("subjects", &employees),
                ("data_categories", &identity),
                ("recipients[0].party_id", &processor),
                ("recipients[0].data_received", "@everything"),
                ("transfers[0].country", "US"),
                ("transfers[0].party_id", &processor),
                ("transfers[0].mechanism", "adequacy_decision"),
                ("retention[0].data_category_id", &identity),
                ("retention[0].period_value", "10"),
                ("retention[0].period_unit", "years"),
                ("retention[0].start_event", "end of employment"),
                ("retention[0].legal_reference", "§ 147 AO"),
                ("measures", &encryption),
                ("security_description", "+Encrypted, backed up"),
                ("processor_contract_ref", "DPA-1"),
                ("automated_processing", "solely_automated_decisions"),
                (
                    "automated_decision_description",
                    "Pay grades set by a rules engine",
                ),
                ("automated_exception", "authorised_by_law"),
                ("automated_logic", "Collective agreement tables"),
                ("automated_safeguards", "Payroll officer reviews on request"),
                ("dpia_required", "yes"),
                ("dpia_status", "completed"),
                ("dpia_completed_on", "2026-02-27"),
                ("transfers[1].country", "AE"),
                (
                    "transfers[1].mechanism",
                    "derogation_contract_with_data_subject",
                ),
                ("transfers[1].safeguards", "Occasional; travel bookings"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let controller_id = id_from_location(&r);
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "processor"),
                ("status", "active"),
                ("reference", "P-1"),
                ("name", "Payroll for clients"),
                ("controllers[0].party_id", &client),
                (
                    "controllers[0].processing_categories",
                    "Payslips, \"annual\" statements",
                ),
                ("recipients[0].party_id", &sub),
                ("transfers[0].country", "IN"),
                ("transfers[0].party_id", &sub),
                ("transfers[0].mechanism", "scc_2021_914_module_3_p2p"),
                ("transfers[0].safeguards", "SCC Module 3, TIA-7"),
                ("measures", &encryption),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    Register {
        controller_id,
        processor_id: id_from_location(&r),
    }
}

fn parse_csv(body: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_controller_csv_has_the_ico_header_and_parses_back_to_the_values() {
    let app = spawn_app().await;
    build_register(&app).await;
    let r = app
        .client
        .get(format!("{}/export.csv?role=controller", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .contains("attachment"));
    let body = r.text().await.expect("body");
    let rows = parse_csv(&body);
    let expected: Vec<String> = [
        "Organisation", "Role", "Reference", "Processing activity",
        "Business function", "Purpose of processing", "Name and contact details of joint controller (if applicable)",
        "Categories of individuals", "Categories of personal data", "Categories of recipients", "Link to contract with processor",
        "Names of third countries or international organisations that personal data are transferred to (if applicable)",
        "Safeguards for exceptional transfers of personal data to third countries or international organisations (if applicable)",
        "Retention schedule (if possible)",
        "General description of technical and organisational security measures (if possible)",
        "Article 6 lawful basis for processing personal data", "Article 9 condition for processing special category data",
        "Legitimate interests for the processing (if applicable)",
        "Link to record of legitimate interests assessment (if applicable)", "Rights available to individuals",
        "Existence of automated decision-making, including profiling (if applicable)",
        "The source of the personal data (if applicable)", "Link to record of consent", "Location of personal data",
        "Data Protection Impact Assessment required?", "Data Protection Impact Assessment progress",
        "Link to Data Protection Impact Assessment", "Has a personal data breach occurred?",
        "Link to record of personal data breach",
        "Status", "Owner", "Last reviewed", "Next review", "Created", "Updated", "Open findings",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(rows[0], expected, "exact header");
    assert_eq!(rows.len(), 2, "only the controller activity");
    let row = &rows[1];
    let col = |name: &str| row[expected.iter().position(|h| h == name).expect(name)].clone();
    assert_eq!(col("Organisation"), "Ørsted Ελλάδα Ltd");
    // The register checks' findings, one a line with the rule and the article.
    let findings = col("Open findings");
    for line in findings.lines() {
        assert!(
            ["error R-", "warning R-", "notice R-"]
                .iter()
                .any(|s| line.starts_with(s))
                && line.ends_with(')'),
            "{line}"
        );
    }
    assert_eq!(col("Reference"), "HR-1");
    assert_eq!(
        col("Processing activity"),
        TRICKY_NAME,
        "commas, quotes, line breaks and scripts survive"
    );
    assert_eq!(
        col("Business function"),
        format!("'{FORMULA}"),
        "formula neutralised"
    );
    assert_eq!(col("Owner"), "'-Owner with minus");
    assert_eq!(
        col("Purpose of processing"),
        "Paying staff, monthly\nand yearly"
    );
    assert_eq!(col("Categories of individuals"), "Employees (staff)");
    assert!(
        col("Categories of recipients").starts_with("Cloud, \"Inc\" (Processor, United States)")
    );
    assert!(
        col("Categories of recipients").contains("@everything"),
        "mid-cell @ is left alone"
    );
    // Column 8: every transfer, with the decision it relies on cited in full.
    assert_eq!(
        col("Names of third countries or international organisations that personal data are transferred to (if applicable)"),
        "United States (US) (Cloud, \"Inc\"): Adequacy: Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework) of 2023-07-10 (Art. 45(3); partial) [decisions as checked up to 2026-01-28]; Recipient certified under the EU-US Data Privacy Framework (checked 2026-11-01)\n\
         United Arab Emirates (AE): Derogation: contract with the data subject (Art. 49(1)(b))"
    );
    // Column 9: only the exceptional transfers (Art. 49).
    assert_eq!(
        col("Safeguards for exceptional transfers of personal data to third countries or international organisations (if applicable)"),
        "United Arab Emirates (AE): Derogation: contract with the data subject (Art. 49(1)(b)): Occasional; travel bookings"
    );
    // Column 17: the Art. 22 case in full.
    assert_eq!(
        col("Existence of automated decision-making, including profiling (if applicable)"),
        "Solely automated decisions with legal or similarly significant effects (Art. 22(1))\n\
         Pay grades set by a rules engine\n\
         Exception: Authorised by Union or Member State law with suitable safeguards (Art. 22(2)(b))\n\
         Logic involved: Collective agreement tables\n\
         Safeguards (Art. 22(3)): Payroll officer reviews on request"
    );
    // Column 22: progress with its completion date.
    assert_eq!(
        col("Data Protection Impact Assessment progress"),
        "Completed, completed on 2026-02-27"
    );
    assert_eq!(col("Retention schedule (if possible)"), "Civil status, identity, identification data, images: 10 years from end of employment (§ 147 AO)");
    assert_eq!(
        col("Article 6 lawful basis for processing personal data"),
        "Contract (Art. 6(1)(b))\nLegal obligation (Art. 6(1)(c))",
        "one item per line"
    );
    assert!(
        col("Rights available to individuals")
            .contains("Right to data portability (Art. 20(1)(a)-(b))"),
        "derived from the bases"
    );
    assert!(col("Rights available to individuals").contains(
        "Right to erasure (Art. 17(3)(b)), limited: the processing is necessary to comply with a legal obligation"
    ));
    assert!(col("Rights available to individuals")
        .contains("Rights related to automated decision-making (Art. 22(1), (3))"));
    assert!(!col("Rights available to individuals").contains("Right to object"));
    assert!(col(
        "General description of technical and organisational security measures (if possible)"
    )
    .starts_with("'+Encrypted"));
    // Column 7: the processors' Art. 28 contracts, then the activity's own reference.
    assert_eq!(
        col("Link to contract with processor"),
        "Cloud, \"Inc\": DPA-CLOUD-7\nDPA-1"
    );
    assert_eq!(
        col("Link to record of consent"),
        "",
        "what the register does not hold stays empty"
    );
    assert_eq!(col("Status"), "Active");

    let r = app
        .client
        .get(format!("{}/export.csv?role=controller&bom=1", app.address))
        .send()
        .await
        .expect("get");
    let bytes = r.bytes().await.expect("bytes");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "byte-order mark for Excel"
    );
}

#[tokio::test]
async fn the_processor_csv_holds_only_processor_activities() {
    let app = spawn_app().await;
    let reg = build_register(&app).await;
    let (_, body) = app.get("/export.csv?role=processor").await;
    let rows = parse_csv(&body);
    assert_eq!(
        rows[0],
        ropa::export::csv::PROCESSOR_HEADER
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(rows.len(), 2);
    let row = &rows[1];
    assert_eq!(row[4], "P-1");
    assert_eq!(row[6], "Client Čeština s.r.o.");
    assert_eq!(
        row[8],
        "Client Čeština s.r.o.: Payslips, \"annual\" statements"
    );
    assert!(row[9].contains("India (IN)") && row[9].contains("Module 3"));
    assert!(row[10].contains("SCC Module 3, TIA-7"));
    assert!(row[13].contains("Sub Łódź"), "sub-processors listed");
    let (_, one) = app
        .get(&format!(
            "/export.csv?role=processor&activity={}",
            reg.controller_id
        ))
        .await;
    assert_eq!(
        parse_csv(&one).len(),
        1,
        "a controller activity is not in a processor export"
    );
    let (_, one) = app
        .get(&format!(
            "/export.csv?role=processor&activity={}",
            reg.processor_id
        ))
        .await;
    assert_eq!(parse_csv(&one).len(), 2);
}

#[tokio::test]
async fn the_list_export_honours_its_filters() {
    let app = spawn_app().await;
    build_register(&app).await;
    let org = app.create_organisation("Other Org").await.to_string();
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Marketing"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // By default the regulator's copy: the active register, drafts only when asked for.
    let (_, active_only) = app.get("/export.csv?role=controller").await;
    assert_eq!(parse_csv(&active_only).len(), 2, "the draft is left out");
    let (_, all) = app.get("/export.csv?role=controller&status=current").await;
    assert_eq!(parse_csv(&all).len(), 3);
    let (_, filtered) = app
        .get("/export.csv?role=controller&q=marketing&status=current")
        .await;
    let rows = parse_csv(&filtered);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][3], "Marketing");
    let r = app
        .client
        .get(format!(
            "{}/export.csv?role=controller&q=marketing&status=current&organisation={org}",
            app.address
        ))
        .send()
        .await
        .expect("get");
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let today = chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"other-org-controller-record-filtered-current-{today}.csv\""
        ),
        "the file name says what the download holds"
    );
    let (_, active) = app.get("/export.csv?role=controller&status=active").await;
    assert_eq!(parse_csv(&active).len(), 2);
    let (_, html) = app.get("/activities?q=marketing").await;
    assert!(
        html.contains("/export.csv?q=marketing&#38;role=controller"),
        "the list links its filtered exports"
    );
    let (status, _) = app.get("/export.csv?role=boss").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = app.get("/export.csv?activity=999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/export.xls").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A change that breaks a document.
type Change = Box<dyn Fn(&mut serde_json::Value)>;

#[tokio::test]
async fn json_export_import_export_is_exact() {
    let app = spawn_app().await;
    build_register(&app).await;
    let (status, first) = app.get("/export.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc = without_generated_at(&first);
    assert_eq!(doc["format_version"], 4);
    assert!(
        doc["catalogues"]["data_categories"]
            .as_array()
            .expect("list")
            .len()
            > 20
    );
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("register.json");
    std::fs::write(&file, &first).expect("write");
    let (target, pg) = fresh_database(&dir);
    let out = ropa(&target, &["import", file.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ropa(&target, &["export", "--format", "json"]);
    assert!(out.status.success());
    let second = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(
        without_generated_at(&second),
        doc,
        "export, import, export gives the same document"
    );
    let again = ropa(&target, &["import", file.to_str().expect("path")]);
    assert!(
        !again.status.success(),
        "import refuses a database that is not empty"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    // The import takes the foreign keys off on PostgreSQL for the load: they are back.
    let pool = ropa::store::open(&target, 1).expect("open the imported database");
    let mut conn = pool.get().expect("conn");
    {
        use diesel::RunQueryDsl;
        for sql in [
            "INSERT INTO activity_subjects (activity_id, subject_category_id) VALUES (999999, 1)",
            "INSERT INTO recipients (activity_id, party_id, position, data_received, reason) \
             SELECT id, 999999, 99, '', '' FROM activities LIMIT 1",
            "INSERT INTO activities (organisation_id, role, reference, name, description, \
             business_function, owner, status, criminal_legal_reference, \
             special_legal_reference, data_source, systems, data_location, automated_processing, \
             automated_decision_description, dpia_required, dpia_status, dpia_reference, \
             privacy_notice_ref, consent_record_ref, processor_contract_ref, \
             retention_policy_ref, breach_occurred, breach_record_ref, security_description, \
             version, created_at, updated_at) \
             SELECT 999999, role, 'X-1', name, description, business_function, owner, status, \
             criminal_legal_reference, special_legal_reference, data_source, systems, \
             data_location, automated_processing, automated_decision_description, dpia_required, \
             dpia_status, dpia_reference, privacy_notice_ref, consent_record_ref, \
             processor_contract_ref, retention_policy_ref, breach_occurred, breach_record_ref, \
             security_description, version, created_at, updated_at \
             FROM activities LIMIT 1",
        ] {
            let err = diesel::sql_query(sql)
                .execute(&mut **conn)
                .expect_err("a row that points nowhere is refused");
            assert!(
                err.to_string().to_lowercase().contains("foreign key"),
                "{sql}: {err}"
            );
        }
    }
    drop(conn);
    drop(pool);
    drop_pg(pg);
}

#[tokio::test]
async fn an_invalid_document_is_refused_with_its_json_path_and_changes_nothing() {
    let app = spawn_app().await;
    build_register(&app).await;
    let (_, json) = app.get("/export.json").await;
    let good: serde_json::Value = serde_json::from_str(&json).expect("json");
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|d| d["format_version"] = 99.into()),
            "$.format_version",
        ),
        (
            Box::new(|d| d["activities"][0]["purposes"][0]["lawful_bases"][1] = "whim".into()),
            "$.activities[0].purposes[0].lawful_bases",
        ),
        (
            Box::new(|d| d["activities"][1]["controllers"][0]["party"] = "Nobody".into()),
            "$.activities[1].controllers[0].party",
        ),
        (
            Box::new(|d| d["activities"][0]["data_categories"][0] = "no_such_code".into()),
            "$.activities[0].data_categories[0]",
        ),
        (
            Box::new(|d| d["activities"][1]["reference"] = "HR-1".into()),
            "$.activities[1].reference",
        ),
        (
            Box::new(|d| d["activities"][0]["transfers"][0]["country"] = "FR".into()),
            "$.activities[0].transfers[0].country",
        ),
        (
            Box::new(|d| d["activities"][0]["status"] = 7.into()),
            "$.activities[0].status",
        ),
        (
            Box::new(|d| d["organisations"][0]["country"] = "XX".into()),
            "$.organisations[0].country",
        ),
        // What PostgreSQL cannot store and SQLite would: refused on both, before any write.
        (
            Box::new(|d| d["organisations"][0]["name"] = "Acme\u{0}Ltd".into()),
            "$.organisations[0].name",
        ),
        (
            Box::new(|d| d["parties"][0]["name"] = "start of heading \u{1}".into()),
            "$.parties[0].name",
        ),
        (
            Box::new(|d| d["activities"][0]["description"] = "bell \u{7}".into()),
            "$.activities[0].description",
        ),
        (
            Box::new(|d| d["organisations"][0]["created_at"] = "-5000-01-01T00:00:00".into()),
            "$.organisations[0].created_at",
        ),
        (
            Box::new(|d| d["activities"][0]["next_review"] = "0001-01-01".into()),
            "$.activities[0].next_review",
        ),
    ];
    for (change, path) in cases {
        let mut doc = good.clone();
        change(&mut doc);
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("bad.json");
        std::fs::write(&file, serde_json::to_string(&doc).expect("json")).expect("write");
        let (target, pg) = fresh_database(&dir);
        let out = ropa(&target, &["import", file.to_str().expect("path")]);
        assert!(!out.status.success(), "{path} refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(path), "error names {path}: {stderr}");
        let out = ropa(&target, &["export", "--format", "json"]);
        let after = without_generated_at(&String::from_utf8(out.stdout).expect("utf8"));
        assert_eq!(
            after["organisations"].as_array().map(Vec::len),
            Some(0),
            "{path}: nothing imported"
        );
        assert_eq!(after["activities"].as_array().map(Vec::len), Some(0));
        drop_pg(pg);
    }
}

#[tokio::test]
async fn the_cli_export_writes_each_format_and_separates_roles() {
    let app = spawn_app().await;
    build_register(&app).await;
    let dir = tempfile::tempdir().expect("dir");
    let out_file = dir.path().join("c.csv");
    let url = app_database_url(&app);
    let out = ropa(
        &url,
        &[
            "export",
            "--format",
            "csv",
            "--role",
            "controller",
            "--output",
            out_file.to_str().expect("p"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&std::fs::read_to_string(&out_file).expect("read"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][2], "HR-1");
    let out = ropa(
        &url,
        &[
            "export",
            "--format",
            "csv",
            "--role",
            "processor",
            "--organisation",
            "Ørsted Ελλάδα Ltd",
        ],
    );
    let rows = parse_csv(&String::from_utf8(out.stdout).expect("utf8"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][4], "P-1");
    let out = ropa(
        &url,
        &["export", "--format", "csv", "--organisation", "Nobody"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--organisation"));
    let out = ropa(&url, &["export", "--format", "xls"]);
    assert!(!out.status.success());
}

/// The database URL the test app uses, for running the CLI against it.
fn app_database_url(app: &TestApp) -> String {
    app.database_url.clone()
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("PDF text extracts")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn the_controller_pdf_holds_every_value_each_letter_and_page_numbers() {
    let app = spawn_app().await;
    build_register(&app).await;
    let r = app
        .client
        .get(format!("{}/export.pdf?role=controller", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = r.bytes().await.expect("bytes");
    let text = pdf_text(&bytes);
    let flat = squash(&text);
    assert!(text.contains("Record of processing activities, Article 30(1) GDPR"));
    for value in [
        "Ørsted Ελλάδα Ltd",
        TRICKY_NAME,
        FORMULA,
        "-Owner with minus",
        "Paying staff, monthly\nand yearly",
        "Employees (staff)",
        "Civil status, identity, identification data, images",
        "Cloud, \"Inc\"",
        "@everything",
        "United States",
        "Adequacy decision of the European Commission",
        "10 years from end of employment",
        "§ 147 AO",
        "Encryption of personal data (at rest, in transit)",
        "+Encrypted, backed up",
        "DPA-1",
        "HR-1",
    ] {
        assert!(flat.contains(&squash(value)), "{value:?} is in the PDF");
    }
    for letter in ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"] {
        assert!(text.contains(letter), "letter {letter}");
    }
    assert!(text.contains("Page 1 of"), "page numbers");
    assert!(
        !text.contains("Payroll for clients"),
        "no processor activity in the controller record"
    );
}

/// The page number (1-based) a link annotation or outline item leads to.
fn destination_page(
    doc: &lopdf::Document,
    page_numbers: &std::collections::HashMap<lopdf::ObjectId, u32>,
    holder: &lopdf::Dictionary,
) -> u32 {
    let dest = match holder.get(b"Dest") {
        Ok(d) => d,
        Err(_) => holder
            .get(b"A")
            .and_then(|a| doc.dereference(a))
            .and_then(|(_, a)| a.as_dict())
            .and_then(|a| a.get(b"D"))
            .expect("a GoTo action with a destination"),
    };
    let target = dest.as_array().expect("destination array")[0]
        .as_reference()
        .expect("destination page reference");
    page_numbers[&target]
}

#[tokio::test]
async fn the_pdf_contents_links_and_outline_open_each_activitys_first_page() {
    let app = spawn_app().await;
    build_register(&app).await;
    let r = app
        .client
        .get(format!("{}/export.pdf?role=controller", app.address))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    let texts = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("text by page");
    let doc = lopdf::Document::load_mem(&bytes).expect("the PDF parses");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), texts.len());
    let page_numbers: std::collections::HashMap<_, _> =
        pages.iter().map(|(n, id)| (*id, *n)).collect();

    // Page 2 is the contents: one link per row, to the page the row prints.
    let contents = doc.get_page_annotations(pages[&2]).expect("annotations");
    assert!(contents.len() >= 3, "a link per contents row");
    let toc = squash(&texts[1]);
    for link in contents {
        let n = destination_page(&doc, &page_numbers, link);
        let target = &texts[n as usize - 1];
        assert!(
            target.contains("Processing activity") || target.contains("Annex"),
            "link to page {n} opens an activity or an annex"
        );
        assert!(
            toc.contains(&n.to_string()),
            "page {n} is printed in the contents"
        );
    }

    // The outline: cover, contents, then each activity and annex at its first page.
    let catalog = doc.catalog().expect("catalog");
    let outlines = doc
        .get_dictionary(
            catalog
                .get(b"Outlines")
                .and_then(|o| o.as_reference())
                .expect("outline"),
        )
        .expect("outline dictionary");
    let mut item = outlines.get(b"First").and_then(|f| f.as_reference()).ok();
    let mut seen = Vec::new();
    while let Some(id) = item {
        let dict = doc.get_dictionary(id).expect("outline item");
        let title = lopdf::decode_text_string(dict.get(b"Title").expect("title")).expect("text");
        let n = destination_page(&doc, &page_numbers, dict);
        seen.push((title, n));
        item = dict.get(b"Next").and_then(|f| f.as_reference()).ok();
    }
    assert_eq!(seen[0], ("Cover".to_owned(), 1));
    assert_eq!(seen[1], ("Contents".to_owned(), 2));
    let hr = seen
        .iter()
        .find(|(title, _)| title.starts_with("HR-1 "))
        .expect("an outline entry for HR-1");
    let first = squash(&texts[hr.1 as usize - 1]);
    assert!(
        first.contains("ProcessingactivityHR-1"),
        "HR-1 opens on its first page"
    );
    assert!(seen.iter().any(|(t, _)| t.starts_with("Annex D")));
}

#[tokio::test]
async fn the_processor_pdf_groups_by_controller_and_holds_only_processor_activities() {
    let app = spawn_app().await;
    let reg = build_register(&app).await;
    let (status, _) = app
        .get(&format!(
            "/export.pdf?role=processor&activity={}",
            reg.processor_id
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let r = app
        .client
        .get(format!("{}/export.pdf?role=processor", app.address))
        .send()
        .await
        .expect("get");
    let text = pdf_text(&r.bytes().await.expect("bytes"));
    let flat = squash(&text);
    assert!(text.contains("Article 30(2)"));
    for value in [
        "Payroll for clients",
        "Client Čeština s.r.o.",
        "Payslips, \"annual\" statements",
        "SCC Module 3, TIA-7",
        "India",
    ] {
        assert!(flat.contains(&squash(value)), "{value:?} is in the PDF");
    }
    assert!(
        !flat.contains(&squash(TRICKY_NAME)),
        "no controller activity in the processor record"
    );
    let out_dir = tempfile::tempdir().expect("dir");
    let file = out_dir.path().join("record.pdf");
    let out = ropa(
        &app.database_url,
        &[
            "export",
            "--format",
            "pdf",
            "--role",
            "processor",
            "--output",
            file.to_str().expect("p"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_text = pdf_text(&std::fs::read(&file).expect("read"));
    assert!(
        squash(&cli_text).contains(&squash("Payroll for clients")),
        "the command line writes the same record"
    );
}

#[tokio::test]
async fn a_register_moves_from_sqlite_to_the_test_backend_and_back_unchanged() {
    // The app runs on the test backend (PostgreSQL when ROPA_TEST_DATABASE_URL is set); the
    // other side is always an SQLite file, so with PostgreSQL this proves both directions.
    let app = spawn_app().await;
    build_register(&app).await;
    let (_, original) = app.get("/export.json").await;
    let dir = tempfile::tempdir().expect("dir");
    let sqlite = dir
        .path()
        .join("moved.sqlite3")
        .to_string_lossy()
        .into_owned();
    let file = dir.path().join("register.json");
    std::fs::write(&file, &original).expect("write");
    let out = ropa(&sqlite, &["import", file.to_str().expect("p")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ropa(&sqlite, &["export", "--format", "json"]);
    let from_sqlite = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(
        without_generated_at(&from_sqlite),
        without_generated_at(&original),
        "into SQLite unchanged"
    );
    let (target, pg) = fresh_database(&dir);
    let back = dir.path().join("back.json");
    std::fs::write(&back, &from_sqlite).expect("write");
    let out = ropa(&target, &["import", back.to_str().expect("p")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ropa(&target, &["export", "--format", "json"]);
    assert_eq!(
        without_generated_at(&String::from_utf8(out.stdout).expect("utf8")),
        without_generated_at(&original),
        "and back unchanged"
    );
    drop_pg(pg);
}

/// Every string leaf of a JSON value, by its path of keys and indices.
fn string_leaves(v: &serde_json::Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::String(_) => out.push(path),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let mut p = path.clone();
                p.push(i.to_string());
                string_leaves(item, p, out);
            }
        }
        serde_json::Value::Object(fields) => {
            for (k, item) in fields {
                let mut p = path.clone();
                p.push(k.clone());
                string_leaves(item, p, out);
            }
        }
        _ => {}
    }
}

/// A property run over the import (recorded in docs/security.md): a good document with one
/// string replaced by hostile pieces either imports or is refused naming a JSON path; the
/// database never holds half of it, and no backend error escapes.
#[tokio::test]
async fn hostile_strings_anywhere_in_a_document_are_imported_or_refused_with_their_path() {
    use rand::{Rng, SeedableRng};
    let app = spawn_app().await;
    build_register(&app).await;
    let (_, json) = app.get("/export.json").await;
    let good: serde_json::Value = serde_json::from_str(&json).expect("json");
    let mut leaves = Vec::new();
    string_leaves(&good, Vec::new(), &mut leaves);
    const PIECES: &[&str] = &[
        "\u{0}",
        "\u{7}",
        "\n",
        "\u{1b}[0m",
        "\u{200B}",
        "-5000-01-01",
        "Ł",
        "=1+1",
        "",
        " ",
        "99999-12-31T00:00:00",
        "x",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(14);
    for _ in 0..12 {
        let leaf = &leaves[rng.random_range(0..leaves.len())];
        let value: String = (0..rng.random_range(1..4))
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect();
        let mut doc = good.clone();
        let mut at = &mut doc;
        for key in leaf {
            at = match at {
                serde_json::Value::Array(items) => &mut items[key.parse::<usize>().expect("index")],
                other => &mut other[key.as_str()],
            };
        }
        *at = serde_json::Value::String(value.clone());
        let dir = tempfile::tempdir().expect("dir");
        let (target, pg) = fresh_database(&dir);
        let pool = ropa::store::open(&target, 1).expect("open");
        let mut conn = pool.get().expect("conn");
        let text = serde_json::to_string(&doc).expect("json");
        let outcome = ropa::store::import::parse_document(&text).and_then(|d| {
            ropa::store::import::import(
                &mut conn,
                &ropa::store::audit::Actor::system("property run"),
                &d,
            )
        });
        match outcome {
            Ok(summary) => assert_eq!(summary.activities, 2, "{leaf:?} = {value:?}"),
            Err(ropa::store::import::ImportError::Invalid { path, .. }) => {
                assert!(path.starts_with('$'), "{leaf:?} = {value:?}: {path}");
                let orgs: i64 = {
                    use diesel::prelude::*;
                    ropa::store::schema::organisations::table
                        .count()
                        .get_result(&mut **conn)
                        .expect("count")
                };
                assert_eq!(orgs, 0, "{leaf:?} = {value:?}: nothing imported");
            }
            Err(other) => panic!("{leaf:?} = {value:?}: {other}"),
        }
        drop(conn);
        drop(pool);
        drop_pg(pg);
    }
}

#[tokio::test]
async fn the_start_page_offers_each_organisations_records_to_every_role() {
    let app = spawn_app().await;
    build_register(&app).await;
    let other = app.create_organisation("Only Controller GmbH").await;
    let r = app
        .post_activity(
            &other.to_string(),
            "active",
            "Newsletter",
            &[
                ("purposes[0].description", "Sending the newsletter"),
                ("purposes[0].bases", "consent"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let auditor = app.client_as("auditor@example.eu", "auditor").await;
    let (status, html) = app.get_with(&auditor, "/").await;
    assert_eq!(status, StatusCode::OK);
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse(".record-downloads tbody tr").expect("selector");
    let links = scraper::Selector::parse("a[href^='/export.']").expect("selector");
    let head = scraper::Selector::parse("th").expect("selector");
    let offered: Vec<(String, Vec<String>)> = doc
        .select(&rows)
        .map(|row| {
            let name = row
                .select(&head)
                .next()
                .map(|th| th.text().collect::<String>())
                .unwrap_or_default()
                .trim()
                .to_owned();
            let hrefs = row
                .select(&links)
                .filter_map(|a| a.value().attr("href").map(str::to_owned))
                .collect();
            (name, hrefs)
        })
        .collect();
    let of = |name: &str| {
        offered
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, h)| h.clone())
            .unwrap_or_else(|| panic!("{name} on the start page: {offered:?}"))
    };
    let both = of("Ørsted Ελλάδα Ltd");
    assert!(
        both.iter().any(|h| h.contains("role=processor")),
        "{both:?}"
    );
    let controller_only = of("Only Controller GmbH");
    assert!(
        controller_only
            .iter()
            .all(|h| h.contains("role=controller") && h.contains(&format!("organisation={other}"))),
        "the processor record only where there are processor activities: {controller_only:?}"
    );
    // The list's downloads follow the same rule.
    let (_, list) = app
        .get_with(&auditor, &format!("/activities?organisation={other}"))
        .await;
    assert!(
        !list.contains("role=processor"),
        "no processor record to offer"
    );
    let (_, list) = app.get_with(&auditor, "/activities").await;
    assert!(list.contains("role=processor"), "the register has one");

    // The auditor downloads what is offered.
    for href in controller_only {
        let r = auditor
            .get(format!("{}{href}", app.address))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), StatusCode::OK, "{href}");
        let body = r.bytes().await.expect("body");
        if href.starts_with("/export.csv") {
            let text = String::from_utf8_lossy(&body);
            assert!(text.contains("Newsletter"), "{text}");
        } else {
            assert!(body.starts_with(b"%PDF-"));
        }
    }
}
