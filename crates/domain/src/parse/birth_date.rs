use chrono::{Datelike as _, NaiveDate};

use super::InvalidValue;

/// The birth date of a parent or guardian (`YYYY-MM-DD`): at least 16 years old on `today`,
/// born in 1900 or later.
pub fn parse_guardian_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, InvalidValue> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(InvalidValue::required());
    }
    let date = crate::api::wire::parse_calendar_date(raw).ok_or_else(|| {
        InvalidValue::invalid_format("La date n'est pas valide (format attendu : JJ/MM/AAAA).")
    })?;
    if date.year() < 1900 {
        return Err(InvalidValue::new(
            "out_of_range",
            "La date de naissance est trop ancienne.",
        ));
    }
    if years_between(date, today) < 16 {
        return Err(InvalidValue::new(
            "out_of_range",
            "Le titulaire du compte doit avoir au moins 16 ans.",
        ));
    }
    Ok(date)
}

/// Whole years from `from` to `to` (an age).
pub(crate) fn years_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_parent_is_at_least_sixteen_on_the_day() {
        let today = date(2026, 11, 28);
        assert_eq!(
            parse_guardian_birth_date("2010-11-28", today),
            Ok(date(2010, 11, 28))
        );
        assert_eq!(
            parse_guardian_birth_date("2010-11-29", today)
                .expect_err("15")
                .code,
            "out_of_range"
        );
    }

    #[test]
    fn a_birthday_on_the_29th_of_february_counts_from_the_1st_of_march() {
        assert_eq!(years_between(date(2008, 2, 29), date(2024, 2, 28)), 15);
        assert_eq!(years_between(date(2008, 2, 29), date(2024, 2, 29)), 16);
    }

    #[test]
    fn malformed_and_ancient_dates_are_refused() {
        let today = date(2026, 11, 28);
        assert_eq!(
            parse_guardian_birth_date("28/11/1990", today)
                .expect_err("fr")
                .code,
            "invalid_format"
        );
        assert_eq!(
            parse_guardian_birth_date("1990-02-30", today)
                .expect_err("30 feb")
                .code,
            "invalid_format"
        );
        assert_eq!(
            parse_guardian_birth_date("1899-12-31", today)
                .expect_err("old")
                .code,
            "out_of_range"
        );
        assert_eq!(
            parse_guardian_birth_date("", today)
                .expect_err("empty")
                .code,
            "required"
        );
    }
}
