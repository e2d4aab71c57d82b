use super::InvalidValue;

/// A French postal code: five digits (metropolitan France, overseas departments, Monaco).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalCode(String);

impl PostalCode {
    /// As typed, spaces included (« 03 000 »).
    pub const MAX_LEN: usize = 10;

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(InvalidValue::too_long(Self::MAX_LEN));
        }
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(InvalidValue::required());
        }
        if compact.len() != 5
            || !compact.chars().all(|c| c.is_ascii_digit())
            || compact.starts_with("00")
        {
            return Err(InvalidValue::invalid_format(
                "Le code postal doit compter 5 chiffres (exemple : 03000).",
            ));
        }
        Ok(Self(compact))
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
    use proptest::prelude::*;

    #[test]
    fn five_digits_are_a_postal_code() {
        assert_eq!(
            PostalCode::parse(" 03 000 ").map(PostalCode::into_inner),
            Ok("03000".into())
        );
        assert!(PostalCode::parse("97400").is_ok());
    }

    #[test]
    fn anything_else_is_refused() {
        for raw in ["3000", "030000", "03a00", "00100"] {
            assert_eq!(
                PostalCode::parse(raw).expect_err(raw).code,
                "invalid_format",
                "{raw}"
            );
        }
        assert_eq!(PostalCode::parse("").expect_err("empty").code, "required");
    }

    proptest! {
        #[test]
        fn every_code_from_01000_to_98999_is_accepted(n in 1000u32..99000) {
            let raw = format!("{n:05}");
            prop_assert_eq!(PostalCode::parse(&raw).map(PostalCode::into_inner), Ok(raw));
        }
    }
}
