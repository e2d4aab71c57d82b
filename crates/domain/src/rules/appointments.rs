//! Appointments for « aide aux démarches » (issue 24, point 5), pure: which desk, who may run
//! it, the slots a day's opening makes, and whether a slot can still be taken.
//!
//! The note: « une aide pourra être proposée sur rendez-vous en mairie (CCAS ou affaires
//! scolaires) ». The « affaires scolaires » desk is run by the agents who hold that service;
//! the CCAS is not a service of the portal, so its desk is the administrators'.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike as _};

use crate::ServiceCode;
use crate::auth::ServiceScope;
use crate::parse::{FieldErrors, InvalidValue};
use crate::string_enum;

string_enum! {
    /// Le guichet qui reçoit : le CCAS ou les affaires scolaires.
    pub enum AppointmentDesk {
        Ccas => ("ccas", "CCAS"),
        Scolaire => ("scolaire", "Affaires scolaires"),
    }
}

impl AppointmentDesk {
    /// Whether a staff member of `scope` runs this desk: the « affaires scolaires » for the
    /// agents holding that service, the CCAS for administrators.
    pub fn run_by(self, scope: &ServiceScope) -> bool {
        match self {
            Self::Scolaire => scope.allows(ServiceCode::Scolaire),
            Self::Ccas => scope.allows_all(),
        }
    }
}

string_enum! {
    /// Où en est un rendez-vous.
    pub enum AppointmentStatus {
        Booked => ("booked", "Prévu"),
        Came => ("came", "Venu"),
        Absent => ("absent", "Absent"),
        Cancelled => ("cancelled", "Annulé"),
    }
}

impl AppointmentStatus {
    /// Whether the appointment holds a place of its slot.
    pub fn holds_a_place(self) -> bool {
        !matches!(self, Self::Cancelled)
    }
}

/// A slot lasts 10 minutes to 3 hours.
pub const LENGTHS: std::ops::RangeInclusive<u32> = 10..=180;
/// At most 10 people at once.
pub const CAPACITIES: std::ops::RangeInclusive<u32> = 1..=10;
/// One opening makes 48 slots at most.
pub const MAX_SLOTS: usize = 48;
/// A past appointment (a caller's name, phone number and reason) is deleted by the retention
/// job this many days after its day: long enough to call back about it, no longer.
pub const KEEP_DAYS: i64 = 92;
/// The public page shows the slots of the next 60 days.
pub const PUBLIC_DAYS: i64 = 60;

/// « 09:30 » → 9 h 30 (whole minutes).
pub fn parse_time(raw: &str) -> Result<NaiveTime, InvalidValue> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| InvalidValue::invalid_format("Indiquez une heure, par exemple 09:30."))
}

/// « 9 h 30 », « 14 h ».
pub fn time_fr(time: NaiveTime) -> String {
    match time.minute() {
        0 => format!("{} h", time.hour()),
        m => format!("{} h {m:02}", time.hour()),
    }
}

/// The starts of the slots of an opening from `from` to `to`, every `length` minutes (a slot
/// ends by `to`), or the fields' errors in French; `today` refuses a day gone.
pub fn opening(
    date: NaiveDate,
    from: &str,
    to: &str,
    length: u32,
    capacity: u32,
    today: NaiveDate,
) -> Result<Vec<NaiveTime>, FieldErrors> {
    let mut e = FieldErrors::default();
    if date < today {
        e.push(
            "date",
            InvalidValue::new(
                "in_the_past",
                "Ce jour est passé : choisissez un jour à venir.",
            ),
        );
    }
    let start = e.check("from", parse_time(from));
    let end = e.check("to", parse_time(to));
    if !LENGTHS.contains(&length) {
        e.push(
            "length_minutes",
            InvalidValue::new("out_of_range", "Un rendez-vous dure de 10 à 180 minutes."),
        );
    }
    if !CAPACITIES.contains(&capacity) {
        e.push(
            "capacity",
            InvalidValue::new("out_of_range", "De 1 à 10 personnes à la fois."),
        );
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(e);
    };
    let step = Duration::minutes(i64::from(length));
    let mut starts = Vec::new();
    let mut at = start;
    while LENGTHS.contains(&length) && at < end && end.signed_duration_since(at) >= step {
        starts.push(at);
        let next = at.overflowing_add_signed(step).0;
        if next <= at {
            break;
        }
        at = next;
    }
    if starts.is_empty() && LENGTHS.contains(&length) {
        e.push(
            "to",
            InvalidValue::new(
                "too_short",
                "La fin doit laisser place à un rendez-vous au moins après le début.",
            ),
        );
    }
    if starts.len() > MAX_SLOTS {
        e.push(
            "to",
            InvalidValue::new(
                "too_many",
                format!("Une ouverture fait {MAX_SLOTS} créneaux au plus : raccourcissez-la."),
            ),
        );
    }
    e.into_result(starts)
}

/// Whether a slot starting at `start` on `date` can still be taken at `now` (Paris wall
/// clock): it has not begun.
pub fn still_to_come(date: NaiveDate, start: NaiveTime, now: NaiveDateTime) -> bool {
    date.and_time(start) > now
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn an_opening_makes_slots_that_end_by_its_end() {
        let today = d(2027, 1, 4);
        let starts = opening(d(2027, 1, 12), "09:00", "11:45", 30, 1, today).expect("valid");
        let shown: Vec<String> = starts.iter().map(|t| time_fr(*t)).collect();
        assert_eq!(shown, ["9 h", "9 h 30", "10 h", "10 h 30", "11 h"]);
        assert!(opening(d(2027, 1, 12), "09:00", "09:20", 30, 1, today).is_err());
        assert!(opening(d(2027, 1, 3), "09:00", "12:00", 30, 1, today).is_err());
        assert!(opening(d(2027, 1, 12), "9h", "12:00", 30, 1, today).is_err());
        assert!(
            opening(d(2027, 1, 12), "08:00", "20:00", 10, 1, today).is_err(),
            "72 slots"
        );
        assert!(opening(d(2027, 1, 12), "09:00", "12:00", 5, 1, today).is_err());
        assert!(opening(d(2027, 1, 12), "09:00", "12:00", 30, 0, today).is_err());
        assert!(opening(d(2027, 1, 12), "23:30", "23:59", 10, 1, today).is_ok());
    }

    #[test]
    fn the_desks_are_run_by_their_staff() {
        let scolaire = ServiceScope::Only(vec![ServiceCode::Scolaire]);
        let creche = ServiceScope::Only(vec![ServiceCode::Creche]);
        assert!(AppointmentDesk::Scolaire.run_by(&scolaire));
        assert!(!AppointmentDesk::Scolaire.run_by(&creche));
        assert!(!AppointmentDesk::Ccas.run_by(&scolaire));
        assert!(AppointmentDesk::Ccas.run_by(&ServiceScope::All));
    }
}
