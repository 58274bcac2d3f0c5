//! Organisations, parties and catalogues.

use reqwest::StatusCode;

use crate::helpers::*;
use ropa::domain::catalogue::CatalogueKind;

#[tokio::test]
async fn every_page_answers_on_an_empty_register() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/activities",
        "/activities/new",
        "/organisations",
        "/organisations/new",
        "/parties",
        "/parties/new",
        "/catalogues",
        "/catalogues/data-categories",
        "/catalogues/subject-categories",
        "/catalogues/security-measures",
        "/catalogues/security-measures/new",
        "/assets/style.css",
        "/assets/app.js",
        "/health",
    ] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn catalogues_are_seeded_from_the_vocabularies_with_their_articles() {
    let app = spawn_app().await;
    let (_, html) = app.get("/catalogues/data-categories").await;
    let text = page_text(&html);
    assert!(text.contains("health_data"), "seeded code shown");
    assert!(text.contains("Data concerning health"));
    assert!(text.contains("Art. 9(1)"));
    assert!(text.contains("criminal_convictions_and_offences"));
    assert!(text.contains("Art. 10"));
    let (_, html) = app.get("/catalogues/security-measures").await;
    assert!(page_text(&html).contains("Art. 32(1)(a)"));
    let (_, html) = app.get("/catalogues/subject-categories").await;
    assert!(page_text(&html).contains("job_applicants"));
}

#[tokio::test]
async fn an_organisation_is_created_edited_and_shown() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/organisations",
            &[
                ("name", "Łódź Logistics sp. z o.o."),
                ("legal_address", "ul. Piotrkowska 1\n90-001 Łódź"),
                ("email", "iod@lodz.example"),
                ("phone", "+48 42 000 00 00"),
                ("country", "PL"),
                ("dpo", "Jan Nowak, iod@lodz.example"),
                ("representative", ""),
                ("supervisory_authority", "UODO"),
                ("review_interval_months", "6"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from_location(&r);
    let (status, html) = app.get(&format!("/organisations/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Organisation created."),
        "flash message shown"
    );
    let text = page_text(&html);
    for v in [
        "Łódź Logistics sp. z o.o.",
        "iod@lodz.example",
        "Jan Nowak",
        "UODO",
        "Poland (PL)",
        "every 6 months",
    ] {
        assert!(text.contains(v), "{v}");
    }
    let (_, form) = app.get(&format!("/organisations/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/organisations/{id}"),
            &[
                ("name", "Łódź Logistics S.A."),
                ("legal_address", "ul. Piotrkowska 2"),
                ("email", "iod@lodz.example"),
                ("country", "PL"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get(&format!("/organisations/{id}")).await;
    assert!(page_text(&html).contains("Łódź Logistics S.A."));
}

#[tokio::test]
async fn invalid_organisation_names_every_field_and_keeps_the_input() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/organisations",
            &[
                ("name", ""),
                ("legal_address", ""),
                ("email", "not an email"),
                ("country", "XX"),
                ("review_interval_months", "99"),
                ("phone", "+49 <b>"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "name")
        .expect("name error")
        .contains("Name is required"));
    assert!(field_error(&html, "legal_address").is_some());
    assert!(field_error(&html, "email")
        .expect("email error")
        .contains("email"));
    assert!(field_error(&html, "country")
        .expect("country error")
        .contains("ISO 3166"));
    assert!(field_error(&html, "review_interval_months").is_some());
    assert_eq!(
        input_value(&html, "email").as_deref(),
        Some("not an email"),
        "input kept"
    );
    assert_eq!(
        input_value(&html, "phone").as_deref(),
        Some("+49 <b>"),
        "input kept and escaped"
    );
    assert!(!html.contains("+49 <b>"), "user input is escaped");
    let (_, list) = app.get("/organisations").await;
    assert!(list.contains("No organisation yet"), "nothing was created");
}

#[tokio::test]
async fn duplicate_organisation_name_is_a_field_error() {
    let app = spawn_app().await;
    app.create_organisation("Acme Ltd").await;
    let r = app
        .post(
            "/organisations",
            &[
                ("name", "Acme Ltd"),
                ("legal_address", "x"),
                ("email", "a@b.ie"),
                ("country", "IE"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "name")
        .expect("error")
        .contains("already has this name"));
}

#[tokio::test]
async fn a_party_is_validated_created_and_shown() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/parties",
            &[
                ("name", ""),
                ("kind", "friend"),
                ("country", "ZZ"),
                ("contract_date", "01/02/2024"),
                ("dpf_checked_on", "soon"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    for f in ["name", "kind", "country", "contract_date", "dpf_checked_on"] {
        assert!(field_error(&html, f).is_some(), "{f}");
    }
    assert_eq!(
        input_value(&html, "contract_date").as_deref(),
        Some("01/02/2024")
    );
    let r = app
        .post(
            "/parties",
            &[
                ("name", "CloudCo Inc."),
                ("kind", "processor"),
                ("country", "US"),
                ("contract_reference", "DPA-7"),
                ("contract_date", "2024-07-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get(&format!("/parties/{}", id_from_location(&r))).await;
    let text = page_text(&html);
    for v in [
        "CloudCo Inc.",
        "Processor",
        "United States (US)",
        "DPA-7",
        "2024-07-01",
        "adequacy decision (partial, Art. 45(3))",
        "Certification not recorded",
    ] {
        assert!(text.contains(v), "{v}");
    }
    // The DPF certifies US organisations only.
    let r = app
        .post(
            "/parties",
            &[
                ("name", "Maple Ltd"),
                ("kind", "processor"),
                ("country", "CA"),
                ("dpf_checked_on", "2026-11-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "dpf_checked_on")
        .expect("dpf error")
        .contains("United States only"));
}

#[tokio::test]
async fn a_party_in_use_cannot_be_deleted_and_the_activity_is_named() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await;
    let party = app
        .create_party("Mail Sender GmbH", "processor", "DE")
        .await;
    let unused = app.create_party("Unused Ltd", "processor", "DE").await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org.to_string()),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Newsletter"),
                ("recipients[0].party_id", &party.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.post(&format!("/parties/{party}/delete"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    assert!(
        page_text(&html).contains("ACME-001 Newsletter"),
        "the activity is named"
    );
    let doc = scraper::Html::parse_document(&html);
    let link = scraper::Selector::parse(".in-use a[href^='/activities/']").expect("selector");
    assert_eq!(doc.select(&link).count(), 1, "the activity is a link");
    assert!(
        html.contains("Sign out") && html.contains(ADMIN),
        "inside the register's own page layout"
    );
    let (status, _) = app.get(&format!("/parties/{party}")).await;
    assert_eq!(status, StatusCode::OK, "still there");
    let r = app.post(&format!("/parties/{unused}/delete"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.get(&format!("/parties/{unused}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_organisation_with_activities_cannot_be_deleted() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await;
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org.to_string()),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "CRM"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.post(&format!("/organisations/{org}/delete"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(page_text(&r.text().await.expect("body")).contains("ACME-001 CRM"));
    let empty = app.create_organisation("Empty Ltd").await;
    let r = app
        .post(&format!("/organisations/{empty}/delete"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn catalogue_entries_are_added_kept_in_use_and_seeded_codes_stay_fixed() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/catalogues/security-measures",
            &[("label", "Badge readers")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert!(field_error(&html, "kind").is_some());
    assert!(field_error(&html, "family").is_some());
    let r = app
        .post(
            "/catalogues/data-categories",
            &[
                ("label", "Loyalty-card data"),
                ("sensitivity", "standard"),
                ("description", "points, purchases"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/catalogues/data-categories").await;
    assert!(
        page_text(&html).contains("loyalty_card_data"),
        "code made from the label"
    );

    let org = app.create_organisation("Acme Ltd").await;
    let health = app.catalogue_id(CatalogueKind::DataCategories, "health_data");
    let r = app
        .post(
            "/activities",
            &[
                ("organisation_id", &org.to_string()),
                ("role", "controller"),
                ("status", "draft"),
                ("name", "Occupational health"),
                ("data_categories", &health),
                ("special_conditions", "health_or_social_care"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post(&format!("/catalogues/data-categories/{health}/delete"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(page_text(&r.text().await.expect("body")).contains("Occupational health"));

    let (_, form) = app
        .get(&format!("/catalogues/data-categories/{health}/edit"))
        .await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/catalogues/data-categories/{health}"),
            &[
                ("code", "renamed"),
                ("label", "Health data"),
                ("sensitivity", "special_category"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/catalogues/data-categories").await;
    let text = page_text(&html);
    assert!(
        text.contains("health_data") && !text.contains("renamed"),
        "seeded code kept"
    );
}

#[tokio::test]
async fn unknown_ids_and_pages_are_404_pages() {
    let app = spawn_app().await;
    for path in [
        "/activities/999",
        "/activities/abc",
        "/activities/999/edit",
        "/activities/999/clone",
        "/organisations/999",
        "/organisations/999/edit",
        "/parties/999",
        "/catalogues/nonsense",
        "/catalogues/data-categories/999/edit",
        "/assets/nothing.css",
        "/no/such/page",
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Not found"), "{path} shows the 404 page");
    }
    let r = app
        .post("/activities/999", &[("name", "x"), ("version", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stale_organisation_edit_shows_what_changed_and_keeps_the_input() {
    let app = spawn_app().await;
    let id = app.create_organisation("Acme Ltd").await;
    let (_, form) = app.get(&format!("/organisations/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let save = |dpo: &'static str| {
        vec![
            ("name", "Acme Ltd"),
            ("legal_address", "1 Main Street, Dublin"),
            ("email", "dpo@example.ie"),
            ("country", "IE"),
            ("dpo", dpo),
        ]
    };
    let mut first = save("Alice Murphy");
    first.push(("version", &version));
    assert_eq!(
        app.post(&format!("/organisations/{id}"), &first)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let mut second = save("Bob Byrne");
    second.push(("version", &version));
    let r = app.post(&format!("/organisations/{id}"), &second).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.expect("body");
    let text = page_text(&html);
    assert!(
        text.contains("Alice Murphy") && text.contains("Data protection officer"),
        "what changed meanwhile"
    );
    assert_eq!(
        textarea_value(&html, "dpo").as_deref(),
        Some("Bob Byrne"),
        "input kept"
    );
}

/// The text of the activities list's rows (the table body), without the filters around it.
fn list_rows(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse("table tbody tr").expect("selector");
    doc.select(&rows)
        .map(|r| r.text().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The start page's count of activities with mandatory elements missing.
async fn incomplete_on_start_page(app: &TestApp) -> String {
    let (_, html) = app.get("/").await;
    let doc = scraper::Html::parse_document(&html);
    let card = scraper::Selector::parse("a.link-card[href='/activities?missing=any'] p.big-number")
        .expect("selector");
    doc.select(&card)
        .next()
        .map(|e| e.text().collect::<String>())
        .expect("the incomplete card")
}

#[tokio::test]
async fn missing_elements_follow_saves_and_catalogue_sensitivity_changes() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let processor = app
        .create_party("Hosting GmbH", "processor", "DE")
        .await
        .to_string();
    let r = app
        .post(
            "/catalogues/data-categories",
            &[("label", "Loyalty-card data"), ("sensitivity", "standard")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loyalty = app.catalogue_id(CatalogueKind::DataCategories, "loyalty_card_data");
    let customers = app.catalogue_id(CatalogueKind::SubjectCategories, "customers");
    let encryption = app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption");
    let complete = [
        ("organisation_id", org.as_str()),
        ("role", "controller"),
        ("status", "active"),
        ("name", "Loyalty programme"),
        ("purposes[0].description", "Points for purchases"),
        ("purposes[0].bases", "contract"),
        ("subjects", customers.as_str()),
        ("data_categories", loyalty.as_str()),
        ("recipients[0].party_id", processor.as_str()),
        ("recipients[0].data_received", "Card numbers"),
        ("retention[0].data_category_id", loyalty.as_str()),
        ("retention[0].criterion", "Until the card is cancelled"),
        ("measures", encryption.as_str()),
        ("no_transfers", "on"),
    ];
    let r = app.post("/activities", &complete).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities").await;
    assert!(
        list_rows(&html).contains("Loyalty programme") && !list_rows(&html).contains("Art. 9"),
        "complete: {}",
        list_rows(&html)
    );
    assert_eq!(incomplete_on_start_page(&app).await, "0");

    // The category becomes special-category data: an Art. 9(2) condition is now missing.
    let edit = |version: String, sensitivity: &'static str| {
        let app = &app;
        let loyalty = loyalty.clone();
        async move {
            let r = app
                .post(
                    &format!("/catalogues/data-categories/{loyalty}"),
                    &[
                        ("label", "Loyalty-card data"),
                        ("sensitivity", sensitivity),
                        ("version", &version),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
    };
    let (_, form) = app
        .get(&format!("/catalogues/data-categories/{loyalty}/edit"))
        .await;
    edit(
        input_value(&form, "version").expect("version"),
        "special_category",
    )
    .await;
    let (_, html) = app.get("/activities").await;
    assert!(
        list_rows(&html).contains("Art. 9 condition"),
        "badge after the change: {}",
        list_rows(&html)
    );
    assert_eq!(incomplete_on_start_page(&app).await, "1");

    // And back.
    let (_, form) = app
        .get(&format!("/catalogues/data-categories/{loyalty}/edit"))
        .await;
    edit(input_value(&form, "version").expect("version"), "standard").await;
    let (_, html) = app.get("/activities").await;
    assert!(!list_rows(&html).contains("Art. 9"), "{}", list_rows(&html));
    assert_eq!(incomplete_on_start_page(&app).await, "0");

    // A save that drops the recipients shows the gap at once.
    let (_, html) = app.get("/activities").await;
    assert!(!list_rows(&html).contains("recipients"));
    let id = {
        let doc = scraper::Html::parse_document(&html);
        let link =
            scraper::Selector::parse("table tbody tr a[href^='/activities/']").expect("selector");
        doc.select(&link)
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("a link to the activity")
            .trim_start_matches("/activities/")
            .to_owned()
    };
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let mut without: Vec<(&str, &str)> = complete
        .iter()
        .copied()
        .filter(|(k, _)| !k.starts_with("recipients"))
        .collect();
    without.push(("version", &version));
    let r = app.post(&format!("/activities/{id}"), &without).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities").await;
    assert!(
        list_rows(&html).contains("recipients"),
        "{}",
        list_rows(&html)
    );
    assert_eq!(incomplete_on_start_page(&app).await, "1");

    // The start page's card opens the list of exactly those activities.
    let r = app
        .post(
            "/activities",
            &complete.map(|(k, v)| {
                if k == "name" {
                    (k, "Complete one")
                } else {
                    (k, v)
                }
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities?missing=any").await;
    let rows = list_rows(&html);
    assert!(
        rows.contains("Loyalty programme") && !rows.contains("Complete one"),
        "{rows}"
    );
    let (status, _) = app.get("/activities?missing=some").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The list's lead line: "N activities ...".
fn list_total(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let lead = scraper::Selector::parse("p.lead").expect("selector");
    doc.select(&lead)
        .next()
        .map(|e| e.text().collect::<String>())
        .and_then(|t| t.split_whitespace().next().map(str::to_owned))
        .expect("the list's count")
}

#[tokio::test]
async fn the_lists_counts_and_filter_choices_follow_every_change_at_once() {
    // The list keeps its counts and choices while the register is unchanged: each change must
    // show at the next request.
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let (_, html) = app.get("/activities").await;
    assert_eq!(list_total(&html), "0");
    let (_, html) = app.get("/activities?role=controller").await;
    assert_eq!(list_total(&html), "0");

    for name in ["Payroll", "Recruitment"] {
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
    let (_, html) = app.get("/activities").await;
    assert_eq!(list_total(&html), "2");
    let (_, html) = app.get("/activities?role=controller").await;
    assert_eq!(list_total(&html), "2");
    let (_, html) = app.get("/activities?missing=any").await;
    assert_eq!(list_total(&html), "2");

    // A new organisation is offered by the filter at once.
    app.create_organisation("Zebra Holding SE").await;
    let (_, html) = app.get("/activities").await;
    assert!(
        html.contains("Zebra Holding SE"),
        "the new organisation is a filter choice"
    );

    // Retiring one leaves one in the current register.
    let doc = scraper::Html::parse_document(&html);
    let link = scraper::Selector::parse("table tbody tr a[href^='/activities/']").expect("sel");
    let href = doc
        .select(&link)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a link")
        .to_owned();
    let (_, page) = app.get(&href).await;
    let version = input_value(&page, "version").expect("version on the retire form");
    let r = app
        .post(
            &format!("{href}/status"),
            &[
                ("version", &version),
                ("status", "retired"),
                ("reason", "No longer carried out."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities").await;
    assert_eq!(list_total(&html), "1");
    let (_, html) = app.get("/activities?status=retired").await;
    assert_eq!(list_total(&html), "1");
}

#[tokio::test]
async fn parties_are_found_by_name_kind_and_country_and_link_to_the_activities_using_them() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let mail = app.create_party("Mail GmbH", "processor", "DE").await;
    let india = app
        .create_party("Bangalore Support Pvt", "sub_processor", "IN")
        .await;
    app.create_party("Tax Office", "public_authority", "FR")
        .await;
    for (name, extra) in [
        (
            "Newsletter",
            vec![("recipients[0].party_id", mail.to_string())],
        ),
        (
            "Support",
            vec![
                ("recipients[0].party_id", mail.to_string()),
                ("transfers[0].country", "IN".to_owned()),
                ("transfers[0].party_id", india.to_string()),
                (
                    "transfers[0].mechanism",
                    "scc_2021_914_module_3_p2p".to_owned(),
                ),
            ],
        ),
    ] {
        let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.post_activity(&org, "draft", name, &extra).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let names = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("table tbody tr td:first-child a").expect("selector");
        doc.select(&sel).map(|a| a.text().collect()).collect()
    };
    let (_, html) = app.get("/parties?q=india").await;
    assert_eq!(
        names(&html),
        ["Bangalore Support Pvt"],
        "by the country's name"
    );
    let (_, html) = app.get("/parties?q=mail").await;
    assert_eq!(names(&html), ["Mail GmbH"]);
    let (_, html) = app.get("/parties?kind=public_authority").await;
    assert_eq!(names(&html), ["Tax Office"]);
    assert!(page_text(&html).contains("1 of 3 parties match"));
    let (status, _) = app.get("/parties?kind=boss").await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unknown kind is named, not ignored"
    );

    // "Used by" counts each activity once and opens the list of exactly those.
    let (_, html) = app.get("/parties").await;
    let doc = scraper::Html::parse_document(&html);
    let used = scraper::Selector::parse("a[href^='/activities?party=']").expect("selector");
    let links: Vec<(String, String)> = doc
        .select(&used)
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_owned(),
                a.text().collect(),
            )
        })
        .collect();
    let mail_link = links
        .iter()
        .find(|(h, _)| h.contains(&format!("party={mail}&")))
        .expect("Mail GmbH is used");
    assert_eq!(mail_link.1, "2 activities");
    let (_, list) = app.get(&mail_link.0).await;
    let text = page_text(&list);
    assert!(
        text.contains("Newsletter") && text.contains("Support"),
        "{text}"
    );
    let (_, list) = app
        .get(&format!("/activities?party={india}&status=all"))
        .await;
    let text = page_text(&list);
    assert!(
        text.contains("Support") && !text.contains("Newsletter"),
        "{text}"
    );
    assert!(
        page_text(&html).contains("no activity"),
        "the authority is unused"
    );
}

#[tokio::test]
async fn the_list_search_finds_activities_by_party_destination_and_category_and_follows_renames() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let india = app
        .create_party("Bangalore Support Pvt", "sub_processor", "IN")
        .await;
    let health = app.catalogue_id(CatalogueKind::DataCategories, "health_data");
    let employees = app.catalogue_id(CatalogueKind::SubjectCategories, "employees");
    let india_id = india.to_string();
    for (name, extra) in [
        (
            "Support desk",
            vec![
                ("transfers[0].country", "IN"),
                ("transfers[0].party_id", india_id.as_str()),
                ("transfers[0].mechanism", "scc_2021_914_module_3_p2p"),
            ],
        ),
        (
            "Sick leave",
            vec![
                ("data_categories", health.as_str()),
                ("subjects", employees.as_str()),
                ("special_conditions", "employment_social_security_law"),
                ("special_legal_reference", "Entgeltfortzahlungsgesetz"),
            ],
        ),
        ("Newsletter", vec![]),
    ] {
        let r = app.post_activity(&org, "draft", name, &extra).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let found = |html: &str| -> Vec<String> {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("table tbody tr td a[href^='/activities/']")
            .expect("selector");
        let mut names: Vec<String> = doc
            .select(&sel)
            .map(|a| a.text().collect::<String>().trim().to_owned())
            .filter(|t| !t.starts_with("ACME-") && !t.is_empty())
            .collect();
        names.dedup();
        names
    };
    for (q, expected) in [
        ("India", vec!["Support desk"]),
        ("bangalore", vec!["Support desk"]),
        ("IN+support", vec!["Support desk"]),
        ("health", vec!["Sick leave"]),
        ("EMPLOYEES", vec!["Sick leave"]),
        ("concerning+leave", vec!["Sick leave"]),
        ("health+india", vec![]),
        ("news", vec!["Newsletter"]),
        ("ne%25s", vec![]),
        // Inside a word, as well as at its start.
        ("angalor", vec!["Support desk"]),
        ("ewslet", vec!["Newsletter"]),
        ("ewslet+zzq", vec![]),
    ] {
        let (status, html) = app.get(&format!("/activities?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert_eq!(found(&html), expected, "q={q}");
        // The list searches the word index where it can (SQLite); the store's search without
        // the register's words uses the trigram index alone: both find the same.
        let text = q.replace('+', " ").replace("%25", "%");
        let mut conn = app.pool.get().expect("conn");
        let page = ropa::store::activities::search(
            &mut conn,
            &ropa::store::activities::ActivityFilter {
                text: text.clone(),
                page: 1,
                per_page: 100,
                ..Default::default()
            },
        )
        .expect("search");
        let mut names: Vec<String> = page.rows.into_iter().map(|r| r.name).collect();
        names.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(names, expected, "trigrams alone, {text:?}");
    }

    // A party renamed: the activities using it are found by the new name, not the old.
    let (_, form) = app.get(&format!("/parties/{india}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/parties/{india}"),
            &[
                ("name", "Mysore Helpdesk Pvt"),
                ("kind", "sub_processor"),
                ("country", "IN"),
                ("contact", "privacy@example.com"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities?q=mysore").await;
    assert_eq!(found(&html), ["Support desk"]);
    let (_, html) = app.get("/activities?q=bangalore").await;
    assert!(found(&html).is_empty(), "the old name no longer finds it");

    // A data category relabelled: the same.
    let (_, form) = app
        .get(&format!("/catalogues/data-categories/{health}/edit"))
        .await;
    let version = input_value(&form, "version").expect("version");
    let r = app
        .post(
            &format!("/catalogues/data-categories/{health}"),
            &[
                ("code", "health_data"),
                ("label", "Medical records"),
                ("sensitivity", "special_category"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities?q=medical").await;
    assert_eq!(found(&html), ["Sick leave"]);

    // Words missing from the index (a register written before it existed) are written when
    // the register is opened.
    {
        use diesel::RunQueryDsl;
        let mut conn = app.pool.get().expect("conn");
        diesel::sql_query("DELETE FROM activity_search")
            .execute(&mut **conn)
            .expect("empty the index");
        let words = if app.database_url.starts_with("postgres") {
            "DELETE FROM activity_terms"
        } else {
            "DELETE FROM activity_words"
        };
        diesel::sql_query(words)
            .execute(&mut **conn)
            .expect("empty the word index");
    }
    let (_, html) = app.get("/activities?q=records").await;
    assert!(found(&html).is_empty(), "nothing indexed");
    drop(ropa::store::open(&app.database_url, 1).expect("reopen"));
    let (_, html) = app.get("/activities?q=mysore+support").await;
    assert_eq!(found(&html), ["Support desk"]);
}

#[tokio::test]
async fn each_organisation_numbers_its_activities_with_its_own_reference_prefix() {
    let app = spawn_app().await;
    let words = |html: &str| {
        page_text(html)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let retail = app.create_organisation("Nordlicht Retail GmbH").await;
    let services = app.create_organisation("Nordlicht Services GmbH").await;
    let twin = app.create_organisation("Nordlicht Retail AG").await;
    for (org, prefix) in [(retail, "NR"), (services, "NS"), (twin, "NR2")] {
        let (_, html) = app.get(&format!("/organisations/{org}")).await;
        assert!(
            words(&html).contains(&format!("Reference prefix {prefix} ")),
            "{prefix}: {}",
            words(&html)
        );
        for name in ["Payroll", "Newsletter"] {
            let r = app
                .post_activity(&org.to_string(), "draft", name, &[])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
    }
    let (_, html) = app.get("/activities?sort=reference").await;
    let text = words(&html);
    for reference in ["NR-001", "NR-002", "NS-001", "NS-002", "NR2-001", "NR2-002"] {
        assert_eq!(
            text.matches(&format!("{reference} ")).count(),
            1,
            "{reference} once: {text}"
        );
    }

    // A prefix chosen: new activities take it, the ones numbered before keep theirs.
    let (_, form) = app.get(&format!("/organisations/{twin}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    assert_eq!(
        input_value(&form, "reference_prefix").as_deref(),
        Some("NR2")
    );
    let edit = |prefix: &'static str, version: String| {
        let app = &app;
        async move {
            app.post(
                &format!("/organisations/{twin}"),
                &[
                    ("name", "Nordlicht Retail AG"),
                    ("legal_address", "1 Main Street, Dublin"),
                    ("email", "dpo@example.ie"),
                    ("country", "IE"),
                    ("reference_prefix", prefix),
                    ("version", &version),
                ],
            )
            .await
        }
    };
    let r = edit("nrag", version.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_activity(&twin.to_string(), "draft", "Loyalty", &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get("/activities?q=loyalty").await;
    assert!(words(&html).contains("NRAG-001 "), "{}", words(&html));
    let (_, html) = app.get("/activities?q=nr2-001").await;
    assert!(words(&html).contains("NR2-001 "), "kept");

    // Another organisation's prefix, or one that is not letters and digits, is refused by name.
    let next = (version.parse::<i64>().expect("version") + 1).to_string();
    for (prefix, message) in [
        (
            "NS",
            "Another organisation already uses this reference prefix",
        ),
        ("N-R", "Reference prefix must be 1 to 12 letters"),
    ] {
        let r = edit(prefix, next.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{prefix}");
        let html = r.text().await.expect("body");
        let error = field_error(&html, "reference_prefix").unwrap_or_default();
        assert!(error.contains(message), "{prefix}: {error}");
        assert_eq!(
            input_value(&html, "reference_prefix").as_deref(),
            Some(prefix)
        );
    }
}

#[tokio::test]
async fn catalogue_entries_show_how_many_activities_use_them_and_which() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let contact = app.catalogue_id(CatalogueKind::DataCategories, "contact_details");
    let employees = app.catalogue_id(CatalogueKind::SubjectCategories, "employees");
    let encryption = app.catalogue_id(CatalogueKind::SecurityMeasures, "encryption");
    for name in ["Sick leave", "Occupational health"] {
        let r = app
            .post_activity(
                &org,
                "draft",
                name,
                &[
                    ("data_categories", &contact),
                    ("subjects", &employees),
                    ("measures", &encryption),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = app.post_activity(&org, "draft", "Canteen", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for (slug, id) in [
        ("data-categories", &contact),
        ("subject-categories", &employees),
        ("security-measures", &encryption),
    ] {
        let (status, html) = app.get(&format!("/catalogues/{slug}")).await;
        assert_eq!(status, StatusCode::OK, "{slug}");
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("a[href^='/activities?']").expect("selector");
        let link = doc
            .select(&sel)
            .find(|a| {
                a.value()
                    .attr("href")
                    .is_some_and(|h| h.contains(&format!("={id}&")))
            })
            .unwrap_or_else(|| panic!("{slug}: a link for entry {id}"));
        assert_eq!(link.text().collect::<String>(), "2 activities", "{slug}");
        let href = link.value().attr("href").expect("href").to_owned();
        let (_, list) = app.get(&href).await;
        let text = page_text(&list);
        assert!(
            text.contains("Sick leave") && text.contains("Occupational health"),
            "{slug}: {text}"
        );
        assert!(!text.contains("Canteen"), "{slug}: only those that use it");
    }
}
