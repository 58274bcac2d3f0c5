//! Organisations: the legal entities whose records are kept (Art. 30(1)(a), 30(2)(a)).
//!
//! Uses `domain::{errors, vocab}`.

use serde::Deserialize;
use validator::Validate;

use super::errors::FieldErrors;
use super::text::clean;
use super::vocab::Country;

/// What a user submits to create or change an organisation; every field as typed.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, Validate)]
#[serde(default)]
pub struct OrganisationForm {
    /// Legal name.
    #[validate(length(
        min = 1,
        max = 200,
        message = "Name is required (at most 200 characters)"
    ))]
    pub name: String,
    /// Registered address.
    #[validate(length(
        min = 1,
        max = 500,
        message = "Legal address is required (Art. 30(1)(a) contact details)"
    ))]
    pub legal_address: String,
    /// Contact email.
    #[validate(email(
        message = "Contact email must be an email address like privacy@example.com"
    ))]
    pub email: String,
    /// Contact telephone.
    #[validate(length(max = 50, message = "Telephone is at most 50 characters"))]
    pub phone: String,
    /// Company registration number.
    #[validate(length(max = 100, message = "Registration number is at most 100 characters"))]
    pub registration_number: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Art. 27 representative in the Union, name and contact.
    #[validate(length(max = 1000, message = "Representative is at most 1000 characters"))]
    pub representative: String,
    /// Data protection officer, name and contact.
    #[validate(length(max = 1000, message = "DPO is at most 1000 characters"))]
    pub dpo: String,
    /// Lead supervisory authority.
    #[validate(length(max = 300, message = "Supervisory authority is at most 300 characters"))]
    pub supervisory_authority: String,
    /// Months between reviews of an activity.
    pub review_interval_months: String,
    /// What the references of its new activities start with (`NR` gives `NR-001`); blank
    /// for one made from the name.
    pub reference_prefix: String,
    /// Version the form was loaded at (edits only).
    pub version: String,
}

/// A valid organisation, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationDraft {
    /// Legal name.
    pub name: String,
    /// Registered address.
    pub legal_address: String,
    /// Contact email.
    pub email: String,
    /// Contact telephone.
    pub phone: String,
    /// Registration number.
    pub registration_number: String,
    /// Country of establishment.
    pub country: Country,
    /// Art. 27 representative.
    pub representative: String,
    /// DPO.
    pub dpo: String,
    /// Lead supervisory authority.
    pub supervisory_authority: String,
    /// Months between reviews of an activity (1-60).
    pub review_interval_months: i32,
    /// Prefix of its generated activity references (1-12 capital letters or digits); `None`
    /// to make one from the name ([`default_reference_prefix`]).
    pub reference_prefix: Option<String>,
}

/// Words of a company name that say its legal form, not which company it is: left out of the
/// prefix made from the name.
const LEGAL_FORMS: &[&str] = &[
    "a/s",
    "ab",
    "ag",
    "aps",
    "as",
    "asa",
    "bv",
    "co",
    "corp",
    "corporation",
    "company",
    "e.v.",
    "ev",
    "gmbh",
    "inc",
    "kg",
    "kgaa",
    "limited",
    "llc",
    "llp",
    "ltd",
    "nv",
    "oy",
    "oyj",
    "plc",
    "sa",
    "sarl",
    "sas",
    "se",
    "sl",
    "sp.",
    "spa",
    "sp",
    "srl",
    "z",
    "o.o.",
    "oo",
    "the",
    "of",
    "and",
    "und",
    "de",
    "la",
    "le",
    "der",
    "die",
];

/// The reference prefix made from an organisation's name: the initials of the words that name
/// it (legal forms left out), or the first four letters of a one-word name, in capitals;
/// `ORG` for a name with no Latin letter. "Nordlicht Retail GmbH" gives `NR`, "Acme Ltd"
/// `ACME`.
pub fn default_reference_prefix(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '&' | '-' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'))
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(&w.to_lowercase().as_str()))
        .map(latin_letters)
        .filter(|w| !w.is_empty())
        .collect();
    let prefix: String = match words.as_slice() {
        [] => String::new(),
        [one] => one.chars().take(4).collect(),
        many => many
            .iter()
            .filter_map(|w| w.chars().next())
            .take(4)
            .collect(),
    };
    if prefix.is_empty() {
        "ORG".to_owned()
    } else {
        prefix
    }
}

/// The ASCII letters and digits of a word in capitals, accented Latin letters by their base
/// letter (Ł as L, Ø as O, é as E), anything else left out.
fn latin_letters(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            let base = match c {
                'à'..='å' | 'À'..='Å' | 'ā' | 'ą' | 'Ą' => 'A',
                'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' => 'C',
                'ď' | 'Ď' | 'đ' | 'Đ' => 'D',
                'è'..='ë' | 'È'..='Ë' | 'ę' | 'Ę' | 'ě' | 'Ě' => 'E',
                'ì'..='ï' | 'Ì'..='Ï' => 'I',
                'ł' | 'Ł' => 'L',
                'ñ' | 'Ñ' | 'ń' | 'Ń' | 'ň' | 'Ň' => 'N',
                'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ő' | 'Ő' => 'O',
                'ř' | 'Ř' => 'R',
                'ś' | 'Ś' | 'š' | 'Š' | 'ß' => 'S',
                'ť' | 'Ť' => 'T',
                'ù'..='ü' | 'Ù'..='Ü' | 'ů' | 'Ů' | 'ű' | 'Ű' => 'U',
                'ý' | 'Ý' | 'ÿ' => 'Y',
                'ź' | 'Ź' | 'ż' | 'Ż' | 'ž' | 'Ž' => 'Z',
                c if c.is_ascii_alphanumeric() => c.to_ascii_uppercase(),
                _ => return None,
            };
            Some(base)
        })
        .collect()
}

/// Whether `prefix` may start activity references: 1-12 capital letters or digits.
pub fn valid_reference_prefix(prefix: &str) -> bool {
    (1..=12).contains(&prefix.len())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

impl OrganisationForm {
    /// Every field with its label, for comparing two versions.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Legal name", self.name.clone()),
            ("Legal address", self.legal_address.clone()),
            ("Contact email", self.email.clone()),
            ("Telephone", self.phone.clone()),
            ("Registration number", self.registration_number.clone()),
            ("Country", self.country.clone()),
            ("EU representative", self.representative.clone()),
            ("Data protection officer", self.dpo.clone()),
            (
                "Lead supervisory authority",
                self.supervisory_authority.clone(),
            ),
            (
                "Review interval in months",
                self.review_interval_months.clone(),
            ),
            ("Reference prefix", self.reference_prefix.clone()),
        ]
    }

    /// Parses the form into a valid organisation or the errors of every field.
    pub fn parse(&self) -> Result<OrganisationDraft, FieldErrors> {
        let mut form = self.clone();
        form.name = clean(&form.name);
        form.legal_address = clean(&form.legal_address);
        form.email = clean(&form.email);
        let mut errors = FieldErrors::new();
        super::text::check_form(
            &form,
            &["email", "phone", "registration_number", "country"],
            &mut errors,
        );
        if let Err(e) = form.validate() {
            errors.extend_validator(&e);
        }
        let country = Country::parse(&form.country);
        if country.is_none() {
            errors.add(
                "country",
                "Country must be an ISO 3166-1 alpha-2 code such as DE or FR",
            );
        }
        let interval = match form.review_interval_months.trim() {
            "" => Some(12),
            v => v.parse::<i32>().ok().filter(|m| (1..=60).contains(m)),
        };
        if interval.is_none() {
            errors.add(
                "review_interval_months",
                "Review interval must be a whole number of months from 1 to 60",
            );
        }
        let reference_prefix = match form.reference_prefix.trim() {
            "" => None,
            p => Some(p.to_ascii_uppercase()),
        };
        if reference_prefix
            .as_deref()
            .is_some_and(|p| !valid_reference_prefix(p))
        {
            errors.add(
                "reference_prefix",
                "Reference prefix must be 1 to 12 letters (A-Z) or digits, such as NR or ACME",
            );
        }
        match (country, interval) {
            (Some(country), Some(review_interval_months)) if errors.is_empty() => {
                Ok(OrganisationDraft {
                    name: form.name,
                    legal_address: form.legal_address,
                    email: form.email,
                    phone: clean(&form.phone),
                    registration_number: clean(&form.registration_number),
                    country,
                    representative: clean(&form.representative),
                    dpo: clean(&form.dpo),
                    supervisory_authority: clean(&form.supervisory_authority),
                    review_interval_months,
                    reference_prefix,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> OrganisationForm {
        OrganisationForm {
            name: "Łódź Logistics sp. z o.o.".into(),
            legal_address: "ul. Piotrkowska 1, Łódź".into(),
            email: "dpo@example.pl".into(),
            country: "pl".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_parses_with_a_default_review_interval() {
        let org = valid().parse().expect("valid");
        assert_eq!(org.country.code(), "PL");
        assert_eq!(org.review_interval_months, 12);
        assert_eq!(org.reference_prefix, None, "made from the name when stored");
        let typed = OrganisationForm {
            reference_prefix: " nr2 ".into(),
            ..valid()
        };
        assert_eq!(
            typed.parse().expect("valid").reference_prefix.as_deref(),
            Some("NR2")
        );
    }

    #[test]
    fn a_prefix_is_made_from_the_words_that_name_the_organisation() {
        for (name, prefix) in [
            ("Nordlicht Retail GmbH", "NR"),
            ("Nordlicht Services GmbH", "NS"),
            ("Acme Ltd", "ACME"),
            ("Łódź Logistics sp. z o.o.", "LL"),
            ("Ørsted & Søn A/S", "OS"),
            ("The Bank of Northern Ireland plc", "BNI"),
            ("Société Générale d'Études SA", "SGD"),
            ("株式会社", "ORG"),
            ("Alpha Beta Gamma Delta Epsilon", "ABGD"),
        ] {
            let made = default_reference_prefix(name);
            assert_eq!(made, prefix, "{name}");
            assert!(valid_reference_prefix(&made), "{made}");
        }
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = OrganisationForm {
            email: "not-an-email".into(),
            country: "XX".into(),
            review_interval_months: "0".into(),
            reference_prefix: "PA-".into(),
            ..Default::default()
        };
        let errors = form.parse().expect_err("invalid");
        for field in [
            "name",
            "legal_address",
            "email",
            "country",
            "review_interval_months",
            "reference_prefix",
        ] {
            assert!(errors.get(field).is_some(), "{field} in {errors}");
        }
    }
}
