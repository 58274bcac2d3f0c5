//! Field-level validation errors shared by every input path.
//!
//! Uses nothing else of the crate.

use std::collections::BTreeMap;

/// A key's shape (`purposes[1].bases` -> `purposes[].bases`) and its row index, if any.
fn row_shape(key: &str) -> (String, Option<usize>) {
    match key.split_once('[') {
        Some((list, rest)) => {
            let (index, field) = rest.split_once(']').unwrap_or((rest, ""));
            (format!("{list}[]{field}"), index.parse().ok())
        }
        None => (key.to_owned(), None),
    }
}

/// Validation messages keyed by field name (`name`, `purposes[1].description`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Errors holding one message for one field.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records a message for a field; the first message for a field wins.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    /// The message for a field, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// Whether no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of fields in error.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// All errors in field order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The errors in the order of `order`, which names fields as the page shows them (a row's
    /// field as `list[].field`): a list's rows by their number, each row's fields together;
    /// fields not named there last, by name.
    pub fn in_order(&self, order: &[&str]) -> Vec<(&str, &str)> {
        let mut all: Vec<(usize, usize, usize, &str, &str)> = self
            .iter()
            .map(|(key, message)| {
                let (shape, row) = row_shape(key);
                let field_at = order
                    .iter()
                    .position(|o| *o == shape)
                    .unwrap_or(order.len());
                // A row's fields stay together, at the place of its list's first field.
                let list_at = match key.split_once('[') {
                    Some((list, _)) => {
                        let rows = format!("{list}[]");
                        order
                            .iter()
                            .position(|o| o.starts_with(&rows) || *o == list)
                            .unwrap_or(field_at)
                    }
                    None => field_at,
                };
                (list_at, row.unwrap_or(0), field_at, key, message)
            })
            .collect();
        all.sort();
        all.into_iter().map(|(_, _, _, k, m)| (k, m)).collect()
    }

    /// Starts each message of a row's field (`list[i].field`) with the row's name and number,
    /// "Purpose 2: Choose ...", `noun` naming the rows of each list as the form does; a message
    /// read in a summary then says which row it is about. The message keeps its own first
    /// letter: it may be a name ("Réunion is ...").
    pub fn name_rows(&mut self, noun: impl Fn(&str) -> Option<&'static str>) {
        for (key, message) in self.0.iter_mut() {
            let Some((list, rest)) = key.split_once('[') else {
                continue;
            };
            let Some(i) = rest.split(']').next().and_then(|i| i.parse::<usize>().ok()) else {
                continue;
            };
            if let Some(noun) = noun(list) {
                *message = format!("{noun} {}: {message}", i + 1);
            }
        }
    }

    /// `Ok(value)` when there are no errors, otherwise the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Adds the messages of `validator`'s errors, flattened to `a.b[1].c` keys.
    pub fn extend_validator(&mut self, errors: &validator::ValidationErrors) {
        self.flatten("", errors);
    }

    fn flatten(&mut self, prefix: &str, errors: &validator::ValidationErrors) {
        use validator::ValidationErrorsKind as Kind;
        for (field, kind) in errors.errors() {
            let key = if prefix.is_empty() {
                field.to_string()
            } else {
                format!("{prefix}.{field}")
            };
            match kind {
                Kind::Field(list) => {
                    if let Some(e) = list.first() {
                        let msg = e
                            .message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| format!("{} is not valid ({})", field, e.code));
                        self.add(key, msg);
                    }
                }
                Kind::Struct(inner) => self.flatten(&key, inner),
                Kind::List(items) => {
                    for (i, inner) in items {
                        self.flatten(&format!("{key}[{i}]"), inner);
                    }
                }
            }
        }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

#[cfg(test)]
mod tests {
    use super::FieldErrors;

    fn noun(list: &str) -> Option<&'static str> {
        match list {
            "purposes" => Some("Purpose"),
            "transfers" => Some("Transfer"),
            _ => None,
        }
    }

    #[test]
    fn a_rows_messages_name_the_row_and_keep_their_words() {
        let mut e = FieldErrors::new();
        e.add("purposes[1].bases", "Choose at least one lawful basis");
        e.add("transfers[0].mechanism", "Art. 49(1) needs the assessment");
        e.add("transfers[2].safeguards", "SCCs need their reference");
        e.add("name", "Name the activity");
        e.add("items[3].x", "Unchanged: no noun for this list");
        e.name_rows(noun);
        assert_eq!(
            e.get("purposes[1].bases"),
            Some("Purpose 2: Choose at least one lawful basis")
        );
        assert_eq!(
            e.get("transfers[0].mechanism"),
            Some("Transfer 1: Art. 49(1) needs the assessment")
        );
        assert_eq!(
            e.get("transfers[2].safeguards"),
            Some("Transfer 3: SCCs need their reference")
        );
        assert_eq!(e.get("name"), Some("Name the activity"));
        assert_eq!(
            e.get("items[3].x"),
            Some("Unchanged: no noun for this list")
        );
    }

    #[test]
    fn errors_come_in_the_order_of_the_page_rows_by_number() {
        let mut e = FieldErrors::new();
        for key in [
            "zeta",
            "transfers[10].country",
            "transfers[2].mechanism",
            "transfers[2].country",
            "purposes[0].bases",
            "name",
        ] {
            e.add(key, key);
        }
        let order = [
            "name",
            "purposes[].bases",
            "transfers[].country",
            "transfers[].mechanism",
        ];
        let keys: Vec<&str> = e.in_order(&order).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "name",
                "purposes[0].bases",
                "transfers[2].country",
                "transfers[2].mechanism",
                "transfers[10].country",
                "zeta"
            ]
        );
    }
}
