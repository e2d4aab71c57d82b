//! The certificates a family asks the town hall for, pure (docs/billing.md, « Attestations »):
//!
//! - the **attestation fiscale** for childcare costs (article 200 quater B du code général des
//!   impôts): per child and calendar year, what the family *paid* that year for the care of a
//!   child under six on 1 January of that year, outside the home — the crèche and the holiday
//!   centre; the school canteen (meals) is excluded. A payment counts in the year it was
//!   received, whatever the month it paid for; it pays the lines of the invoices it settles in
//!   proportion (an invoice of 40 € with 25 € of holiday centre for the child, half paid: 12,50 €);
//!   a credit note takes its lines off the invoice it corrects;
//! - the **attestation de présence**: the days a child was marked present in a service over a
//!   period (for an employer or the CAF).
//!
//! Amounts are integer cents; a share is rounded down, computed on what was paid up to the end of
//! the year minus what was paid before it, so that the certificates of successive years add up
//! exactly to the lines once an invoice is paid in full, and never certify a cent not paid.

use std::collections::HashMap;

use chrono::{Datelike as _, Months, NaiveDate};
use uuid::Uuid;

use crate::ServiceCode;

/// The longest period an attendance certificate covers (a school year and its summer).
pub const MAX_ATTENDANCE_DAYS: i64 = 400;

/// The first year the portal certifies (before it, it had no payments).
pub const FIRST_YEAR: i32 = 2000;

/// Whether `birth` makes a child « âgé de moins de six ans au 1er janvier » of `year`: their
/// sixth birthday comes after that day (a child born during the year counts).
pub fn under_six_on_first_january(birth: NaiveDate, year: i32) -> bool {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return false;
    };
    birth
        .checked_add_months(Months::new(72))
        .is_some_and(|sixth| sixth > first)
}

/// Whether a service's lines are childcare in the tax sense: the crèche and the holiday centre
/// are; the canteen's meals, the RPE and the « affaires scolaires » are not.
pub fn counts_as_childcare(service: ServiceCode) -> bool {
    matches!(service, ServiceCode::Creche | ServiceCode::Alja)
}

/// Why a fiscal certificate cannot be given for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRefusal {
    /// The year has not ended: what will have been paid in it is not known yet.
    NotEnded,
    /// Before the portal: not a year to certify.
    OutOfRange,
}

impl YearRefusal {
    pub fn message_fr(self, year: i32) -> String {
        match self {
            Self::NotEnded => format!(
                "L'attestation fiscale de {year} sera disponible à partir du 1er janvier {} : l'année n'est pas terminée.",
                year.saturating_add(1)
            ),
            Self::OutOfRange => format!("{year} n'est pas une année que le portail peut attester."),
        }
    }
}

/// Whether the fiscal certificate of `year` can be given on `today`: from 1 January of the
/// following year (a year to come has not ended either).
pub fn fiscal_year_check(year: i32, today: NaiveDate) -> Result<(), YearRefusal> {
    if year < FIRST_YEAR {
        return Err(YearRefusal::OutOfRange);
    }
    if year >= today.year() {
        return Err(YearRefusal::NotEnded);
    }
    Ok(())
}

/// Why an attendance period is refused, in French.
pub fn attendance_period_check(
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<(), &'static str> {
    if to < from {
        return Err("La fin de la période précède son début.");
    }
    if from > today {
        return Err(
            "La période commence après aujourd'hui : aucune présence n'y est encore relevée.",
        );
    }
    if to.signed_duration_since(from).num_days() >= MAX_ATTENDANCE_DAYS {
        return Err(
            "Une attestation couvre 400 jours au plus : choisissez une période plus courte.",
        );
    }
    Ok(())
}

/// An invoice as the certificate reads it: what it still invoices once its credit notes are
/// taken off (cents).
#[derive(Debug, Clone, Copy)]
pub struct InvoiceNet {
    pub invoice: Uuid,
    pub net_cents: i64,
}

/// A line of an invoice, or of a credit note (negative) under the invoice it corrects.
#[derive(Debug, Clone, Copy)]
pub struct CareLine {
    pub invoice: Uuid,
    pub child: Uuid,
    pub service: ServiceCode,
    pub amount_cents: i64,
}

/// Money a payment gave an invoice, and the day it was received.
#[derive(Debug, Clone, Copy)]
pub struct Settled {
    pub invoice: Uuid,
    pub received_on: NaiveDate,
    pub amount_cents: i64,
}

/// What was paid in `year` for each (child, service) of childcare, for the children of
/// `births` under six on 1 January of that year. Children and services with nothing paid are
/// left out.
pub fn paid_for_care(
    year: i32,
    births: &HashMap<Uuid, NaiveDate>,
    invoices: &[InvoiceNet],
    lines: &[CareLine],
    settled: &[Settled],
) -> HashMap<(Uuid, ServiceCode), i64> {
    let mut care: HashMap<Uuid, HashMap<(Uuid, ServiceCode), i64>> = HashMap::new();
    for l in lines {
        let eligible = counts_as_childcare(l.service)
            && births
                .get(&l.child)
                .is_some_and(|b| under_six_on_first_january(*b, year));
        if eligible {
            let sum = care
                .entry(l.invoice)
                .or_default()
                .entry((l.child, l.service))
                .or_default();
            *sum = sum.saturating_add(l.amount_cents);
        }
    }
    let mut paid: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for s in settled {
        let (before, through) = paid.entry(s.invoice).or_default();
        if s.received_on.year() < year {
            *before = before.saturating_add(s.amount_cents);
        }
        if s.received_on.year() <= year {
            *through = through.saturating_add(s.amount_cents);
        }
    }
    let mut out: HashMap<(Uuid, ServiceCode), i64> = HashMap::new();
    for invoice in invoices {
        let (Some(shares), Some((before, through))) =
            (care.get(&invoice.invoice), paid.get(&invoice.invoice))
        else {
            continue;
        };
        let net = invoice.net_cents;
        if net <= 0 {
            continue;
        }
        for (key, eligible) in shares {
            let eligible = (*eligible).clamp(0, net);
            let share = |paid: i64| floor_share(paid.clamp(0, net), eligible, net);
            let amount = share(*through).saturating_sub(share(*before));
            if amount > 0 {
                let sum = out.entry(*key).or_default();
                *sum = sum.saturating_add(amount);
            }
        }
    }
    out
}

/// `paid × part / whole`, rounded down (0 ≤ paid ≤ whole, 0 ≤ part ≤ whole, whole > 0).
fn floor_share(paid: i64, part: i64, whole: i64) -> i64 {
    let product = i128::from(paid).saturating_mul(i128::from(part));
    i64::try_from(product.checked_div(i128::from(whole)).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn under_six_means_the_sixth_birthday_comes_after_the_first_of_january() {
        assert!(under_six_on_first_january(d(2020, 1, 2), 2026));
        assert!(!under_six_on_first_january(d(2020, 1, 1), 2026));
        assert!(!under_six_on_first_january(d(2019, 12, 31), 2026));
        assert!(
            under_six_on_first_january(d(2026, 7, 1), 2026),
            "born during the year"
        );
        assert!(under_six_on_first_january(d(2020, 2, 29), 2026));
    }

    #[test]
    fn a_year_is_certified_once_it_has_ended() {
        let today = d(2027, 1, 4);
        assert_eq!(fiscal_year_check(2026, today), Ok(()));
        assert_eq!(fiscal_year_check(2027, today), Err(YearRefusal::NotEnded));
        assert_eq!(fiscal_year_check(2028, today), Err(YearRefusal::NotEnded));
        assert_eq!(fiscal_year_check(1999, today), Err(YearRefusal::OutOfRange));
        assert_eq!(
            YearRefusal::NotEnded.message_fr(2027),
            "L'attestation fiscale de 2027 sera disponible à partir du 1er janvier 2028 : l'année n'est pas terminée."
        );
    }

    #[test]
    fn attendance_periods_are_ordered_started_and_bounded() {
        let today = d(2027, 1, 4);
        assert!(attendance_period_check(d(2026, 9, 1), d(2026, 12, 31), today).is_ok());
        assert!(attendance_period_check(d(2026, 9, 1), d(2027, 8, 31), today).is_ok());
        assert!(attendance_period_check(d(2026, 9, 2), d(2026, 9, 1), today).is_err());
        assert!(attendance_period_check(d(2027, 2, 1), d(2027, 3, 1), today).is_err());
        assert!(attendance_period_check(d(2025, 1, 1), d(2026, 12, 31), today).is_err());
    }

    #[test]
    fn paid_care_is_shared_by_the_lines_meals_and_older_children_excluded() {
        let (invoice, young, old) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let births = HashMap::from([(young, d(2022, 5, 1)), (old, d(2018, 5, 1))]);
        let lines = [
            CareLine {
                invoice,
                child: young,
                service: ServiceCode::Alja,
                amount_cents: 2500,
            },
            CareLine {
                invoice,
                child: young,
                service: ServiceCode::Restauration,
                amount_cents: 770,
            },
            CareLine {
                invoice,
                child: old,
                service: ServiceCode::Alja,
                amount_cents: 730,
            },
        ];
        let invoices = [InvoiceNet {
            invoice,
            net_cents: 4000,
        }];
        // Half paid in 2026, the rest in January 2027.
        let settled = [
            Settled {
                invoice,
                received_on: d(2026, 11, 20),
                amount_cents: 2000,
            },
            Settled {
                invoice,
                received_on: d(2027, 1, 8),
                amount_cents: 2000,
            },
        ];
        let y2026 = paid_for_care(2026, &births, &invoices, &lines, &settled);
        assert_eq!(y2026, HashMap::from([((young, ServiceCode::Alja), 1250)]));
        let y2027 = paid_for_care(2027, &births, &invoices, &lines, &settled);
        assert_eq!(y2027, HashMap::from([((young, ServiceCode::Alja), 1250)]));
        // Nothing paid in 2025.
        assert!(paid_for_care(2025, &births, &invoices, &lines, &settled).is_empty());
    }

    #[test]
    fn a_credit_note_takes_its_lines_off() {
        let (invoice, child) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let births = HashMap::from([(child, d(2023, 1, 1))]);
        let lines = [
            CareLine {
                invoice,
                child,
                service: ServiceCode::Creche,
                amount_cents: 3000,
            },
            CareLine {
                invoice,
                child,
                service: ServiceCode::Creche,
                amount_cents: -1000,
            },
            CareLine {
                invoice,
                child,
                service: ServiceCode::Restauration,
                amount_cents: 1000,
            },
        ];
        let invoices = [InvoiceNet {
            invoice,
            net_cents: 3000,
        }];
        let settled = [Settled {
            invoice,
            received_on: d(2026, 3, 1),
            amount_cents: 3000,
        }];
        assert_eq!(
            paid_for_care(2026, &births, &invoices, &lines, &settled),
            HashMap::from([((child, ServiceCode::Creche), 2000)])
        );
    }

    proptest! {
        /// Year after year, the certificates of one invoice never exceed what was paid, and
        /// add up to its childcare lines exactly once it is paid in full.
        #[test]
        fn the_years_add_up_to_the_lines(
            care in 0_i64..50_000,
            other in 0_i64..50_000,
            parts in proptest::collection::vec((1_i64..20_000, 0_i32..4), 1..6),
        ) {
            let (invoice, child) = (Uuid::from_u128(1), Uuid::from_u128(2));
            let births = HashMap::from([(child, d(2026, 1, 2))]);
            let net = care + other;
            prop_assume!(net > 0);
            let lines = [
                CareLine { invoice, child, service: ServiceCode::Alja, amount_cents: care },
                CareLine { invoice, child, service: ServiceCode::Restauration, amount_cents: other },
            ];
            let mut left = net;
            let mut settled = Vec::new();
            for (amount, offset) in parts {
                let amount = amount.min(left);
                left -= amount;
                settled.push(Settled { invoice, received_on: d(2026 + offset, 6, 1), amount_cents: amount });
            }
            let paid: i64 = settled.iter().map(|s| s.amount_cents).sum();
            let mut total = 0;
            for year in 2026..2030 {
                let year_paid: i64 = settled.iter().filter(|s| s.received_on.year() == year).map(|s| s.amount_cents).sum();
                let got = paid_for_care(year, &births, &[InvoiceNet { invoice, net_cents: net }], &lines, &settled)
                    .get(&(child, ServiceCode::Alja)).copied().unwrap_or(0);
                prop_assert!(got <= year_paid);
                total += got;
            }
            prop_assert!(total <= care);
            if paid == net {
                prop_assert_eq!(total, care);
            }
        }
    }
}
