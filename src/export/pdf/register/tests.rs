//! The register's PDF read back: every value and letter, page numbers, links, fonts.

use super::*;
use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::vocab::{
    AutomatedProcessing, Country, CriminalBasis, DpiaRequired, DpiaStatus, LawfulBasis,
    MeasureFamily, MeasureKind, PartyKind, RetentionUnit, Sensitivity, SpecialCondition, Status,
    TransferMechanism,
};
use crate::store::activities::{EntryRef, PartyLink, PurposeView, RetentionView, TransferView};
use crate::store::records::Activities;

const LONG_WORD_LEN: usize = 300;

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(9, 30, 0))
        .expect("valid date")
}

fn organisation(id: i64, name: &str) -> Organisation {
    Organisation {
        id,
        name: name.into(),
        legal_address: "ul. Piotrkowska 1\n90-001 Łódź".into(),
        email: "privacy@example.eu".into(),
        phone: "+48 42 000 00 00".into(),
        registration_number: "KRS 0000123456".into(),
        country: "PL".into(),
        representative: String::new(),
        dpo: "Jan Müller, dpo@example.eu".into(),
        supervisory_authority: "Prezes Urzędu Ochrony Danych Osobowych".into(),
        review_interval_months: 12,
        reference_prefix: "AO".into(),
        version: 1,
        created_at: at(2025, 1, 2),
        updated_at: at(2025, 6, 1),
    }
}

fn entry(id: i64, label: &str) -> EntryRef {
    EntryRef {
        id,
        label: label.into(),
        sensitivity: Sensitivity::Standard,
        vulnerable: false,
        kind: None,
        family: None,
    }
}

fn party(id: i64, name: &str, kind: PartyKind, country: &str) -> PartyLink {
    PartyLink {
        party_id: id,
        name: name.into(),
        kind: Some(kind),
        country: Country::parse(country),
        contact: format!("contact-{id}@example.com"),
        address: String::new(),
        contract_reference: String::new(),
        text: String::new(),
        detail: String::new(),
    }
}

/// A plain activity with a unique name.
fn activity(i: usize, org: &Organisation, role: Role) -> ActivityDetail {
    ActivityDetail {
        id: i as i64,
        organisation_id: org.id,
        organisation_name: org.name.clone(),
        role,
        reference: format!("PA-{i:03}"),
        name: format!("Processing activity number {i:03}"),
        description: "Handles the people's records.".into(),
        business_function: "Human resources".into(),
        owner: "Head of HR".into(),
        status: Status::Active,
        retirement_reason: String::new(),
        special_conditions: Vec::new(),
        special_legal_reference: String::new(),
        criminal_basis: None,
        criminal_legal_reference: String::new(),
        data_source: "Directly from the data subject".into(),
        systems: "HR system".into(),
        data_location: "EU data centre".into(),
        automated_processing: AutomatedProcessing::NoAutomatedDecisions,
        automated_decision_description: String::new(),
        automated_exception: None,
        automated_logic: String::new(),
        automated_safeguards: String::new(),
        dpia_completed_on: None,
        no_recipients: false,
        no_transfers: true,
        dpia_required: DpiaRequired::No,
        dpia_status: DpiaStatus::NotApplicable,
        dpia_reference: String::new(),
        dpia_screening: Default::default(),
        dpia_not_required_reason: String::new(),
        privacy_notice_ref: "PN-1".into(),
        consent_record_ref: String::new(),
        processor_contract_ref: String::new(),
        retention_policy_ref: String::new(),
        breach_occurred: false,
        breach_record_ref: String::new(),
        security_description: "Access on a need-to-know basis.".into(),
        last_reviewed: NaiveDate::from_ymd_opt(2026, 1, 15),
        next_review: None,
        version: 2,
        created_at: at(2025, 3, 1),
        updated_at: at(2026, 1, 15),
        subjects: vec![entry(1, "Employees")],
        data_categories: vec![entry(10, "Identification data")],
        measures: vec![EntryRef {
            kind: Some(MeasureKind::Technical),
            family: Some(MeasureFamily::Encryption),
            ..entry(20, "Encryption at rest")
        }],
        purposes: vec![PurposeView {
            description: "Payroll".into(),
            bases: vec![LawfulBasis::Contract],
            legitimate_interest: String::new(),
            balancing_test_ref: String::new(),
            direct_marketing: false,
            automated_means: true,
        }],
        joint_controllers: Vec::new(),
        controllers: Vec::new(),
        recipients: vec![party(100, "Payroll Bureau", PartyKind::Processor, "DE")],
        transfers: Vec::new(),
        retention: vec![RetentionView {
            data_category_ids: vec![10],
            category: "Identification data".into(),
            period_value: Some(6),
            period_unit: Some(RetentionUnit::Years),
            criterion: String::new(),
            start_event: "end of employment".into(),
            legal_reference: "Labour Code Art. 94".into(),
        }],
    }
}

fn long_text() -> String {
    (0..120)
        .map(|i| format!("Sentence {i} of a very long description, with commas; and \"quotes\"."))
        .collect::<Vec<_>>()
        .join(" ")
}

fn long_word() -> String {
    (0..LONG_WORD_LEN)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

/// An activity full of awkward values, and the values that must come back.
fn awkward(org: &Organisation, role: Role) -> (ActivityDetail, Vec<String>) {
    let mut a = activity(1, org, role);
    a.name = "Payroll, \"Ørsted\" = Müller".into();
    a.description = long_text();
    a.owner = long_word();
    a.business_function = "Finance\nand controlling".into();
    a.systems = "=SUM(A1)".into();
    a.data_location = "Ελλάδα, Čeština".into();
    a.automated_processing = AutomatedProcessing::SolelyAutomatedDecisions;
    a.automated_decision_description = "Scoring of applicants".into();
    a.dpia_required = DpiaRequired::Yes;
    a.dpia_status = DpiaStatus::InProgress;
    a.dpia_reference = "DPIA-2026-07".into();
    a.consent_record_ref = "CONSENT-LOG".into();
    a.processor_contract_ref = "DPA-Ørsted-2024".into();
    a.retention_policy_ref = "RET-POL-3".into();
    a.breach_occurred = true;
    a.breach_record_ref = "BR-2025-01".into();
    a.special_conditions = vec![SpecialCondition::EmploymentSocialSecurityLaw];
    a.special_legal_reference = "Kodeks pracy, Łódź".into();
    a.criminal_basis = Some(CriminalBasis::AuthorisedByLawWithSafeguards);
    a.criminal_legal_reference = "Act on criminal records".into();
    a.security_description = format!("Encrypted disks.\r\nLong: {}", long_word());
    a.subjects = vec![
        entry(1, "Employees"),
        EntryRef {
            vulnerable: true,
            ..entry(2, "Apprentices")
        },
    ];
    a.data_categories = vec![
        entry(10, "Identification data"),
        EntryRef {
            sensitivity: Sensitivity::SpecialCategory,
            ..entry(11, "Health data")
        },
        EntryRef {
            sensitivity: Sensitivity::CriminalOffence,
            ..entry(12, "Criminal records")
        },
    ];
    a.purposes = vec![
        PurposeView {
            description: "Pay salaries, \"on time\"".into(),
            bases: vec![LawfulBasis::Contract, LawfulBasis::LegalObligation],
            legitimate_interest: String::new(),
            balancing_test_ref: String::new(),
            direct_marketing: false,
            automated_means: true,
        },
        PurposeView {
            description: "Fraud prevention".into(),
            bases: vec![LawfulBasis::LegitimateInterests],
            legitimate_interest: "Protecting the company's funds".into(),
            balancing_test_ref: "LIA-2026-01".into(),
            direct_marketing: false,
            automated_means: true,
        },
    ];
    let mut joint = party(200, "Ørsted Group A/S", PartyKind::JointController, "DK");
    joint.text = "Responsible for information notices".into();
    a.joint_controllers = vec![joint];
    let mut bank = party(
        101,
        "Bank Müller GmbH",
        PartyKind::IndependentController,
        "DE",
    );
    bank.text = "Salary amounts".into();
    bank.detail = "Payment of salaries".into();
    bank.contract_reference = "C-77".into();
    let mut cloud = party(102, "Cloud Inc.", PartyKind::Processor, "US");
    cloud.text = "All records".into();
    cloud.detail = "Hosting".into();
    a.recipients = vec![bank, cloud];
    a.transfers = vec![TransferView {
        country: Country::parse("US"),
        organisation: String::new(),
        party_id: Some(102),
        party_name: "Cloud Inc.".into(),
        mechanism: TransferMechanism::SccModule2,
        safeguards: "Transfer impact assessment TIA-9, encryption".into(),
        scope_confirmed: false,
        tia_reference: String::new(),
        dpf_checked_on: None,
    }];
    a.retention.push(RetentionView {
        data_category_ids: vec![11],
        category: "Health data".into(),
        period_value: None,
        period_unit: None,
        criterion: "Until the sick leave ends".into(),
        start_event: String::new(),
        legal_reference: String::new(),
    });
    a.controllers = vec![{
        let mut c = party(
            300,
            "Client Łódź Sp. z o.o.",
            PartyKind::ClientController,
            "PL",
        );
        c.text = "Payroll calculation, payslip delivery".into();
        c.address = "ul. Długa 5, Łódź".into();
        c
    }];
    let expected = vec![
        a.name.clone(),
        a.description.clone(),
        a.owner.clone(),
        "Finance and controlling".into(),
        "=SUM(A1)".into(),
        "Ελλάδα, Čeština".into(),
        "Łódź".into(),
        "Ørsted".into(),
        "Müller".into(),
        a.security_description.clone(),
    ];
    (a, expected)
}

fn record(role: Role, orgs: Vec<Organisation>, activities: Vec<ActivityDetail>) -> Record<'static> {
    Record {
        role,
        organisations: orgs,
        activities: Activities::Loaded(activities),
        scope: "Whole register".into(),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        generated_at: at(2026, 11, 30),
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts")
}

/// The text of the pages without running headers and footers, squashed.
fn body_text(pages: &[String]) -> String {
    pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // The decoration is drawn after the page's content: on every page but the first
            // it starts with the running header, on the first with the footer, whose last
            // line before the page number says when the record was generated.
            let s = squash(p);
            let cut = if i == 0 {
                s.rfind("Generated")
            } else {
                s.rfind("Recordofprocessingactivities,Article30(")
            };
            s[..cut.unwrap_or(s.len())].replace("(continued)", "")
        })
        .collect()
}

fn assert_contains(haystack: &str, needle: &str) {
    let n = squash(needle);
    assert!(
        haystack.contains(&n),
        "missing from the PDF text: {needle:?}"
    );
}

#[test]
fn controller_pdf_contains_every_value_and_letter() {
    let org = organisation(1, "Müller & Ørsted Łódź");
    let (a, expected) = awkward(&org, Role::Controller);
    let second = activity(2, &org, Role::Controller);
    let r = record(Role::Controller, vec![org], vec![a, second]);
    let pdf = controller_pdf(&r).expect("renders");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = pages(&pdf);
    let raw: String = pages.concat();
    let text = body_text(&pages);
    for v in &expected {
        assert_contains(&text, v);
    }
    for v in [
        "Record of processing activities, Article 30(1) GDPR",
        "Record as of 2026-11-30",
        "Generated 2026-11-30 09:30 UTC",
        "Whole register",
        "Adequacy decisions (Art. 45) as checked up to 2026-01-28",
        "KRS 0000123456",
        "Prezes Urzędu Ochrony Danych Osobowych",
        "Jan Müller, dpo@example.eu",
        "Contents",
        "Responsible for information notices",
        "Contract (Art. 6(1)(b))",
        "Legal obligation (Art. 6(1)(c))",
        "Protecting the company's funds",
        "Balancing test: LIA-2026-01",
        "Apprentices (vulnerable)",
        "Health data — Special category (Art. 9)",
        "Criminal records — Criminal-offence data (Art. 10)",
        "Art. 9(2)(b)",
        "Basis in law: Kodeks pracy, Łódź",
        "Law: Act on criminal records",
        "Bank Müller GmbH",
        "Payment of salaries",
        "Contract: C-77",
        "third country",
        "SCC 2021/914 Module 2: controller to processor",
        "Art. 46(2)(c)",
        "Transfer impact assessment TIA-9, encryption",
        "6 years from end of employment",
        "Labour Code Art. 94",
        "Until the sick leave ends",
        "Encryption at rest",
        "Right to object (Art. 21(1)): purpose 2",
        "Rights related to automated decision-making (Art. 22(1), (3))",
        "Right to erasure (Art. 17(3)(b); Art. 17(1)), for purpose 1: limited",
        "Solely automated decisions with legal or similarly significant effects (Art. 22(1))",
        "Exception (Art. 22(2)): not recorded",
        "DPIA-2026-07",
        "CONSENT-LOG",
        "DPA-Ørsted-2024",
        "RET-POL-3",
        "BR-2025-01",
        "2026-01-15",
        "2025-03-01 09:30 UTC",
        "Annex A. Recipients and processors",
        "Annex B. Transfers by destination",
        "Annex C. Retention schedule",
        "Annex D. Security measures",
        "PA-001, PA-002",
        "Processing activity number 002",
    ] {
        assert_contains(&text, v);
    }
    for letter in ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"] {
        assert!(
            raw.contains(&format!("{letter} ")),
            "letter {letter} missing"
        );
    }
    assert!(raw.contains("(a) Controller and joint controllers — Art. 30(1)(a)"));
    assert!(raw.contains("Page 1 of"));
    // Exact strings that must extract unchanged.
    for exact in ["Łódź", "Ørsted", "Müller", "Ελλάδα", "Čeština", "=SUM(A1)"] {
        assert!(raw.contains(exact), "{exact} does not extract unchanged");
    }
    let footers = (1..=pages.len())
        .filter(|n| raw.contains(&format!("Page {n} of {}", pages.len())))
        .count();
    assert_eq!(footers, pages.len(), "every page has its footer");
}

#[test]
fn processor_pdf_groups_activities_under_their_controllers() {
    let org = organisation(1, "Ørsted Processing");
    let (mut a, expected) = awkward(&org, Role::Processor);
    let mut other = party(301, "Second Client AG", PartyKind::ClientController, "AT");
    other.text = "Archiving of payslips".into();
    a.controllers.push(other.clone());
    let mut b = activity(2, &org, Role::Processor);
    b.controllers = vec![other];
    let c = activity(3, &org, Role::Processor);
    let r = record(Role::Processor, vec![org], vec![a, b, c]);
    let pdf = processor_pdf(&r).expect("renders");
    let pages = pages(&pdf);
    let raw: String = pages.concat();
    let text = body_text(&pages);
    assert!(raw.contains("Record of processing activities, Article 30(2) GDPR"));
    assert!(raw.contains("Page 1 of"));
    for v in [
        "Client Łódź Sp. z o.o.",
        "Payroll calculation, payslip delivery",
        "Second Client AG",
        "Archiving of payslips",
        "Transfer impact assessment TIA-9, encryption",
        "Encryption at rest",
        "Controller not recorded",
        &expected[0],
        &expected[1],
    ] {
        assert_contains(&text, v);
    }
    for letter in ["(a)", "(b)", "(c)", "(d)"] {
        assert!(
            raw.contains(&format!("{letter} ")),
            "letter {letter} missing"
        );
    }
    // Grouped: the controller heading comes before its activities; PA-001 acts for
    // both controllers and so appears under each.
    let first = text
        .find(&squash("Client Łódź Sp. z o.o."))
        .expect("first controller");
    let second = text
        .find(&squash("Second Client AG"))
        .expect("second controller");
    let body = &text[text.find("Processingcarriedoutonbehalf").expect("body")..];
    assert!(first < second);
    let name = squash("Payroll, \"Ørsted\" = Müller");
    assert!(
        body.matches(&format!("PA-001·{name}")).count() >= 2,
        "an activity acting for two controllers appears under each"
    );
    let under_second = &body[body.find("SecondClientAG").expect("group")..];
    assert!(under_second.contains("PA-002"));
}

#[test]
fn characters_the_font_lacks_extract_as_the_replacement_character() {
    // DejaVu Sans has no CJK: both characters are drawn as the missing-glyph box, and
    // neither may be extracted as the other (or as any other character).
    let org = organisation(1, "Acme 中国 Ltd");
    let pdf = controller_pdf(&record(Role::Controller, vec![org], Vec::new())).expect("pdf");
    let text = pages(&pdf).concat();
    assert!(text.contains("Acme \u{FFFD}\u{FFFD} Ltd"), "{text}");
    assert!(!text.contains('中') && !text.contains('国'));
}

#[test]
fn empty_record_renders_a_cover() {
    let org = organisation(1, "Empty Org");
    for role in [Role::Controller, Role::Processor] {
        let r = record(role, vec![org.clone()], Vec::new());
        let pdf = match role {
            Role::Controller => controller_pdf(&r),
            Role::Processor => processor_pdf(&r),
        }
        .expect("renders");
        let pages = pages(&pdf);
        assert_eq!(pages.len(), 1);
        let raw = pages.concat();
        assert!(raw.contains("There are no processing activities in this record."));
        assert!(raw.contains("Page 1 of 1"));
        assert!(raw.contains("Empty Org"));
        let parsed = printpdf::PdfDocument::parse(
            &pdf,
            &printpdf::PdfParseOptions::default(),
            &mut Vec::new(),
        )
        .expect("parses");
        let info = &parsed.metadata.info;
        assert_eq!(
            info.document_title,
            "Record of processing activities – Empty Org"
        );
        assert_eq!(info.author, "Empty Org");
        assert!(info.subject.contains("Empty Org"));
        assert_eq!(
            (info.creation_date.year(), info.creation_date.day()),
            (2026, 30)
        );
    }
}

#[test]
fn contents_point_at_the_right_pages() {
    let org = organisation(1, "Sixty Activities Ltd");
    let activities: Vec<ActivityDetail> = (1..=60)
        .map(|i| {
            let mut a = activity(i, &org, Role::Controller);
            if i % 7 == 0 {
                a.description = long_text();
            }
            a
        })
        .collect();
    let r = record(Role::Controller, vec![org], activities);
    let pdf = controller_pdf(&r).expect("renders");
    let pages = pages(&pdf);
    let total = pages.len();
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains(&format!("Page {} of {total}", i + 1)),
            "page {} has no footer",
            i + 1
        );
    }
    let toc_pages: Vec<usize> = (0..total)
        .filter(|&i| pages[i].contains("Contents"))
        .collect();
    assert!(toc_pages.len() >= 2, "60 entries take more than a page");
    let after_toc = toc_pages.last().copied().unwrap_or(0) + 1;
    let toc_text: String = toc_pages.iter().map(|&i| pages[i].as_str()).collect();
    for i in 1..=60 {
        let name = format!("Processing activity number {i:03}");
        let line = toc_text
            .lines()
            .find(|l| l.contains(&name))
            .unwrap_or_else(|| panic!("{name} not in the contents"));
        let listed: usize = line
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page number in {line:?}"));
        let heading = format!("PA-{i:03} · {name}");
        let actual = (after_toc..total)
            .find(|&p| pages[p].contains(&heading))
            .map(|p| p + 1)
            .unwrap_or_else(|| panic!("{name} has no section"));
        assert_eq!(listed, actual, "contents page of {name}");
    }
}

#[test]
fn wrapping_keeps_every_character_and_fits_the_width() {
    let fonts = Fonts::get().expect("fonts");
    let text = format!("{}\n\n{} Łódź Ελλάδα", long_text(), long_word());
    let mut lines = Vec::new();
    fonts.wrap(&text, BODY, 200.0, &mut lines);
    for l in &lines {
        assert!(fonts.width(&l.text, BODY) <= 200.0 + 0.01, "{:?}", l.text);
    }
    let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(squash(&joined), squash(&text));
}

#[test]
fn drafts_are_marked_and_the_overview_and_contents_name_each_organisation() {
    let north = organisation(1, "Nordwind AG");
    let south = organisation(2, "Südwind sp. z o.o.");
    let mut draft = activity(2, &south, Role::Controller);
    draft.status = Status::Draft;
    draft.description = long_text();
    let r = record(
        Role::Controller,
        vec![north.clone(), south.clone()],
        vec![
            activity(1, &north, Role::Controller),
            draft,
            activity(3, &north, Role::Controller),
        ],
    );
    let pdf = controller_pdf(&r).expect("renders");
    let pages = pages(&pdf);
    let overview = pages
        .iter()
        .find(|p| p.contains("Register overview") && !p.contains("Contents"))
        .expect("an overview page");
    let flat = squash(overview);
    for needle in [
        "PA-001",
        "PA-002",
        "PA-003",
        "Nordwind AG",
        "Südwind sp. z o.o.",
        "DRAFT",
    ] {
        assert!(flat.contains(&squash(needle)), "{needle} in the overview");
    }
    let contents = squash(
        pages
            .iter()
            .find(|p| p.contains("Contents"))
            .expect("contents"),
    );
    assert!(contents.contains(&squash(
        "DRAFT · Processing activity number 002 — Südwind sp. z o.o."
    )));
    assert!(contents.contains(&squash("Processing activity number 001 — Nordwind AG")));
    // Every page the draft is on says so in its running header.
    let annexes = pages
        .iter()
        .position(|p| p.contains("Annexes to the record"))
        .expect("annexes");
    let on: Vec<&String> = pages[..annexes]
        .iter()
        .filter(|p| p.contains("PA-002"))
        .filter(|p| !p.contains("Contents") && !p.contains("Register overview"))
        .collect();
    assert!(on.len() >= 2, "the draft's long description spans pages");
    for p in on {
        assert!(
            p.contains("DRAFT"),
            "a page of the draft without the mark: {p}"
        );
    }
    assert!(squash(&pages.concat()).contains(&squash("DRAFT, not part of the active register")));
}

#[test]
fn a_one_activity_record_embeds_font_subsets_extracts_every_script_and_has_no_empty_annex() {
    let org = organisation(1, "Müller & Ørsted Łódź");
    let mut a = activity(1, &org, Role::Controller);
    a.name = "Ελλάδα Łódź Čeština Müller Ørsted".into();
    a.description = "Zażółć gęślą jaźń; Příliš žluťoučký kůň; Größe; Ærø; Καλημέρα".into();
    let r = record(Role::Controller, vec![org], vec![a]);
    let pdf = controller_pdf(&r).expect("renders");
    assert!(
        pdf.len() < 150_000,
        "a one-activity record is {} bytes: the fonts are not subset",
        pdf.len()
    );
    let raw = pages(&pdf).concat();
    for exact in [
        "Ελλάδα Łódź Čeština Müller Ørsted",
        "Zażółć gęślą jaźń",
        "Příliš žluťoučký kůň",
        "Größe",
        "Ærø",
        "Καλημέρα",
    ] {
        assert!(raw.contains(exact), "{exact} does not extract unchanged");
    }
    // No transfers: no annex B; the others hold something.
    assert!(!raw.contains("Annex B"), "an empty annex is left out");
    assert!(raw.contains("Annex A. Recipients and processors"));
    // The embedded programs are subsets, named as such (ISO 32000-1, 9.6.4).
    let doc = lopdf::Document::load_mem(&pdf).expect("parses");
    let mut programs = 0;
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict() {
            if let Ok(name) = dict.get(b"FontName").and_then(|n| n.as_name()) {
                let name = String::from_utf8_lossy(name).into_owned();
                assert!(
                    name.len() > 7 && name.as_bytes()[6] == b'+',
                    "{name} is named as a subset"
                );
                programs += 1;
            }
        }
    }
    assert_eq!(programs, 2, "both faces embedded");
}

#[test]
fn email_addresses_and_urls_break_after_their_separators() {
    let fonts = Fonts::get().expect("fonts");
    let text = "datenschutzbeauftragte.nordlicht-retail@konzern-datenschutz.example https://intranet.nordlicht-retail.example/datenschutz/verzeichnis";
    let mut lines = Vec::new();
    fonts.wrap(text, BODY, 140.0, &mut lines);
    assert!(lines.len() > 2);
    // Each line ends at a space or after a separator, never inside a run of letters.
    let mut rest = text;
    for l in &lines[..lines.len() - 1] {
        rest = rest.strip_prefix(l.text.as_str()).expect("lines in order");
        let last = l.text.chars().last().expect("a line");
        assert!(
            rest.starts_with(' ') || "@./-_?&=#:".contains(last),
            "{:?} breaks mid-word",
            l.text
        );
        rest = rest.trim_start();
        assert!(fonts.width(&l.text, BODY) <= 140.0 + 0.01);
    }
    let joined: String = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(squash(&joined), squash(text));
}
