//! The commune's settings, as an administrator sets them.

use chrono::NaiveDate;

use crate::api::CommuneSettings;
use crate::parse::{FieldErrors, InvalidValue, required_text};

/// Longest commune name (« Saint-Rémy-en-Bouzemont-Saint-Genest-et-Isson » is 45).
pub const MAX_NAME_LEN: usize = 100;

/// The name is required and the yearly re-verification date must exist every year
/// (checked against a leap year: the 29th of February falls back to the 28th).
pub fn check_settings(settings: &CommuneSettings) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    errors.check("name", required_text(&settings.name, MAX_NAME_LEN));
    if NaiveDate::from_ymd_opt(
        2028,
        settings.reverification_month,
        settings.reverification_day,
    )
    .is_none()
    {
        errors.push(
            "reverification_day",
            InvalidValue::invalid_format("Cette date n'existe pas."),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(name: &str, month: u32, day: u32) -> CommuneSettings {
        CommuneSettings {
            name: name.to_owned(),
            reverification_month: month,
            reverification_day: day,
        }
    }

    #[test]
    fn a_date_that_never_exists_or_an_empty_name_is_refused() {
        assert!(check_settings(&settings("Avermes", 8, 1)).is_ok());
        assert!(check_settings(&settings("Avermes", 2, 29)).is_ok());
        assert!(check_settings(&settings("Avermes", 2, 30)).is_err());
        assert!(check_settings(&settings("Avermes", 13, 1)).is_err());
        assert!(check_settings(&settings("  ", 8, 1)).is_err());
        assert!(check_settings(&settings("Aver\0mes", 8, 1)).is_err());
    }
}
