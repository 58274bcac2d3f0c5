//! Field-level validation errors shared by every input path.
//!
//! Uses nothing else of the crate.

use std::collections::BTreeMap;

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
