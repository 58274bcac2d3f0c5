//! What text and dates the register accepts, on every input path (forms, query strings, the
//! JSON import), so that whatever one backend stores the other stores too.
//!
//! Control characters are refused (PostgreSQL refuses the NUL character that SQLite stores,
//! and none belongs in a register); tab and line breaks are allowed except in fields that
//! hold a code, a reference, an email or a date. Names keep them: registers made by earlier
//! versions hold names with line breaks, and their exports must import. Invisible characters at either end of a value
//! (zero-width spaces, the byte-order mark) are trimmed with the white space, so a name made of
//! them alone is blank. Dates lie between [`FIRST_YEAR`] and [`LAST_YEAR`]. Uses the field
//! errors.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::errors::FieldErrors;

/// The earliest year of a date the register accepts.
pub const FIRST_YEAR: i32 = 1900;
/// The latest year of a date the register accepts.
pub const LAST_YEAR: i32 = 9999;

/// Characters that show nothing: trimmed like white space at either end of a value.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        )
}

/// `value` without white space or invisible characters at either end.
pub fn trim(value: &str) -> &str {
    value.trim_matches(invisible)
}

/// Trims white space and invisible characters at both ends of a text input (see `text::trim`).
pub fn clean(value: &str) -> String {
    trim(value).to_owned()
}

/// Parses an optional ISO date (`YYYY-MM-DD`); blank is `None`.
pub fn parse_date(
    errors: &mut FieldErrors,
    field: &str,
    label: &str,
    value: &str,
) -> Option<chrono::NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(d) if date_in_range(d) => Some(d),
        Ok(_) => {
            errors.add(
                field,
                format!(
                    "{label} must be a date between {}-01-01 and {}-12-31",
                    FIRST_YEAR, LAST_YEAR
                ),
            );
            None
        }
        Err(_) => {
            errors.add(
                field,
                format!("{label} must be a date written YYYY-MM-DD, like 2026-12-31"),
            );
            None
        }
    }
}

/// The first character `value` may not hold: a control character (tab and line breaks are
/// allowed where `multiline`).
pub fn forbidden_character(value: &str, multiline: bool) -> Option<char> {
    value
        .chars()
        .find(|c| c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
}

/// The message for a forbidden character, naming it by its code point.
pub fn forbidden_message(c: char) -> String {
    format!(
        "Remove the control character U+{:04X}: it cannot be stored",
        u32::from(c)
    )
}

/// Whether a date lies in the years the register accepts.
pub fn date_in_range(date: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&date.year())
}

/// Whether a time lies in the years the register accepts.
pub fn timestamp_in_range(at: NaiveDateTime) -> bool {
    date_in_range(at.date())
}

/// Checks every text field of a form (read through its serde shape) for forbidden characters
/// and adds an error keyed by the field's path (`purposes[1].description`; a list of plain
/// values by the list's name). Fields named in `single_line` may not hold line breaks either.
pub fn check_form<T: Serialize>(form: &T, single_line: &[&str], errors: &mut FieldErrors) {
    let Ok(value) = serde_json::to_value(form) else {
        return;
    };
    walk(&value, String::new(), None, single_line, errors);
}

fn walk(
    value: &serde_json::Value,
    path: String,
    name: Option<&str>,
    single_line: &[&str],
    errors: &mut FieldErrors,
) {
    match value {
        serde_json::Value::String(s) => {
            let multiline = !name.is_some_and(|n| single_line.contains(&n));
            if let Some(c) = forbidden_character(s, multiline) {
                if errors.get(&path).is_none() {
                    errors.add(path, forbidden_message(c));
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let at = if item.is_object() {
                    format!("{path}[{i}]")
                } else {
                    path.clone()
                };
                walk(item, at, name, single_line, errors);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                let at = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(item, at, Some(key), single_line, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: String,
        notes: String,
    }

    #[derive(Serialize)]
    struct Form {
        name: String,
        description: String,
        ids: Vec<String>,
        rows: Vec<Row>,
    }

    #[test]
    fn control_characters_are_named_at_their_field() {
        let form = Form {
            name: "Payroll\nsecond line".into(),
            description: "line one\nline two\twith a tab".into(),
            ids: vec!["1".into(), "2\u{0}".into()],
            rows: vec![
                Row {
                    name: "ok".into(),
                    notes: "fine\r\n".into(),
                },
                Row {
                    name: "ok".into(),
                    notes: "bell \u{7}".into(),
                },
            ],
        };
        let mut errors = FieldErrors::new();
        check_form(&form, &["name"], &mut errors);
        assert!(errors.get("name").is_some_and(|m| m.contains("U+000A")));
        assert!(errors.get("description").is_none());
        assert!(errors.get("ids").is_some_and(|m| m.contains("U+0000")));
        assert!(errors.get("rows[0].notes").is_none());
        assert!(errors
            .get("rows[1].notes")
            .is_some_and(|m| m.contains("U+0007")));
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn invisible_characters_alone_are_blank_and_dates_keep_to_their_years() {
        assert_eq!(trim("\u{200B}\u{FEFF} \u{2060}"), "");
        assert_eq!(trim("\u{FEFF}Łódź \u{200B}"), "Łódź");
        let date = |y| NaiveDate::from_ymd_opt(y, 1, 1).expect("date");
        assert!(!date_in_range(date(-5000)));
        assert!(!date_in_range(date(1899)));
        assert!(date_in_range(date(1900)) && date_in_range(date(9999)));
        assert!(!date_in_range(date(10000)));
    }

    /// Pieces of hostile input: control characters, invisible ones, signs, dates out of range.
    const PIECES: &[&str] = &[
        "\u{0}",
        "\u{7}",
        "\t",
        "\n",
        "\r",
        "\u{1b}",
        "\u{7f}",
        "\u{85}",
        "\u{200B}",
        "\u{FEFF}",
        " ",
        "a",
        "Ł",
        "名",
        "-",
        "+",
        "=",
        "@",
        "1",
        "0",
        "-5000-01-01",
        "1899-12-31",
        "2026-12-31",
        "99999-01-01",
        "contract",
        "legitimate_interests",
        "DE",
        "US",
        "controller",
        "draft",
    ];

    fn hostile(rng: &mut rand::rngs::StdRng) -> String {
        use rand::Rng;
        let n = rng.random_range(0..5);
        (0..n)
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect()
    }

    /// A property run over every form parser (recorded in docs/security.md): whatever is typed
    /// in any field, parsing never panics, and a value with a forbidden character in a checked
    /// field never becomes a draft.
    #[test]
    fn no_typed_value_panics_a_parser_or_slips_a_control_character_through() {
        use rand::SeedableRng;

        use crate::domain::activity::{ActivityForm, Choices};
        use crate::domain::organisation::OrganisationForm;
        use crate::domain::party::PartyForm;
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        let activity_fields = [
            "organisation_id",
            "role",
            "status",
            "reference",
            "name",
            "description",
            "next_review",
            "last_reviewed",
            "criminal_basis",
            "purposes[0].description",
            "purposes[0].bases",
            "transfers[0].country",
            "transfers[0].mechanism",
            "retention[0].period_value",
            "retention[0].data_category_ids",
            "systems",
        ];
        let choices = Choices {
            organisations: Vec::new(),
            parties: Vec::new(),
            data_categories: Vec::new(),
            subject_categories: Vec::new(),
            measures: Vec::new(),
        };
        for _ in 0..5_000 {
            let pairs: Vec<(String, String)> = activity_fields
                .iter()
                .map(|f| ((*f).to_owned(), hostile(&mut rng)))
                .collect();
            let form = ActivityForm::from_pairs(&pairs);
            if let Ok(draft) = form.parse(&choices) {
                assert!(
                    forbidden_character(&draft.name, true).is_none(),
                    "{pairs:?}"
                );
                assert!(
                    forbidden_character(&draft.description, true).is_none(),
                    "{pairs:?}"
                );
            }
            let org = OrganisationForm {
                name: hostile(&mut rng),
                legal_address: hostile(&mut rng),
                email: hostile(&mut rng),
                country: hostile(&mut rng),
                review_interval_months: hostile(&mut rng),
                ..Default::default()
            };
            if let Ok(draft) = org.parse() {
                assert!(forbidden_character(&draft.name, true).is_none(), "{org:?}");
                assert!(
                    forbidden_character(&draft.legal_address, true).is_none(),
                    "{org:?}"
                );
                assert!(!trim(&draft.name).is_empty(), "{org:?}");
            }
            let party = PartyForm {
                name: hostile(&mut rng),
                kind: hostile(&mut rng),
                country: hostile(&mut rng),
                contract_date: hostile(&mut rng),
                notes: hostile(&mut rng),
                ..Default::default()
            };
            if let Ok(draft) = party.parse() {
                assert!(
                    forbidden_character(&draft.name, true).is_none(),
                    "{party:?}"
                );
                assert!(
                    forbidden_character(&draft.notes, true).is_none(),
                    "{party:?}"
                );
                assert!(draft.contract_date.is_none_or(date_in_range), "{party:?}");
            }
        }
    }
}
