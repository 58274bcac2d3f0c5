//! The demo register: a group of two companies, one of them also a processor for clients.
//!
//! Everything goes through the same parsing as the browser form, so the demo is valid by the
//! same rules as anything a user types, and all of it is written in one transaction.
//!
//! Uses `domain::{activity, catalogue, organisation, party}`, `store::{activities, audit,
//! catalogues, organisations, parties}`.

use std::collections::HashMap;

use diesel::Connection;

use crate::domain::activity::ActivityForm;
use crate::domain::catalogue::CatalogueKind;
use crate::domain::organisation::OrganisationForm;
use crate::domain::party::PartyForm;
use crate::store::audit::Actor;
use crate::store::{activities, catalogues, organisations, parties, DbConnection, StoreError};

mod examples;
pub mod synthetic;

use examples::{specs, Spec};

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
        put("automated_processing".into(), "profiling");
        put("automated_decision_description".into(), s.automated);
    }
    // The demo's empty lists are declared: none, not "not recorded yet".
    if s.recipients.is_empty() {
        put("no_recipients".into(), "on");
    }
    if s.transfers.is_empty() {
        put("no_transfers".into(), "on");
    }
    if s.dpia.1 == "completed" {
        put("dpia_completed_on".into(), "2025-06-30");
    }
    put("dpia_required".into(), s.dpia.0);
    put("dpia_status".into(), s.dpia.1);
    put("dpia_reference".into(), s.dpia.2);
    put("dpia_not_required_reason".into(), s.dpia_reason);
    put("privacy_notice_ref".into(), s.notice);
    for (i, (description, bases, interest)) in s.purposes.iter().enumerate() {
        put(format!("purposes[{i}].description"), description);
        for b in *bases {
            put(format!("purposes[{i}].bases"), b);
        }
        put(format!("purposes[{i}].legitimate_interest"), interest);
        if s.direct_marketing.contains(&i) {
            put(format!("purposes[{i}].direct_marketing"), "on");
        }
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
        if *key == "alpen" {
            put(
                format!("controllers[{i}].representative"),
                "Alpen Data Rep GmbH, Mariahilfer Straße 1, 1060 Wien, Austria — rep@alpen-rep.example",
            );
        }
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
        if !mechanism.starts_with("adequacy") {
            put(format!("transfers[{i}].tia_reference"), s.tia);
        }
        if *mechanism == "adequacy_decision" && *country != "US" {
            put(format!("transfers[{i}].scope_confirmed"), "on");
        }
    }
    for (i, (codes, value, unit, start, legal)) in s.retention.iter().enumerate() {
        // One rule may cover several categories: their codes joined by "+".
        for code in codes.split('+') {
            put(
                format!("retention[{i}].data_category_ids"),
                &lookup(&ids.data, code)?,
            );
        }
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
        // The demo's US processors are certified under the EU-US Data Privacy Framework.
        dpf_checked_on: if country == "US" {
            "2026-10-01".into()
        } else {
            String::new()
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
