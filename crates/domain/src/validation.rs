//! Field-level validation shared by every type.

use serde::Serialize;
use std::fmt;

/// One problem with one field of a value. `field` is a path inside the value
/// (`"window_end"`, `"contacts[1].phone"`); callers prefix it with where the value came
/// from (a file line or a JSON path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, one level deeper: `prefix.field`.
    pub fn within(self, prefix: &str) -> Self {
        let field = if self.field.is_empty() {
            prefix.to_owned()
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        Self { field, ..self }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A value that can tell what is wrong with it. An empty list means valid.
pub trait Validate {
    fn validate(&self) -> Vec<FieldError>;

    fn is_valid(&self) -> bool {
        self.validate().is_empty()
    }
}

/// Collects errors while checking a value.
#[derive(Default)]
pub(crate) struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) {
        if !ok {
            self.errors.push(FieldError::new(field, message));
        }
    }

    pub fn id(&mut self, field: &str, value: &str) {
        if let Some(problem) = crate::ids::id_problem(value) {
            self.errors.push(FieldError::new(field, problem));
        }
    }

    pub fn text(&mut self, field: &str, value: &str, max_len: usize) {
        if value.trim().is_empty() {
            self.errors
                .push(FieldError::new(field, "must not be empty"));
        } else if value.chars().count() > max_len {
            self.errors.push(FieldError::new(
                field,
                format!("must be at most {max_len} characters"),
            ));
        }
    }

    pub fn finish(self) -> Vec<FieldError> {
        self.errors
    }
}
