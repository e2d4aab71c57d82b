//! Invoices as the family and the treasury read them: the number, the status, the age of what
//! is owed, and which child counts as a sibling on a day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::string_enum;

/// An invoice number: the year and a sequence without gaps within it, « 2027-000123 ».
pub fn invoice_number(year: i32, sequence: u32) -> String {
    format!("{year:04}-{sequence:06}")
}

/// The year and sequence of « 2027-000123 », or `None` for anything else.
pub fn parse_invoice_number(text: &str) -> Option<(i32, u32)> {
    let (year, sequence) = text.split_once('-')?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(sequence, 6) {
        return None;
    }
    let sequence: u32 = sequence.parse().ok()?;
    (sequence > 0).then_some((year.parse().ok()?, sequence))
}

string_enum! {
    /// Where an invoice stands for the family.
    pub enum InvoiceStatus {
        Due => ("a_payer", "À payer"),
        PartlyPaid => ("partiellement_payee", "Partiellement payée"),
        Paid => ("payee", "Payée"),
        Late => ("en_retard", "En retard"),
        Cancelled => ("annulee", "Annulée"),
        /// Sent to the bank in a direct-debit file, not settled nor returned yet.
        DebitPending => ("prelevement_en_cours", "Prélèvement en cours"),
    }
}

/// The status from the amounts (cents) and the dates: cancelled by a credit note, paid when
/// nothing is left, late when something is left after the due date, else partly paid or due.
pub fn status(
    total_cents: i64,
    paid_cents: i64,
    due_on: NaiveDate,
    today: NaiveDate,
    cancelled: bool,
) -> InvoiceStatus {
    if cancelled {
        InvoiceStatus::Cancelled
    } else if paid_cents >= total_cents {
        InvoiceStatus::Paid
    } else if today > due_on {
        InvoiceStatus::Late
    } else if paid_cents > 0 {
        InvoiceStatus::PartlyPaid
    } else {
        InvoiceStatus::Due
    }
}

/// The columns of the outstanding list: days past the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeBucket {
    /// Not due yet, or up to 30 days late.
    UpTo30,
    Days31To60,
    Over60,
}

pub fn age_bucket(due_on: NaiveDate, today: NaiveDate) -> AgeBucket {
    match (today - due_on).num_days() {
        ..=30 => AgeBucket::UpTo30,
        31..=60 => AgeBucket::Days31To60,
        _ => AgeBucket::Over60,
    }
}

/// Each child's rank among the family's children on the same day and service (1 for the
/// first): the eldest first, then by id for twins. `children` are `(child id, birth date)`.
pub fn sibling_ranks<Id: Ord + Copy>(children: &[(Id, NaiveDate)]) -> Vec<(Id, u32)> {
    let mut sorted: Vec<(Id, NaiveDate)> = children.to_vec();
    sorted.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    sorted.dedup_by(|a, b| a.0 == b.0);
    sorted
        .into_iter()
        .zip(1_u32..)
        .map(|((id, _), rank)| (id, rank))
        .collect()
}

/// Whether a household lives in the commune: its postal code is one of the commune's.
pub fn is_resident(postal_code: &str, commune_postal_codes: &[&str]) -> bool {
    let code = postal_code.trim();
    commune_postal_codes.iter().any(|c| c.trim() == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn numbers_read_back_and_nothing_else_does() {
        assert_eq!(invoice_number(2027, 123), "2027-000123");
        assert_eq!(parse_invoice_number("2027-000123"), Some((2027, 123)));
        for bad in [
            "2027-123",
            "27-000123",
            "2027-000000",
            "2027_000123",
            "2027-00012a",
            "",
            "2027-0001234",
        ] {
            assert_eq!(parse_invoice_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_status_follows_payments_and_the_due_date() {
        let due = d(2027, 1, 15);
        assert_eq!(
            status(5000, 0, due, d(2027, 1, 10), false),
            InvoiceStatus::Due
        );
        assert_eq!(
            status(5000, 2000, due, d(2027, 1, 15), false),
            InvoiceStatus::PartlyPaid
        );
        assert_eq!(
            status(5000, 2000, due, d(2027, 1, 16), false),
            InvoiceStatus::Late
        );
        assert_eq!(
            status(5000, 5000, due, d(2027, 3, 1), false),
            InvoiceStatus::Paid
        );
        assert_eq!(
            status(5000, 6000, due, d(2027, 3, 1), false),
            InvoiceStatus::Paid
        );
        assert_eq!(
            status(5000, 0, due, d(2027, 1, 1), true),
            InvoiceStatus::Cancelled
        );
        assert_eq!(InvoiceStatus::PartlyPaid.label_fr(), "Partiellement payée");
    }

    #[test]
    fn the_outstanding_list_ages_by_days_past_due() {
        let due = d(2027, 1, 15);
        assert_eq!(age_bucket(due, d(2027, 1, 1)), AgeBucket::UpTo30);
        assert_eq!(age_bucket(due, d(2027, 2, 14)), AgeBucket::UpTo30); // 30 days
        assert_eq!(age_bucket(due, d(2027, 2, 15)), AgeBucket::Days31To60); // 31
        assert_eq!(age_bucket(due, d(2027, 3, 16)), AgeBucket::Days31To60); // 60
        assert_eq!(age_bucket(due, d(2027, 3, 17)), AgeBucket::Over60);
    }

    #[test]
    fn the_eldest_is_the_first_child_and_twins_keep_an_order() {
        let ranks = sibling_ranks(&[(3, d(2020, 5, 1)), (1, d(2018, 2, 1)), (2, d(2020, 5, 1))]);
        assert_eq!(ranks, [(1, 1), (2, 2), (3, 3)]);
        assert_eq!(sibling_ranks::<u8>(&[]), []);
        assert_eq!(
            sibling_ranks(&[(7, d(2019, 1, 1)), (7, d(2019, 1, 1))]),
            [(7, 1)]
        );
    }

    #[test]
    fn residence_is_read_from_the_postal_code() {
        assert!(is_resident(" 03000 ", &["03000"]));
        assert!(!is_resident("03100", &["03000"]));
        assert!(!is_resident("03000", &[]));
    }

    proptest! {
        #[test]
        fn any_number_reads_back(year in 1900_i32..=2100, sequence in 1_u32..=999_999) {
            prop_assert_eq!(parse_invoice_number(&invoice_number(year, sequence)), Some((year, sequence)));
        }

        #[test]
        fn paying_more_never_makes_an_invoice_worse(total in 1_i64..1_000_000, a in 0_i64..1_000_000, b in 0_i64..1_000_000, late in any::<bool>()) {
            let due = d(2027, 1, 15);
            let today = if late { d(2027, 2, 1) } else { d(2027, 1, 1) };
            let order = |s: InvoiceStatus| match s {
                InvoiceStatus::Paid | InvoiceStatus::Cancelled => 0,
                InvoiceStatus::PartlyPaid | InvoiceStatus::Due | InvoiceStatus::DebitPending => 1,
                InvoiceStatus::Late => 2,
            };
            let (less, more) = (a.min(b), a.max(b));
            prop_assert!(order(status(total, more, due, today, false)) <= order(status(total, less, due, today, false)));
        }
    }
}
