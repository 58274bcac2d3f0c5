//! A synthetic register of any size, for benchmarks and for trying ropa at scale.
//!
//! Deterministic for a given seed: the same seed, size and number of organisations give the same
//! register (dates included: they are counted from a fixed day, not from today). Every record goes
//! through the same parsing as the browser forms, so the legal rules hold (Art. 9(2) conditions
//! for special-category data, an Art. 10 basis for criminal-offence data, retention only for
//! ticked categories, transfers only outside the EEA, adequacy only where a decision exists).
//! Everything is written in one transaction that leaves a single `demo` entry in the audit trail.
//!
//! Uses `domain::{activity, organisation, party, vocab}`, `store::{activities, audit,
//! organisations, parties}`.

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

mod words;

use super::{DemoError, DemoSummary};
use crate::domain::activity::{ActivityForm, Choices};
use crate::domain::organisation::OrganisationForm;
use crate::domain::party::PartyForm;
use crate::domain::vocab::{Country, PartyKind, Sensitivity};
use crate::store::audit::{self, Actor, Change};
use crate::store::{activities, organisations, parties, DbConnection};
use words::*;

/// Activities generated and written per batch.
const GENERATION_BATCH: usize = 1000;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 42;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Number of processing activities.
    pub activities: usize,
    /// Number of organisations (legal entities) they are spread over.
    pub organisations: usize,
    /// Seed of the random generator.
    pub seed: u64,
}

impl Size {
    /// `activities` activities over a number of organisations that grows with the register
    /// (one per 500 activities, at least 2, at most 40), with the default seed.
    pub fn new(activities: usize) -> Self {
        Size {
            activities,
            organisations: (activities / 500).clamp(2, 40),
            seed: DEFAULT_SEED,
        }
    }
}

/// Generates the register into a database that holds no organisation yet.
pub fn generate(conn: &mut DbConnection, size: Size) -> Result<DemoSummary, DemoError> {
    generate_with(conn, size, &|_| {})
}

/// [`generate`], calling `progress` with the number of activities written so far (the command
/// line's progress bar).
pub fn generate_with(
    conn: &mut DbConnection,
    size: Size,
    progress: &dyn Fn(usize),
) -> Result<DemoSummary, DemoError> {
    let actor = Actor::system("command line (demo)");
    let mut rng = StdRng::seed_from_u64(size.seed);
    let summary = audit::write(conn, &actor, |conn, audit| {
        if let Some(o) = organisations::list(conn)?.first() {
            return Err(DemoError::AlreadyLoaded(o.name.clone()));
        }
        let summary = crate::store::bulk_load(conn, |conn| -> Result<DemoSummary, DemoError> {
            let mut summary = DemoSummary::default();
            for form in organisation_forms(&mut rng, size.organisations.max(1)) {
                let draft = form.parse().map_err(|e| DemoError::Invalid {
                    record: form.name.clone(),
                    errors: e.to_string(),
                })?;
                organisations::insert_unaudited(conn, &draft)?;
                summary.organisations += 1;
            }
            for (name, kind, country) in PARTIES {
                let form = party_form(name, *kind, country);
                let draft = form.parse().map_err(|e| DemoError::Invalid {
                    record: form.name.clone(),
                    errors: e.to_string(),
                })?;
                parties::insert_unaudited(conn, &draft)?;
                summary.parties += 1;
            }
            let choices = activities::choices(conn)?;
            let pools = Pools::new(&choices);
            // Generated and written a thousand at a time: several activities to a statement.
            let mut drafts = Vec::with_capacity(GENERATION_BATCH);
            for n in 0..size.activities {
                let form = activity_form(&mut rng, &choices, &pools, n);
                drafts.push(form.parse(&choices).map_err(|e| DemoError::Invalid {
                    record: form.name.clone(),
                    errors: e.to_string(),
                })?);
                if drafts.len() == GENERATION_BATCH || n + 1 == size.activities {
                    let at = crate::store::now();
                    let batch: Vec<_> = drafts
                        .iter()
                        .map(|draft| activities::NewActivity {
                            draft,
                            created_at: at,
                            updated_at: at,
                            retirement_reason: "",
                        })
                        .collect();
                    activities::insert_many_unaudited(conn, &batch)?;
                    summary.activities += batch.len();
                    progress(summary.activities);
                    drafts.clear();
                }
            }
            Ok(summary)
        })?;
        let label = format!(
            "synthetic register: {} organisations, {} parties, {} activities (seed {})",
            summary.organisations, summary.parties, summary.activities, size.seed
        );
        let after = serde_json::json!({
            "seed": size.seed,
            "organisations": summary.organisations,
            "parties": summary.parties,
            "activities": summary.activities,
        });
        audit.record(Change::values::<(), _>(
            "demo",
            "register",
            None,
            &label,
            None,
            Some(&after),
        ));
        Ok(summary)
    })?;
    crate::store::analyze_after_bulk_load(conn)?;
    Ok(summary)
}

fn organisation_forms(rng: &mut StdRng, n: usize) -> Vec<OrganisationForm> {
    let mut names = std::collections::HashSet::new();
    (0..n)
        .map(|i| {
            let (country, form, city, authority) = SEATS[i % SEATS.len()];
            let mut name = format!(
                "{} {} {form}",
                FIRST.choose(rng).copied().unwrap_or("Aurora"),
                SECTOR.choose(rng).copied().unwrap_or("Retail"),
            );
            if !names.insert(name.clone()) {
                name = format!("{name} ({})", i + 1);
                names.insert(name.clone());
            }
            let slug: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(20)
                .collect::<String>()
                .to_lowercase();
            OrganisationForm {
                legal_address: format!(
                    "{} {}\n{city}",
                    STREETS.choose(rng).copied().unwrap_or("Market Street"),
                    rng.random_range(1..200)
                ),
                email: format!("privacy@{slug}.example"),
                phone: format!(
                    "+00 {} {}",
                    rng.random_range(10..99),
                    rng.random_range(100_000..999_999)
                ),
                registration_number: format!("REG {}", rng.random_range(10_000..999_999)),
                country: country.into(),
                dpo: format!("Data protection officer — dpo@{slug}.example"),
                supervisory_authority: authority.into(),
                review_interval_months: "12".into(),
                name,
                ..Default::default()
            }
        })
        .collect()
}

fn party_form(name: &str, kind: PartyKind, country: &str) -> PartyForm {
    let slug: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect::<String>()
        .to_lowercase();
    let contract = kind.has_processing_contract() || kind == PartyKind::ClientController;
    PartyForm {
        name: name.into(),
        kind: kind.code().into(),
        country: country.into(),
        contact: format!("privacy@{slug}.example"),
        contract_reference: if contract {
            format!("DPA-{}", slug.to_uppercase())
        } else {
            String::new()
        },
        contract_date: if contract {
            "2024-03-01".into()
        } else {
            String::new()
        },
        dpf_checked_on: if country == "US" {
            "2026-10-01".into()
        } else {
            String::new()
        },
        ..Default::default()
    }
}

/// The catalogue entries and parties an activity draws from, grouped once.
struct Pools {
    standard: Vec<i64>,
    special: Vec<i64>,
    criminal: Vec<i64>,
    subjects: Vec<i64>,
    measures: Vec<i64>,
    recipients: Vec<i64>,
    joint: Vec<i64>,
    clients: Vec<i64>,
    /// Processors in third countries, by country code.
    abroad: Vec<(i64, &'static str)>,
}

impl Pools {
    fn new(c: &Choices) -> Self {
        let data = |s: Sensitivity| {
            c.data_categories
                .iter()
                .filter(|d| d.sensitivity == s)
                .map(|d| d.id.0)
                .collect::<Vec<_>>()
        };
        let kinds = |k: &[PartyKind]| {
            c.parties
                .iter()
                .filter(|p| k.contains(&p.kind))
                .map(|p| p.id.0)
                .collect::<Vec<_>>()
        };
        let abroad = c
            .parties
            .iter()
            .filter_map(|p| {
                let code = p.country?.code();
                DESTINATIONS
                    .iter()
                    .find(|d| **d == code)
                    .map(|d| (p.id.0, *d))
            })
            .collect();
        Pools {
            standard: data(Sensitivity::Standard),
            special: data(Sensitivity::SpecialCategory),
            criminal: data(Sensitivity::CriminalOffence),
            subjects: c.subject_categories.iter().map(|s| s.id.0).collect(),
            measures: c.measures.iter().map(|m| m.id.0).collect(),
            recipients: kinds(&[
                PartyKind::Processor,
                PartyKind::SubProcessor,
                PartyKind::InternalDepartment,
                PartyKind::PublicAuthority,
                PartyKind::IndependentController,
            ]),
            joint: kinds(&[PartyKind::JointController]),
            clients: kinds(&[PartyKind::ClientController]),
            abroad,
        }
    }
}

/// Between `range.start()` and `range.end()` distinct elements of `from`.
fn pick<T: Copy>(rng: &mut StdRng, from: &[T], range: std::ops::RangeInclusive<usize>) -> Vec<T> {
    let n = rng.random_range(range);
    from.choose_multiple(rng, n.min(from.len()))
        .copied()
        .collect()
}

fn one<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from.choose(rng).copied().unwrap_or_default()
}

fn activity_form(rng: &mut StdRng, c: &Choices, p: &Pools, n: usize) -> ActivityForm {
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(96);
    let mut put = |k: &str, v: String| pairs.push((k.to_owned(), v));
    let org = &c.organisations[n % c.organisations.len().max(1)];
    let (function, prefix, owner) = FUNCTIONS.choose(rng).copied().unwrap_or(FUNCTIONS[0]);
    let processor = !p.clients.is_empty() && rng.random_bool(0.12);
    let status = match rng.random_range(0..100) {
        0..80 => "active",
        80..95 => "draft",
        _ => "retired",
    };
    let name = format!(
        "{} {} {}",
        one(rng, PROCESS),
        one(rng, WHOM),
        one(rng, REGIONS)
    );
    put("organisation_id", org.id.to_string());
    put(
        "role",
        if processor { "processor" } else { "controller" }.into(),
    );
    // The running number keeps references unique in each organisation.
    put("reference", format!("{prefix}-{:05}", n + 1));
    put("name", name.trim().to_owned());
    put("status", status.into());
    put("business_function", function.into());
    put("owner", owner.into());
    put(
        "description",
        format!(
            "{} carried out by {} with {}; records kept in {}.",
            name.trim(),
            function.to_lowercase(),
            one(rng, SYSTEMS),
            one(rng, LOCATIONS)
        ),
    );
    put(
        "data_source",
        "Collected from the data subjects themselves".into(),
    );
    put("systems", one(rng, SYSTEMS).into());
    put("data_location", one(rng, LOCATIONS).into());
    put(
        "security_description",
        "Role-based access, single sign-on with MFA, encryption at rest and in transit, logged administrator actions.".into(),
    );
    put(
        "privacy_notice_ref",
        format!("Privacy notice {prefix} v{}", rng.random_range(1..5)),
    );
    let reviewed = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
        + chrono::Days::new(rng.random_range(0..540));
    put("last_reviewed", reviewed.to_string());
    put(
        "next_review",
        (reviewed + chrono::Days::new(365)).to_string(),
    );
    let dpia = rng.random_bool(0.2);
    put("dpia_required", if dpia { "yes" } else { "no" }.into());
    put(
        "dpia_status",
        if dpia { "completed" } else { "not_applicable" }.into(),
    );
    if dpia {
        put("dpia_reference", format!("DPIA-{prefix}-{:05}", n + 1));
    }
    if rng.random_bool(0.05) {
        put("automated_processing", "profiling".into());
        put(
            "automated_decision_description",
            "Automated scoring with human review on request (Art. 22(3))".into(),
        );
    }

    let mut categories = pick(rng, &p.standard, 3..=7);
    if !p.special.is_empty() && rng.random_bool(0.15) {
        categories.extend(pick(rng, &p.special, 1..=1));
        put(
            "special_conditions",
            (*[
                "explicit_consent",
                "employment_social_security_law",
                "legal_claims_or_courts",
            ]
            .choose(rng)
            .unwrap_or(&"explicit_consent"))
            .into(),
        );
        put(
            "special_legal_reference",
            "National data protection act, section 22".into(),
        );
    }
    if !p.criminal.is_empty() && rng.random_bool(0.03) {
        categories.extend(pick(rng, &p.criminal, 1..=1));
        put("criminal_basis", "authorised_by_law_with_safeguards".into());
        put(
            "criminal_legal_reference",
            "Anti-money-laundering act, section 10".into(),
        );
    }
    for id in &categories {
        put("data_categories", id.to_string());
    }
    for id in pick(rng, &p.subjects, 1..=4) {
        put("subjects", id.to_string());
    }
    for id in pick(rng, &p.measures, 4..=10) {
        put("measures", id.to_string());
    }
    let mut purposes: Vec<usize> = (0..PURPOSES.len()).collect();
    purposes.shuffle(rng);
    for (i, k) in purposes.iter().take(rng.random_range(2..=4)).enumerate() {
        let (text, bases, interest) = PURPOSES[*k];
        put(&format!("purposes[{i}].description"), text.into());
        for b in bases {
            put(&format!("purposes[{i}].bases"), (*b).into());
        }
        if !interest.is_empty() {
            put(
                &format!("purposes[{i}].legitimate_interest"),
                interest.into(),
            );
            put(
                &format!("purposes[{i}].balancing_test_ref"),
                format!("LIA-{prefix}-{:05}", n + 1),
            );
        }
    }
    if processor {
        for (i, id) in pick(rng, &p.clients, 1..=2).into_iter().enumerate() {
            put(&format!("controllers[{i}].party_id"), id.to_string());
            put(
                &format!("controllers[{i}].processing_categories"),
                format!("{function} services: hosting, support and reporting"),
            );
        }
    } else if !p.joint.is_empty() && rng.random_bool(0.05) {
        put(
            "joint_controllers[0].party_id",
            pick(rng, &p.joint, 1..=1)
                .first()
                .copied()
                .unwrap_or_default()
                .to_string(),
        );
        put(
            "joint_controllers[0].responsibilities",
            "Arrangement under Art. 26: we answer data subjects' requests".into(),
        );
    }
    for (i, id) in pick(rng, &p.recipients, 2..=5).into_iter().enumerate() {
        put(&format!("recipients[{i}].party_id"), id.to_string());
        put(
            &format!("recipients[{i}].data_received"),
            "Records needed for the task".into(),
        );
        put(
            &format!("recipients[{i}].reason"),
            format!("Support of {}", function.to_lowercase()),
        );
    }
    let transfers = rng.random_range(0..=3);
    if transfers == 0 {
        put("no_transfers", "on".into());
    }
    for i in 0..transfers {
        let country = one(rng, DESTINATIONS);
        let adequate = Country::parse(country).is_some_and(|c| c.adequacy().is_some());
        let mechanism = if adequate && rng.random_bool(0.7) {
            "adequacy_decision"
        } else if processor {
            "scc_2021_914_module_3_p2p"
        } else if rng.random_bool(0.2) {
            "binding_corporate_rules"
        } else {
            "scc_2021_914_module_2_c2p"
        };
        put(&format!("transfers[{i}].country"), country.into());
        if let Some((id, _)) = p.abroad.iter().find(|(_, c)| *c == country) {
            put(&format!("transfers[{i}].party_id"), id.to_string());
        }
        put(&format!("transfers[{i}].mechanism"), mechanism.into());
        // Partial decisions: the recipient is inside the scope (Canada, Israel, Japan, Korea);
        // US recipients carry their DPF certification on the party.
        put(&format!("transfers[{i}].scope_confirmed"), "on".into());
        put(
            &format!("transfers[{i}].safeguards"),
            "Transfer impact assessment on file; encryption in transit and at rest.".into(),
        );
    }
    for (i, id) in categories.iter().enumerate() {
        put(&format!("retention[{i}].data_category_ids"), id.to_string());
        if rng.random_bool(0.1) {
            put(
                &format!("retention[{i}].criterion"),
                "Until consent is withdrawn, then proof of consent for 3 years".into(),
            );
        } else {
            let (value, unit) = if rng.random_bool(0.3) {
                (rng.random_range(1..=36), "months")
            } else {
                (rng.random_range(1..=10), "years")
            };
            put(&format!("retention[{i}].period_value"), value.to_string());
            put(&format!("retention[{i}].period_unit"), unit.into());
            put(
                &format!("retention[{i}].start_event"),
                one(rng, START_EVENTS).into(),
            );
            put(
                &format!("retention[{i}].legal_reference"),
                one(rng, LAWS).into(),
            );
        }
    }
    ActivityForm::from_pairs(&pairs)
}
