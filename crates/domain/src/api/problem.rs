use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// An error as `application/problem+json` (RFC 9457), with a stable `code` and a French `detail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://portail-famille.fr/problemes/validation_failed",
    "title": "Certains champs sont invalides.",
    "status": 422,
    "detail": "Certains champs sont invalides.",
    "code": "validation_failed",
    "errors": [{"field": "email", "code": "invalid_format", "message": "L'adresse e-mail n'est pas valide."}]
})))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short summary of the kind of problem, in French.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, in French, for a human.
    pub detail: String,
    /// The stable machine code.
    pub code: ErrorCode,
    /// Per-field errors, when the request had invalid fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body (`email`, `address.postal_code`).
    pub field: String,
    /// A stable machine code for this field error (`required`, `invalid_format`…).
    pub code: String,
    /// The French message to show next to the field.
    pub message: String,
}

impl Problem {
    pub const TYPE_BASE: &'static str = "https://portail-famille.fr/problemes/";

    pub fn new(status: u16, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            type_uri: format!("{}{}", Self::TYPE_BASE, code.as_str()),
            title: code.message_fr().to_owned(),
            status,
            detail: detail.into(),
            code,
            errors: Vec::new(),
        }
    }
}
