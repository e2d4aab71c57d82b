//! The crèche's hourly rate under the CNAF's « prestation de service unique » (PSU): the
//! household's monthly resources, held between the floor and the ceiling in force, times the
//! « taux d'effort » for its number of dependent children. Every figure is a dated parameter
//! the administrator sets (the floor changes each January, the ceiling and the scale on CNAF
//! decisions): nothing here is a constant of the law.

use chrono::NaiveDate;

use super::mul_div_round;
use crate::parse::{FieldErrors, InvalidValue};

/// One million: rates are in millionths of the monthly resources, per hour of care
/// (0.0619 % = 619).
pub const PPM: i64 = 1_000_000;

/// The PSU figures in force from a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PsuParameters {
    pub valid_from: NaiveDate,
    /// Monthly resources below it count as it (« plancher »), in cents.
    pub floor_cents: i64,
    /// Monthly resources above it count as it (« plafond »), in cents.
    pub ceiling_cents: i64,
    /// The hourly « taux d'effort », in millionths, for 1, 2, 3, 4 to 7, and 8 or more
    /// dependent children.
    pub rates_ppm: [i64; 5],
}

/// The CNAF scale of 2026 (0.0619 %, 0.0516 %, 0.0413 %, 0.0310 %, 0.0206 %).
pub const RATES_2026_PPM: [i64; 5] = [619, 516, 413, 310, 206];

impl PsuParameters {
    /// The rate for `children` dependent children (a child with the AEEH in the family counts
    /// as one more: pass it in `aeeh`). `None` without any child.
    pub fn rate_ppm(&self, children: u32, aeeh: bool) -> Option<i64> {
        let counted = children.checked_add(u32::from(aeeh))?;
        let index = match counted {
            0 => return None,
            1..=3 => usize::try_from(counted - 1).ok()?,
            4..=7 => 3,
            _ => 4,
        };
        self.rates_ppm.get(index).copied()
    }

    /// The hourly rate in cents: resources held between floor and ceiling, times the rate,
    /// rounded to the nearest cent, halves up (3,000 € and 2 children: 1.548 € → 1.55 €).
    pub fn hourly_rate_cents(
        &self,
        monthly_resources_cents: i64,
        children: u32,
        aeeh: bool,
    ) -> Option<i64> {
        let resources = monthly_resources_cents.clamp(self.floor_cents, self.ceiling_cents);
        mul_div_round(resources, self.rate_ppm(children, aeeh)?, PPM)
    }

    /// What an administrator may set: a floor of zero or more, a ceiling not below it, rates
    /// above zero, at most 1 % an hour, that never rise with more children.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        if self.floor_cents < 0 {
            e.push(
                "floor_cents",
                InvalidValue::new("out_of_range", "Le plancher ne peut pas être négatif."),
            );
        }
        if self.ceiling_cents < self.floor_cents {
            e.push(
                "ceiling_cents",
                InvalidValue::new(
                    "out_of_range",
                    "Le plafond ne peut pas être inférieur au plancher.",
                ),
            );
        }
        let in_range = self.rates_ppm.iter().all(|r| (1..=10_000).contains(r));
        let non_increasing = self.rates_ppm.windows(2).all(|w| w[1] <= w[0]);
        if !in_range || !non_increasing {
            e.push(
                "rates_ppm",
                InvalidValue::new(
                    "out_of_range",
                    "Chaque taux d'effort est compris entre 0,0001 % et 1 %, et ne monte pas avec le nombre d'enfants.",
                ),
            );
        }
        e.into_result(())
    }
}

/// The parameters in force on `day`: the latest that started on or before it.
pub fn in_force(parameters: &[PsuParameters], day: NaiveDate) -> Option<&PsuParameters> {
    parameters
        .iter()
        .filter(|p| p.valid_from <= day)
        .max_by_key(|p| p.valid_from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// The ceiling of 8,500 € since 1 September 2025; the floor is an example (the
    /// administrator sets the real one each January).
    fn scale() -> PsuParameters {
        PsuParameters {
            valid_from: d(2025, 9, 1),
            floor_cents: 80_000,
            ceiling_cents: 850_000,
            rates_ppm: RATES_2026_PPM,
        }
    }

    #[test]
    fn the_worked_example_3000_euros_and_two_children_is_1_55_an_hour() {
        assert_eq!(scale().hourly_rate_cents(300_000, 2, false), Some(155));
    }

    #[test]
    fn the_rate_follows_the_children_and_the_aeeh_counts_one_more() {
        let p = scale();
        let rates: Vec<Option<i64>> = (0..=9).map(|n| p.rate_ppm(n, false)).collect();
        assert_eq!(
            rates,
            [
                None,
                Some(619),
                Some(516),
                Some(413),
                Some(310),
                Some(310),
                Some(310),
                Some(310),
                Some(206),
                Some(206)
            ]
        );
        assert_eq!(p.rate_ppm(1, true), Some(516));
        assert_eq!(p.rate_ppm(7, true), Some(206));
        assert_eq!(p.rate_ppm(0, true), Some(619));
    }

    #[test]
    fn resources_are_held_between_the_floor_and_the_ceiling() {
        let p = scale();
        // 0 € counts as the floor (800 €): 800 × 0.0619 % = 0.4952 → 0.50 €.
        assert_eq!(p.hourly_rate_cents(0, 1, false), Some(50));
        // 20,000 € counts as the ceiling (8,500 €): 8,500 × 0.0619 % = 5.2615 → 5.26 €.
        assert_eq!(p.hourly_rate_cents(2_000_000, 1, false), Some(526));
        assert_eq!(p.hourly_rate_cents(850_000, 1, false), Some(526));
    }

    #[test]
    fn the_parameters_in_force_are_the_latest_started() {
        let before = PsuParameters {
            valid_from: d(2024, 9, 1),
            ceiling_cents: 700_000,
            ..scale()
        };
        let list = [scale(), before.clone()];
        assert_eq!(in_force(&list, d(2025, 8, 31)), Some(&before));
        assert_eq!(
            in_force(&list, d(2025, 9, 1)).map(|p| p.ceiling_cents),
            Some(850_000)
        );
        assert_eq!(in_force(&list, d(2024, 1, 1)), None);
    }

    #[test]
    fn an_administrator_cannot_set_a_scale_that_makes_no_sense() {
        assert!(scale().check().is_ok());
        let upside_down = PsuParameters {
            floor_cents: 900_000,
            ..scale()
        };
        assert_eq!(
            upside_down.check().expect_err("refused").into_vec()[0].field,
            "ceiling_cents"
        );
        let rising = PsuParameters {
            rates_ppm: [516, 619, 413, 310, 206],
            ..scale()
        };
        assert_eq!(
            rising.check().expect_err("refused").into_vec()[0].field,
            "rates_ppm"
        );
        let zero = PsuParameters {
            rates_ppm: [619, 516, 413, 310, 0],
            ..scale()
        };
        assert!(zero.check().is_err());
    }

    proptest! {
        #[test]
        fn more_resources_never_cost_less_and_more_children_never_cost_more(
            r1 in 0_i64..3_000_000, r2 in 0_i64..3_000_000, n in 1_u32..12, aeeh in any::<bool>()
        ) {
            let p = scale();
            let (low, high) = (r1.min(r2), r1.max(r2));
            prop_assert!(p.hourly_rate_cents(low, n, aeeh) <= p.hourly_rate_cents(high, n, aeeh));
            prop_assert!(p.hourly_rate_cents(r1, n + 1, aeeh) <= p.hourly_rate_cents(r1, n, aeeh));
            // Always between the floor's and the ceiling's rate.
            let rate = p.hourly_rate_cents(r1, n, aeeh).expect("a child");
            prop_assert!(rate >= p.hourly_rate_cents(0, n, aeeh).expect("floor"));
            prop_assert!(rate <= p.hourly_rate_cents(i64::MAX, n, aeeh).expect("ceiling"));
        }
    }
}
