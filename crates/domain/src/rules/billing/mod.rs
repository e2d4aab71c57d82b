//! Billing rules (issue « Mes factures »), pure: money is integer cents (`i64`), rates are
//! integers too, and every rounding is written once here. `docs/billing.md` explains them.
//!
//! - [`psu`]: the crèche's hourly rate (CNAF « prestation de service unique »);
//! - [`tariff`]: dated tariffs with quotient-familial brackets, non-resident and sibling rates,
//!   and the price of one line (booked, taken without booking, cancelled late, excused);
//! - [`invoice`]: numbers, statuses, the age of what is owed, sibling ranks, residence;
//! - [`certificate`]: what a year's payments certify for childcare (attestation fiscale), and
//!   the attendance certificate's period.

pub mod certificate;
pub mod invoice;
pub mod psu;
pub mod run;
pub mod sepa;
pub mod tariff;

/// `amount × numerator / denominator`, rounded to the nearest cent, halves away from zero
/// (« arrondi commercial »: 1.545 € → 1.55 €, −1.545 € → −1.55 €). Computed on 128 bits: no
/// product of cents and rates can overflow. `None` when `denominator` is 0 or the result does
/// not fit in `i64`.
pub fn mul_div_round(amount: i64, numerator: i64, denominator: i64) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let product = i128::from(amount).checked_mul(i128::from(numerator))?;
    let denominator = i128::from(denominator);
    let (product, denominator) = if denominator < 0 {
        (product.checked_neg()?, denominator.checked_neg()?)
    } else {
        (product, denominator)
    };
    let half = denominator / 2;
    let rounded = if product >= 0 {
        product.checked_add(half)? / denominator
    } else {
        product.checked_sub(half)? / denominator
    };
    // An odd denominator has no exact half: `half` is then floor(d/2), which rounds correctly.
    i64::try_from(rounded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(mul_div_round(1545, 1, 10), Some(155)); // 154.5 → 155
        assert_eq!(mul_div_round(-1545, 1, 10), Some(-155));
        assert_eq!(mul_div_round(1544, 1, 10), Some(154));
        assert_eq!(mul_div_round(300_000, 516, 1_000_000), Some(155)); // 154.8
        assert_eq!(mul_div_round(1, 1, 0), None);
        assert_eq!(mul_div_round(i64::MAX, i64::MAX, 1), None);
        assert_eq!(mul_div_round(10, 1, -4), Some(-3)); // −2.5 → −3
    }

    proptest! {
        #[test]
        fn the_rounded_value_is_within_half_a_cent(a in -10_000_000_i64..10_000_000, n in 0_i64..1_000_000, d in 1_i64..1_000_000) {
            let rounded = mul_div_round(a, n, d).expect("fits");
            let exact = i128::from(a) * i128::from(n);
            let error = (i128::from(rounded) * i128::from(d) - exact).abs();
            // |rounded − exact/d| ≤ 1/2, ties away from zero.
            prop_assert!(2 * error <= i128::from(d));
        }
    }
}
