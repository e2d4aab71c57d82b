use super::InvalidValue;
use crate::api::FieldError;

/// Collects the field errors of a form, in the order of its fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The error of one field (a use-case that refuses one value, e.g. an unknown child).
    pub fn one(field: &str, invalid: InvalidValue) -> Self {
        let mut errors = Self::default();
        errors.push(field, invalid);
        errors
    }

    /// Keeps `parsed`'s error under `field`, and gives back the value when it is valid.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, InvalidValue>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.push(field, invalid);
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, invalid: InvalidValue) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: invalid.code.to_owned(),
            message: invalid.message,
        });
    }

    /// Adds another form part's errors after these.
    pub fn extend(&mut self, more: Self) {
        self.0.extend(more.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for `field`, if it failed.
    pub fn message_for(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    /// `value` when no field failed, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

impl From<Vec<FieldError>> for FieldErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        Self(errors)
    }
}
