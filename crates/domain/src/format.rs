//! French formatting shared by e-mails (server) and screens (browser).

use chrono::{Datelike as _, NaiveDate};

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « mardi 7 juillet 2027 ».
pub fn date_fr(date: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        weekday_fr(date),
        date.day(),
        month_fr(date.month()),
        date.year()
    )
}

/// « lundi ».
pub fn weekday_fr(date: NaiveDate) -> &'static str {
    WEEKDAYS[date.weekday().num_days_from_monday() as usize]
}

/// « juillet » (1 to 12).
pub fn month_fr(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// « 12,50 € » from cents.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{},{:02} €", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_read_the_french_way() {
        assert_eq!(
            date_fr(NaiveDate::from_ymd_opt(2027, 7, 6).expect("date")),
            "mardi 6 juillet 2027"
        );
        assert_eq!(euros(1250), "12,50 €");
        assert_eq!(euros(5), "0,05 €");
        assert_eq!(euros(-300), "-3,00 €");
    }
}
