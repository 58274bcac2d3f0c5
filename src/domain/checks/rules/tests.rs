//! Each rule triggered by a change to an activity (or organisation) that triggers nothing.

use chrono::{NaiveDate, NaiveDateTime};

use super::super::{Register, Test, RULES};
use crate::domain::document::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(9, 0, 0).expect("time")
}

const TODAY: (i32, u32, u32) = (2026, 12, 3);

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

fn organisation() -> OrganisationDoc {
    OrganisationDoc {
        name: "Nordlicht Retail GmbH".into(),
        legal_address: "Hafenstraße 1, Hamburg".into(),
        email: "privacy@nordlicht.example".into(),
        phone: String::new(),
        registration_number: String::new(),
        country: "DE".into(),
        representative: String::new(),
        dpo: "Dr. Jana Petersen, dpo@nordlicht.example".into(),
        supervisory_authority: String::new(),
        review_interval_months: 12,
        reference_prefix: "NR".into(),
        created_at: at(2025, 1, 1),
        updated_at: at(2025, 1, 1),
        findings: Vec::new(),
    }
}

fn category(code: &str, label: &str, sensitivity: &str) -> DataCategoryDoc {
    DataCategoryDoc {
        code: code.into(),
        label: label.into(),
        sensitivity: sensitivity.into(),
        article: String::new(),
        description: String::new(),
        seeded: true,
    }
}

fn catalogues() -> CataloguesDoc {
    CataloguesDoc {
        data_categories: vec![
            category("contact_details", "Contact details", "standard"),
            category("health_data", "Data concerning health", "special_category"),
            category("criminal_records", "Criminal records", "criminal_offence"),
        ],
        subject_categories: ["customers", "employees"]
            .iter()
            .map(|c| SubjectCategoryDoc {
                code: (*c).into(),
                label: (*c).into(),
                vulnerable: false,
                description: String::new(),
                seeded: true,
            })
            .collect(),
        security_measures: Vec::new(),
    }
}

fn party(name: &str, kind: &str, country: &str, contract: &str) -> PartyDoc {
    PartyDoc {
        name: name.into(),
        kind: kind.into(),
        country: country.into(),
        contact: String::new(),
        address: String::new(),
        contract_reference: contract.into(),
        contract_date: None,
        dpf_checked_on: None,
        notes: String::new(),
        created_at: at(2025, 1, 1),
        updated_at: at(2025, 1, 1),
    }
}

fn parties() -> Vec<PartyDoc> {
    let mut cloud = party("CloudCo Inc.", "processor", "US", "DPA-2025-01");
    cloud.dpf_checked_on = Some(day(2026, 6, 1));
    vec![
        party("Mail GmbH", "processor", "DE", "DPA-2024-02"),
        cloud,
        party("Bangalore Payroll", "sub_processor", "IN", "DPA-2024-08"),
        party("Tax Office", "public_authority", "DE", ""),
        party("Printer Ltd", "processor", "IE", ""),
        party("Client AG", "client_controller", "DE", ""),
    ]
}

fn transfer(country: &str, party: Option<&str>, mechanism: &str, safeguards: &str) -> TransferDoc {
    TransferDoc {
        country: Some(country.into()),
        international_organisation: String::new(),
        party: party.map(str::to_owned),
        mechanism: mechanism.into(),
        safeguards: safeguards.into(),
        scope_confirmed: false,
        tia_reference: String::new(),
    }
}

fn recipient(party: &str) -> RecipientDoc {
    RecipientDoc {
        party: party.into(),
        data_received: String::new(),
        reason: String::new(),
    }
}

/// An active controller activity that no rule finds anything in.
fn clean() -> ActivityDoc {
    ActivityDoc {
        organisation: "Nordlicht Retail GmbH".into(),
        role: "controller".into(),
        reference: "NR-001".into(),
        name: "Customer accounts".into(),
        description: String::new(),
        business_function: "Sales".into(),
        owner: String::new(),
        status: "active".into(),
        retirement_reason: String::new(),
        purposes: vec![PurposeDoc {
            description: "Managing customer accounts".into(),
            lawful_bases: vec!["contract".into()],
            legitimate_interest: String::new(),
            balancing_test_ref: String::new(),
            direct_marketing: false,
            automated_means: true,
        }],
        special_conditions: Vec::new(),
        special_legal_reference: String::new(),
        criminal_basis: None,
        criminal_legal_reference: String::new(),
        joint_controllers: Vec::new(),
        controllers: Vec::new(),
        subjects: vec!["customers".into()],
        data_categories: vec!["contact_details".into()],
        recipients: vec![recipient("Mail GmbH"), recipient("CloudCo Inc.")],
        transfers: vec![transfer(
            "US",
            Some("CloudCo Inc."),
            "adequacy_decision",
            "",
        )],
        retention: vec![RetentionDoc {
            data_categories: vec!["contact_details".into()],
            data_category: None,
            period_value: Some(3),
            period_unit: Some("years".into()),
            criterion: String::new(),
            start_event: "end of the contract".into(),
            legal_reference: "§ 195 BGB".into(),
        }],
        security_measures: vec!["encryption".into()],
        security_description: String::new(),
        data_source: String::new(),
        systems: String::new(),
        data_location: String::new(),
        automated_decision: None,
        automated_processing: "none".into(),
        automated_decision_description: String::new(),
        automated_exception: None,
        automated_logic: String::new(),
        automated_safeguards: String::new(),
        dpia_completed_on: None,
        no_recipients: false,
        no_transfers: false,
        dpia_required: "no".into(),
        dpia_status: "not_applicable".into(),
        dpia_reference: String::new(),
        dpia_screening: Default::default(),
        // Decided without a DPIA, with the reason (so that a case raising two criteria, such
        // as solely automated decisions, triggers only its own rule).
        dpia_not_required_reason: "Screened: low risk".into(),
        findings: Vec::new(),
        acknowledgements: Vec::new(),
        privacy_notice_ref: "PN-2025".into(),
        consent_record_ref: String::new(),
        processor_contract_ref: String::new(),
        retention_policy_ref: String::new(),
        breach_occurred: false,
        breach_record_ref: String::new(),
        last_reviewed: None,
        next_review: Some(day(2027, 6, 1)),
        created_at: at(2025, 3, 1),
        updated_at: at(2025, 3, 1),
    }
}

/// A change that makes a clean activity or organisation break one rule.
enum Change {
    Activity(fn(&mut ActivityDoc)),
    Organisation(fn(&mut OrganisationDoc)),
}

/// For each rule, the change that triggers it (and only it, among the rules of its kind).
fn cases() -> Vec<(&'static str, Change)> {
    use Change::{Activity as A, Organisation as O};
    vec![
        (
            "R-ORG-CONTACT",
            O(|o| {
                o.email.clear();
                o.legal_address.clear();
            }),
        ),
        ("R-ORG-DPO", O(|o| o.dpo.clear())),
        ("R-ORG-REPRESENTATIVE", O(|o| o.country = "CH".into())),
        ("R-ART30-PURPOSES", A(|a| a.purposes.clear())),
        ("R-LAWFUL-BASIS", A(|a| a.purposes[0].lawful_bases.clear())),
        (
            "R-LI-INTEREST",
            A(|a| {
                a.purposes[0].lawful_bases = vec!["legitimate_interests".into()];
                a.purposes[0].balancing_test_ref = "LIA-7".into();
            }),
        ),
        (
            "R-LI-BALANCING",
            A(|a| {
                a.purposes[0].lawful_bases = vec!["legitimate_interests".into()];
                a.purposes[0].legitimate_interest = "Fraud prevention".into();
            }),
        ),
        (
            "R-CONSENT-RECORD",
            A(|a| a.purposes[0].lawful_bases = vec!["consent".into()]),
        ),
        (
            "R-CONSENT-EMPLOYEES",
            A(|a| {
                a.purposes[0].lawful_bases = vec!["consent".into()];
                a.consent_record_ref = "CMP export".into();
                a.subjects = vec!["employees".into()];
            }),
        ),
        ("R-ART30-SUBJECTS", A(|a| a.subjects.clear())),
        (
            "R-ART30-DATA",
            A(|a| {
                a.data_categories.clear();
                a.retention.clear();
            }),
        ),
        (
            "R-ART9-CONDITION",
            A(|a| {
                a.data_categories.push("health_data".into());
                a.retention[0].data_categories.push("health_data".into());
            }),
        ),
        (
            "R-ART9-LAW",
            A(|a| {
                a.data_categories.push("health_data".into());
                a.retention[0].data_categories.push("health_data".into());
                a.special_conditions = vec!["employment_social_security_law".into()];
            }),
        ),
        (
            "R-ART10-BASIS",
            A(|a| {
                a.data_categories.push("criminal_records".into());
                a.retention[0]
                    .data_categories
                    .push("criminal_records".into());
            }),
        ),
        (
            "R-ART10-LAW",
            A(|a| {
                a.data_categories.push("criminal_records".into());
                a.retention[0]
                    .data_categories
                    .push("criminal_records".into());
                a.criminal_basis = Some("authorised_by_law_with_safeguards".into());
            }),
        ),
        (
            "R-ART30-RECIPIENTS",
            A(|a| {
                a.recipients.clear();
                a.transfers.clear();
                a.no_transfers = true;
            }),
        ),
        (
            "R-PROCESSOR-CONTRACT",
            A(|a| a.recipients.push(recipient("Printer Ltd"))),
        ),
        (
            "R-PARTY-THIRD-COUNTRY",
            A(|a| a.recipients.push(recipient("Bangalore Payroll"))),
        ),
        (
            "R-ART30-TRANSFERS",
            A(|a| {
                a.transfers.clear();
                a.recipients.retain(|r| r.party != "CloudCo Inc.");
            }),
        ),
        (
            "R-TRANSFER-RECIPIENT",
            A(|a| a.recipients.retain(|r| r.party != "CloudCo Inc.")),
        ),
        (
            "R-ADEQUACY-MISSING",
            A(|a| {
                a.transfers.push(transfer(
                    "IN",
                    Some("Bangalore Payroll"),
                    "adequacy_decision",
                    "",
                ));
                a.recipients.push(recipient("Bangalore Payroll"));
            }),
        ),
        ("R-TRANSFER-045-SCOPE", A(|a| a.transfers[0].party = None)),
        ("R-TRANSFER-DPF-STALE", A(|_| {})),
        (
            "R-TRANSFER-046-DOC",
            A(|a| {
                a.transfers[0].mechanism = "scc_2021_914_module_2_c2p".into();
                a.transfers[0].tia_reference = "TIA-3".into();
            }),
        ),
        (
            "R-TRANSFER-TIA",
            A(|a| {
                a.transfers[0].mechanism = "binding_corporate_rules".into();
                a.transfers[0].safeguards = "BCR approved by the Hamburg authority, 2024".into();
            }),
        ),
        (
            "R-TRANSFER-049-DOC",
            A(|a| {
                a.status = "draft".into();
                a.updated_at = at(2026, 11, 20);
                a.transfers[0].mechanism = "compelling_legitimate_interests".into();
            }),
        ),
        (
            "R-TRANSFER-049-RECURRING",
            A(|a| {
                a.transfers[0].mechanism = "derogation_explicit_consent".into();
            }),
        ),
        (
            "R-ART30-RETENTION",
            A(|a| a.retention[0].data_categories.clear()),
        ),
        (
            "R-RETENTION-SPECIAL",
            A(|a| {
                a.data_categories.push("health_data".into());
                a.special_conditions = vec!["explicit_consent".into()];
                a.consent_record_ref = "CMP export".into();
            }),
        ),
        ("R-ART30-SECURITY", A(|a| a.security_measures.clear())),
        (
            "R-PROC-CONTROLLER",
            A(|a| {
                a.role = "processor".into();
                a.processor_contract_ref = "DPA-Client".into();
            }),
        ),
        (
            "R-PROC-CONTRACT",
            A(|a| {
                a.role = "processor".into();
                a.controllers = vec![ControllerDoc {
                    party: "Client AG".into(),
                    processing_categories: "Payroll".into(),
                    representative: String::new(),
                }];
            }),
        ),
        (
            "R-ART22-EXCEPTION",
            A(|a| {
                a.automated_processing = "solely_automated_decisions".into();
                a.automated_logic = "Score from payment history".into();
                a.automated_safeguards = "Human review on request".into();
            }),
        ),
        (
            "R-ART22-SAFEGUARDS",
            A(|a| {
                a.automated_processing = "solely_automated_decisions".into();
                a.automated_exception = Some("contract".into());
                a.automated_logic = "Score from payment history".into();
            }),
        ),
        (
            "R-ART22-SPECIAL",
            A(|a| {
                a.automated_processing = "solely_automated_decisions".into();
                a.automated_exception = Some("contract".into());
                a.automated_logic = "Score from payment history".into();
                a.automated_safeguards = "Human review on request".into();
                a.data_categories.push("health_data".into());
                a.retention[0].data_categories.push("health_data".into());
                a.special_conditions = vec!["health_or_social_care".into()];
                a.special_legal_reference = "§ 22 BDSG".into();
            }),
        ),
        (
            "R-TRANSFER-SCC-MODULE",
            A(|a| {
                a.role = "processor".into();
                a.processor_contract_ref = "DPA-Client".into();
                a.controllers = vec![ControllerDoc {
                    party: "Client AG".into(),
                    processing_categories: "Payroll".into(),
                    representative: String::new(),
                }];
                a.transfers[0].mechanism = "scc_2021_914_module_2_c2p".into();
                a.transfers[0].safeguards = "SCCs signed 2025-01-10".into();
                a.transfers[0].tia_reference = "TIA-12".into();
            }),
        ),
        (
            "R-PROC-CATEGORIES",
            A(|a| {
                a.role = "processor".into();
                a.processor_contract_ref = "DPA-Client".into();
                a.controllers = vec![ControllerDoc {
                    party: "Client AG".into(),
                    processing_categories: String::new(),
                    representative: String::new(),
                }];
            }),
        ),
        (
            "R-ART22-LOGIC",
            A(|a| {
                a.automated_processing = "solely_automated_decisions".into();
                a.automated_exception = Some("contract".into());
                a.automated_safeguards = "Human review on request".into();
            }),
        ),
        (
            "R-DPIA-REFERENCE",
            A(|a| {
                a.dpia_required = "yes".into();
                a.dpia_status = "in_progress".into();
            }),
        ),
        (
            "R-DPIA-MANDATORY",
            A(|a| answer(a, &["large_scale_public_area_monitoring"], "yes")),
        ),
        (
            "R-DPIA-LIKELY",
            A(|a| {
                a.dpia_required = "not_assessed".into();
                answer(
                    a,
                    &["evaluation_or_scoring", "innovative_technology"],
                    "yes",
                );
            }),
        ),
        (
            "R-DPIA-NO-REASON",
            A(|a| {
                a.dpia_not_required_reason.clear();
                answer(
                    a,
                    &["evaluation_or_scoring", "innovative_technology"],
                    "yes",
                );
            }),
        ),
        (
            "R-DPIA-NOT-ASSESSED",
            A(|a| a.dpia_required = "not_assessed".into()),
        ),
        ("R-PRIVACY-NOTICE", A(|a| a.privacy_notice_ref.clear())),
        (
            "R-REVIEW-OVERDUE",
            A(|a| a.next_review = Some(day(2026, 11, 30))),
        ),
        ("R-REVIEW-MISSING", A(|a| a.next_review = None)),
        (
            "R-DRAFT-STALE",
            A(|a| {
                a.status = "draft".into();
                a.updated_at = at(2026, 8, 1);
            }),
        ),
    ]
}

/// Answers the screening's `questions` with `answer`.
fn answer(a: &mut ActivityDoc, questions: &[&str], answer: &str) {
    for q in questions {
        a.dpia_screening.insert((*q).into(), answer.into());
    }
}

fn codes_of(findings: &[super::super::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.code).collect()
}

#[test]
fn the_clean_activity_and_organisation_trigger_nothing() {
    let (orgs, cats, parties) = (vec![organisation()], catalogues(), parties());
    let register = Register::new(&orgs, &cats, &parties, today());
    assert!(register.check_organisation(&orgs[0]).is_empty());
    // The DPF certification was checked within the year: the one stale check is off.
    let mut recent = parties.clone();
    recent[1].dpf_checked_on = Some(day(2026, 11, 1));
    let register = Register::new(&orgs, &cats, &recent, today());
    let findings = register.check_activity(&clean());
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn each_rule_is_triggered_by_its_case_and_by_nothing_else_in_it() {
    let (orgs, cats) = (vec![organisation()], catalogues());
    let mut recent = parties();
    recent[1].dpf_checked_on = Some(day(2026, 11, 1));
    let cases = cases();
    for rule in RULES {
        assert!(
            cases.iter().any(|(code, _)| *code == rule.code),
            "{} has no case",
            rule.code
        );
    }
    for (code, change) in &cases {
        let rule = super::super::rule(code).unwrap_or_else(|| panic!("{code} is a rule"));
        let found = match change {
            Change::Organisation(f) => {
                let mut o = organisation();
                f(&mut o);
                let register = Register::new(&orgs, &cats, &recent, today());
                assert!(matches!(rule.test, Test::Organisation(_)), "{code}");
                codes_of(&register.check_organisation(&o))
            }
            Change::Activity(f) => {
                let mut a = clean();
                f(&mut a);
                let dpf_case = *code == "R-TRANSFER-DPF-STALE";
                let mut old = parties();
                old[1].dpf_checked_on = Some(day(2025, 11, 1));
                let people = if dpf_case { &old } else { &recent };
                let register = Register::new(&orgs, &cats, people, today());
                assert!(matches!(rule.test, Test::Activity(_)), "{code}");
                codes_of(&register.check_activity(&a))
            }
        };
        assert_eq!(found, vec![*code], "{code}");
    }
}

#[test]
fn a_retired_activity_is_not_checked_and_findings_name_their_row() {
    let (orgs, cats, parties) = (vec![organisation()], catalogues(), parties());
    let register = Register::new(&orgs, &cats, &parties, today());
    let mut a = clean();
    a.purposes.push(a.purposes[0].clone());
    a.purposes[1].lawful_bases.clear();
    a.transfers[0].party = None;
    let findings = register.check_activity(&a);
    let messages: Vec<String> = findings.iter().map(|f| f.message()).collect();
    assert!(
        messages.contains(&"Purpose 2 (Managing customer accounts): no lawful basis".to_owned()),
        "{messages:?}"
    );
    let basis = findings
        .iter()
        .find(|f| f.rule.code == "R-LAWFUL-BASIS")
        .expect("basis");
    assert_eq!(basis.hit.field, "purposes[1].bases");
    let scope = findings
        .iter()
        .find(|f| f.rule.code == "R-TRANSFER-045-SCOPE")
        .expect("scope");
    assert_eq!(scope.hit.detail, "Transfer 1 (United States)");
    a.status = "retired".into();
    assert!(register.check_activity(&a).is_empty());
}

#[test]
fn the_rules_have_unique_codes_and_say_what_they_rest_on() {
    let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), RULES.len(), "codes are unique");
    assert!(RULES.len() >= 25);
    for r in RULES {
        assert!(r.code.starts_with("R-") && r.code == r.code.to_uppercase());
        assert!(!r.basis.is_empty() && !r.title.is_empty() && !r.explanation.is_empty());
        assert!(
            !r.explanation.contains('|'),
            "{}: the Markdown table",
            r.code
        );
    }
}

#[test]
fn a_processor_record_cites_the_points_of_art_30_2() {
    let rule = super::super::rule("R-ART30-TRANSFERS").expect("rule");
    assert_eq!(rule.basis_for(false), "Art. 30(1)(e), 30(2)(c)");
    assert_eq!(rule.basis_for(true), "Art. 30(2)(c)");
    let security = super::super::rule("R-ART30-SECURITY").expect("rule");
    assert_eq!(security.basis_for(true), "Art. 30(2)(d); Art. 32(1)");
    let lawful = super::super::rule("R-LAWFUL-BASIS").expect("rule");
    assert_eq!(lawful.basis_for(true), lawful.basis);
}

#[test]
fn rules_for_a_controller_leave_a_processor_record_alone() {
    let (orgs, cats, parties) = (vec![organisation()], catalogues(), parties());
    let register = Register::new(&orgs, &cats, &parties, today());
    let mut a = clean();
    a.role = "processor".into();
    a.processor_contract_ref = "DPA-Client".into();
    a.controllers = vec![ControllerDoc {
        party: "Client AG".into(),
        processing_categories: "Payroll".into(),
        representative: String::new(),
    }];
    // Health data without a condition, consent without a record: the client's to record.
    a.data_categories.push("health_data".into());
    a.purposes[0].lawful_bases = vec!["consent".into()];
    // A sub-processor without a contract on record: this record's to hold (Art. 28(4)).
    a.recipients.push(recipient("Bangalore Payroll"));
    a.transfers.push(transfer(
        "IN",
        Some("Bangalore Payroll"),
        "scc_2021_914_module_3_p2p",
        "SCCs Module 3",
    ));
    a.transfers.last_mut().expect("added").tia_reference = "TIA-7".into();
    let mut without = parties.clone();
    without[2].contract_reference.clear();
    without[1].dpf_checked_on = Some(day(2026, 11, 1));
    let register_without = Register::new(&orgs, &cats, &without, today());
    let codes = codes_of(&register_without.check_activity(&a));
    assert_eq!(codes, vec!["R-PROCESSOR-CONTRACT"], "{codes:?}");
    // On a controller's record the same sub-processor needs no contract of the controller's.
    let mut c = clean();
    c.recipients.push(recipient("Bangalore Payroll"));
    c.transfers.push(transfer(
        "IN",
        Some("Bangalore Payroll"),
        "scc_2021_914_module_3_p2p",
        "SCCs Module 3",
    ));
    c.transfers.last_mut().expect("added").tia_reference = "TIA-7".into();
    assert!(register_without.check_activity(&c).is_empty());
    let _ = register;
}

/// The clean activity with employees' health data (Art. 9 condition, law and retention given)
/// and the need for a DPIA not assessed.
fn sick_notes() -> ActivityDoc {
    let mut a = clean();
    a.subjects.push("employees".into());
    a.data_categories.push("health_data".into());
    a.special_conditions = vec!["employment_social_security_law".into()];
    a.special_legal_reference = "§ 26 BDSG".into();
    a.retention[0].data_categories.push("health_data".into());
    a.dpia_required = "not_assessed".into();
    a.dpia_not_required_reason.clear();
    a
}

#[test]
fn the_dpia_rules_count_what_the_register_shows_and_respect_the_answers() {
    let (orgs, cats, parties) = (vec![organisation()], catalogues(), parties());
    let register = Register::new(&orgs, &cats, &parties, today());
    // Employees (WP248 criterion 7) and health data (criterion 4), nothing answered.
    let mut a = sick_notes();
    let codes = codes_of(&register.check_activity(&a));
    assert_eq!(codes, vec!["R-DPIA-LIKELY"], "{codes:?}");
    let finding = register
        .check_activity(&a)
        .into_iter()
        .next()
        .expect("finding");
    assert_eq!(finding.hit.detail, "criterion 4, criterion 7");
    // Decided "not required" with a reason: nothing. Without the reason: the reason is due.
    a.dpia_required = "no".into();
    assert_eq!(
        codes_of(&register.check_activity(&a)),
        vec!["R-DPIA-NO-REASON"]
    );
    a.dpia_not_required_reason = "Payroll only: no health data beyond sick days".into();
    assert!(register.check_activity(&a).is_empty());
    // An Art. 35(3) case is not excused by a reason: only a DPIA answers it.
    answer(&mut a, &["large_scale"], "yes");
    assert_eq!(
        codes_of(&register.check_activity(&a)),
        vec!["R-DPIA-MANDATORY"]
    );
    // Marked required but "not applicable": still the mandatory case, on the progress.
    a.dpia_required = "yes".into();
    a.dpia_status = "not_applicable".into();
    let found = register.check_activity(&a);
    assert_eq!(codes_of(&found), vec!["R-DPIA-MANDATORY"]);
    assert_eq!(found[0].hit.field, "dpia_status");
    a.dpia_status = "completed".into();
    a.dpia_reference = "DPIA-2026-02".into();
    assert!(register.check_activity(&a).is_empty());
    // Answered no, the register's suggestion gives way.
    let mut b = sick_notes();
    answer(&mut b, &["vulnerable_data_subjects"], "no");
    assert_eq!(
        codes_of(&register.check_activity(&b)),
        vec!["R-DPIA-NOT-ASSESSED"]
    );
}
