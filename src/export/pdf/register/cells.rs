//! Small helpers that turn register values into cells: dashes for blanks, countries by name,
//! parties with their contact and country, organisations.
//!
//! Uses `domain::vocab`, `export::pdf::engine`, `store::{activities, organisations}`.

use super::super::engine::*;
use crate::domain::vocab::Country;
use crate::store::activities::PartyLink;
use crate::store::organisations::Organisation;

pub(super) fn non_empty(s: &str) -> &str {
    if s.trim().is_empty() {
        DASH
    } else {
        s
    }
}

pub(super) fn prefixed(prefix: &str, s: &str) -> String {
    if s.trim().is_empty() {
        String::new()
    } else {
        format!("{prefix}{s}")
    }
}

pub(super) fn country_name(code: &str) -> String {
    match Country::parse(code) {
        Some(c) => c.to_string(),
        None => code.trim().to_owned(),
    }
}

/// Whether the address names the country of `code` (see `Country::named_by`).
pub(super) fn address_names_country(address: &str, code: &str) -> bool {
    Country::parse(code).is_some_and(|c| c.named_by(address))
}

pub(super) fn party_cell(p: &PartyLink) -> Cell {
    Cell::new().add(BODY_BOLD, &p.name).or(DASH)
}

pub(super) fn party_country(p: &PartyLink) -> Cell {
    match p.country {
        Some(c) => {
            let cell = Cell::new().add(BODY, c.to_string());
            if c.in_eea() {
                cell
            } else {
                cell.add(SMALL, "third country")
            }
        }
        None => val(""),
    }
}

/// The controller or processor of an activity: name, address, email and phone, country.
pub(super) fn organisation_cell(org: Option<&Organisation>, fallback: &str) -> Cell {
    match org {
        Some(o) => {
            let contact: Vec<&str> = [o.email.trim(), o.phone.trim()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            Cell::new()
                .add(BODY_BOLD, &o.name)
                .add(BODY, &o.legal_address)
                .add(BODY, contact.join(" · "))
                .add(
                    BODY,
                    if address_names_country(&o.legal_address, &o.country) {
                        String::new()
                    } else {
                        country_name(&o.country)
                    },
                )
                .add(
                    SMALL,
                    prefixed("Registration number: ", &o.registration_number),
                )
                .or(DASH)
        }
        None => Cell::new().add(BODY_BOLD, fallback).or(DASH),
    }
}
