//! The words a synthetic register is made of: names, sectors, seats, functions, purposes,
//! systems, laws and parties, picked from by the seeded generator.
//!
//! Uses `domain::vocab`.

use crate::domain::vocab::PartyKind;

pub(super) const FIRST: &[&str] = &[
    "Aurora", "Borealis", "Cobalt", "Delta", "Elbe", "Fjord", "Granite", "Harbour", "Iris",
    "Juniper", "Kestrel", "Linden", "Meridian", "Nordwind", "Orion", "Polaris", "Quartz", "Rhine",
    "Solstice", "Tamar", "Umbra", "Vistula", "Wren", "Zephyr",
];
pub(super) const SECTOR: &[&str] = &[
    "Retail",
    "Logistics",
    "Health",
    "Insurance",
    "Energy",
    "Foods",
    "Mobility",
    "Software",
    "Banking",
    "Telecom",
    "Pharma",
    "Media",
    "Travel",
    "Education",
];
/// Country, legal form, city with postcode, supervisory authority.
pub(super) const SEATS: &[(&str, &str, &str, &str)] = &[
    (
        "DE",
        "GmbH",
        "10117 Berlin",
        "Berliner Beauftragte für Datenschutz und Informationsfreiheit",
    ),
    (
        "FR",
        "SAS",
        "75002 Paris",
        "Commission nationale de l'informatique et des libertés (CNIL)",
    ),
    (
        "NL",
        "B.V.",
        "1012 AB Amsterdam",
        "Autoriteit Persoonsgegevens",
    ),
    (
        "PL",
        "sp. z o.o.",
        "90-004 Łódź",
        "Prezes Urzędu Ochrony Danych Osobowych (UODO)",
    ),
    ("IE", "Ltd", "Dublin 2", "Data Protection Commission"),
    (
        "ES",
        "S.L.",
        "28013 Madrid",
        "Agencia Española de Protección de Datos",
    ),
    (
        "IT",
        "S.r.l.",
        "20121 Milano",
        "Garante per la protezione dei dati personali",
    ),
    (
        "SE",
        "AB",
        "111 52 Stockholm",
        "Integritetsskyddsmyndigheten (IMY)",
    ),
    (
        "AT",
        "GmbH",
        "1010 Wien",
        "Österreichische Datenschutzbehörde",
    ),
    (
        "BE",
        "SRL",
        "1000 Bruxelles",
        "Autorité de protection des données",
    ),
];
pub(super) const STREETS: &[&str] = &[
    "Market Street",
    "Harbour Road",
    "Station Square",
    "Riverside",
    "Park Avenue",
    "Old Town",
];

/// Business function, reference prefix, owner.
pub(super) const FUNCTIONS: &[(&str, &str, &str)] = &[
    ("Human resources", "HR", "Head of HR"),
    ("Payroll", "PAY", "Payroll manager"),
    ("Sales", "SAL", "Head of Sales"),
    ("Marketing", "MKT", "Marketing manager"),
    ("Customer service", "CS", "Customer service lead"),
    ("E-commerce", "WEB", "Head of E-commerce"),
    ("Finance", "FIN", "Chief financial officer"),
    ("IT operations", "IT", "Head of IT"),
    (
        "Information security",
        "SEC",
        "Chief information security officer",
    ),
    ("Legal and compliance", "LEG", "General counsel"),
    ("Procurement", "PRC", "Head of Procurement"),
    ("Facilities", "FAC", "Facility manager"),
    ("Research and development", "RND", "Head of R&D"),
    ("Logistics", "LOG", "Head of Logistics"),
];
pub(super) const PROCESS: &[&str] = &[
    "Recruitment of",
    "Onboarding of",
    "Payroll for",
    "Training of",
    "Appraisals of",
    "Newsletter for",
    "Loyalty programme for",
    "Order handling for",
    "Complaints from",
    "Access control for",
    "Video surveillance of",
    "Analytics on",
    "Surveys of",
    "Invoicing of",
    "Credit checks on",
    "Identity verification of",
    "Support tickets from",
    "Event registration of",
    "Travel booking for",
    "Whistleblowing reports from",
    "Due diligence on",
    "Contract management for",
    "Fleet tracking of",
    "Health checks of",
];
pub(super) const WHOM: &[&str] = &[
    "employees",
    "applicants",
    "customers",
    "prospects",
    "suppliers",
    "website visitors",
    "app users",
    "contractors",
    "members",
    "patients",
    "students",
    "visitors",
    "partners",
    "subscribers",
    "drivers",
    "volunteers",
];
pub(super) const REGIONS: &[&str] = &[
    "(DACH)",
    "(Benelux)",
    "(Nordics)",
    "(Iberia)",
    "(CEE)",
    "(online)",
    "(stores)",
    "(head office)",
    "(field staff)",
    "(pilot)",
    "",
];
/// Purpose text, lawful bases, interest (for legitimate interests).
pub(super) const PURPOSES: &[(&str, &[&str], &str)] = &[
    (
        "Performing the contract with the data subject",
        &["contract"],
        "",
    ),
    (
        "Meeting statutory record-keeping duties",
        &["legal_obligation"],
        "",
    ),
    (
        "Paying salaries and declaring contributions",
        &["contract", "legal_obligation"],
        "",
    ),
    ("Sending marketing e-mails to subscribers", &["consent"], ""),
    (
        "Preventing fraud and misuse",
        &["legitimate_interests"],
        "Protecting the company and its customers against fraud",
    ),
    (
        "Improving products and services from usage statistics",
        &["legitimate_interests"],
        "Improving the service offered",
    ),
    (
        "Answering enquiries and complaints",
        &["contract", "legitimate_interests"],
        "Handling requests efficiently",
    ),
    (
        "Securing premises, systems and staff",
        &["legitimate_interests"],
        "Security of people, goods and systems",
    ),
    (
        "Defending legal claims",
        &["legitimate_interests"],
        "Establishing and defending legal claims",
    ),
    (
        "Reporting to authorities on request",
        &["legal_obligation"],
        "",
    ),
    (
        "Protecting the life of a person in an emergency",
        &["vital_interests"],
        "",
    ),
    (
        "Personalising offers with the customer's agreement",
        &["consent"],
        "",
    ),
    ("Planning staff and shifts", &["contract"], ""),
    ("Keeping accounting records", &["legal_obligation"], ""),
];
pub(super) const SYSTEMS: &[&str] = &[
    "SAP S/4HANA",
    "Personio",
    "Salesforce",
    "Microsoft 365",
    "Zendesk",
    "HubSpot",
    "Workday",
    "DATEV",
    "ServiceNow",
    "Jira",
    "in-house application",
    "SharePoint",
    "Odoo",
];
pub(super) const LOCATIONS: &[&str] = &[
    "EU data centre (Frankfurt)",
    "EU data centre (Dublin)",
    "On premises",
    "EU (Amsterdam)",
    "Processor's EU region",
];
pub(super) const START_EVENTS: &[&str] = &[
    "end of the contract",
    "end of the calendar year",
    "collection",
    "last contact",
    "end of employment",
    "closure of the case",
];
pub(super) const LAWS: &[&str] = &[
    "Commercial code, books of account",
    "Tax code",
    "Limitation period for claims",
    "Internal retention policy",
    "Employment law",
    "Sector regulator guidance",
];
/// Third countries with their usual mechanism when there is no adequacy decision.
pub(super) const DESTINATIONS: &[&str] = &[
    "US", "GB", "CH", "JP", "CA", "IN", "PH", "SG", "AU", "ZA", "MX", "KR",
];
/// Processors and other parties: name, kind, country.
pub(super) const PARTIES: &[(&str, PartyKind, &str)] = &[
    ("CloudPeak Inc.", PartyKind::Processor, "US"),
    ("Letterbox Mail GmbH", PartyKind::Processor, "DE"),
    ("Insight Analytics LLC", PartyKind::Processor, "US"),
    (
        "SecureWatch Sicherheitsdienst GmbH",
        PartyKind::Processor,
        "DE",
    ),
    ("ChatBridge Inc.", PartyKind::Processor, "US"),
    ("WhistleSafe B.V.", PartyKind::Processor, "NL"),
    ("PayRollOne sp. z o.o.", PartyKind::Processor, "PL"),
    ("Archivio Sicuro S.r.l.", PartyKind::Processor, "IT"),
    ("Nimbus Hosting SAS", PartyKind::Processor, "FR"),
    ("Bangalore Payroll Tech Pvt Ltd", PartyKind::Processor, "IN"),
    ("Manila Contact Services Inc.", PartyKind::Processor, "PH"),
    ("Lion City Data Pte Ltd", PartyKind::Processor, "SG"),
    ("Maple Analytics Corp.", PartyKind::Processor, "CA"),
    ("Thames Support Ltd", PartyKind::Processor, "GB"),
    ("Alpine Cloud AG", PartyKind::Processor, "CH"),
    ("Sakura Translation K.K.", PartyKind::Processor, "JP"),
    ("Outback Survey Pty Ltd", PartyKind::Processor, "AU"),
    ("Cape Print Services (Pty) Ltd", PartyKind::Processor, "ZA"),
    ("Azteca Fulfilment S.A. de C.V.", PartyKind::Processor, "MX"),
    ("Han River Cloud Co., Ltd.", PartyKind::Processor, "KR"),
    ("Baltic Shredding UAB", PartyKind::Processor, "LT"),
    ("Iberia Mailing S.L.", PartyKind::Processor, "ES"),
    ("Nordic Backup AB", PartyKind::SubProcessor, "SE"),
    ("Pacific Storage LLC", PartyKind::SubProcessor, "US"),
    ("Danube Datacenter GmbH", PartyKind::SubProcessor, "AT"),
    (
        "Human resources department",
        PartyKind::InternalDepartment,
        "DE",
    ),
    ("IT department", PartyKind::InternalDepartment, "DE"),
    ("Finance department", PartyKind::InternalDepartment, "DE"),
    ("Legal department", PartyKind::InternalDepartment, "DE"),
    ("Marketing department", PartyKind::InternalDepartment, "DE"),
    (
        "Customer service department",
        PartyKind::InternalDepartment,
        "DE",
    ),
    ("Group internal audit", PartyKind::InternalDepartment, "DE"),
    ("Tax office", PartyKind::PublicAuthority, "DE"),
    (
        "Social insurance institution",
        PartyKind::PublicAuthority,
        "PL",
    ),
    ("Police (on request)", PartyKind::PublicAuthority, "FR"),
    ("Labour inspectorate", PartyKind::PublicAuthority, "NL"),
    (
        "Statutory auditors KPW LLP",
        PartyKind::IndependentController,
        "IE",
    ),
    (
        "Credit agency SCHUFA-like AG",
        PartyKind::IndependentController,
        "DE",
    ),
    (
        "Insurance broker Assura SA",
        PartyKind::IndependentController,
        "BE",
    ),
    ("Banks of the payees", PartyKind::IndependentController, ""),
    (
        "Executive search Alpine AG",
        PartyKind::IndependentController,
        "CH",
    ),
    ("Group parent holding SE", PartyKind::JointController, "DE"),
    (
        "Franchise partners association",
        PartyKind::JointController,
        "AT",
    ),
    (
        "Co-branding partner Vela SpA",
        PartyKind::JointController,
        "IT",
    ),
    (
        "Client: Baltic Foods UAB",
        PartyKind::ClientController,
        "LT",
    ),
    (
        "Client: Alpen Outdoor AG",
        PartyKind::ClientController,
        "AT",
    ),
    (
        "Client: Costa Hotels S.A.",
        PartyKind::ClientController,
        "PT",
    ),
    ("Client: Fjell Energi AS", PartyKind::ClientController, "NO"),
    ("Client: Mosel Wein eG", PartyKind::ClientController, "DE"),
    ("Client: Tatra Bank a.s.", PartyKind::ClientController, "SK"),
];
