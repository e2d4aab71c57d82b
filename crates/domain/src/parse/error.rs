/// Why a raw value was refused: a stable code and the French message shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidValue {
    pub code: &'static str,
    pub message: String,
}

impl InvalidValue {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn required() -> Self {
        Self::new("required", "Ce champ est obligatoire.")
    }

    pub fn too_long(max: usize) -> Self {
        Self::new(
            "too_long",
            format!("Ce champ ne peut pas dépasser {max} caractères."),
        )
    }

    pub fn invalid_format(message: impl Into<String>) -> Self {
        Self::new("invalid_format", message)
    }
}
