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
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = OrganisationForm {
            email: "not-an-email".into(),
            country: "XX".into(),
            review_interval_months: "0".into(),
            ..Default::default()
        };
        let errors = form.parse().expect_err("invalid");
        for field in [
            "name",
            "legal_address",
            "email",
            "country",
            "review_interval_months",
        ] {
            assert!(errors.get(field).is_some(), "{field} in {errors}");
        }
    }
}
