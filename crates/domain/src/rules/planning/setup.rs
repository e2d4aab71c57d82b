//! What staff may set up: periods, units, a day's capacity, a service's rules, decisions on
//! wishes. Checked here so that the server refuses (422, per field, in French) and the web app
//! shows the same message next to the field; a value out of range is refused, never clamped.

use chrono::{Datelike as _, NaiveDate};

use crate::api::{
    CapacityRequest, PeriodRequest, RequestDecisionLine, ServiceRulesDto, UnitRequest,
};
use crate::parse::{FieldErrors, InvalidValue, required_text};

/// Longest name of a period or a unit (it is shown in every family's month).
pub const MAX_NAME_LEN: usize = 80;
/// Most closed dates in one period.
pub const MAX_CLOSED_DATES: usize = 366;
/// Most places on one day for one unit.
pub const MAX_CAPACITY: u32 = 10_000;
/// A cut-off further than this many days is a mistake.
pub const MAX_CUTOFF_DAYS: u32 = 60;
/// Ages are given in months, up to 25 years.
pub const MAX_AGE_MONTHS: u32 = 300;
/// The highest unit price, in cents (1,000 €).
pub const MAX_PRICE_CENTS: i64 = 100_000;
/// Decisions on wishes in one request.
pub const MAX_DECISIONS: usize = 500;
/// Longest reason given for declining a wish.
pub const MAX_REASON_LEN: usize = 500;

/// Dates staff may plan: from 2000 to 2100.
pub fn plannable(date: NaiveDate) -> bool {
    (2000..=2100).contains(&date.year())
}

fn out_of_range(message: impl Into<String>) -> InvalidValue {
    InvalidValue::new("out_of_range", message)
}

fn invalid(message: impl Into<String>) -> InvalidValue {
    InvalidValue::new("invalid", message)
}

fn into_result(errors: FieldErrors) -> Result<(), FieldErrors> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_date(errors: &mut FieldErrors, field: &str, date: NaiveDate) {
    if !plannable(date) {
        errors.push(
            field,
            out_of_range("Choisissez une date entre 2000 et 2100."),
        );
    }
}

pub fn check_period(request: &PeriodRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    errors.check("name", required_text(&request.name, MAX_NAME_LEN));
    check_date(&mut errors, "starts_on", request.starts_on);
    check_date(&mut errors, "ends_on", request.ends_on);
    check_date(
        &mut errors,
        "booking_opens_at",
        request.booking_opens_at.date(),
    );
    check_date(
        &mut errors,
        "booking_closes_at",
        request.booking_closes_at.date(),
    );
    if request.ends_on < request.starts_on {
        errors.push(
            "ends_on",
            invalid("La fin de la période précède son début."),
        );
    }
    if request.booking_closes_at <= request.booking_opens_at {
        errors.push(
            "booking_closes_at",
            invalid("La fermeture des réservations doit suivre leur ouverture."),
        );
    }
    if !request.open_weekdays.iter().any(|d| *d) {
        errors.push(
            "open_weekdays",
            invalid("Choisissez au moins un jour d'ouverture."),
        );
    }
    if request.closed_dates.len() > MAX_CLOSED_DATES {
        errors.push(
            "closed_dates",
            out_of_range(format!(
                "Au plus {MAX_CLOSED_DATES} jours fermés par période."
            )),
        );
    } else if request.closed_dates.iter().any(|d| !plannable(*d)) {
        errors.push(
            "closed_dates",
            out_of_range("Choisissez des dates entre 2000 et 2100."),
        );
    }
    into_result(errors)
}

pub fn check_unit(request: &UnitRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    errors.check("name", required_text(&request.name, MAX_NAME_LEN));
    if request.default_capacity > MAX_CAPACITY {
        errors.push(
            "default_capacity",
            out_of_range(format!("Au plus {MAX_CAPACITY} places.")),
        );
    }
    if let Some(price) = request.price_cents
        && !(0..=MAX_PRICE_CENTS).contains(&price)
    {
        errors.push(
            "price_cents",
            out_of_range("Le prix est compris entre 0 et 1 000 €."),
        );
    }
    match (request.starts_at, request.ends_at) {
        (None, None) => {}
        (Some(start), Some(end)) => {
            if super::units::TimeRange::new(start, end).is_none() {
                errors.push(
                    "ends_at",
                    invalid("La fin doit suivre le début, le même jour."),
                );
            }
        }
        (None, Some(_)) => errors.push(
            "starts_at",
            InvalidValue::new("required", "Donnez l'heure de début avec l'heure de fin."),
        ),
        (Some(_), None) => errors.push(
            "ends_at",
            InvalidValue::new("required", "Donnez l'heure de fin avec l'heure de début."),
        ),
    }
    if !(0..=1000).contains(&request.position) {
        errors.push(
            "position",
            out_of_range("La position est comprise entre 0 et 1000."),
        );
    }
    into_result(errors)
}

pub fn check_capacity(request: &CapacityRequest) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    check_date(&mut errors, "date", request.date);
    if request.capacity > MAX_CAPACITY {
        errors.push(
            "capacity",
            out_of_range(format!("Au plus {MAX_CAPACITY} places.")),
        );
    }
    into_result(errors)
}

pub fn check_rules(rules: &ServiceRulesDto) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if rules.cutoff_days.is_some() != rules.cutoff_time.is_some() {
        errors.push(
            "cutoff_time",
            InvalidValue::new("required", "Un délai se donne en jours et à une heure."),
        );
    }
    if !(1..=crate::rules::waiting_list::MAX_OFFER_HOURS).contains(&rules.offer_hours) {
        errors.push(
            "offer_hours",
            out_of_range(format!(
                "Une place se garde de 1 à {} heures.",
                crate::rules::waiting_list::MAX_OFFER_HOURS
            )),
        );
    }
    if rules.cutoff_days.is_some_and(|d| d > MAX_CUTOFF_DAYS) {
        errors.push(
            "cutoff_days",
            out_of_range(format!("Le délai est d'au plus {MAX_CUTOFF_DAYS} jours.")),
        );
    }
    for (field, age) in [
        ("min_age_months", rules.min_age_months),
        ("max_age_months", rules.max_age_months),
    ] {
        if age.is_some_and(|a| a > MAX_AGE_MONTHS) {
            errors.push(
                field,
                out_of_range(format!(
                    "Un âge se donne en mois, au plus {MAX_AGE_MONTHS}."
                )),
            );
        }
    }
    if let (Some(min), Some(max)) = (rules.min_age_months, rules.max_age_months)
        && min > max
    {
        errors.push(
            "max_age_months",
            invalid("L'âge maximal est inférieur à l'âge minimal."),
        );
    }
    into_result(errors)
}

pub fn check_decisions(decisions: &[RequestDecisionLine]) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if decisions.is_empty() || decisions.len() > MAX_DECISIONS {
        errors.push(
            "decisions",
            InvalidValue::new(
                "invalid_size",
                format!("Entre 1 et {MAX_DECISIONS} décisions à la fois."),
            ),
        );
    }
    if decisions
        .iter()
        .filter_map(|d| d.reason.as_deref())
        .any(|r| crate::parse::message_text(r, MAX_REASON_LEN).is_err())
    {
        errors.push(
            "reason",
            invalid(format!(
                "Un motif compte au plus {MAX_REASON_LEN} caractères, sans caractère de contrôle."
            )),
        );
    }
    into_result(errors)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;
    use crate::ServiceCode;
    use crate::api::RequestDecision;
    use crate::rules::planning::BookingMode;

    fn rules() -> ServiceRulesDto {
        ServiceRulesDto {
            mode: BookingMode::Instant,
            cutoff_days: Some(2),
            cutoff_time: NaiveTime::from_hms_opt(10, 0, 0),
            cutoff_working_days: false,
            weekday_rule: None,
            min_age_months: Some(36),
            max_age_months: Some(143),
            waiting_list: crate::rules::waiting_list::WaitingListMode::Auto,
            offer_hours: 24,
        }
    }

    fn fields(result: Result<(), FieldErrors>) -> Vec<String> {
        result
            .err()
            .map(|e| e.into_vec().into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_cutoff_beyond_i32_is_refused_not_dropped() {
        let mut huge = rules();
        huge.cutoff_days = Some(2_147_483_648);
        assert_eq!(fields(check_rules(&huge)), ["cutoff_days"]);
        huge.cutoff_days = Some(MAX_CUTOFF_DAYS);
        assert!(check_rules(&huge).is_ok());
    }

    #[test]
    fn ages_beyond_the_range_and_inverted_ages_are_refused() {
        let mut r = rules();
        r.max_age_months = Some(u32::MAX);
        assert_eq!(fields(check_rules(&r)), ["max_age_months"]);
        r.max_age_months = Some(12);
        assert_eq!(fields(check_rules(&r)), ["max_age_months"]);
        r.cutoff_time = None;
        assert_eq!(fields(check_rules(&r)), ["cutoff_time", "max_age_months"]);
    }

    #[test]
    fn a_unit_with_a_nul_a_long_name_a_huge_capacity_or_a_negative_price_is_refused() {
        let unit = |name: &str, capacity: u32, price: i64| UnitRequest {
            service: ServiceCode::Alja,
            name: name.to_owned(),
            default_capacity: capacity,
            price_cents: Some(price),
            position: 0,
            starts_at: None,
            ends_at: None,
        };
        assert!(check_unit(&unit("Matin", 20, 450)).is_ok());
        assert_eq!(fields(check_unit(&unit("Ma\0tin", 20, 450))), ["name"]);
        assert_eq!(
            fields(check_unit(&unit(&"x".repeat(100_000), 20, 450))),
            ["name"]
        );
        assert_eq!(
            fields(check_unit(&unit("Matin", u32::MAX, 450))),
            ["default_capacity"]
        );
        assert_eq!(fields(check_unit(&unit("Matin", 20, -1))), ["price_cents"]);
        let at = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0);
        let mut hours = unit("Matin", 20, 450);
        hours.starts_at = at(12);
        hours.ends_at = at(8);
        assert_eq!(fields(check_unit(&hours)), ["ends_at"]);
        hours.ends_at = None;
        assert_eq!(fields(check_unit(&hours)), ["ends_at"]);
        hours.ends_at = at(18);
        assert!(check_unit(&hours).is_ok());
    }

    #[test]
    fn a_period_that_ends_before_it_starts_or_in_year_zero_is_refused() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let mut period = PeriodRequest {
            service: ServiceCode::Alja,
            name: "Vacances d'été 2027".to_owned(),
            starts_on: day(2027, 7, 5),
            ends_on: day(2027, 8, 27),
            booking_opens_at: day(2027, 5, 3).and_hms_opt(9, 0, 0).expect("time"),
            booking_closes_at: day(2027, 6, 30).and_hms_opt(18, 0, 0).expect("time"),
            open_weekdays: [true, true, true, true, true, false, false],
            closed_dates: vec![],
        };
        assert!(check_period(&period).is_ok());
        period.ends_on = day(2027, 7, 1);
        assert_eq!(fields(check_period(&period)), ["ends_on"]);
        period.ends_on = day(2027, 8, 27);
        period.starts_on = day(0, 1, 1);
        assert_eq!(fields(check_period(&period)), ["starts_on"]);
        period.starts_on = day(2027, 7, 5);
        period.open_weekdays = [false; 7];
        assert_eq!(fields(check_period(&period)), ["open_weekdays"]);
    }

    #[test]
    fn decisions_come_by_one_to_five_hundred_with_short_reasons() {
        let line = |reason: Option<&str>| RequestDecisionLine {
            booking_id: uuid::Uuid::nil(),
            decision: RequestDecision::Decline,
            reason: reason.map(str::to_owned),
        };
        assert_eq!(fields(check_decisions(&[])), ["decisions"]);
        assert!(check_decisions(&[line(Some("Complet"))]).is_ok());
        assert_eq!(fields(check_decisions(&[line(Some("a\0b"))])), ["reason"]);
        let many: Vec<_> = (0..=MAX_DECISIONS).map(|_| line(None)).collect();
        assert_eq!(fields(check_decisions(&many)), ["decisions"]);
    }
}
