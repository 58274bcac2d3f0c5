//! Which mandatory Art. 30 elements an activity still lacks.
//!
//! Uses `domain::vocab`.

use super::vocab::Role;

/// Counts about one activity, enough to decide what is missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Controller or processor.
    pub role: Option<Role>,
    /// Number of purposes.
    pub purposes: usize,
    /// Number of data-subject categories.
    pub subjects: usize,
    /// Number of personal-data categories.
    pub data_categories: usize,
    /// Number of those categories that have a retention rule.
    pub categories_with_retention: usize,
    /// Number of recipients.
    pub recipients: usize,
    /// Number of catalogue security measures.
    pub measures: usize,
    /// Whether the free-text security description is filled.
    pub security_description: bool,
    /// Whether Art. 9 data are processed.
    pub special_data: bool,
    /// Number of Art. 9(2) conditions.
    pub special_conditions: usize,
    /// Whether Art. 10 data are processed.
    pub criminal_data: bool,
    /// Whether an Art. 10 basis is recorded.
    pub criminal_basis: bool,
    /// Number of controllers acted for (processor activities).
    pub controllers: usize,
}

/// A mandatory element of the record that is not yet filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Art. 30(1)(b).
    Purposes,
    /// Art. 30(1)(c), data subjects.
    Subjects,
    /// Art. 30(1)(c), personal data.
    DataCategories,
    /// Art. 30(1)(d).
    Recipients,
    /// Art. 30(1)(f).
    Retention,
    /// Art. 30(1)(g) / 30(2)(d).
    Security,
    /// Art. 9(2) condition for special-category data.
    SpecialCondition,
    /// Art. 10 basis for criminal-offence data.
    CriminalBasis,
    /// Art. 30(2)(a), (b).
    Controllers,
}

impl Gap {
    /// Every gap, in the order of Art. 30.
    pub const ALL: [Gap; 9] = [
        Gap::Purposes,
        Gap::Subjects,
        Gap::DataCategories,
        Gap::Recipients,
        Gap::Retention,
        Gap::Controllers,
        Gap::Security,
        Gap::SpecialCondition,
        Gap::CriminalBasis,
    ];

    /// Stable code, as stored with each activity.
    pub fn code(self) -> &'static str {
        match self {
            Gap::Purposes => "purposes",
            Gap::Subjects => "subjects",
            Gap::DataCategories => "data_categories",
            Gap::Recipients => "recipients",
            Gap::Retention => "retention",
            Gap::Security => "security",
            Gap::SpecialCondition => "special_condition",
            Gap::CriminalBasis => "criminal_basis",
            Gap::Controllers => "controllers",
        }
    }

    /// The gap of a stored code.
    pub fn from_code(code: &str) -> Option<Gap> {
        Gap::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Gaps as stored: their codes joined by commas, empty when complete.
    pub fn encode(gaps: &[Gap]) -> String {
        gaps.iter().map(|g| g.code()).collect::<Vec<_>>().join(",")
    }

    /// Stored gaps read back; `None` if a code is unknown.
    pub fn decode(stored: &str) -> Option<Vec<Gap>> {
        stored
            .split(',')
            .filter(|c| !c.is_empty())
            .map(Gap::from_code)
            .collect()
    }

    /// Short label for a badge.
    pub fn label(self) -> &'static str {
        match self {
            Gap::Purposes => "purposes",
            Gap::Subjects => "data subjects",
            Gap::DataCategories => "personal data",
            Gap::Recipients => "recipients",
            Gap::Retention => "retention",
            Gap::Security => "security measures",
            Gap::SpecialCondition => "Art. 9 condition",
            Gap::CriminalBasis => "Art. 10 basis",
            Gap::Controllers => "controllers acted for",
        }
    }

    /// The article that requires it.
    pub fn article(self) -> &'static str {
        match self {
            Gap::Purposes => "Art. 30(1)(b)",
            Gap::Subjects | Gap::DataCategories => "Art. 30(1)(c)",
            Gap::Recipients => "Art. 30(1)(d)",
            Gap::Retention => "Art. 30(1)(f)",
            Gap::Security => "Art. 30(1)(g) / 30(2)(d)",
            Gap::SpecialCondition => "Art. 9(2)",
            Gap::CriminalBasis => "Art. 10",
            Gap::Controllers => "Art. 30(2)(a)-(b)",
        }
    }
}

/// The mandatory elements still missing, in the order of Art. 30.
pub fn gaps(f: &Facts) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let security = f.measures > 0 || f.security_description;
    match f.role {
        Some(Role::Processor) => {
            if f.controllers == 0 {
                gaps.push(Gap::Controllers);
            }
        }
        _ => {
            if f.purposes == 0 {
                gaps.push(Gap::Purposes);
            }
            if f.subjects == 0 {
                gaps.push(Gap::Subjects);
            }
            if f.data_categories == 0 {
                gaps.push(Gap::DataCategories);
            }
            if f.recipients == 0 {
                gaps.push(Gap::Recipients);
            }
            if f.data_categories == 0 || f.categories_with_retention < f.data_categories {
                gaps.push(Gap::Retention);
            }
        }
    }
    if !security {
        gaps.push(Gap::Security);
    }
    if f.special_data && f.special_conditions == 0 {
        gaps.push(Gap::SpecialCondition);
    }
    if f.criminal_data && !f.criminal_basis {
        gaps.push(Gap::CriminalBasis);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_gaps_read_back_as_written() {
        for n in 0..=Gap::ALL.len() {
            let gaps = &Gap::ALL[..n];
            assert_eq!(Gap::decode(&Gap::encode(gaps)).as_deref(), Some(gaps));
        }
        assert_eq!(Gap::decode("purposes,unknown"), None);
    }

    #[test]
    fn an_empty_controller_activity_lacks_every_element() {
        let g = gaps(&Facts {
            role: Some(Role::Controller),
            ..Default::default()
        });
        assert_eq!(
            g,
            vec![
                Gap::Purposes,
                Gap::Subjects,
                Gap::DataCategories,
                Gap::Recipients,
                Gap::Retention,
                Gap::Security
            ]
        );
    }

    #[test]
    fn retention_is_needed_for_every_category() {
        let base = Facts {
            role: Some(Role::Controller),
            purposes: 1,
            subjects: 1,
            data_categories: 2,
            categories_with_retention: 1,
            recipients: 1,
            measures: 1,
            ..Default::default()
        };
        assert_eq!(gaps(&base), vec![Gap::Retention]);
        assert!(gaps(&Facts {
            categories_with_retention: 2,
            ..base
        })
        .is_empty());
    }

    #[test]
    fn a_processor_activity_needs_its_controllers_and_security() {
        let g = gaps(&Facts {
            role: Some(Role::Processor),
            ..Default::default()
        });
        assert_eq!(g, vec![Gap::Controllers, Gap::Security]);
    }
}
