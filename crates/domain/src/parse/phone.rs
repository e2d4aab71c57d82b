use super::InvalidValue;

/// A phone number: French numbers are kept as « 06 12 34 56 78 », foreign ones as `+` and
/// digits (E.164).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// The longest number as typed (« +33 (0)6 12 34 56 78 » is 20).
    pub const MAX_LEN: usize = 30;

    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        if raw.chars().count() > Self::MAX_LEN {
            return Err(InvalidValue::too_long(Self::MAX_LEN));
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(InvalidValue::required());
        }
        let invalid = || {
            InvalidValue::invalid_format(
                "Le numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).",
            )
        };
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " .-()+".contains(c))
        {
            return Err(invalid());
        }
        let plus = trimmed.starts_with('+');
        if trimmed[1..].contains('+') {
            return Err(invalid());
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let national = if plus {
            digits.strip_prefix("33").map(|rest| format!("0{rest}"))
        } else if let Some(rest) = digits.strip_prefix("0033") {
            Some(format!("0{rest}"))
        } else {
            Some(digits.clone())
        };
        match national {
            Some(n) if n.len() == 10 && n.starts_with('0') && !n.starts_with("00") => {
                let grouped: Vec<&str> = (0..5).map(|i| &n[i * 2..i * 2 + 2]).collect();
                Ok(Self(grouped.join(" ")))
            }
            None if (8..=15).contains(&digits.len()) => Ok(Self(format!("+{digits}"))),
            _ => Err(invalid()),
        }
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
    fn french_numbers_are_grouped_by_two() {
        for raw in [
            "0612345678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "0033612345678",
            "+33 (0)6 12 34 56 78",
        ] {
            let parsed = Phone::parse(raw).map(Phone::into_inner);
            // "+33 (0)6…" carries a national 0 too many: it is refused rather than guessed.
            if raw.contains("(0)") {
                assert!(parsed.is_err(), "{raw}");
            } else {
                assert_eq!(parsed, Ok("06 12 34 56 78".into()), "{raw}");
            }
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        assert_eq!(
            Phone::parse("+44 20 7946 0958").map(Phone::into_inner),
            Ok("+442079460958".into())
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for raw in [
            "06 12 34",
            "0612345678901",
            "06-12-ab-56-78",
            "6 12 34 56 78",
            "+33 6+12345678",
        ] {
            assert_eq!(
                Phone::parse(raw).expect_err(raw).code,
                "invalid_format",
                "{raw}"
            );
        }
    }

    proptest! {
        #[test]
        fn parsing_a_parsed_number_changes_nothing(n in 100_000_000u64..999_999_999) {
            let raw = format!("0{n}");
            let once = Phone::parse(&raw).expect("valid");
            prop_assert_eq!(Phone::parse(once.as_str()), Ok(once.clone()));
        }

        #[test]
        fn parse_never_panics(raw in "\\PC{0,40}") {
            let _ = Phone::parse(&raw);
        }
    }
}
