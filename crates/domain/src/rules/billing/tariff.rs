//! Dated tariffs and the price of one line. A tariff belongs to a service's unit and is valid
//! from a day (to a day, or open): old months keep their old prices. Its price depends on the
//! family's quotient familial (QF) by brackets the commune sets; a non-resident rate and a
//! sibling rate may apply; a meal taken without booking has its own price; a late
//! cancellation is charged; an absence with a medical certificate is not.

use chrono::NaiveDate;

use super::mul_div_round;
use crate::format::euros;
use crate::parse::{FieldErrors, InvalidValue};

/// The highest price the portal accepts for one unit (1,000 €).
pub const MAX_PRICE_CENTS: i64 = 100_000;

/// A family's quotient familial, as « Mon foyer » holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FamilyQuotient {
    pub amount: Option<u32>,
    /// The year of the CAF (or MSA) statement.
    pub year: Option<i32>,
    /// The statement was accepted by staff (« attestation CAF » document).
    pub proof_accepted: bool,
}

/// Why a family pays the highest bracket: said on the invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighestBecause {
    Missing,
    Outdated { year: i32 },
    NotProven,
}

impl HighestBecause {
    pub fn label_fr(self) -> String {
        match self {
            Self::Missing => "quotient familial non communiqué".to_owned(),
            Self::Outdated { year } => {
                format!("attestation de quotient familial de {year}, trop ancienne")
            }
            Self::NotProven => "attestation de quotient familial pas encore validée".to_owned(),
        }
    }
}

/// One bracket: QFs up to `up_to` included (the last bracket has none: everything above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    pub up_to: Option<u32>,
    pub price_cents: i64,
}

/// The price from the second child of a family on the same day and service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiblingRate {
    /// A reduction in percent of the price (10 = 10 % less).
    PercentOff(u8),
    /// A price of its own.
    Fixed(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// By increasing QF; the last one without bound.
    pub brackets: Vec<Bracket>,
    pub non_resident_cents: Option<i64>,
    pub sibling: Option<SiblingRate>,
    /// A meal taken without booking (present on the sheet, not booked).
    pub unbooked_cents: Option<i64>,
}

/// What happened to a line, as the attendance sheet and the bookings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendance {
    Booked,
    /// Present without a booking.
    Unbooked,
    /// Cancelled after the cut-off: charged.
    CancelledLate,
    /// Absent with a medical certificate: not charged.
    Excused,
    /// Booked, marked absent without a certificate: charged.
    Absent,
}

/// What a line's price depends on besides the tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineContext {
    pub quotient: FamilyQuotient,
    /// The year of the day served: a QF statement of that year, the one before or a later one
    /// is current.
    pub year: i32,
    pub resident: bool,
    /// 1 for the family's first child on that day and service, 2 for the second…
    pub sibling_rank: u32,
    pub attendance: Attendance,
}

/// Which rule gave the price, for the invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRule {
    Bracket {
        number: usize,
        highest_because: Option<HighestBecause>,
    },
    NonResident,
    Unbooked,
    Excused,
}

/// A line's unit price and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePrice {
    pub unit_price_cents: i64,
    pub rule: PriceRule,
    pub sibling: bool,
    pub late_cancellation: bool,
    pub unexcused_absence: bool,
}

impl LinePrice {
    /// « Tranche 2 », « Tranche 4 (tarif le plus haut : quotient familial non communiqué) »,
    /// « Hors commune », « Repas non réservé », « Absence justifiée », with « tarif fratrie »
    /// and « annulation tardive » when they apply.
    pub fn label_fr(&self) -> String {
        let mut label = match self.rule {
            PriceRule::Bracket {
                number,
                highest_because: None,
            } => format!("Tranche {number}"),
            PriceRule::Bracket {
                number,
                highest_because: Some(why),
            } => {
                format!("Tranche {number} (tarif le plus haut : {})", why.label_fr())
            }
            PriceRule::NonResident => "Tarif hors commune".to_owned(),
            PriceRule::Unbooked => "Repas pris sans réservation".to_owned(),
            PriceRule::Excused => "Absence justifiée, non facturée".to_owned(),
        };
        if self.sibling {
            label.push_str(", tarif fratrie");
        }
        if self.late_cancellation {
            label.push_str(", annulation tardive");
        }
        if self.unexcused_absence {
            label.push_str(", absence non justifiée");
        }
        label
    }
}

impl Tariff {
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.valid_from && self.valid_to.is_none_or(|end| day <= end)
    }

    /// The bracket for a QF (numbered from 1), or the highest with the reason when the QF is
    /// missing, older than the year before the day served, or not proven. A statement of a
    /// later year than the day served (January's invoice for December) is newer, not older:
    /// it is current.
    pub fn bracket_for(
        &self,
        quotient: FamilyQuotient,
        year: i32,
    ) -> (usize, Option<HighestBecause>) {
        let highest = self.brackets.len();
        let reason = match (quotient.amount, quotient.year) {
            (None, _) | (_, None) => Some(HighestBecause::Missing),
            (Some(_), Some(y)) if y < year.saturating_sub(1) => {
                Some(HighestBecause::Outdated { year: y })
            }
            _ if !quotient.proof_accepted => Some(HighestBecause::NotProven),
            _ => None,
        };
        if reason.is_some() {
            return (highest, reason);
        }
        let qf = quotient.amount.unwrap_or(u32::MAX);
        let index = self
            .brackets
            .iter()
            .position(|b| b.up_to.is_none_or(|bound| qf <= bound))
            .unwrap_or(highest.saturating_sub(1));
        (index.saturating_add(1), None)
    }

    /// The unit price of one line.
    pub fn price(&self, line: LineContext) -> LinePrice {
        let late_cancellation = line.attendance == Attendance::CancelledLate;
        let unexcused_absence = line.attendance == Attendance::Absent;
        if line.attendance == Attendance::Excused {
            return LinePrice {
                unit_price_cents: 0,
                rule: PriceRule::Excused,
                sibling: false,
                late_cancellation,
                unexcused_absence,
            };
        }
        if line.attendance == Attendance::Unbooked
            && let Some(price) = self.unbooked_cents
        {
            return LinePrice {
                unit_price_cents: price,
                rule: PriceRule::Unbooked,
                sibling: false,
                late_cancellation,
                unexcused_absence,
            };
        }
        let (base, rule) = match (line.resident, self.non_resident_cents) {
            (false, Some(price)) => (price, PriceRule::NonResident),
            _ => {
                let (number, highest_because) = self.bracket_for(line.quotient, line.year);
                let price = self
                    .brackets
                    .get(number.saturating_sub(1))
                    .map_or(0, |b| b.price_cents);
                (
                    price,
                    PriceRule::Bracket {
                        number,
                        highest_because,
                    },
                )
            }
        };
        let (unit_price_cents, sibling) = match (self.sibling, line.sibling_rank >= 2) {
            (Some(SiblingRate::PercentOff(off)), true) => (
                mul_div_round(base, 100_i64.saturating_sub(i64::from(off)), 100).unwrap_or(base),
                true,
            ),
            (Some(SiblingRate::Fixed(price)), true) => (price.min(base), true),
            _ => (base, false),
        };
        LinePrice {
            unit_price_cents,
            rule,
            sibling,
            late_cancellation,
            unexcused_absence,
        }
    }

    /// What staff may save: dates in order, brackets by increasing bound with the last one
    /// open, every price between 0 and 1,000 €, a reduction of at most 100 %.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.valid_to.is_some_and(|end| end < self.valid_from) {
            e.push(
                "valid_to",
                InvalidValue::new(
                    "out_of_range",
                    "La fin de validité ne peut pas précéder son début.",
                ),
            );
        }
        let bounds: Vec<Option<u32>> = self.brackets.iter().map(|b| b.up_to).collect();
        let ordered = bounds.split_last().is_some_and(|(last, rest)| {
            last.is_none()
                && rest.iter().all(Option::is_some)
                && rest.windows(2).all(|w| w[0] < w[1])
        });
        if !ordered {
            e.push(
                "brackets",
                InvalidValue::new(
                    "invalid_format",
                    "Les tranches vont par quotient croissant ; la dernière n'a pas de plafond.",
                ),
            );
        }
        let prices = self
            .brackets
            .iter()
            .map(|b| b.price_cents)
            .chain(self.non_resident_cents)
            .chain(self.unbooked_cents)
            .chain(match self.sibling {
                Some(SiblingRate::Fixed(price)) => Some(price),
                _ => None,
            });
        let mut prices_ok = true;
        for price in prices {
            prices_ok &= (0..=MAX_PRICE_CENTS).contains(&price);
        }
        if !prices_ok {
            e.push(
                "price_cents",
                InvalidValue::new(
                    "out_of_range",
                    format!(
                        "Chaque prix est compris entre {} et {}.",
                        euros(0),
                        euros(MAX_PRICE_CENTS)
                    ),
                ),
            );
        }
        if matches!(self.sibling, Some(SiblingRate::PercentOff(off)) if off > 100) {
            e.push(
                "sibling",
                InvalidValue::new("out_of_range", "Une réduction ne dépasse pas 100 %."),
            );
        }
        e.into_result(())
    }
}

/// The tariff in force on `day` among a unit's tariffs (the latest started, if several do).
pub fn in_force(tariffs: &[Tariff], day: NaiveDate) -> Option<&Tariff> {
    tariffs
        .iter()
        .filter(|t| t.covers(day))
        .max_by_key(|t| t.valid_from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// A canteen meal: 1.50 € up to QF 600, 2.80 € up to 900, 3.50 € above; 5.49 € taken
    /// without booking; 4.20 € for a non-resident; 10 % off from the second child.
    fn canteen() -> Tariff {
        Tariff {
            valid_from: d(2026, 9, 1),
            valid_to: Some(d(2027, 8, 31)),
            brackets: vec![
                Bracket {
                    up_to: Some(600),
                    price_cents: 150,
                },
                Bracket {
                    up_to: Some(900),
                    price_cents: 280,
                },
                Bracket {
                    up_to: None,
                    price_cents: 350,
                },
            ],
            non_resident_cents: Some(420),
            sibling: Some(SiblingRate::PercentOff(10)),
            unbooked_cents: Some(549),
        }
    }

    fn proven(amount: u32, year: i32) -> FamilyQuotient {
        FamilyQuotient {
            amount: Some(amount),
            year: Some(year),
            proof_accepted: true,
        }
    }

    fn line(quotient: FamilyQuotient) -> LineContext {
        LineContext {
            quotient,
            year: 2027,
            resident: true,
            sibling_rank: 1,
            attendance: Attendance::Booked,
        }
    }

    #[test]
    fn a_bracket_includes_its_upper_bound() {
        let t = canteen();
        assert_eq!(t.bracket_for(proven(0, 2027), 2027), (1, None));
        assert_eq!(t.bracket_for(proven(600, 2027), 2027), (1, None));
        assert_eq!(t.bracket_for(proven(601, 2027), 2027), (2, None));
        assert_eq!(t.bracket_for(proven(900, 2026), 2027), (2, None));
        assert_eq!(t.bracket_for(proven(901, 2027), 2027), (3, None));
        assert_eq!(t.price(line(proven(600, 2027))).unit_price_cents, 150);
        assert_eq!(t.price(line(proven(601, 2027))).unit_price_cents, 280);
    }

    #[test]
    fn the_highest_bracket_applies_without_a_current_proven_quotient_and_says_why() {
        let t = canteen();
        let missing = t.price(line(FamilyQuotient::default()));
        assert_eq!(missing.unit_price_cents, 350);
        assert_eq!(
            missing.label_fr(),
            "Tranche 3 (tarif le plus haut : quotient familial non communiqué)"
        );
        let old = t.price(line(proven(400, 2025)));
        assert_eq!(
            old.rule,
            PriceRule::Bracket {
                number: 3,
                highest_because: Some(HighestBecause::Outdated { year: 2025 })
            }
        );
        let unproven = t.price(line(FamilyQuotient {
            proof_accepted: false,
            ..proven(400, 2027)
        }));
        assert_eq!(unproven.unit_price_cents, 350);
        assert_eq!(
            unproven.label_fr(),
            "Tranche 3 (tarif le plus haut : attestation de quotient familial pas encore validée)"
        );
        // A statement of the year served or of the year before is current.
        assert_eq!(t.price(line(proven(400, 2026))).unit_price_cents, 150);
        // January's invoice for December: the new year's statement is current too.
        assert_eq!(t.price(line(proven(400, 2028))).unit_price_cents, 150);
    }

    #[test]
    fn non_residents_siblings_unbooked_meals_late_cancellations_and_excused_absences() {
        let t = canteen();
        let base = line(proven(700, 2027));
        let away = t.price(LineContext {
            resident: false,
            ..base
        });
        assert_eq!(
            (away.unit_price_cents, away.label_fr().as_str()),
            (420, "Tarif hors commune")
        );
        let second = t.price(LineContext {
            sibling_rank: 2,
            ..base
        });
        assert_eq!(second.unit_price_cents, 252); // 2.80 € − 10 %
        assert_eq!(second.label_fr(), "Tranche 2, tarif fratrie");
        let unbooked = t.price(LineContext {
            attendance: Attendance::Unbooked,
            ..base
        });
        assert_eq!(
            (unbooked.unit_price_cents, unbooked.rule),
            (549, PriceRule::Unbooked)
        );
        let late = t.price(LineContext {
            attendance: Attendance::CancelledLate,
            ..base
        });
        assert_eq!(late.unit_price_cents, 280);
        assert_eq!(late.label_fr(), "Tranche 2, annulation tardive");
        let absent = t.price(LineContext {
            attendance: Attendance::Absent,
            ..base
        });
        assert_eq!(
            (absent.unit_price_cents, absent.label_fr().as_str()),
            (280, "Tranche 2, absence non justifiée")
        );
        let excused = t.price(LineContext {
            attendance: Attendance::Excused,
            ..base
        });
        assert_eq!(
            (excused.unit_price_cents, excused.rule),
            (0, PriceRule::Excused)
        );
        let fixed = Tariff {
            sibling: Some(SiblingRate::Fixed(100)),
            ..canteen()
        };
        assert_eq!(
            fixed
                .price(LineContext {
                    sibling_rank: 3,
                    ..base
                })
                .unit_price_cents,
            100
        );
    }

    #[test]
    fn old_months_keep_old_prices() {
        let old = Tariff {
            valid_from: d(2025, 9, 1),
            valid_to: Some(d(2026, 8, 31)),
            ..canteen()
        };
        let new = canteen();
        let list = [new.clone(), old.clone()];
        assert_eq!(in_force(&list, d(2026, 6, 15)), Some(&old));
        assert_eq!(in_force(&list, d(2026, 9, 1)), Some(&new));
        assert_eq!(in_force(&list, d(2027, 9, 1)), None);
    }

    #[test]
    fn staff_cannot_save_a_tariff_that_makes_no_sense() {
        assert!(canteen().check().is_ok());
        let unordered = Tariff {
            brackets: vec![
                Bracket {
                    up_to: Some(900),
                    price_cents: 150,
                },
                Bracket {
                    up_to: Some(600),
                    price_cents: 280,
                },
                Bracket {
                    up_to: None,
                    price_cents: 350,
                },
            ],
            ..canteen()
        };
        assert_eq!(
            unordered.check().expect_err("refused").into_vec()[0].field,
            "brackets"
        );
        let capped_last = Tariff {
            brackets: vec![Bracket {
                up_to: Some(600),
                price_cents: 150,
            }],
            ..canteen()
        };
        assert!(capped_last.check().is_err());
        let empty = Tariff {
            brackets: vec![],
            ..canteen()
        };
        assert!(empty.check().is_err());
        let negative = Tariff {
            unbooked_cents: Some(-1),
            ..canteen()
        };
        assert_eq!(
            negative.check().expect_err("refused").into_vec()[0].field,
            "price_cents"
        );
        let backwards = Tariff {
            valid_to: Some(d(2026, 1, 1)),
            ..canteen()
        };
        assert_eq!(
            backwards.check().expect_err("refused").into_vec()[0].field,
            "valid_to"
        );
        let too_much_off = Tariff {
            sibling: Some(SiblingRate::PercentOff(101)),
            ..canteen()
        };
        assert_eq!(
            too_much_off.check().expect_err("refused").into_vec()[0].field,
            "sibling"
        );
    }

    proptest! {
        #[test]
        fn a_higher_quotient_never_pays_less_with_increasing_brackets(a in 0_u32..5_000, b in 0_u32..5_000) {
            let t = canteen();
            let (low, high) = (a.min(b), a.max(b));
            let price = |qf| t.price(line(proven(qf, 2027))).unit_price_cents;
            prop_assert!(price(low) <= price(high));
            let (number, why) = t.bracket_for(proven(a, 2027), 2027);
            prop_assert!((1..=3).contains(&number));
            prop_assert!(why.is_none());
        }

        #[test]
        fn a_sibling_never_pays_more_than_the_first_child(qf in 0_u32..5_000, off in 0_u8..=100, rank in 2_u32..6) {
            let t = Tariff { sibling: Some(SiblingRate::PercentOff(off)), ..canteen() };
            let first = t.price(line(proven(qf, 2027))).unit_price_cents;
            let other = t.price(LineContext { sibling_rank: rank, ..line(proven(qf, 2027)) }).unit_price_cents;
            prop_assert!(other <= first && other >= 0);
        }
    }
}
