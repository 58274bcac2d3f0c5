//! The catalogues shared by all activities, and their seed data from `vocabularies.json`.
//!
//! Uses `domain::{reference, vocab}`.

use std::sync::LazyLock;

use serde::Deserialize;

use super::reference::VOCABULARIES;
use super::vocab::{MeasureFamily, MeasureKind, Sensitivity};

/// Which catalogue an entry belongs to; also the URL segment `/catalogues/{kind}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueKind {
    /// Categories of personal data, Art. 30(1)(c).
    DataCategories,
    /// Categories of data subjects, Art. 30(1)(c).
    SubjectCategories,
    /// Technical and organisational security measures, Art. 30(1)(g) and 32(1).
    SecurityMeasures,
}

impl CatalogueKind {
    /// Every catalogue, in the order of the navigation.
    pub const ALL: [CatalogueKind; 3] = [
        CatalogueKind::DataCategories,
        CatalogueKind::SubjectCategories,
        CatalogueKind::SecurityMeasures,
    ];

    /// The URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            Self::DataCategories => "data-categories",
            Self::SubjectCategories => "subject-categories",
            Self::SecurityMeasures => "security-measures",
        }
    }

    /// Parses the URL segment.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// Plural heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::DataCategories => "Personal-data categories",
            Self::SubjectCategories => "Data-subject categories",
            Self::SecurityMeasures => "Security measures",
        }
    }

    /// Singular noun for buttons and messages.
    pub fn singular(self) -> &'static str {
        match self {
            Self::DataCategories => "personal-data category",
            Self::SubjectCategories => "data-subject category",
            Self::SecurityMeasures => "security measure",
        }
    }

    /// The article the catalogue serves.
    pub fn article(self) -> &'static str {
        match self {
            Self::DataCategories | Self::SubjectCategories => "Art. 30(1)(c)",
            Self::SecurityMeasures => "Art. 30(1)(g); Art. 32(1)",
        }
    }
}

/// A personal-data category to seed.
#[derive(Debug, Clone)]
pub struct SeedDataCategory {
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Standard, Art. 9 or Art. 10.
    pub sensitivity: Sensitivity,
    /// Article reference, may be empty.
    pub article: String,
    /// Examples or a note.
    pub description: String,
}

/// A data-subject category to seed.
#[derive(Debug, Clone)]
pub struct SeedSubjectCategory {
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Vulnerable data subjects (WP248 criterion 7).
    pub vulnerable: bool,
    /// Note, may be empty.
    pub description: String,
}

/// A security measure to seed.
#[derive(Debug, Clone)]
pub struct SeedMeasure {
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Technical or organisational.
    pub kind: MeasureKind,
    /// Family for grouping.
    pub family: MeasureFamily,
    /// Article reference, may be empty.
    pub article: String,
}

/// Everything seeded from the vocabularies.
#[derive(Debug, Default)]
pub struct Seed {
    /// Personal-data categories, including the Art. 9(1) and Art. 10 ones.
    pub data_categories: Vec<SeedDataCategory>,
    /// Data-subject categories.
    pub subject_categories: Vec<SeedSubjectCategory>,
    /// Security measures.
    pub measures: Vec<SeedMeasure>,
}

#[derive(Deserialize)]
struct RawEntry {
    code: String,
    label: String,
    #[serde(default)]
    article: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    sensitivity: Option<String>,
    #[serde(default)]
    wp248_vulnerable: bool,
}

#[derive(Deserialize)]
struct RawCriminal {
    categories: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawVocabularies {
    personal_data_categories: Vec<RawEntry>,
    special_categories: Vec<RawEntry>,
    criminal_offence_data: RawCriminal,
    data_subject_categories: Vec<RawEntry>,
    security_measure_categories: Vec<RawEntry>,
}

static SEED: LazyLock<Result<Seed, String>> = LazyLock::new(|| parse(VOCABULARIES));

/// The seed data; empty if the embedded file were broken (which `check` reports at start).
pub fn seed() -> &'static Seed {
    static EMPTY: LazyLock<Seed> = LazyLock::new(Seed::default);
    match &*SEED {
        Ok(seed) => seed,
        Err(_) => &EMPTY,
    }
}

/// Fails with the parse error if the embedded vocabularies cannot be read.
pub fn check() -> Result<(), String> {
    SEED.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn measure_class(code: &str) -> (MeasureKind, MeasureFamily) {
    use MeasureFamily as F;
    use MeasureKind::{Organisational as O, Technical as T};
    match code {
        "pseudonymisation" | "encryption" => (T, F::Encryption),
        "user_access_control" | "user_authentication" => (T, F::AccessControl),
        "traceability_logging" => (T, F::Logging),
        "backup" | "restore_availability" => (T, F::Backup),
        "business_continuity" => (O, F::Backup),
        "confidentiality_integrity_availability_resilience"
        | "software_protection"
        | "workstation_security"
        | "mobile_device_security"
        | "network_security"
        | "server_security"
        | "website_security" => (T, F::SystemsSecurity),
        "physical_security" => (O, F::Physical),
        "maintenance_and_secure_destruction" | "secure_archiving" => (O, F::Physical),
        "processor_oversight" => (O, F::Processors),
        "security_testing_evaluation"
        | "staff_awareness_training"
        | "incident_management"
        | "security_governance_policies" => (O, F::Governance),
        _ => (O, F::Other),
    }
}

fn parse(json: &str) -> Result<Seed, String> {
    let raw: RawVocabularies = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let describe = |e: &RawEntry| {
        if e.examples.is_empty() {
            e.note.clone().unwrap_or_default()
        } else {
            format!("e.g. {}", e.examples.join(", "))
        }
    };
    let mut data_categories: Vec<SeedDataCategory> = raw
        .personal_data_categories
        .iter()
        // The generic "special category" and "criminal" entries are replaced by the specific ones below.
        .filter(|e| {
            !matches!(
                e.sensitivity.as_deref(),
                Some("special_category" | "criminal_offence")
            )
        })
        .map(|e| {
            let national = e.sensitivity.as_deref() == Some("national_identifier");
            SeedDataCategory {
                code: e.code.clone(),
                label: e.label.clone(),
                sensitivity: if national {
                    Sensitivity::NationalIdentifier
                } else {
                    Sensitivity::Standard
                },
                article: if national {
                    Sensitivity::NationalIdentifier.article().to_owned()
                } else {
                    e.article.clone().unwrap_or_default()
                },
                description: describe(e),
            }
        })
        .collect();
    data_categories.extend(raw.special_categories.iter().map(|e| SeedDataCategory {
        code: e.code.clone(),
        label: e.label.clone(),
        sensitivity: Sensitivity::SpecialCategory,
        article: e.article.clone().unwrap_or_default(),
        description: String::new(),
    }));
    data_categories.extend(
        raw.criminal_offence_data
            .categories
            .iter()
            .map(|e| SeedDataCategory {
                code: e.code.clone(),
                label: e.label.clone(),
                sensitivity: Sensitivity::CriminalOffence,
                article: e.article.clone().unwrap_or_default(),
                description: String::new(),
            }),
    );
    let subject_categories = raw
        .data_subject_categories
        .iter()
        .map(|e| SeedSubjectCategory {
            code: e.code.clone(),
            label: e.label.clone(),
            vulnerable: e.wp248_vulnerable,
            description: e.note.clone().unwrap_or_default(),
        })
        .collect();
    let measures = raw
        .security_measure_categories
        .iter()
        .map(|e| {
            let (kind, family) = measure_class(&e.code);
            SeedMeasure {
                code: e.code.clone(),
                label: e.label.clone(),
                kind,
                family,
                article: e.article.clone().unwrap_or_default(),
            }
        })
        .collect();
    Ok(Seed {
        data_categories,
        subject_categories,
        measures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_vocabularies_give_every_catalogue() {
        assert!(check().is_ok());
        let seed = seed();
        assert!(seed.data_categories.len() > 25);
        assert!(seed
            .data_categories
            .iter()
            .any(|c| c.code == "health_data" && c.sensitivity == Sensitivity::SpecialCategory));
        assert!(seed
            .data_categories
            .iter()
            .any(|c| c.sensitivity == Sensitivity::CriminalOffence));
        assert!(!seed
            .data_categories
            .iter()
            .any(|c| c.code == "special_category_data"));
        assert_eq!(seed.subject_categories.len(), 24);
        assert!(seed
            .measures
            .iter()
            .any(|m| m.code == "encryption" && m.family == MeasureFamily::Encryption));
        assert!(crate::domain::reference::adequacy_for("JP").is_some());
    }
}

/// What a user submits to create or change a catalogue entry.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, validator::Validate)]
#[serde(default)]
pub struct CatalogueForm {
    /// Stable code; generated from the label when blank; fixed once created.
    #[validate(length(max = 64, message = "Code is at most 64 characters"))]
    pub code: String,
    /// Label.
    #[validate(length(
        min = 1,
        max = 200,
        message = "Label is required (at most 200 characters)"
    ))]
    pub label: String,
    /// Description or examples.
    #[validate(length(max = 2000, message = "Description is at most 2000 characters"))]
    pub description: String,
    /// Article reference.
    #[validate(length(max = 100, message = "Article is at most 100 characters"))]
    pub article: String,
    /// Sensitivity code (personal-data categories).
    pub sensitivity: String,
    /// "on" for vulnerable data subjects (data-subject categories).
    pub vulnerable: String,
    /// Kind code (security measures).
    pub kind: String,
    /// Family code (security measures).
    pub family: String,
    /// Version the form was loaded at (edits only).
    pub version: String,
}

/// A valid catalogue entry, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueDraft {
    /// Stable code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Description.
    pub description: String,
    /// Article reference.
    pub article: String,
    /// Sensitivity (personal-data categories).
    pub sensitivity: Sensitivity,
    /// Vulnerable (data-subject categories).
    pub vulnerable: bool,
    /// Kind (security measures).
    pub kind: MeasureKind,
    /// Family (security measures).
    pub family: MeasureFamily,
}

/// Turns a label into a snake_case code: `Loyalty-card data` -> `loyalty_card_data`.
pub fn code_from_label(label: &str) -> String {
    let mut code = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c.to_ascii_lowercase());
        } else if !code.ends_with('_') && !code.is_empty() {
            code.push('_');
        }
    }
    let code = code.trim_end_matches('_');
    code.chars()
        .take(64)
        .collect::<String>()
        .trim_end_matches('_')
        .to_owned()
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl CatalogueForm {
    /// Parses the form for the given catalogue into a valid entry or the errors of every field.
    pub fn parse(&self, kind: CatalogueKind) -> Result<CatalogueDraft, super::errors::FieldErrors> {
        use validator::Validate;
        let mut errors = super::errors::FieldErrors::new();
        let mut form = self.clone();
        form.label = super::text::trim(&form.label).to_owned();
        form.code = super::text::trim(&form.code).to_owned();
        super::text::check_form(
            &form,
            &["code", "sensitivity", "kind", "family"],
            &mut errors,
        );
        if let Err(e) = form.validate() {
            errors.extend_validator(&e);
        }
        let code = if form.code.is_empty() {
            code_from_label(&form.label)
        } else {
            form.code.clone()
        };
        if !form.label.is_empty() && !valid_code(&code) {
            errors.add("code", "Code must be snake_case: lower-case letters, digits and '_', starting with a letter");
        }
        let sensitivity = match kind {
            CatalogueKind::DataCategories => {
                let s = Sensitivity::from_code(form.sensitivity.trim());
                if s.is_none() {
                    errors.add("sensitivity", "Choose standard, special category (Art. 9) or criminal-offence data (Art. 10)");
                }
                s
            }
            _ => Some(Sensitivity::Standard),
        };
        let (measure_kind, family) = match kind {
            CatalogueKind::SecurityMeasures => {
                let k = MeasureKind::from_code(form.kind.trim());
                if k.is_none() {
                    errors.add("kind", "Choose technical or organisational");
                }
                let f = MeasureFamily::from_code(form.family.trim());
                if f.is_none() {
                    errors.add("family", "Choose the family of the measure");
                }
                (k, f)
            }
            _ => (
                Some(MeasureKind::Organisational),
                Some(MeasureFamily::Other),
            ),
        };
        match (sensitivity, measure_kind, family) {
            (Some(sensitivity), Some(mk), Some(family)) if errors.is_empty() => {
                Ok(CatalogueDraft {
                    code,
                    label: form.label,
                    description: form.description.trim().to_owned(),
                    article: form.article.trim().to_owned(),
                    sensitivity,
                    vulnerable: matches!(form.vulnerable.trim(), "on" | "true" | "1"),
                    kind: mk,
                    family,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn codes_come_from_labels() {
        assert_eq!(
            code_from_label("Loyalty-card data (EU)"),
            "loyalty_card_data_eu"
        );
        assert_eq!(code_from_label("  Ünïcode  "), "n_code");
    }

    #[test]
    fn a_measure_needs_kind_and_family() {
        let errors = CatalogueForm {
            label: "Badge readers".into(),
            ..Default::default()
        }
        .parse(CatalogueKind::SecurityMeasures)
        .expect_err("invalid");
        assert!(errors.get("kind").is_some());
        assert!(errors.get("family").is_some());
    }
}
