//! DPIA screening and transfer impact assessments through the app: the form offers what the
//! record suggests, the answers are kept, validated and exported, and the activity page's
//! findings follow them.

use reqwest::StatusCode;

use crate::helpers::*;
use ropa::domain::catalogue::CatalogueKind;

/// Whether the radio `name` with `value` is checked in `html`.
fn checked(html: &str, name: &str, value: &str) -> bool {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!(
        r#"input[type=radio][name="{name}"][value="{value}"]"#
    ))
    .expect("selector");
    doc.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("radio {name}={value}"))
        .value()
        .attr("checked")
        .is_some()
}

#[tokio::test]
async fn the_screening_suggests_what_the_record_shows_and_the_findings_follow_the_answers() {
    let app = spawn_app().await;
    let org = app.create_organisation("Acme Ltd").await.to_string();
    let employees = app.catalogue_id(CatalogueKind::SubjectCategories, "employees");
    let health = app.catalogue_id(CatalogueKind::DataCategories, "health_data");
    let base = [
        ("purposes[0].description", "Sickness absence"),
        ("purposes[0].bases", "legal_obligation"),
        ("subjects", employees.as_str()),
        ("data_categories", health.as_str()),
        ("special_conditions", "employment_social_security_law"),
        ("special_legal_reference", "§ 5 EntgFG"),
        ("dpia_required", "not_assessed"),
    ];
    let r = app.post_activity(&org, "active", "Sick notes", &base).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from_location(&r);

    // Nothing answered: the register's suggestions (criteria 4 and 7) count.
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&page);
    assert!(
        text.contains("2 of 9 criteria met (a DPIA is likely required)"),
        "{text}"
    );
    assert!(text.contains("R-DPIA-LIKELY"), "{text}");
    assert!(
        text.contains("suggested: the activity concerns employees"),
        "{text}"
    );

    // The form offers them ticked yes, with why; the others not answered.
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    assert!(checked(
        &form,
        "dpia_screening.sensitive_or_highly_personal_data",
        "yes"
    ));
    assert!(checked(
        &form,
        "dpia_screening.vulnerable_data_subjects",
        "yes"
    ));
    assert!(checked(&form, "dpia_screening.large_scale", ""));
    assert!(page_text(&form).contains("Suggested: the activity records special-category"));

    // An answer that is neither yes nor no is refused, naming the question; nothing is kept.
    let version = input_value(&form, "version").expect("version");
    let mut pairs: Vec<(&str, &str)> = vec![
        ("organisation_id", org.as_str()),
        ("role", "controller"),
        ("status", "active"),
        ("name", "Sick notes"),
        ("version", version.as_str()),
    ];
    pairs.extend_from_slice(&base);
    let mut bad = pairs.clone();
    bad.push(("dpia_screening.large_scale", "maybe"));
    let r = app.post(&format!("/activities/{id}"), &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("body");
    assert_eq!(
        field_error(&html, "dpia_screening.large_scale").as_deref(),
        Some("Error: DPIA screening, criterion 5: answer yes or no")
    );

    // Decided "not required" with the reason, criterion 7 answered no, a transfer with its
    // impact assessment.
    let india = app
        .create_party("Bangalore Payroll", "processor", "IN")
        .await
        .to_string();
    let mut good = pairs.clone();
    good.retain(|(k, _)| *k != "dpia_required");
    good.extend_from_slice(&[
        ("dpia_required", "no"),
        ("dpia_screening.vulnerable_data_subjects", "no"),
        ("dpia_screening.sensitive_or_highly_personal_data", "yes"),
        ("dpia_screening.large_scale", ""),
        (
            "dpia_not_required_reason",
            "Sick notes without diagnosis, two officers only",
        ),
        ("transfers[0].country", "IN"),
        ("transfers[0].party_id", india.as_str()),
        ("transfers[0].mechanism", "scc_2021_914_module_2_c2p"),
        (
            "transfers[0].safeguards",
            "SCCs 2021/914 Module 2, signed 2025-02-01",
        ),
        ("transfers[0].tia_reference", "TIA-2025-03"),
        ("recipients[0].party_id", india.as_str()),
    ]);
    let r = app.post(&format!("/activities/{id}"), &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&page);
    assert!(text.contains("1 of 9 criteria met"), "{text}");
    assert!(!text.contains("R-DPIA-"), "{text}");
    assert!(!text.contains("R-TRANSFER-TIA"), "{text}");
    assert!(
        text.contains("Why none: Sick notes without diagnosis"),
        "{text}"
    );
    assert!(
        text.contains("Transfer impact assessment: TIA-2025-03"),
        "{text}"
    );
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    assert!(checked(
        &form,
        "dpia_screening.vulnerable_data_subjects",
        "no"
    ));
    assert_eq!(
        input_value(&form, "transfers[0].tia_reference").as_deref(),
        Some("TIA-2025-03")
    );

    // The JSON export carries the answers, the reason and the assessment.
    let (status, body) = app.get("/export.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("parses");
    let a = &doc["activities"][0];
    assert_eq!(a["dpia_screening"]["vulnerable_data_subjects"], "no");
    assert_eq!(
        a["dpia_screening"]["sensitive_or_highly_personal_data"],
        "yes"
    );
    assert!(a["dpia_screening"].get("large_scale").is_none());
    assert_eq!(
        a["dpia_not_required_reason"],
        "Sick notes without diagnosis, two officers only"
    );
    assert_eq!(a["transfers"][0]["tia_reference"], "TIA-2025-03");
    // The organisation's own findings too: no DPO recorded.
    let org_findings = doc["organisations"][0]["findings"]
        .as_array()
        .expect("organisation findings");
    assert!(
        org_findings.iter().any(|f| f["rule"] == "R-ORG-DPO"),
        "{org_findings:?}"
    );

    // Without the assessment the transfer is flagged; an Art. 35(3) case is not excused by
    // the reason.
    let mut worse = good.clone();
    worse.retain(|(k, _)| *k != "transfers[0].tia_reference");
    worse.push(("dpia_screening.large_scale_special_or_criminal_data", "yes"));
    let (_, form) = app.get(&format!("/activities/{id}/edit")).await;
    let version = input_value(&form, "version").expect("version");
    for p in worse.iter_mut() {
        if p.0 == "version" {
            p.1 = version.as_str();
        }
    }
    let r = app.post(&format!("/activities/{id}"), &worse).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = app.get(&format!("/activities/{id}")).await;
    let text = page_text(&page);
    assert!(text.contains("R-TRANSFER-TIA"), "{text}");
    assert!(text.contains("R-DPIA-MANDATORY"), "{text}");
    assert!(
        text.contains("a case of Art. 35(3): a DPIA is required"),
        "{text}"
    );
}
