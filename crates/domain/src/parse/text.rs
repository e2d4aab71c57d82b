use super::InvalidValue;

/// Trims and collapses runs of whitespace into one space.
pub(crate) fn normalize_spaces(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters as sent (spaces included), no control character but spaces (a tab,
/// a line break: they become one space), something else than spaces; then trimmed, runs of
/// spaces collapsed. Checked on the text as sent, so that the OpenAPI `maxLength` and
/// [`LABEL_PATTERN`] / [`TEXT_PATTERN`] say exactly what is accepted.
fn bounded(raw: &str, max: usize) -> Result<String, InvalidValue> {
    if raw.chars().count() > max {
        return Err(InvalidValue::too_long(max));
    }
    if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(InvalidValue::invalid_format(
            "Ce champ contient des caractères non autorisés.",
        ));
    }
    let value = normalize_spaces(raw);
    if value.is_empty() {
        return Err(InvalidValue::required());
    }
    Ok(value)
}

/// A one-line text that may be empty, as the OpenAPI document shows it: no control character
/// (`char::is_control`: U+0000–U+001F, U+007F–U+009F) but the spaces among them (tab, line
/// breaks, U+0085), which become one space.
pub const TEXT_PATTERN: &str = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$";

/// A required one-line text ([`TEXT_PATTERN`] with something else than spaces).
pub const LABEL_PATTERN: &str = r"^[^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0E-\x1F\x7F-\x84\x86-\x9F]*$";

/// A message of several lines (to a family: a request for information, a refusal's reason):
/// line breaks and tabs kept, no other control character.
pub const MESSAGE_PATTERN: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$";

/// A message as [`MESSAGE_PATTERN`] says, at most `max` characters as sent; trimmed, and
/// `None` when only spaces were sent. Never cut: too long is refused.
pub fn message_text(raw: &str, max: usize) -> Result<Option<String>, InvalidValue> {
    if raw.chars().count() > max {
        return Err(InvalidValue::too_long(max));
    }
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(InvalidValue::invalid_format(
            "Ce texte contient des caractères non autorisés.",
        ));
    }
    let trimmed = raw.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

/// A required label set by staff (a period's or a unit's name): spaces collapsed, no control
/// character, at most `max` characters.
pub fn required_text(raw: &str, max: usize) -> Result<String, InvalidValue> {
    bounded(raw, max)
}

/// An optional free-text field (profession, employer): empty means absent.
pub fn optional_text(raw: &str, max: usize) -> Result<Option<String>, InvalidValue> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    bounded(raw, max).map(Some)
}

/// A line of a postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressLine(String);

impl AddressLine {
    pub const MAX_LEN: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        bounded(raw, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A town name (« Saint-Pourçain-sur-Sioule », « Paris 15e »).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityName(String);

impl CityName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let value = bounded(raw, Self::MAX_LEN)?;
        let allowed = |c: char| c.is_alphanumeric() || " -'’.()".contains(c);
        if !value.chars().all(allowed) || !value.chars().any(char::is_alphabetic) {
            return Err(InvalidValue::invalid_format(
                "Le nom de la commune contient des caractères non autorisés.",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_collapsed_and_empty_optional_text_is_absent() {
        assert_eq!(
            optional_text("  Infirmière   de  nuit ", 100),
            Ok(Some("Infirmière de nuit".into()))
        );
        assert_eq!(optional_text("   ", 100), Ok(None));
        assert_eq!(
            optional_text(&"a".repeat(101), 100).expect_err("long").code,
            "too_long"
        );
    }

    #[test]
    fn city_names_with_accents_hyphens_and_districts_are_accepted() {
        for city in [
            "Avermes",
            "Saint-Pourçain-sur-Sioule",
            "Paris 15e",
            "L’Haÿ-les-Roses",
        ] {
            assert!(CityName::parse(city).is_ok(), "{city}");
        }
        assert_eq!(
            CityName::parse("<script>").expect_err("refused").code,
            "invalid_format"
        );
        assert_eq!(
            CityName::parse("03000").expect_err("digits only").code,
            "invalid_format"
        );
    }

    #[test]
    fn an_address_line_refuses_control_characters() {
        assert_eq!(
            AddressLine::parse("12 rue\u{0007} des Écoles")
                .expect_err("refused")
                .code,
            "invalid_format"
        );
        assert_eq!(
            AddressLine::parse(" 12  rue des Écoles ").map(AddressLine::into_inner),
            Ok("12 rue des Écoles".into())
        );
    }
}
