//! Parties: recipients and counterparts such as processors, joint controllers and authorities.
//!
//! Uses `domain::{errors, vocab}`.

use serde::Deserialize;
use validator::Validate;

use super::errors::FieldErrors;
use super::text::{clean, parse_date};
use super::vocab::{Country, PartyKind};

/// What a user submits to create or change a party.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, Validate)]
#[serde(default)]
pub struct PartyForm {
    /// Name of the party.
    #[validate(length(
        min = 1,
        max = 200,
        message = "Name is required (at most 200 characters)"
    ))]
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// ISO country code, may be blank for an international organisation.
    pub country: String,
    /// Contact details.
    #[validate(length(max = 1000, message = "Contact is at most 1000 characters"))]
    pub contact: String,
    /// Postal address.
    #[validate(length(max = 500, message = "Address is at most 500 characters"))]
    pub address: String,
    /// Art. 28 contract reference (processors).
    #[validate(length(max = 300, message = "Contract reference is at most 300 characters"))]
    pub contract_reference: String,
    /// Art. 28 contract date (processors).
    pub contract_date: String,
    /// Date the party's EU-US Data Privacy Framework certification was checked (US recipients).
    pub dpf_checked_on: String,
    /// Free notes.
    #[validate(length(max = 4000, message = "Notes are at most 4000 characters"))]
    pub notes: String,
    /// Version the form was loaded at (edits only).
    pub version: String,
}

/// A valid party, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyDraft {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartyKind,
    /// Country, if it has one.
    pub country: Option<Country>,
    /// Contact details.
    pub contact: String,
    /// Address.
    pub address: String,
    /// Art. 28 contract reference.
    pub contract_reference: String,
    /// Art. 28 contract date.
    pub contract_date: Option<chrono::NaiveDate>,
    /// Date its active Data Privacy Framework certification was checked on the DPF List; the
    /// evidence a transfer under the US adequacy decision needs (Art. 45; Decision (EU) 2023/1795).
    pub dpf_checked_on: Option<chrono::NaiveDate>,
    /// Notes.
    pub notes: String,
}

impl PartyForm {
    /// Every field with its label, for comparing two versions.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("Name", self.name.clone()),
            ("Kind", self.kind.clone()),
            ("Country", self.country.clone()),
            ("Contact details", self.contact.clone()),
            ("Address", self.address.clone()),
            ("Contract reference", self.contract_reference.clone()),
            ("Contract date", self.contract_date.clone()),
            ("DPF certification checked on", self.dpf_checked_on.clone()),
            ("Notes", self.notes.clone()),
        ]
    }

    /// Parses the form into a valid party or the errors of every field.
    pub fn parse(&self) -> Result<PartyDraft, FieldErrors> {
        let mut form = self.clone();
        form.name = clean(&form.name);
        let mut errors = FieldErrors::new();
        super::text::check_form(
            &form,
            &["kind", "country", "contract_date", "dpf_checked_on"],
            &mut errors,
        );
        if let Err(e) = form.validate() {
            errors.extend_validator(&e);
        }
        let kind = PartyKind::from_code(form.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Kind must be one of the listed kinds of party");
        }
        let country = match form.country.trim() {
            "" => None,
            code => {
                let c = Country::parse(code);
                if c.is_none() {
                    errors.add(
                        "country",
                        "Country must be an ISO 3166-1 alpha-2 code such as US or IN",
                    );
                }
                c
            }
        };
        let contract_date = parse_date(
            &mut errors,
            "contract_date",
            "Contract date",
            &form.contract_date,
        );
        let dpf_checked_on = parse_date(
            &mut errors,
            "dpf_checked_on",
            "DPF certification checked on",
            &form.dpf_checked_on,
        );
        if dpf_checked_on.is_some() && country.is_some_and(|c| c.code() != "US") {
            errors.add(
                "dpf_checked_on",
                "The EU-US Data Privacy Framework certifies organisations in the United States only: clear the date or set the country to US",
            );
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(PartyDraft {
                name: form.name,
                kind,
                country,
                contact: clean(&form.contact),
                address: clean(&form.address),
                contract_reference: clean(&form.contract_reference),
                contract_date,
                dpf_checked_on,
                notes: clean(&form.notes),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_processor_with_its_contract_parses() {
        let party = PartyForm {
            name: "CloudCo Inc.".into(),
            kind: "processor".into(),
            country: "US".into(),
            contract_reference: "DPA-2024-07".into(),
            contract_date: "2024-07-01".into(),
            ..Default::default()
        }
        .parse()
        .expect("valid");
        assert_eq!(party.kind, PartyKind::Processor);
        assert_eq!(party.country.map(|c| c.code()), Some("US"));
    }

    #[test]
    fn unknown_kind_country_and_date_are_named() {
        let errors = PartyForm {
            name: "X".into(),
            kind: "friend".into(),
            country: "ZZ".into(),
            contract_date: "yesterday".into(),
            ..Default::default()
        }
        .parse()
        .expect_err("invalid");
        for field in ["kind", "country", "contract_date"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
