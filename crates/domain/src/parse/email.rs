use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// An e-mail address, trimmed and lowercased (one account per address, whatever the case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// RFC 5321 limits a forward path to 254 characters.
    pub const MAX_LEN: usize = 254;

    /// Counted as sent, so that the OpenAPI `maxLength` is exact.
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(InvalidValue::too_long(Self::MAX_LEN));
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(InvalidValue::required());
        }
        let lowered = trimmed.to_lowercase();
        let invalid = || {
            InvalidValue::invalid_format(
                "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
            )
        };
        // The library checks RFC 5322 syntax; we also want a plain, deliverable address:
        // no quoted local part, no IP literal, and a domain with a dot.
        let (local, domain) = lowered.rsplit_once('@').ok_or_else(invalid)?;
        let plain = !local.is_empty()
            && !local.contains('"')
            && !domain.starts_with('[')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !lowered.chars().any(char::is_whitespace);
        if !plain || !email_address::EmailAddress::is_valid(&lowered) {
            return Err(invalid());
        }
        Ok(Self(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_address_is_trimmed_and_lowercased() {
        let email = Email::parse("  Marie.Durand@Exemple.FR ").expect("valid");
        assert_eq!(email.as_str(), "marie.durand@exemple.fr");
    }

    #[test]
    fn an_empty_address_is_required() {
        assert_eq!(Email::parse("   ").expect_err("empty").code, "required");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "marie durand@exemple.fr",
            "marie@@exemple.fr",
            "\"marie\"@exemple.fr",
            "marie@[127.0.0.1]",
            "marie@exemple.fr.",
        ] {
            let error = Email::parse(raw).expect_err(raw);
            assert_eq!(error.code, "invalid_format", "{raw}");
        }
    }

    #[test]
    fn an_address_longer_than_254_characters_is_refused() {
        let raw = format!("{}@exemple.fr", "a".repeat(250));
        assert_eq!(Email::parse(&raw).expect_err("long").code, "too_long");
    }

    proptest! {
        #[test]
        fn parsing_twice_gives_the_same_address(local in "[a-z0-9._%+-]{1,30}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let raw = format!("{local}@{domain}");
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(email.as_str()).ok(), Some(email));
            }
        }

        #[test]
        fn parse_never_panics(raw in "\\PC{0,300}") {
            let _ = Email::parse(&raw);
        }
    }
}
