//! The commune's bank and company identifiers, as printed on its invoices: an IBAN (ISO 13616,
//! checked by the `iban_validate` crate: mod-97 and each country's BBAN format), a BIC
//! (ISO 9362) and a SIRET (14 digits, Luhn). Each may be left empty.

use super::InvalidValue;

/// An IBAN in its electronic form (`FR7630006000011234567890189`), or `None` when empty.
pub fn iban(raw: &str) -> Result<Option<String>, InvalidValue> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Ok(None);
    }
    compact
        .parse::<iban::Iban>()
        .map(|valid| Some(iban::IbanLike::electronic_str(&valid).to_owned()))
        .map_err(|_| {
            InvalidValue::new(
                "invalid_iban",
                "Cet IBAN n'est pas valide : vérifiez le pays, la longueur et chaque chiffre (par exemple FR76 3000 6000 0112 3456 7890 189).",
            )
        })
}

/// An IBAN grouped by four, as it is printed: « FR76 3000 6000 0112 3456 7890 189 ».
pub fn iban_grouped(iban: &str) -> String {
    iban.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A BIC of 8 or 11 characters (bank, country, place, branch), or `None` when empty.
pub fn bic(raw: &str) -> Result<Option<String>, InvalidValue> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Ok(None);
    }
    let bytes = compact.as_bytes();
    let valid = matches!(bytes.len(), 8 | 11)
        && bytes[..6].iter().all(u8::is_ascii_uppercase)
        && bytes[6..].iter().all(u8::is_ascii_alphanumeric);
    if valid {
        Ok(Some(compact))
    } else {
        Err(InvalidValue::new(
            "invalid_bic",
            "Ce BIC n'est pas valide : 8 ou 11 caractères, par exemple TRPUFRP1.",
        ))
    }
}

/// A SIRET (14 digits whose Luhn sum is a multiple of 10), or `None` when empty.
pub fn siret(raw: &str) -> Result<Option<String>, InvalidValue> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let luhn = digits
        .chars()
        .rev()
        .enumerate()
        .try_fold(0_u32, |sum, (i, c)| {
            let d = c.to_digit(10)?;
            let d = if i % 2 == 1 { d * 2 } else { d };
            Some(sum + if d > 9 { d - 9 } else { d })
        });
    match luhn {
        Some(sum) if digits.len() == 14 && sum % 10 == 0 => Ok(Some(digits)),
        _ => Err(InvalidValue::new(
            "invalid_siret",
            "Ce SIRET n'est pas valide : 14 chiffres (le SIREN de la commune et son établissement).",
        )),
    }
}

/// « 213 000 139 00013 »: a SIRET as it is printed.
pub fn siret_grouped(siret: &str) -> String {
    if siret.len() != 14 {
        return siret.to_owned();
    }
    format!(
        "{} {} {} {}",
        &siret[..3],
        &siret[3..6],
        &siret[6..9],
        &siret[9..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iban_is_checked_by_its_country_format_and_mod_97() {
        assert_eq!(
            iban("fr76 3000 6000 0112 3456 7890 189").expect("valid"),
            Some("FR7630006000011234567890189".to_owned())
        );
        assert_eq!(iban("  ").expect("empty"), None);
        // One digit changed: mod-97 fails.
        assert!(iban("FR7630006000011234567890188").is_err());
        // A French IBAN of the wrong length.
        assert!(iban("FR763000600001123456789018").is_err());
        assert_eq!(
            iban_grouped("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }

    #[test]
    fn a_siret_has_fourteen_digits_and_a_luhn_sum() {
        // A town hall's SIREN (213 000 139) and an establishment number.
        assert_eq!(
            siret("213 000 139 00013").expect("valid").as_deref(),
            Some("21300013900013")
        );
        assert!(siret("21300013900014").is_err());
        assert!(siret("2130001390001").is_err());
        assert!(siret("2130001390001A").is_err());
        assert_eq!(siret("").expect("empty"), None);
        assert_eq!(siret_grouped("21300013900013"), "213 000 139 00013");
    }

    #[test]
    fn a_bic_has_eight_or_eleven_characters() {
        assert_eq!(bic("trpufrp1").expect("valid").as_deref(), Some("TRPUFRP1"));
        assert!(bic("TRPUFRP1XXX").is_ok());
        assert!(bic("TRPU").is_err());
        assert!(bic("1RPUFRP1").is_err());
    }
}
