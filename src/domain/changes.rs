//! What changed between two versions of a record, field by field: the audit trail shows each
//! change this way instead of two blocks of JSON, nested lists and objects included.
//!
//! Uses nothing else of the crate.

use std::collections::HashMap;

use serde_json::Value;

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Where it is in the record: `name`, `purposes[1].lawful_bases[0]`.
    pub field: String,
    /// Its value before (empty: absent or blank).
    pub before: String,
    /// Its value after (empty: absent or blank).
    pub after: String,
}

/// The fields that differ between `before` and `after` (either may be absent: a creation, a
/// deletion). Objects and lists are flattened to one line per value, named by its path; the
/// fields come by name, each list in its order.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let mut old = Vec::new();
    if let Some(v) = before {
        flatten(String::new(), v, &mut old);
    }
    let mut new = Vec::new();
    if let Some(v) = after {
        flatten(String::new(), v, &mut new);
    }
    let old_values: HashMap<&str, &str> =
        old.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let new_values: HashMap<&str, &str> =
        new.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // The fields of the newer version in its order, then those it no longer has.
    let mut fields: Vec<&str> = new.iter().map(|(k, _)| k.as_str()).collect();
    fields.extend(
        old.iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !new_values.contains_key(k)),
    );
    fields
        .into_iter()
        .filter_map(|field| {
            let was = old_values.get(field).copied().unwrap_or_default();
            let is = new_values.get(field).copied().unwrap_or_default();
            (was != is).then(|| FieldChange {
                field: field.to_owned(),
                before: was.to_owned(),
                after: is.to_owned(),
            })
        })
        .collect()
}

/// Appends each value of `v` under `path` to `out`, as text.
fn flatten(path: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(fields) => {
            for (name, x) in fields {
                let p = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                flatten(p, x, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                flatten(format!("{path}[{i}]"), x, out);
            }
        }
        Value::Null => out.push((path, String::new())),
        Value::Bool(b) => out.push((path, if *b { "yes" } else { "no" }.to_owned())),
        Value::Number(n) => out.push((path, n.to_string())),
        Value::String(s) => out.push((path, s.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::{field_changes, FieldChange};
    use serde_json::json;

    fn change(field: &str, before: &str, after: &str) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: before.into(),
            after: after.into(),
        }
    }

    #[test]
    fn only_the_fields_that_differ_nested_lists_included() {
        let before = json!({
            "name": "Payroll",
            "dpia": false,
            "purposes": [
                {"description": "Pay", "lawful_bases": ["contract"]},
                {"description": "Tax", "lawful_bases": ["legal_obligation"]}
            ],
            "transfers": [{"country": "IN"}]
        });
        let after = json!({
            "name": "Payroll and expenses",
            "dpia": true,
            "purposes": [
                {"description": "Pay", "lawful_bases": ["contract", "legal_obligation"]},
                {"description": "Tax", "lawful_bases": ["legal_obligation"]}
            ],
            "transfers": []
        });
        assert_eq!(
            field_changes(Some(&before), Some(&after)),
            [
                change("dpia", "no", "yes"),
                change("name", "Payroll", "Payroll and expenses"),
                change("purposes[0].lawful_bases[1]", "", "legal_obligation"),
                change("transfers[0].country", "IN", ""),
            ]
        );
        assert!(field_changes(Some(&after), Some(&after)).is_empty());
    }

    #[test]
    fn a_creation_shows_every_value_and_a_deletion_every_value_gone() {
        let record = json!({"name": "CRM", "version": 1});
        assert_eq!(
            field_changes(None, Some(&record)),
            [change("name", "", "CRM"), change("version", "", "1")]
        );
        assert_eq!(
            field_changes(Some(&record), None),
            [change("name", "CRM", ""), change("version", "1", "")]
        );
    }
}
