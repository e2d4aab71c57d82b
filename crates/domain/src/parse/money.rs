//! An amount typed in euros, as a French form receives it: « 3,50 », « 3.5 », « 1 250 € ».

use super::InvalidValue;

/// Cents from euros typed by a person: digits, an optional decimal comma or point with one or
/// two decimals, spaces (ordinary or non-breaking) between thousands, an optional « € ».
/// Refused: a sign, three decimals, anything else, more than 100,000,000 €.
pub fn parse_euros(text: &str) -> Result<i64, InvalidValue> {
    let invalid = || {
        InvalidValue::new(
            "invalid_format",
            "Saisissez un montant en euros, par exemple 3,50.",
        )
    };
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (units, decimals) = match cleaned.split_once([',', '.']) {
        Some((u, d)) => (u, d),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty()
        || units.len() > 9
        || decimals.len() > 2
        || !digits(units)
        || !digits(decimals)
    {
        return Err(invalid());
    }
    let units: i64 = units.parse().map_err(|_| invalid())?;
    let cents: i64 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<i64>().map_err(|_| invalid())? * 10,
        _ => decimals.parse().map_err(|_| invalid())?,
    };
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn french_ways_of_typing_an_amount() {
        for (typed, cents) in [
            ("3,50", 350),
            ("3.5", 350),
            ("3", 300),
            (" 1 250,00 € ", 125_000),
            ("1\u{a0}250", 125_000),
            ("0,05", 5),
        ] {
            assert_eq!(parse_euros(typed), Ok(cents), "{typed}");
        }
        for typed in [
            "",
            "-3",
            "3,505",
            "trois",
            "3,5,0",
            ",50",
            "1e3",
            "9999999999",
        ] {
            assert!(parse_euros(typed).is_err(), "{typed}");
        }
    }

    proptest! {
        /// What `format::euros` writes reads back.
        #[test]
        fn what_is_written_reads_back(cents in 0_i64..10_000_000_000) {
            prop_assert_eq!(parse_euros(&crate::format::euros(cents)), Ok(cents));
        }
    }
}
