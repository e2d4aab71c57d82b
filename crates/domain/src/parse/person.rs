use serde::{Deserialize, Serialize};

use super::InvalidValue;
use super::text::normalize_spaces;

/// A first or last name: letters (any alphabet), spaces, hyphens, apostrophes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 80;

    /// Counted as sent (spaces included), so that the OpenAPI `maxLength` is exact.
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(InvalidValue::too_long(Self::MAX_LEN));
        }
        let value = normalize_spaces(raw);
        if value.is_empty() {
            return Err(InvalidValue::required());
        }
        let allowed = |c: char| c.is_alphabetic() || " -'’.".contains(c);
        if !value.chars().all(allowed) || !value.chars().any(char::is_alphabetic) {
            return Err(InvalidValue::invalid_format(
                "Seuls les lettres, les espaces, les tirets et les apostrophes sont acceptés.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Civilité.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Civility {
    Madame,
    Monsieur,
}

impl Civility {
    pub const ALL: [Civility; 2] = [Self::Madame, Self::Monsieur];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Madame => "madame",
            Self::Monsieur => "monsieur",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Madame => "Madame",
            Self::Monsieur => "Monsieur",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        match raw.trim() {
            "" => Err(InvalidValue::required()),
            "madame" => Ok(Self::Madame),
            "monsieur" => Ok(Self::Monsieur),
            _ => Err(InvalidValue::invalid_format(
                "Choisissez «\u{a0}Madame\u{a0}» ou «\u{a0}Monsieur\u{a0}».",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_many_languages_are_accepted() {
        for name in [
            "Durand",
            "Jean-Éric",
            "N’Diaye",
            "O'Connor",
            "Nguyễn Thị",
            "Ζωή",
            "Marie  Claire",
        ] {
            assert!(PersonName::parse(name).is_ok(), "{name}");
        }
        assert_eq!(
            PersonName::parse(" Marie   Claire ").map(PersonName::into_inner),
            Ok("Marie Claire".into())
        );
    }

    #[test]
    fn digits_and_symbols_are_refused() {
        for name in ["R2D2", "Dupont <b>", "---", "Jean@"] {
            assert_eq!(
                PersonName::parse(name).expect_err(name).code,
                "invalid_format",
                "{name}"
            );
        }
        assert_eq!(PersonName::parse("  ").expect_err("empty").code, "required");
    }

    #[test]
    fn civility_parses_its_codes_only() {
        assert_eq!(Civility::parse("madame"), Ok(Civility::Madame));
        assert_eq!(Civility::parse("").expect_err("empty").code, "required");
        assert_eq!(
            Civility::parse("docteur").expect_err("x").code,
            "invalid_format"
        );
    }
}
