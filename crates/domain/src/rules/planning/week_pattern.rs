//! « Réserver chaque semaine »: a typical week (the units wanted on each weekday) applied to
//! every date of a range. Expanding it is pure; what each date's line becomes is decided by
//! the same rules and the same booking writer as a recap (one line per date and unit).

use std::collections::HashSet;

use chrono::{Datelike as _, Duration, NaiveDate};
use uuid::Uuid;

use crate::api::{BookingLine, LineAction, WeekPatternRequest, WeekdayCode};
use crate::parse::{FieldErrors, InvalidValue};

/// The longest range a pattern covers: a school year and its margins.
pub const MAX_DAYS: i64 = 400;
/// The most lines a pattern may expand to (a school year of two units a day is about 360):
/// more than a recap's 400 on purpose, and bounded.
pub const MAX_LINES: usize = 800;

/// The most units one weekday may name (a service has a handful).
pub const MAX_UNITS_A_DAY: usize = 10;

/// Checks the pattern's shape: a range in order and within `MAX_DAYS`, at least one unit,
/// each weekday once, no unit twice on a day, at most `MAX_LINES` lines.
pub fn check(request: &WeekPatternRequest) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    let (Some(from), Some(to)) = (request.from, request.to) else {
        return Err(FieldErrors::one(
            "from",
            InvalidValue::new(
                "required",
                "Aucune période de ce service n'est ouverte aux réservations : choisissez les dates.",
            ),
        ));
    };
    if to < from {
        e.push(
            "to",
            InvalidValue::new("out_of_range", "La date de fin précède la date de début."),
        );
    } else if (to - from).num_days() >= MAX_DAYS {
        e.push(
            "to",
            InvalidValue::new(
                "out_of_range",
                format!("Une semaine type s'applique sur {MAX_DAYS} jours au plus."),
            ),
        );
    }
    let mut weekdays = HashSet::new();
    for day in &request.days {
        if !weekdays.insert(day.weekday) {
            e.push(
                "days",
                InvalidValue::new(
                    "duplicate",
                    format!("Le {} figure deux fois.", day.weekday.label_fr()),
                ),
            );
        }
        let mut units = HashSet::new();
        if day.unit_ids.len() > MAX_UNITS_A_DAY {
            e.push(
                "days",
                InvalidValue::new(
                    "too_many",
                    format!("Au plus {MAX_UNITS_A_DAY} prestations par jour."),
                ),
            );
        } else if day.unit_ids.iter().any(|u| !units.insert(*u)) {
            e.push(
                "days",
                InvalidValue::new(
                    "duplicate",
                    format!(
                        "Une prestation figure deux fois le {}.",
                        day.weekday.label_fr()
                    ),
                ),
            );
        }
    }
    if request.days.iter().all(|d| d.unit_ids.is_empty()) {
        e.push(
            "days",
            InvalidValue::new("required", "Choisissez au moins un jour et une prestation."),
        );
    }
    if e.is_empty() && expand(request).is_empty() {
        e.push(
            "days",
            InvalidValue::new(
                "out_of_range",
                "Aucune date de la période ne tombe un des jours choisis.",
            ),
        );
    }
    if e.is_empty() && expand(request).len() > MAX_LINES {
        e.push(
            "to",
            InvalidValue::new(
                "out_of_range",
                format!("Cette semaine type ferait plus de {MAX_LINES} lignes : raccourcissez la période."),
            ),
        );
    }
    e.into_result(())
}

/// Every line of the pattern, date by date from `from` to `to`, in the order of the units
/// given for each weekday.
pub fn expand(request: &WeekPatternRequest) -> Vec<BookingLine> {
    let mut lines = Vec::new();
    let (Some(from), Some(to)) = (request.from, request.to) else {
        return lines;
    };
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return lines;
    }
    let mut date = from;
    while date <= to {
        let weekday = WeekdayCode::of(date);
        for day in request.days.iter().filter(|d| d.weekday == weekday) {
            for unit_id in &day.unit_ids {
                lines.push(BookingLine {
                    child_id: request.child_id,
                    unit_id: *unit_id,
                    date,
                    action: request.action,
                });
            }
        }
        date += Duration::days(1);
    }
    lines
}

/// What each line became, counted: changed (booked, wished or cancelled), already so (a day
/// already booked, nothing to cancel), refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub changed: u32,
    pub unchanged: u32,
    pub refused: u32,
}

/// « 138 jours réservés, 4 refusés, 2 déjà réservés »: the answer's sentence. `per_day`: each
/// weekday has one unit at most, so a line is a day (else they are « réservations »).
pub fn summary(action: LineAction, wish: bool, per_day: bool, tally: Tally) -> String {
    use crate::format::{agree, count};
    let (noun, nouns, feminine) = if per_day {
        ("jour", "jours", false)
    } else {
        ("réservation", "réservations", true)
    };
    let done = match (action, wish) {
        (LineAction::Cancel, _) => ("annulé", "annulés", "annulée", "annulées"),
        (LineAction::Book, true) => ("demandé", "demandés", "demandée", "demandées"),
        (LineAction::Book, false) => ("réservé", "réservés", "réservée", "réservées"),
    };
    let word = |n: u32, m: (&'static str, &'static str, &'static str, &'static str)| {
        if feminine {
            agree(n, m.2, m.3)
        } else {
            agree(n, m.0, m.1)
        }
    };
    let mut parts = vec![format!(
        "{} {}",
        count(tally.changed, noun, nouns),
        word(tally.changed, done)
    )];
    if tally.refused > 0 {
        parts.push(format!(
            "{} {}",
            tally.refused,
            word(tally.refused, ("refusé", "refusés", "refusée", "refusées"))
        ));
    }
    if tally.unchanged > 0 {
        let already = match action {
            LineAction::Book => (
                "déjà réservé",
                "déjà réservés",
                "déjà réservée",
                "déjà réservées",
            ),
            LineAction::Cancel => (
                "sans réservation",
                "sans réservation",
                "sans objet",
                "sans objet",
            ),
        };
        parts.push(format!(
            "{} {}",
            tally.unchanged,
            word(tally.unchanged, already)
        ));
    }
    parts.join(", ")
}

impl WeekdayCode {
    /// The weekday of a date.
    pub fn of(date: NaiveDate) -> Self {
        match date.weekday() {
            chrono::Weekday::Mon => Self::Monday,
            chrono::Weekday::Tue => Self::Tuesday,
            chrono::Weekday::Wed => Self::Wednesday,
            chrono::Weekday::Thu => Self::Thursday,
            chrono::Weekday::Fri => Self::Friday,
            chrono::Weekday::Sat => Self::Saturday,
            chrono::Weekday::Sun => Self::Sunday,
        }
    }
}

/// Units the pattern names, each once (to check they belong to the service).
pub fn units(request: &WeekPatternRequest) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    request
        .days
        .iter()
        .flat_map(|d| d.unit_ids.iter().copied())
        .filter(|u| seen.insert(*u))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ServiceCode;
    use crate::api::WeekPatternDay;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).expect("date")
    }

    fn canteen(from: NaiveDate, to: NaiveDate) -> WeekPatternRequest {
        let meal = Uuid::from_u128(1);
        WeekPatternRequest {
            child_id: Uuid::from_u128(9),
            service: ServiceCode::Restauration,
            action: LineAction::Book,
            from: Some(from),
            to: Some(to),
            days: [
                WeekdayCode::Monday,
                WeekdayCode::Tuesday,
                WeekdayCode::Thursday,
                WeekdayCode::Friday,
            ]
            .into_iter()
            .map(|weekday| WeekPatternDay {
                weekday,
                unit_ids: vec![meal],
            })
            .collect(),
        }
    }

    #[test]
    fn a_pattern_expands_to_its_weekdays_in_the_range_only() {
        // Monday 1 March to Sunday 14 March 2027: two weeks, four days each.
        let lines = expand(&canteen(date(3, 1), date(3, 14)));
        assert_eq!(lines.len(), 8);
        assert!(
            lines
                .iter()
                .all(|l| WeekdayCode::of(l.date) != WeekdayCode::Wednesday)
        );
        assert_eq!(lines.first().map(|l| l.date), Some(date(3, 1)));
        assert_eq!(lines.last().map(|l| l.date), Some(date(3, 12)));
        // A range starting on a Wednesday skips it, and a one-day range is one line.
        assert_eq!(expand(&canteen(date(3, 3), date(3, 4))).len(), 1);
    }

    #[test]
    fn a_school_year_fits_and_a_longer_or_reversed_range_is_refused_in_words() {
        let year = canteen(date(1, 4), date(12, 17));
        assert!(check(&year).is_ok());
        assert!(expand(&year).len() > 180);
        let reversed = check(&canteen(date(3, 14), date(3, 1))).expect_err("reversed");
        assert_eq!(reversed.into_vec()[0].field, "to");
        let too_long = check(&canteen(date(1, 1), date(1, 1) + Duration::days(MAX_DAYS)))
            .expect_err("too long");
        assert!(too_long.into_vec()[0].message.contains("400 jours"));
        let mut empty = canteen(date(3, 1), date(3, 14));
        empty.days.clear();
        assert_eq!(
            check(&empty).expect_err("empty").into_vec()[0].field,
            "days"
        );
        let mut twice = canteen(date(3, 1), date(3, 14));
        twice.days.push(twice.days[0].clone());
        assert!(check(&twice).is_err());
    }

    #[test]
    fn the_summary_counts_and_agrees() {
        let tally = Tally {
            changed: 138,
            unchanged: 0,
            refused: 4,
        };
        assert_eq!(
            summary(LineAction::Book, false, true, tally),
            "138 jours réservés, 4 refusés"
        );
        assert_eq!(
            summary(
                LineAction::Cancel,
                false,
                true,
                Tally {
                    changed: 1,
                    unchanged: 2,
                    refused: 0
                }
            ),
            "1 jour annulé, 2 sans réservation"
        );
        assert_eq!(
            summary(
                LineAction::Book,
                true,
                false,
                Tally {
                    changed: 2,
                    unchanged: 1,
                    refused: 1
                }
            ),
            "2 réservations demandées, 1 refusée, 1 déjà réservée"
        );
    }
}
