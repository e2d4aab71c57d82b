//! The French calendar: public holidays and working days.

use chrono::{Datelike as _, Duration, NaiveDate, Weekday};

/// Easter Sunday (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(month).unwrap_or(4),
        u32::try_from(day).unwrap_or(1),
    )
    .unwrap_or_default()
}

/// The eleven public holidays of metropolitan France.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let fixed = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    if fixed.contains(&(date.month(), date.day())) {
        return true;
    }
    let easter = easter_sunday(date.year());
    [Duration::days(1), Duration::days(39), Duration::days(50)]
        .iter()
        .any(|offset| easter + *offset == date)
}

/// Monday to Friday, not a public holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The date `n` working days before `date` (not counting `date` itself).
pub fn working_days_before(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day -= Duration::days(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// `2027-07` → its first and last days.
pub fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    // Exactly `AAAA-MM`, in the years staff may plan (`0000-01` or `2027-1` are refused).
    let bytes = month.as_bytes();
    let shaped = bytes.len() == 7
        && bytes[4] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let first = crate::api::wire::parse_calendar_date(&format!("{month}-01"))?;
    if !super::setup::plannable(first) {
        return None;
    }
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn easter_falls_on_known_dates() {
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2028), d(2028, 4, 16));
    }

    #[test]
    fn movable_and_fixed_holidays_are_known() {
        for holiday in [
            d(2027, 3, 29),
            d(2027, 5, 6),
            d(2027, 5, 17),
            d(2027, 7, 14),
            d(2027, 11, 11),
            d(2027, 1, 1),
        ] {
            assert!(is_public_holiday(holiday), "{holiday}");
        }
        assert!(!is_public_holiday(d(2027, 7, 15)));
    }

    #[test]
    fn two_working_days_before_a_tuesday_after_a_holiday_monday_is_the_previous_thursday() {
        // Easter Monday 29 March 2027: two working days before Tuesday 30 March are Friday 26 and Thursday 25.
        assert_eq!(working_days_before(d(2027, 3, 30), 2), d(2027, 3, 25));
        assert_eq!(working_days_before(d(2027, 3, 31), 0), d(2027, 3, 31));
        assert_eq!(working_days_before(d(2027, 3, 10), 2), d(2027, 3, 8));
    }

    #[test]
    fn month_bounds_handle_december_and_february() {
        assert_eq!(
            month_bounds("2027-12"),
            Some((
                NaiveDate::from_ymd_opt(2027, 12, 1).expect("d"),
                NaiveDate::from_ymd_opt(2027, 12, 31).expect("d")
            ))
        );
        assert_eq!(
            month_bounds("2028-02").map(|b| b.1),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert_eq!(month_bounds("2027-13"), None);
        assert_eq!(month_bounds("juillet"), None);
    }

    #[test]
    fn a_month_is_exactly_aaaa_mm_within_the_plannable_years() {
        assert_eq!(
            month_bounds("2027-02"),
            Some((d(2027, 2, 1), d(2027, 2, 28)))
        );
        assert_eq!(
            month_bounds("2028-12"),
            Some((d(2028, 12, 1), d(2028, 12, 31)))
        );
        for bad in [
            "0000-01",
            "2027-1",
            "2027-13",
            "juillet",
            "2027-01-05",
            "+2027-01",
            "9999-01",
        ] {
            assert_eq!(month_bounds(bad), None, "{bad}");
        }
    }
}
