//! Pre-registration for regular care at the crèche (« Mes préinscriptions en crèche », issue
//! 13), pure: what a request must say to be sent (a child under 4 at the wished start, or an
//! unborn child due soon enough; a start to come; a weekly schedule within the crèche's
//! opening hours, one day at least), how a request moves (draft → sent → in commission →
//! offered → accepted, refused, waiting list, cancelled; an offer lapses after its deadline),
//! and the waiting list's order (ranks without gaps, first come first served unless staff
//! moved someone, with a reason).

use chrono::{NaiveDate, NaiveTime};

use crate::parse::{FieldErrors, InvalidValue};
use crate::rules::planning::age_in_months;
use crate::string_enum;

string_enum! {
    /// Où en est une préinscription.
    pub enum PreRegistrationStatus {
        Draft => ("brouillon", "Brouillon"),
        Sent => ("deposee", "Déposée"),
        InCommission => ("en_commission", "En commission"),
        Offered => ("proposee", "Place proposée"),
        Accepted => ("acceptee", "Acceptée"),
        Refused => ("refusee", "Refusée"),
        WaitingList => ("liste_attente", "Liste d'attente"),
        Cancelled => ("annulee", "Annulée"),
    }
}

/// What happens to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreRegistrationAction {
    /// The family sends its draft.
    Send,
    /// Staff take it to the commission.
    ToCommission,
    /// Staff offer a place (from a date, with an answer deadline).
    Offer,
    /// The family accepts the offered place (before the deadline).
    Accept,
    /// The family declines the offer, or it lapsed: back on the waiting list.
    DeclineOrLapse,
    /// Staff refuse (with a reason).
    Refuse,
    /// Staff put it on the waiting list.
    Wait,
    /// The family withdraws it.
    Cancel,
}

/// The status after `action`, or `None` when the action does not apply to `from`.
pub fn transition(
    from: PreRegistrationStatus,
    action: PreRegistrationAction,
) -> Option<PreRegistrationStatus> {
    use PreRegistrationAction as A;
    use PreRegistrationStatus as S;
    match (from, action) {
        (S::Draft, A::Send) => Some(S::Sent),
        (S::Sent | S::WaitingList, A::ToCommission) => Some(S::InCommission),
        (S::Sent | S::InCommission | S::WaitingList, A::Offer) => Some(S::Offered),
        (S::Offered, A::Accept) => Some(S::Accepted),
        (S::Offered, A::DeclineOrLapse) => Some(S::WaitingList),
        (S::Sent | S::InCommission | S::WaitingList, A::Refuse) => Some(S::Refused),
        (S::Sent | S::InCommission, A::Wait) => Some(S::WaitingList),
        (S::Draft | S::Sent | S::InCommission | S::WaitingList | S::Offered, A::Cancel) => {
            Some(S::Cancelled)
        }
        _ => None,
    }
}

/// Whether a request is still open (a second one for the same child is refused).
/// Why a family may not send a pre-registration yet: the product's rule is « validated
/// families only » (the town hall has checked the household and its documents). `None` when
/// the file is validated.
pub fn cannot_send_because(dossier: crate::api::DossierStatus) -> Option<String> {
    (dossier != crate::api::DossierStatus::Validated).then(|| {
        format!(
            "Votre dossier famille doit être validé par la mairie avant d'envoyer une préinscription (aujourd'hui\u{a0}: {}). Vous pouvez préparer un brouillon en attendant.",
            dossier.label_fr().to_lowercase()
        )
    })
}

pub fn is_open(status: PreRegistrationStatus) -> bool {
    !matches!(
        status,
        PreRegistrationStatus::Accepted
            | PreRegistrationStatus::Refused
            | PreRegistrationStatus::Cancelled
    )
}

/// An offer lapses once its deadline has passed without an answer.
pub fn offer_lapsed(deadline: NaiveDate, today: NaiveDate) -> bool {
    today > deadline
}

/// One weekday of the wished schedule: arrival and departure, local times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySchedule {
    pub arrival: NaiveTime,
    pub departure: NaiveTime,
}

/// Who the request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    Born { birth_date: NaiveDate },
    Unborn { expected_on: NaiveDate },
}

/// The crèche's limits, as the commune sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrecheLimits {
    pub opens_at: NaiveTime,
    pub closes_at: NaiveTime,
    /// Children are taken until their 4th birthday (48 months).
    pub max_age_months: i32,
    /// An unborn child may be pre-registered when due within this many months.
    pub unborn_within_months: u32,
}

impl Default for CrecheLimits {
    fn default() -> Self {
        Self {
            opens_at: NaiveTime::from_hms_opt(7, 30, 0).unwrap_or(NaiveTime::MIN),
            closes_at: NaiveTime::from_hms_opt(18, 30, 0).unwrap_or(NaiveTime::MIN),
            max_age_months: 48,
            unborn_within_months: 9,
        }
    }
}

/// A request as the family fills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreRegistration {
    pub child: Child,
    pub wished_start: NaiveDate,
    /// Monday to Friday (Saturday and Sunday: the crèche is closed).
    pub schedule: [Option<DaySchedule>; 5],
    pub weeks_per_year: u32,
}

/// What a request must say to be sent, every refused field with its French reason.
pub fn check(
    request: &PreRegistration,
    limits: &CrecheLimits,
    today: NaiveDate,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    if request.wished_start <= today {
        e.push(
            "wished_start",
            InvalidValue::new("out_of_range", "La date d'entrée souhaitée est à venir."),
        );
    }
    match request.child {
        Child::Born { birth_date } => {
            if birth_date > today {
                e.push(
                    "birth_date",
                    InvalidValue::new(
                        "out_of_range",
                        "Un enfant né a sa date de naissance passée ; sinon, indiquez la naissance prévue.",
                    ),
                );
            } else if age_in_months(birth_date, request.wished_start) >= limits.max_age_months {
                e.push(
                    "wished_start",
                    InvalidValue::new(
                        "out_of_range",
                        "La crèche accueille les enfants jusqu'à leurs 4 ans : à la date d'entrée souhaitée, l'enfant les aura.",
                    ),
                );
            }
        }
        Child::Unborn { expected_on } => {
            let latest = today
                .checked_add_months(chrono::Months::new(limits.unborn_within_months))
                .unwrap_or(today);
            if expected_on < today || expected_on > latest {
                e.push(
                    "expected_on",
                    InvalidValue::new(
                        "out_of_range",
                        format!(
                            "Un enfant à naître se préinscrit quand la naissance est prévue dans les {} mois.",
                            limits.unborn_within_months
                        ),
                    ),
                );
            } else if request.wished_start < expected_on {
                e.push(
                    "wished_start",
                    InvalidValue::new(
                        "out_of_range",
                        "L'entrée souhaitée suit la naissance prévue.",
                    ),
                );
            }
        }
    }
    let days: Vec<&DaySchedule> = request.schedule.iter().flatten().collect();
    if days.is_empty() {
        e.push(
            "schedule",
            InvalidValue::new("required", "Indiquez au moins un jour d'accueil."),
        );
    } else if days.iter().any(|d| {
        d.arrival >= d.departure || d.arrival < limits.opens_at || d.departure > limits.closes_at
    }) {
        e.push(
            "schedule",
            InvalidValue::new(
                "out_of_range",
                format!(
                    "Chaque jour, l'arrivée précède le départ, entre {} et {} (les heures d'ouverture).",
                    limits.opens_at.format("%H:%M"),
                    limits.closes_at.format("%H:%M")
                ),
            ),
        );
    }
    if !(1..=52).contains(&request.weeks_per_year) {
        e.push(
            "weeks_per_year",
            InvalidValue::new("out_of_range", "De 1 à 52 semaines par an."),
        );
    }
    e.into_result(())
}

pub use crate::rules::waiting_list::{Waiting, waiting_order};

/// The minutes of care a week the schedule asks for.
pub fn weekly_minutes(schedule: &[Option<DaySchedule>; 5]) -> u32 {
    schedule
        .iter()
        .flatten()
        .map(|d| {
            u32::try_from(d.departure.signed_duration_since(d.arrival).num_minutes()).unwrap_or(0)
        })
        .fold(0_u32, u32::saturating_add)
}

/// A document the family uploaded: its type, the child it is for, whether staff refused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uploaded {
    pub document_type: crate::dossier::DocumentType,
    pub child_id: Option<uuid::Uuid>,
    pub refused: bool,
}

/// The documents the commune asks for a pre-registration (`(type, per child)`), each with
/// whether it is provided: uploaded and not refused, for the family or — a per-child one — for
/// this child. A per-child document is not asked for an unborn child.
pub fn documents_provided(
    asked: &[(crate::dossier::DocumentType, bool)],
    child_id: Option<uuid::Uuid>,
    uploaded: &[Uploaded],
) -> Vec<(crate::dossier::DocumentType, bool)> {
    asked
        .iter()
        .filter(|(_, per_child)| !per_child || child_id.is_some())
        .map(|&(document_type, per_child)| {
            let wanted_child = if per_child { child_id } else { None };
            let provided = uploaded.iter().any(|u| {
                u.document_type == document_type && !u.refused && u.child_id == wanted_child
            });
            (document_type, provided)
        })
        .collect()
}

#[cfg(test)]
mod sending_tests {
    use crate::api::DossierStatus;

    #[test]
    fn only_a_validated_family_sends_a_pre_registration() {
        assert_eq!(super::cannot_send_because(DossierStatus::Validated), None);
        for status in [
            DossierStatus::Incomplete,
            DossierStatus::Submitted,
            DossierStatus::InfoRequested,
            DossierStatus::ToReverify,
        ] {
            let reason = super::cannot_send_because(status).expect("refused");
            assert!(reason.contains("doit être validé"), "{reason}");
            assert!(
                reason.contains(&status.label_fr().to_lowercase()),
                "{reason}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    fn request(child: Child, start: NaiveDate) -> PreRegistration {
        let day = Some(DaySchedule {
            arrival: t(8, 30),
            departure: t(17, 0),
        });
        PreRegistration {
            child,
            wished_start: start,
            schedule: [day, day, None, day, None],
            weeks_per_year: 45,
        }
    }

    fn fields(result: Result<(), FieldErrors>) -> Vec<String> {
        result
            .err()
            .map(|e| e.into_vec().into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn age_at_the_wished_start_decides_not_age_today() {
        let limits = CrecheLimits::default();
        let today = d(2026, 12, 2);
        let born = Child::Born {
            birth_date: d(2023, 3, 1),
        };
        // 3 years 10 months at a start in January: taken.
        assert!(check(&request(born, d(2027, 1, 4)), &limits, today).is_ok());
        // 4 years on 1 March 2027: a start that day is refused, the day before is not.
        assert_eq!(
            fields(check(&request(born, d(2027, 3, 1)), &limits, today)),
            ["wished_start"]
        );
        assert!(check(&request(born, d(2027, 2, 28)), &limits, today).is_ok());
    }

    #[test]
    fn an_unborn_child_is_due_within_the_months_set() {
        let limits = CrecheLimits::default();
        let today = d(2026, 12, 2);
        let due = |expected_on| Child::Unborn { expected_on };
        assert!(check(&request(due(d(2027, 5, 10)), d(2027, 9, 1)), &limits, today).is_ok());
        assert_eq!(
            fields(check(
                &request(due(d(2027, 10, 1)), d(2027, 12, 1)),
                &limits,
                today
            )),
            ["expected_on"],
            "due in ten months"
        );
        assert_eq!(
            fields(check(
                &request(due(d(2027, 5, 10)), d(2027, 4, 1)),
                &limits,
                today
            )),
            ["wished_start"],
            "a start before the birth"
        );
    }

    #[test]
    fn the_schedule_is_within_opening_hours_with_one_day_at_least() {
        let limits = CrecheLimits::default();
        let today = d(2026, 12, 2);
        let born = Child::Born {
            birth_date: d(2025, 6, 1),
        };
        let mut none = request(born, d(2027, 1, 4));
        none.schedule = [None; 5];
        assert_eq!(fields(check(&none, &limits, today)), ["schedule"]);
        let mut early = request(born, d(2027, 1, 4));
        early.schedule[0] = Some(DaySchedule {
            arrival: t(7, 0),
            departure: t(12, 0),
        });
        assert_eq!(fields(check(&early, &limits, today)), ["schedule"]);
        let mut backwards = request(born, d(2027, 1, 4));
        backwards.schedule[4] = Some(DaySchedule {
            arrival: t(14, 0),
            departure: t(9, 0),
        });
        assert_eq!(fields(check(&backwards, &limits, today)), ["schedule"]);
        let mut past = request(born, today);
        past.weeks_per_year = 0;
        assert_eq!(
            fields(check(&past, &limits, today)),
            ["wished_start", "weeks_per_year"]
        );
    }

    #[test]
    fn requests_move_only_as_the_commission_does() {
        use PreRegistrationAction as A;
        use PreRegistrationStatus as S;
        let path = [
            (S::Draft, A::Send, S::Sent),
            (S::Sent, A::ToCommission, S::InCommission),
            (S::InCommission, A::Offer, S::Offered),
            (S::Offered, A::DeclineOrLapse, S::WaitingList),
            (S::WaitingList, A::Offer, S::Offered),
            (S::Offered, A::Accept, S::Accepted),
        ];
        for (from, action, to) in path {
            assert_eq!(transition(from, action), Some(to), "{from:?} {action:?}");
        }
        assert_eq!(
            transition(S::Draft, A::Offer),
            None,
            "a draft is not offered"
        );
        assert_eq!(transition(S::Accepted, A::Cancel), None);
        assert_eq!(transition(S::Refused, A::Offer), None);
        assert!(!is_open(S::Cancelled) && is_open(S::WaitingList));
        assert!(!offer_lapsed(d(2027, 1, 10), d(2027, 1, 10)));
        assert!(offer_lapsed(d(2027, 1, 10), d(2027, 1, 11)));
    }

    #[test]
    fn the_waiting_list_is_first_come_first_served_around_staffs_moves() {
        let at = |minute| {
            Utc.with_ymd_and_hms(2027, 1, 4, 9, minute, 0)
                .single()
                .expect("t")
        };
        let list = [
            Waiting {
                id: 1,
                joined: at(0),
                placed_at: None,
            },
            Waiting {
                id: 2,
                joined: at(1),
                placed_at: None,
            },
            Waiting {
                id: 3,
                joined: at(2),
                placed_at: Some(1),
            },
            Waiting {
                id: 4,
                joined: at(3),
                placed_at: None,
            },
        ];
        assert_eq!(waiting_order(&list), vec![(3, 1), (1, 2), (2, 3), (4, 4)]);
    }

    proptest! {
        /// Whatever staff did, every request has one rank, from 1 without gaps, and those not
        /// moved keep their order of arrival.
        #[test]
        fn ranks_have_no_gaps_and_arrivals_keep_their_order(
            raw in prop::collection::vec((0_u32..1000, prop::option::of(1_u32..20)), 0..30)
        ) {
            let list: Vec<Waiting<usize>> = raw
                .iter()
                .enumerate()
                .map(|(id, (minute, placed_at))| Waiting {
                    id,
                    joined: Utc.timestamp_opt(i64::from(*minute) * 60, 0).single().expect("t"),
                    placed_at: *placed_at,
                })
                .collect();
            let order = waiting_order(&list);
            prop_assert_eq!(order.len(), list.len());
            let ranks: Vec<u32> = order.iter().map(|(_, r)| *r).collect();
            prop_assert_eq!(ranks, (1..=u32::try_from(list.len()).unwrap_or(0)).collect::<Vec<_>>());
            let arrivals: Vec<(chrono::DateTime<Utc>, usize)> = order
                .iter()
                .filter_map(|(id, _)| list.iter().find(|w| w.id == *id))
                .filter(|w| w.placed_at.is_none())
                .map(|w| (w.joined, w.id))
                .collect();
            let mut sorted = arrivals.clone();
            sorted.sort();
            prop_assert_eq!(arrivals, sorted);
        }
    }

    #[test]
    fn weekly_minutes_add_the_days() {
        let day = |a: (u32, u32), b: (u32, u32)| {
            Some(DaySchedule {
                arrival: t(a.0, a.1),
                departure: t(b.0, b.1),
            })
        };
        assert_eq!(
            weekly_minutes(&[
                day((8, 30), (17, 0)),
                None,
                day((9, 0), (12, 15)),
                None,
                None
            ]),
            8 * 60 + 30 + 3 * 60 + 15
        );
        assert_eq!(weekly_minutes(&[None; 5]), 0);
    }

    #[test]
    fn documents_are_provided_per_family_or_per_child_and_not_when_refused() {
        use crate::dossier::DocumentType as T;
        let child = uuid::Uuid::from_u128(7);
        let other = uuid::Uuid::from_u128(8);
        let asked = [(T::TaxNotice, false), (T::VaccinationRecord, true)];
        let uploaded = [
            Uploaded {
                document_type: T::TaxNotice,
                child_id: None,
                refused: true,
            },
            Uploaded {
                document_type: T::VaccinationRecord,
                child_id: Some(other),
                refused: false,
            },
        ];
        assert_eq!(
            documents_provided(&asked, Some(child), &uploaded),
            vec![(T::TaxNotice, false), (T::VaccinationRecord, false)]
        );
        let uploaded = [
            Uploaded {
                document_type: T::TaxNotice,
                child_id: None,
                refused: false,
            },
            Uploaded {
                document_type: T::VaccinationRecord,
                child_id: Some(child),
                refused: false,
            },
        ];
        assert_eq!(
            documents_provided(&asked, Some(child), &uploaded),
            vec![(T::TaxNotice, true), (T::VaccinationRecord, true)]
        );
        // An unborn child: only the family's documents are asked.
        assert_eq!(
            documents_provided(&asked, None, &uploaded),
            vec![(T::TaxNotice, true)]
        );
    }
}
