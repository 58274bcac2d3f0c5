//! The demo register: a group of two companies, one of them also a processor for clients.
//!
//! Everything goes through the same parsing as the browser form, so the demo is valid by the
//! same rules as anything a user types, and all of it is written in one transaction.

use std::collections::HashMap;

use diesel::Connection;

use crate::domain::activity::ActivityForm;
use crate::domain::catalogue::CatalogueKind;
use crate::domain::organisation::OrganisationForm;
use crate::domain::party::PartyForm;
use crate::store::audit::Actor;
use crate::store::{activities, catalogues, organisations, parties, DbConnection, StoreError};

pub mod synthetic;

/// What the demo loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoSummary {
    /// Organisations created.
    pub organisations: usize,
    /// Parties created.
    pub parties: usize,
    /// Activities created.
    pub activities: usize,
}

/// Why the demo could not be loaded; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database already holds the demo organisations.
    #[error("the demo register is already loaded (organisation `{0}` exists)")]
    AlreadyLoaded(String),
    /// A demo record failed validation (a bug in the demo data).
    #[error("demo record `{record}` is invalid: {errors}")]
    Invalid {
        /// Which record.
        record: String,
        /// What is wrong.
        errors: String,
    },
    /// A catalogue code the demo relies on was deleted.
    #[error("catalogue entry `{0}` is missing; the demo needs the seeded catalogues")]
    MissingCode(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for DemoError {
    fn from(e: diesel::result::Error) -> Self {
        DemoError::Store(e.into())
    }
}

const RETAIL: &str = "Nordlicht Retail GmbH";
const SERVICES: &str = "Nordlicht Services sp. z o.o.";

struct Ids {
    orgs: HashMap<&'static str, String>,
    parties: HashMap<&'static str, String>,
    data: HashMap<String, String>,
    subjects: HashMap<String, String>,
    measures: HashMap<String, String>,
}

fn lookup(map: &HashMap<String, String>, code: &str) -> Result<String, DemoError> {
    map.get(code)
        .cloned()
        .ok_or_else(|| DemoError::MissingCode(code.to_owned()))
}

/// A compact description of one demo activity.
struct Spec {
    org: &'static str,
    role: &'static str,
    reference: &'static str,
    name: &'static str,
    status: &'static str,
    function: &'static str,
    owner: &'static str,
    description: &'static str,
    purposes: &'static [(&'static str, &'static [&'static str], &'static str)],
    subjects: &'static [&'static str],
    data: &'static [&'static str],
    special: &'static [&'static str],
    special_law: &'static str,
    criminal: &'static str,
    criminal_law: &'static str,
    joint: &'static [(&'static str, &'static str)],
    controllers: &'static [(&'static str, &'static str)],
    recipients: &'static [(&'static str, &'static str, &'static str)],
    transfers: &'static [(&'static str, &'static str, &'static str, &'static str)],
    retention: &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )],
    measures: &'static [&'static str],
    security: &'static str,
    source: &'static str,
    systems: &'static str,
    location: &'static str,
    automated: &'static str,
    dpia: (&'static str, &'static str, &'static str),
    notice: &'static str,
}

const BASE: Spec = Spec {
    org: RETAIL,
    role: "controller",
    reference: "",
    name: "",
    status: "active",
    function: "",
    owner: "",
    description: "",
    purposes: &[],
    subjects: &[],
    data: &[],
    special: &[],
    special_law: "",
    criminal: "",
    criminal_law: "",
    joint: &[],
    controllers: &[],
    recipients: &[],
    transfers: &[],
    retention: &[],
    measures: &[
        "user_access_control",
        "user_authentication",
        "encryption",
        "backup",
        "traceability_logging",
        "staff_awareness_training",
    ],
    security: "",
    source: "",
    systems: "",
    location: "",
    automated: "",
    dpia: ("no", "not_applicable", ""),
    notice: "",
};

fn specs() -> Vec<Spec> {
    vec![
        Spec {
            reference: "HR-001",
            name: "HR administration",
            function: "Human resources",
            owner: "Head of HR",
            description: "Personnel files from hiring to departure: contracts, absences, sick notes, appraisals.",
            purposes: &[
                ("Managing the employment relationship (contracts, working time, leave)", &["contract", "legal_obligation"], ""),
                ("Recording sickness absence and fitness for work", &["legal_obligation"], ""),
            ],
            subjects: &["employees", "former_employees", "staff_relatives_emergency_contacts"],
            data: &["identity_civil_status", "contact_details", "employment_data", "family_household_data", "health_data"],
            special: &["employment_social_security_law"],
            special_law: "§ 26(3) BDSG; § 5 EntgFG (sick notes)",
            recipients: &[("hr", "Personnel files", "Administration of the employment"), ("tax", "Wage tax data", "Statutory reporting")],
            retention: &[
                ("identity_civil_status", "3", "years", "end of employment", "§ 195 BGB limitation period"),
                ("contact_details", "3", "years", "end of employment", "§ 195 BGB"),
                ("employment_data", "10", "years", "end of the calendar year", "§ 147 AO"),
                ("family_household_data", "3", "years", "end of employment", "§ 195 BGB"),
                ("health_data", "12", "months", "end of the absence", "§ 5 EntgFG"),
            ],
            security: "Personnel files in the HR system with role-based access for HR staff only; sick notes kept separately with access for two named HR officers; encrypted backups.",
            systems: "Personio HR suite",
            location: "EU data centre (Frankfurt)",
            notice: "Employee privacy notice v3 (intranet)",
            ..BASE
        },
        Spec {
            reference: "HR-002",
            name: "Payroll",
            function: "Human resources / Finance",
            owner: "Payroll manager",
            description: "Monthly salary calculation and payment, social-security and tax declarations, carried out by the group's payroll bureau.",
            purposes: &[("Paying salaries and declaring tax and social-security contributions", &["contract", "legal_obligation"], "")],
            subjects: &["employees", "former_employees"],
            data: &["identity_civil_status", "payment_data", "employment_data", "national_identification_number"],
            recipients: &[
                ("services", "Payroll data", "Payroll bureau acting as processor"),
                ("tax", "Wage tax declarations", "§ 41a EStG"),
            ],
            transfers: &[("IN", "bangalore", "scc_2021_914_module_2_c2p", "SCCs 2021/914 Module 2 signed 2024-03-01; transfer impact assessment TIA-2024-07; data encrypted in transit and at rest.")],
            retention: &[
                ("identity_civil_status", "10", "years", "end of the calendar year of payment", "§ 147 AO"),
                ("payment_data", "10", "years", "end of the calendar year of payment", "§ 147 AO; § 257 HGB"),
                ("employment_data", "6", "years", "end of the calendar year", "§ 257 HGB"),
                ("national_identification_number", "10", "years", "end of employment", "§ 147 AO"),
            ],
            security: "Payroll system with two-person approval for payments; encrypted transfer files (SFTP, PGP).",
            systems: "DATEV Lohn",
            location: "EU (processor in Poland), sub-processor in India",
            ..BASE
        },
        Spec {
            reference: "HR-003",
            name: "Recruitment",
            function: "Human resources",
            owner: "Talent acquisition lead",
            description: "Publishing vacancies, receiving applications, interviews and hiring decisions.",
            purposes: &[("Selecting candidates for vacancies", &["contract"], "")],
            subjects: &["job_applicants"],
            data: &["identity_civil_status", "contact_details", "professional_life", "education_training_data"],
            recipients: &[("hr", "Applications", "Selection"), ("recruiter", "Shortlisted CVs", "Executive search for senior roles")],
            retention: &[
                ("identity_civil_status", "6", "months", "end of the recruitment procedure", "§ 15(4) AGG"),
                ("contact_details", "6", "months", "end of the recruitment procedure", "§ 15(4) AGG"),
                ("professional_life", "6", "months", "end of the recruitment procedure", "§ 15(4) AGG"),
                ("education_training_data", "6", "months", "end of the recruitment procedure", "§ 15(4) AGG"),
            ],
            security: "Applicant tracking system with access limited to HR and the hiring manager of each vacancy.",
            source: "Candidates; job boards; the executive search firm",
            systems: "Applicant tracking system",
            location: "EU",
            notice: "Applicant privacy notice on the careers page",
            ..BASE
        },
        Spec {
            reference: "SAL-001",
            name: "Customer relationship management",
            function: "Sales",
            owner: "Head of Sales",
            description: "Customer accounts, orders, invoices and service history.",
            purposes: &[
                ("Performing sales contracts and after-sales service", &["contract"], ""),
                ("Keeping accounting records", &["legal_obligation"], ""),
            ],
            subjects: &["customers"],
            data: &["identity_civil_status", "contact_details", "transaction_data", "payment_data"],
            recipients: &[("cloudpeak", "Customer records", "Hosting of the CRM (processor)"), ("it", "All", "Support of the system")],
            transfers: &[("US", "cloudpeak", "adequacy_decision", "CloudPeak Inc. is certified under the EU-US Data Privacy Framework (checked 2026-10-01).")],
            retention: &[
                ("identity_civil_status", "3", "years", "last order", "§ 195 BGB"),
                ("contact_details", "3", "years", "last order", "§ 195 BGB"),
                ("transaction_data", "10", "years", "end of the financial year", "§ 147 AO; § 257 HGB"),
                ("payment_data", "10", "years", "end of the financial year", "§ 147 AO"),
            ],
            security: "Single sign-on with MFA, role-based access, encryption at rest by the hosting provider.",
            systems: "CloudPeak CRM",
            location: "United States (processor), EU replica",
            notice: "Customer privacy notice, section 2",
            ..BASE
        },
        Spec {
            reference: "MKT-001",
            name: "Newsletter marketing",
            function: "Marketing",
            owner: "Marketing manager",
            description: "E-mail newsletter with offers, sent to subscribers who opted in (double opt-in).",
            purposes: &[("Sending the newsletter to subscribers", &["consent"], "")],
            subjects: &["newsletter_subscribers", "customers"],
            data: &["contact_details", "preferences_interests"],
            recipients: &[("letterbox", "E-mail address and preferences", "Sending of the newsletter (processor)")],
            retention: &[
                ("contact_details", "", "", "", "Until consent is withdrawn, then 3 years of proof of consent (Art. 7(1))"),
                ("preferences_interests", "", "", "", "Until consent is withdrawn"),
            ],
            security: "Processor certified ISO 27001; unsubscribe link in every message.",
            source: "Sign-up form on the website and in stores",
            systems: "Letterbox Mail",
            location: "Germany",
            notice: "Newsletter consent text v2",
            ..BASE
        },
        Spec {
            reference: "WEB-001",
            name: "Website analytics",
            function: "E-commerce",
            owner: "Head of E-commerce",
            description: "Audience measurement of the online shop with consent (cookie banner).",
            purposes: &[("Measuring the use of the website to improve it", &["consent"], "")],
            subjects: &["website_visitors"],
            data: &["online_identifiers", "usage_behavioural_data", "connection_data"],
            recipients: &[("insight", "Pseudonymous usage data", "Analytics service (processor)")],
            transfers: &[("US", "insight", "adequacy_decision", "Insight Analytics LLC is certified under the EU-US Data Privacy Framework; IP addresses truncated before transfer.")],
            retention: &[
                ("online_identifiers", "13", "months", "first visit", "CNIL guidance on audience measurement"),
                ("usage_behavioural_data", "25", "months", "collection", "Internal retention policy"),
                ("connection_data", "", "", "", "IP address truncated at collection and not stored"),
            ],
            measures: &["pseudonymisation", "encryption", "processor_oversight"],
            security: "IP truncation, pseudonymous identifiers, consent management platform.",
            systems: "Insight Analytics",
            location: "United States",
            ..BASE
        },
        Spec {
            reference: "SEC-001",
            name: "CCTV in stores",
            function: "Loss prevention",
            owner: "Head of Store Operations",
            description: "Video surveillance of sales floors and entrances to prevent theft and protect staff.",
            purposes: &[("Preventing and investigating theft and assaults", &["legitimate_interests"], "Protecting goods, staff and customers against theft and violence")],
            subjects: &["premises_visitors", "customers", "employees"],
            data: &["images_audio_video"],
            recipients: &[("securewatch", "Live and recorded images", "Operation of the system (processor)"), ("police", "Extracts on request", "Investigation of offences")],
            retention: &[("images_audio_video", "72", "days", "recording", "Datenschutzkonferenz guidance on video surveillance")],
            measures: &["physical_security", "user_access_control", "traceability_logging"],
            security: "Recorders in locked rooms; access by two named managers; every export logged.",
            location: "Store premises",
            dpia: ("yes", "completed", "DPIA-2025-02"),
            notice: "Signs at store entrances; notice on the website",
            ..BASE
        },
        Spec {
            reference: "CS-001",
            name: "Customer-support live chat",
            function: "Customer service",
            owner: "Customer service lead",
            description: "Live chat on the website for questions about orders and products.",
            purposes: &[("Answering customer questions", &["contract", "legitimate_interests"], "Helping visitors and customers quickly")],
            subjects: &["customers", "website_visitors"],
            data: &["contact_details", "communications_content", "transaction_data"],
            recipients: &[("chatbridge", "Chat transcripts", "Chat platform (processor)"), ("services", "Chat transcripts", "Outsourced first-level support (processor)")],
            transfers: &[("US", "chatbridge", "adequacy_decision", "ChatBridge Inc. is certified under the EU-US Data Privacy Framework.")],
            retention: &[
                ("contact_details", "12", "months", "last conversation", "Internal retention policy"),
                ("communications_content", "12", "months", "last conversation", "Internal retention policy"),
                ("transaction_data", "12", "months", "last conversation", "Internal retention policy"),
            ],
            systems: "ChatBridge",
            location: "United States; Poland",
            ..BASE
        },
        Spec {
            reference: "CMP-001",
            name: "Whistleblowing channel",
            function: "Compliance",
            owner: "Chief Compliance Officer",
            description: "Internal reporting channel under the Whistleblower Protection Act (HinSchG).",
            purposes: &[("Receiving and following up reports of breaches", &["legal_obligation"], "")],
            subjects: &["employees", "contractors_temporary_staff", "supplier_contacts"],
            data: &["identity_civil_status", "contact_details", "communications_content", "criminal_convictions_and_offences"],
            criminal: "authorised_by_law_with_safeguards",
            criminal_law: "§ 10 HinSchG (Whistleblower Protection Act)",
            recipients: &[("whistlesafe", "Reports", "Reporting platform (processor)")],
            retention: &[
                ("identity_civil_status", "3", "years", "closure of the procedure", "§ 11(5) HinSchG"),
                ("contact_details", "3", "years", "closure of the procedure", "§ 11(5) HinSchG"),
                ("communications_content", "3", "years", "closure of the procedure", "§ 11(5) HinSchG"),
                ("criminal_convictions_and_offences", "3", "years", "closure of the procedure", "§ 11(5) HinSchG"),
            ],
            measures: &["encryption", "user_access_control", "traceability_logging", "pseudonymisation"],
            security: "End-to-end encrypted platform; anonymous reporting possible; access limited to the compliance office.",
            dpia: ("yes", "completed", "DPIA-2024-05"),
            ..BASE
        },
        Spec {
            reference: "SEC-002",
            name: "Biometric access control to the warehouse",
            function: "Logistics",
            owner: "Warehouse manager",
            description: "Fingerprint readers at the high-value goods store; badge alternative offered to every employee.",
            purposes: &[("Controlling access to the high-value goods store", &["consent"], "")],
            subjects: &["employees"],
            data: &["identity_civil_status", "biometric_data_for_identification"],
            special: &["explicit_consent"],
            recipients: &[("it", "Templates", "Operation of the readers")],
            retention: &[
                ("identity_civil_status", "1", "months", "withdrawal of consent or end of employment", "Internal retention policy"),
                ("biometric_data_for_identification", "", "", "withdrawal of consent or end of employment", "Deleted immediately; Art. 17(1)(b)"),
            ],
            measures: &["encryption", "physical_security", "user_access_control"],
            security: "Templates stored only on the reader, encrypted; no central database of fingerprints.",
            dpia: ("yes", "completed", "DPIA-2025-04"),
            ..BASE
        },
        Spec {
            reference: "HR-004",
            name: "Business travel management",
            status: "draft",
            measures: &[],
            function: "Human resources",
            owner: "Travel office",
            description: "Booking of flights and hotels for business trips, including destinations without adequacy decision.",
            purposes: &[("Organising employees' business trips", &["contract"], "")],
            subjects: &["employees"],
            data: &["identity_civil_status", "contact_details", "national_identification_number"],
            recipients: &[("hotels", "Name, dates, passport number where required", "Booking")],
            transfers: &[("AE", "hotels", "derogation_contract_in_data_subject_interest", "Bookings made in the employee's interest; occasional; only the data the hotel requires.")],
            retention: &[
                ("identity_civil_status", "10", "years", "end of the financial year", "§ 147 AO (travel expense records)"),
                ("contact_details", "1", "years", "end of the trip", "Internal retention policy"),
                ("national_identification_number", "1", "months", "end of the trip", "Internal retention policy"),
            ],
            ..BASE
        },
        Spec {
            org: SERVICES,
            reference: "PA-001",
            name: "HR administration (own staff)",
            function: "Administration",
            owner: "Office manager",
            description: "Personnel administration of Nordlicht Services' own employees.",
            purposes: &[("Managing the employment relationship", &["contract", "legal_obligation"], "")],
            subjects: &["employees"],
            data: &["identity_civil_status", "contact_details", "employment_data"],
            recipients: &[("zus", "Social-security declarations", "Statutory reporting")],
            retention: &[
                ("identity_civil_status", "10", "years", "end of employment", "Art. 94 Kodeks pracy"),
                ("contact_details", "10", "years", "end of employment", "Art. 94 Kodeks pracy"),
                ("employment_data", "10", "years", "end of employment", "Art. 94 Kodeks pracy"),
            ],
            security: "HR files in a locked cabinet and in the HR system with access for the office manager only.",
            ..BASE
        },
        Spec {
            org: SERVICES,
            role: "processor",
            reference: "PA-002",
            name: "Payroll processing for client companies",
            function: "Payroll bureau",
            owner: "Head of Payroll Services",
            description: "Salary calculation, payslips and declarations on behalf of client companies.",
            controllers: &[
                ("retail_client", "Salary calculation, payslips, tax and social-security declarations"),
                ("baltic", "Salary calculation and payslips"),
                ("alpen", "Payslips and annual statements"),
            ],
            transfers: &[("IN", "bangalore", "scc_2021_914_module_3_p2p", "SCCs 2021/914 Module 3 with the sub-processor, approved by each controller; TIA-2024-07.")],
            measures: &["encryption", "user_access_control", "backup", "processor_oversight", "security_testing_evaluation"],
            security: "ISO 27001 certified payroll platform; client data segregated per tenant; yearly penetration test.",
            ..BASE
        },
        Spec {
            org: SERVICES,
            role: "processor",
            reference: "PA-003",
            name: "Outsourced customer support",
            function: "Contact centre",
            owner: "Contact centre manager",
            description: "First-level support by chat and e-mail on behalf of clients.",
            controllers: &[
                ("retail_client", "Answering chat and e-mail questions from customers"),
                ("alpen", "E-mail support for online orders"),
            ],
            measures: &["user_access_control", "staff_awareness_training", "workstation_security"],
            security: "Agents work in the clients' systems with personal accounts; no local copies.",
            ..BASE
        },
        Spec {
            reference: "SEC-003",
            name: "Paper visitor log at head office",
            status: "retired",
            function: "Facilities",
            owner: "Facility manager",
            description: "Replaced by the electronic visitor system in 2025; kept on record.",
            purposes: &[("Knowing who is in the building for safety", &["legitimate_interests"], "Building safety and evacuation")],
            subjects: &["premises_visitors"],
            data: &["identity_civil_status"],
            recipients: &[("hr", "Visitor log", "Evacuation lists")],
            retention: &[("identity_civil_status", "1", "months", "visit", "Internal retention policy")],
            ..BASE
        },
    ]
}

/// Loads the demo register in one transaction; refuses if it is already there.
pub fn load(conn: &mut DbConnection) -> Result<DemoSummary, DemoError> {
    let actor = Actor::system("command line (demo)");
    conn.transaction(|conn| {
        let existing = organisations::list(conn)?;
        if let Some(o) = existing
            .iter()
            .find(|o| o.name == RETAIL || o.name == SERVICES)
        {
            return Err(DemoError::AlreadyLoaded(o.name.clone()));
        }
        let mut summary = DemoSummary::default();
        let mut ids = Ids {
            orgs: HashMap::new(),
            parties: HashMap::new(),
            data: HashMap::new(),
            subjects: HashMap::new(),
            measures: HashMap::new(),
        };
        for (key, form) in organisation_forms() {
            let draft = form.parse().map_err(|e| DemoError::Invalid {
                record: form.name.clone(),
                errors: e.to_string(),
            })?;
            ids.orgs.insert(
                key,
                organisations::insert(conn, &actor, &draft)?.to_string(),
            );
            summary.organisations += 1;
        }
        for (key, form) in party_forms() {
            let draft = form.parse().map_err(|e| DemoError::Invalid {
                record: form.name.clone(),
                errors: e.to_string(),
            })?;
            ids.parties
                .insert(key, parties::insert(conn, &actor, &draft)?.to_string());
            summary.parties += 1;
        }
        for (kind, map) in [
            (CatalogueKind::DataCategories, &mut ids.data),
            (CatalogueKind::SubjectCategories, &mut ids.subjects),
            (CatalogueKind::SecurityMeasures, &mut ids.measures),
        ] {
            for e in catalogues::list(conn, kind)? {
                map.insert(e.code, e.id.to_string());
            }
        }
        let choices = activities::choices(conn)?;
        let today = chrono::Utc::now().date_naive();
        for (n, spec) in specs().iter().enumerate() {
            let mut form = activity_form(spec, &ids)?;
            // Spread reviews over the coming year, a few of them due soon.
            let reviewed = today - chrono::Days::new(300 - (n as u64 * 17));
            form.last_reviewed = reviewed.to_string();
            form.next_review = (reviewed + chrono::Days::new(365)).to_string();
            let draft = form.parse(&choices).map_err(|e| DemoError::Invalid {
                record: spec.name.into(),
                errors: e.to_string(),
            })?;
            activities::insert(conn, &actor, &draft)?;
            summary.activities += 1;
        }
        Ok(summary)
    })
}

fn activity_form(s: &Spec, ids: &Ids) -> Result<ActivityForm, DemoError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut put = |k: String, v: &str| pairs.push((k, v.to_owned()));
    let org = ids.orgs.get(s.org).cloned().unwrap_or_default();
    put("organisation_id".into(), &org);
    put("role".into(), s.role);
    put("reference".into(), s.reference);
    put("name".into(), s.name);
    put("status".into(), s.status);
    put("business_function".into(), s.function);
    put("owner".into(), s.owner);
    put("description".into(), s.description);
    put("special_legal_reference".into(), s.special_law);
    put("criminal_basis".into(), s.criminal);
    put("criminal_legal_reference".into(), s.criminal_law);
    put("security_description".into(), s.security);
    put(
        "data_source".into(),
        if s.source.is_empty() {
            "Collected from the data subjects themselves"
        } else {
            s.source
        },
    );
    put("systems".into(), s.systems);
    put("data_location".into(), s.location);
    if !s.automated.is_empty() {
        put("automated_decision".into(), "on");
        put("automated_decision_description".into(), s.automated);
    }
    put("dpia_required".into(), s.dpia.0);
    put("dpia_status".into(), s.dpia.1);
    put("dpia_reference".into(), s.dpia.2);
    put("privacy_notice_ref".into(), s.notice);
    for (i, (description, bases, interest)) in s.purposes.iter().enumerate() {
        put(format!("purposes[{i}].description"), description);
        for b in *bases {
            put(format!("purposes[{i}].bases"), b);
        }
        put(format!("purposes[{i}].legitimate_interest"), interest);
        if !interest.is_empty() {
            put(
                format!("purposes[{i}].balancing_test_ref"),
                &format!("LIA-{}", s.reference),
            );
        }
    }
    for code in s.subjects {
        put("subjects".into(), &lookup(&ids.subjects, code)?);
    }
    for code in s.data {
        put("data_categories".into(), &lookup(&ids.data, code)?);
    }
    for code in s.special {
        put("special_conditions".into(), code);
    }
    for code in s.measures {
        put("measures".into(), &lookup(&ids.measures, code)?);
    }
    let party = |key: &str| {
        ids.parties
            .iter()
            .find(|(k, _)| **k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    for (i, (key, text)) in s.joint.iter().enumerate() {
        put(format!("joint_controllers[{i}].party_id"), &party(key));
        put(format!("joint_controllers[{i}].responsibilities"), text);
    }
    for (i, (key, text)) in s.controllers.iter().enumerate() {
        put(format!("controllers[{i}].party_id"), &party(key));
        put(format!("controllers[{i}].processing_categories"), text);
    }
    for (i, (key, data, reason)) in s.recipients.iter().enumerate() {
        put(format!("recipients[{i}].party_id"), &party(key));
        put(format!("recipients[{i}].data_received"), data);
        put(format!("recipients[{i}].reason"), reason);
    }
    for (i, (country, key, mechanism, safeguards)) in s.transfers.iter().enumerate() {
        put(format!("transfers[{i}].country"), country);
        put(format!("transfers[{i}].party_id"), &party(key));
        put(format!("transfers[{i}].mechanism"), mechanism);
        put(format!("transfers[{i}].safeguards"), safeguards);
    }
    for (i, (code, value, unit, start, legal)) in s.retention.iter().enumerate() {
        put(
            format!("retention[{i}].data_category_id"),
            &lookup(&ids.data, code)?,
        );
        put(format!("retention[{i}].period_value"), value);
        put(format!("retention[{i}].period_unit"), unit);
        put(format!("retention[{i}].start_event"), start);
        if value.is_empty() {
            put(format!("retention[{i}].criterion"), legal);
        } else {
            put(format!("retention[{i}].legal_reference"), legal);
        }
    }
    Ok(ActivityForm::from_pairs(&pairs))
}

fn organisation_forms() -> Vec<(&'static str, OrganisationForm)> {
    vec![
        (
            RETAIL,
            OrganisationForm {
                name: RETAIL.into(),
                legal_address: "Friedrichstraße 120\n10117 Berlin\nGermany".into(),
                email: "datenschutz@nordlicht-retail.example".into(),
                phone: "+49 30 1234 5600".into(),
                registration_number: "HRB 204711 B (Amtsgericht Charlottenburg)".into(),
                country: "DE".into(),
                dpo: "Dr. Anna Müller, external DPO, Müller Datenschutz GmbH — dpo@nordlicht-retail.example, +49 30 1234 5699".into(),
                supervisory_authority: "Berliner Beauftragte für Datenschutz und Informationsfreiheit".into(),
                review_interval_months: "12".into(),
                ..Default::default()
            },
        ),
        (
            SERVICES,
            OrganisationForm {
                name: SERVICES.into(),
                legal_address: "ul. Piotrkowska 100\n90-004 Łódź\nPoland".into(),
                email: "iod@nordlicht-services.example".into(),
                phone: "+48 42 123 45 67".into(),
                registration_number: "KRS 0000123456".into(),
                country: "PL".into(),
                dpo: "Marek Kowalski, Inspektor Ochrony Danych — iod@nordlicht-services.example".into(),
                supervisory_authority: "Prezes Urzędu Ochrony Danych Osobowych (UODO)".into(),
                review_interval_months: "12".into(),
                ..Default::default()
            },
        ),
    ]
}

fn party(name: &str, kind: &str, country: &str, contact: &str, contract: &str) -> PartyForm {
    PartyForm {
        name: name.into(),
        kind: kind.into(),
        country: country.into(),
        contact: contact.into(),
        contract_reference: contract.into(),
        contract_date: if contract.is_empty() {
            String::new()
        } else {
            "2024-03-01".into()
        },
        ..Default::default()
    }
}

fn party_forms() -> Vec<(&'static str, PartyForm)> {
    vec![
        (
            "hr",
            party(
                "Human resources department",
                "internal_department",
                "DE",
                "hr@nordlicht-retail.example",
                "",
            ),
        ),
        (
            "it",
            party(
                "IT department",
                "internal_department",
                "DE",
                "it@nordlicht-retail.example",
                "",
            ),
        ),
        (
            "services",
            party(
                "Nordlicht Services (group payroll and support bureau)",
                "processor",
                "PL",
                "contracts@nordlicht-services.example",
                "DPA-GRP-2023-01",
            ),
        ),
        (
            "cloudpeak",
            party(
                "CloudPeak Inc.",
                "processor",
                "US",
                "privacy@cloudpeak.example, 500 Market St, San Francisco",
                "DPA-2023-11",
            ),
        ),
        (
            "letterbox",
            party(
                "Letterbox Mail GmbH",
                "processor",
                "DE",
                "datenschutz@letterbox.example",
                "AVV-2022-04",
            ),
        ),
        (
            "insight",
            party(
                "Insight Analytics LLC",
                "processor",
                "US",
                "dpo@insight.example",
                "DPA-2024-02",
            ),
        ),
        (
            "securewatch",
            party(
                "SecureWatch Sicherheitsdienst GmbH",
                "processor",
                "DE",
                "info@securewatch.example",
                "AVV-2021-09",
            ),
        ),
        (
            "chatbridge",
            party(
                "ChatBridge Inc.",
                "processor",
                "US",
                "privacy@chatbridge.example",
                "DPA-2025-01",
            ),
        ),
        (
            "whistlesafe",
            party(
                "WhistleSafe B.V.",
                "processor",
                "NL",
                "privacy@whistlesafe.example",
                "DPA-2023-06",
            ),
        ),
        (
            "bangalore",
            party(
                "Bangalore Payroll Tech Pvt Ltd",
                "sub_processor",
                "IN",
                "dpo@bptech.example, Bengaluru",
                "SUB-2024-03",
            ),
        ),
        (
            "recruiter",
            party(
                "Alpine Executive Search AG",
                "independent_controller",
                "CH",
                "office@alpine-search.example, Zürich",
                "",
            ),
        ),
        (
            "tax",
            party(
                "Finanzamt für Körperschaften Berlin",
                "public_authority",
                "DE",
                "Tax office",
                "",
            ),
        ),
        (
            "police",
            party(
                "Police (on request)",
                "public_authority",
                "DE",
                "Local police station",
                "",
            ),
        ),
        (
            "zus",
            party(
                "Zakład Ubezpieczeń Społecznych (ZUS)",
                "public_authority",
                "PL",
                "Social insurance institution",
                "",
            ),
        ),
        (
            "hotels",
            party(
                "Hotels and airlines booked for trips",
                "independent_controller",
                "",
                "Via the travel agency",
                "",
            ),
        ),
        (
            "retail_client",
            party(
                "Nordlicht Retail GmbH (client)",
                "client_controller",
                "DE",
                "datenschutz@nordlicht-retail.example",
                "DPA-GRP-2023-01",
            ),
        ),
        (
            "baltic",
            party(
                "Baltic Foods UAB",
                "client_controller",
                "LT",
                "dpo@balticfoods.example, Vilnius",
                "DPA-2024-08",
            ),
        ),
        (
            "alpen",
            party(
                "Alpen Outdoor AG",
                "client_controller",
                "AT",
                "datenschutz@alpen-outdoor.example, Innsbruck",
                "DPA-2025-02",
            ),
        ),
    ]
}
