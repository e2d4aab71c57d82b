//! Booking rules: is this date, for this child, in this service, bookable (or cancellable)
//! now? Every rule takes the current instant as an argument. Local times are Europe/Paris.

pub mod calendar;
pub mod recap;
pub mod setup;
pub mod units;
pub mod week_pattern;

use chrono::{
    DateTime, Datelike as _, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Utc,
    Weekday,
};
use chrono_tz::Europe::Paris;

use crate::string_enum;

string_enum! {
    /// Instant booking, or a wish that staff accept or decline.
    pub enum BookingMode {
        Instant => ("instant", "Réservation immédiate"),
        Request => ("request", "Souhait à valider par la structure"),
    }
}

string_enum! {
    /// A restriction on the day a request may be entered.
    pub enum WeekdayRule {
        /// « chaque lundi pour la semaine suivante uniquement ».
        MondayForNextWeek => ("monday_for_next_week", "Le lundi, pour la semaine suivante uniquement"),
    }
}

string_enum! {
    /// Why a line of the recap is refused. The label is the French reason shown to parents.
    pub enum RefusalCode {
        FamilyNotValidated => ("family_not_validated", "Votre dossier doit être validé par la mairie avant toute réservation."),
        UnknownChild => ("unknown_child", "Cet enfant n'est pas dans votre dossier."),
        UnknownUnit => ("unknown_unit", "Cette prestation n'existe pas pour ce service."),
        ChildNotEligible => ("child_not_eligible", "L'âge de l'enfant ne correspond pas à ce service."),
        OutsidePeriod => ("outside_period", "Cette date n'est dans aucune période proposée à la réservation."),
        WindowNotOpen => ("window_not_open", "Les réservations pour cette période ne sont pas encore ouvertes."),
        WindowClosed => ("window_closed", "Les réservations pour cette période sont closes."),
        DayClosed => ("day_closed", "La structure est fermée ce jour-là."),
        CutoffPassed => ("cutoff_passed", "Le délai est dépassé pour réserver ou annuler ce jour-là."),
        NotMonday => ("not_monday", "Les souhaits de réservation se saisissent uniquement le lundi."),
        NotNextWeek => ("not_next_week", "Les souhaits ne portent que sur la semaine suivante, du lundi au vendredi."),
        Full => ("full", "Complet : il n'y a plus de place ce jour-là."),
        AlreadyBooked => ("already_booked", "Cet enfant est déjà inscrit, ou a déjà un souhait, ce jour-là."),
        NotBooked => ("not_booked", "Il n'y a pas de réservation à annuler ce jour-là."),
        DuplicateLine => ("duplicate_line", "Cette ligne figure deux fois dans le récapitulatif."),
        OverlappingUnit => ("overlapping_unit", "Cet enfant a déjà, ce jour-là, une prestation sur les mêmes heures."),
        UnpaidInvoices => ("unpaid_invoices", "Des factures échues restent impayées : les nouvelles réservations sont suspendues. Réglez-les dans «\u{a0}Mes factures\u{a0}» ou contactez la mairie."),
    }
}

/// « N jours avant à HH:MM », optionally counting working days only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoff {
    pub days_before: u32,
    pub at: NaiveTime,
    pub working_days_only: bool,
}

/// A service's rules, as staff set them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRules {
    pub mode: BookingMode,
    pub cutoff: Option<Cutoff>,
    pub weekday_rule: Option<WeekdayRule>,
    pub min_age_months: Option<u32>,
    pub max_age_months: Option<u32>,
}

/// A period's dates, opening days and booking window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRules {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Monday first.
    pub open_weekdays: [bool; 7],
    pub closed_dates: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Book,
    Cancel,
}

/// A local (Paris) date and time as an instant; in the spring-forward gap, the first instant
/// after it; in the autumn overlap, the first of the two.
pub fn paris_instant(local: NaiveDateTime) -> DateTime<Utc> {
    let mut candidate = local;
    for _ in 0..4 {
        if let Some(instant) = Paris.from_local_datetime(&candidate).earliest() {
            return instant.with_timezone(&Utc);
        }
        candidate += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&local)
}

pub fn paris_now(now: DateTime<Utc>) -> NaiveDateTime {
    now.with_timezone(&Paris).naive_local()
}

impl PeriodRules {
    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.starts_on..=self.ends_on).contains(&date)
    }

    /// Open that day: an opening weekday, not a closed date, not a public holiday.
    pub fn is_open(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday().num_days_from_monday() as usize;
        self.covers(date)
            && self.open_weekdays[weekday]
            && !self.closed_dates.contains(&date)
            && !calendar::is_public_holiday(date)
    }
}

impl Cutoff {
    /// The last instant to book or cancel `date`.
    pub fn deadline(&self, date: NaiveDate) -> DateTime<Utc> {
        let day = if self.working_days_only {
            calendar::working_days_before(date, self.days_before)
        } else {
            date - Duration::days(i64::from(self.days_before))
        };
        paris_instant(day.and_time(self.at))
    }
}

/// Whether a child is of the service's ages on `date`, for every line booked: a service with an
/// age range does not take a child whose birth date is unknown.
pub fn eligible_on(service: &ServiceRules, birth: Option<NaiveDate>, date: NaiveDate) -> bool {
    if service.min_age_months.is_none() && service.max_age_months.is_none() {
        return true;
    }
    let Some(birth) = birth else {
        return false;
    };
    let months = i64::from(age_in_months(birth, date));
    service
        .min_age_months
        .is_none_or(|min| months >= i64::from(min))
        && service
            .max_age_months
            .is_none_or(|max| months <= i64::from(max))
}

/// Whether « Mon planning » offers a service for a child: old enough within the coming year
/// and not yet too old (each date is then checked on its own).
pub fn offered_for_age(
    birth: Option<NaiveDate>,
    today: NaiveDate,
    min_age_months: Option<u32>,
    max_age_months: Option<u32>,
) -> bool {
    let Some(birth) = birth else {
        return true;
    };
    let now = age_in_months(birth, today);
    let within_a_year = now + 12;
    max_age_months.is_none_or(|max| now <= i32::try_from(max).unwrap_or(i32::MAX))
        && min_age_months.is_none_or(|min| within_a_year >= i32::try_from(min).unwrap_or(0))
}

/// Months of age on a date.
pub fn age_in_months(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut months = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() {
        months -= 1;
    }
    months
}

/// The Monday-to-Friday of the week after `now` (Paris), when `now` is a Monday.
pub fn next_week(now: DateTime<Utc>) -> Option<(NaiveDate, NaiveDate)> {
    let today = paris_now(now).date();
    (today.weekday() == Weekday::Mon)
        .then(|| (today + Duration::days(7), today + Duration::days(11)))
}

use crate::format::day_of_month_fr as day_of_month;

/// The crèche's rule said once, with its dates (« Les souhaits pour la semaine du 14 au 18
/// décembre se saisissent le lundi 7 décembre. »; on a Monday, « Aujourd'hui… »).
pub fn wishes_notice(now: DateTime<Utc>) -> String {
    use crate::format::month_fr;
    let today = paris_now(now).date();
    let to_monday = (7 - i64::from(today.weekday().num_days_from_monday())) % 7;
    let monday = today + Duration::days(to_monday);
    let (from, to) = (monday + Duration::days(7), monday + Duration::days(11));
    let week = if from.month() == to.month() {
        format!(
            "du {} au {} {}",
            day_of_month(from),
            day_of_month(to),
            month_fr(to.month())
        )
    } else {
        format!(
            "du {} {} au {} {}",
            day_of_month(from),
            month_fr(from.month()),
            day_of_month(to),
            month_fr(to.month())
        )
    };
    if to_monday == 0 {
        format!(
            "Aujourd'hui lundi {} {} : saisissez vos souhaits pour la semaine {week}. La structure vous répondra par e-mail.",
            day_of_month(monday),
            month_fr(monday.month())
        )
    } else {
        format!(
            "Les souhaits pour la semaine {week} se saisissent le lundi {} {}.",
            day_of_month(monday),
            month_fr(monday.month())
        )
    }
}

/// « lundi 14 décembre 2026 à 10 h » (« à 10 h 30 »), in Paris time.
pub fn instant_fr(instant: DateTime<Utc>) -> String {
    let local = paris_now(instant);
    let time = local.time();
    let hour = chrono::Timelike::hour(&time);
    let minute = chrono::Timelike::minute(&time);
    let at = if minute == 0 {
        format!("{hour}\u{a0}h")
    } else {
        format!("{hour}\u{a0}h\u{a0}{minute:02}")
    };
    format!("{} à {at}", crate::format::date_fr(local.date()))
}

/// Why a line is refused, with the dates that make it so: which deadline passed, when the
/// booking window opens or closed. The other refusals say their label.
pub fn explain(
    code: RefusalCode,
    service: &ServiceRules,
    period: Option<&PeriodRules>,
    date: NaiveDate,
) -> String {
    match (code, service.cutoff, period) {
        (RefusalCode::CutoffPassed, Some(cutoff), _) => format!(
            "Délai dépassé : ce jour se réservait ou s'annulait jusqu'au {}.",
            instant_fr(cutoff.deadline(date))
        ),
        (RefusalCode::WindowNotOpen, _, Some(period)) => format!(
            "Les réservations de cette période ouvrent le {}.",
            instant_fr(period.opens_at)
        ),
        (RefusalCode::NotMonday | RefusalCode::NotNextWeek, _, _) => {
            "Pas de souhait possible ce jour-là : voir la règle au-dessus du calendrier.".to_owned()
        }
        (RefusalCode::WindowClosed, _, Some(period)) => format!(
            "Les réservations de cette période sont closes depuis le {}.",
            instant_fr(period.closes_at)
        ),
        _ => code.label_fr().to_owned(),
    }
}

/// The month a parent's grid opens on for a service (its first day): the first month, from
/// today, with a day of a period whose booking window is open now; else the first month of the
/// period whose window opens next (the grid then says when); else `None` (today's month, with
/// nothing to book). Today's month when an open period covers today.
pub fn month_to_open<'a>(
    periods: impl IntoIterator<Item = &'a PeriodRules>,
    now: DateTime<Utc>,
) -> Option<NaiveDate> {
    let today = paris_now(now).date();
    let mut open: Option<NaiveDate> = None;
    let mut upcoming: Option<(DateTime<Utc>, NaiveDate)> = None;
    for period in periods {
        if period.ends_on < today || now >= period.closes_at {
            continue;
        }
        let first_day = period.starts_on.max(today);
        let month = first_day.with_day(1).unwrap_or(first_day);
        if now >= period.opens_at {
            open = Some(open.map_or(month, |m| m.min(month)));
        } else if upcoming.is_none_or(|(opens, _)| period.opens_at < opens) {
            upcoming = Some((period.opens_at, month));
        }
    }
    open.or(upcoming.map(|(_, month)| month))
}

/// The dates a typical week covers when the family names none: from today (or the first
/// period's start) to the end of the last period whose booking window is open now; else the
/// period whose window opens next; `None` when no period is to come.
pub fn bookable_range<'a>(
    periods: impl IntoIterator<Item = &'a PeriodRules>,
    now: DateTime<Utc>,
) -> Option<(NaiveDate, NaiveDate)> {
    let today = paris_now(now).date();
    let mut open: Option<(NaiveDate, NaiveDate)> = None;
    let mut upcoming: Option<(DateTime<Utc>, NaiveDate, NaiveDate)> = None;
    for period in periods {
        if period.ends_on < today || now >= period.closes_at {
            continue;
        }
        let from = period.starts_on.max(today);
        if now >= period.opens_at {
            open = Some(open.map_or((from, period.ends_on), |(f, t)| {
                (f.min(from), t.max(period.ends_on))
            }));
        } else if upcoming.is_none_or(|(opens, _, _)| period.opens_at < opens) {
            upcoming = Some((period.opens_at, from, period.ends_on));
        }
    }
    open.or(upcoming.map(|(_, from, to)| (from, to)))
}

/// The rules of one line, without capacity (checked in the database) nor the family's status.
pub fn check(
    now: DateTime<Utc>,
    service: &ServiceRules,
    period: Option<&PeriodRules>,
    date: NaiveDate,
    child_birth: Option<NaiveDate>,
    action: Action,
) -> Result<(), RefusalCode> {
    let period = period
        .filter(|p| p.covers(date))
        .ok_or(RefusalCode::OutsidePeriod)?;
    if !period.is_open(date) {
        return Err(RefusalCode::DayClosed);
    }
    if action == Action::Book && !eligible_on(service, child_birth, date) {
        return Err(RefusalCode::ChildNotEligible);
    }
    if action == Action::Book {
        if now < period.opens_at {
            return Err(RefusalCode::WindowNotOpen);
        }
        if now >= period.closes_at {
            return Err(RefusalCode::WindowClosed);
        }
    }
    if service
        .cutoff
        .is_some_and(|cutoff| now >= cutoff.deadline(date))
    {
        return Err(RefusalCode::CutoffPassed);
    }
    if service.weekday_rule == Some(WeekdayRule::MondayForNextWeek) && action == Action::Book {
        let (monday, friday) = next_week(now).ok_or(RefusalCode::NotMonday)?;
        if !(monday..=friday).contains(&date) {
            return Err(RefusalCode::NotNextWeek);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
