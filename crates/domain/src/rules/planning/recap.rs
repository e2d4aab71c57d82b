//! The recap (« état récapitulatif ») a parent builds by ticking and unticking the grid:
//! what changes against what is booked, and what it should cost. Shared by the SPA (which
//! shows it) and tested here; the server re-checks every line when it is submitted.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use uuid::Uuid;

use crate::api::{BookingBatchRequest, BookingLine, BookingLineResult, LineAction, LineOutcome};

/// One change, with what the recap shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecapLine {
    pub line: BookingLine,
    /// « Journée avec repas — Léa ».
    pub label: String,
    /// The unit's indicative price, when it has one.
    pub price_cents: Option<i64>,
    /// A wish that staff will accept or decline (`request` mode), not a booking.
    pub wish: bool,
}

impl RecapLine {
    /// The change a tick (`ticked`) or an untick makes to a child's day in a unit.
    pub fn tick(
        child_id: Uuid,
        unit_id: Uuid,
        date: NaiveDate,
        ticked: bool,
        label: String,
        price_cents: Option<i64>,
        wish: bool,
    ) -> Self {
        Self {
            line: BookingLine {
                child_id,
                unit_id,
                date,
                action: if ticked {
                    LineAction::Book
                } else {
                    LineAction::Cancel
                },
            },
            label,
            price_cents,
            wish,
        }
    }

    /// « Réserver », « Demander » or « Annuler ».
    pub fn verb(&self) -> &'static str {
        match (self.line.action, self.wish) {
            (LineAction::Book, false) => "Réserver",
            (LineAction::Book, true) => "Demander",
            (LineAction::Cancel, _) => "Annuler",
        }
    }
}

/// What the changes should cost: what additions add, what cancellations give back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Estimate {
    pub added_cents: i64,
    pub refunded_cents: i64,
}

impl Estimate {
    pub fn balance_cents(&self) -> i64 {
        self.added_cents - self.refunded_cents
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recap {
    /// By date, then child, then unit: the order the recap is read in.
    lines: BTreeMap<(NaiveDate, Uuid, Uuid), RecapLine>,
}

impl Recap {
    /// Whether the box of a day shows ticked: what is booked, unless the recap changes it.
    pub fn ticked(&self, child_id: Uuid, unit_id: Uuid, date: NaiveDate, active: bool) -> bool {
        match self.lines.get(&(date, child_id, unit_id)) {
            Some(change) => change.line.action == LineAction::Book,
            None => active,
        }
    }

    /// The parent ticks (`change.line.action` is `Book`) or unticks (`Cancel`) a box.
    /// `active`: the day is booked or requested now. Asking for what already is drops the
    /// pending change instead of adding one.
    pub fn set(&mut self, change: RecapLine, active: bool) {
        let line = &change.line;
        let key = (line.date, line.child_id, line.unit_id);
        if (line.action == LineAction::Book) == active {
            self.lines.remove(&key);
        } else {
            self.lines.insert(key, change);
        }
    }

    /// Does the recap add one of `units` for the child on `date`? (A box whose unit overlaps
    /// a ticked one is greyed: a child holds one of overlapping units a day.)
    pub fn adds_any(&self, child_id: Uuid, units: &[Uuid], date: NaiveDate) -> bool {
        units.iter().any(|unit_id| {
            self.lines
                .get(&(date, child_id, *unit_id))
                .is_some_and(|c| c.line.action == LineAction::Book)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn lines(&self) -> impl Iterator<Item = &RecapLine> {
        self.lines.values()
    }

    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// The body to submit.
    pub fn request(&self) -> BookingBatchRequest {
        BookingBatchRequest {
            lines: self.lines.values().map(|l| l.line.clone()).collect(),
        }
    }

    /// `None` when no line has a price (no tariffs yet: show nothing).
    pub fn estimate(&self) -> Option<Estimate> {
        let mut estimate = Estimate::default();
        let mut priced = false;
        for line in self.lines.values() {
            let Some(price) = line.price_cents else {
                continue;
            };
            priced = true;
            match line.line.action {
                LineAction::Book => estimate.added_cents += price,
                LineAction::Cancel => estimate.refunded_cents += price,
            }
        }
        priced.then_some(estimate)
    }

    /// After the server's answer: the lines it applied leave the recap; refused ones too
    /// (their reasons are shown apart, and the grid is read again).
    pub fn settle(&mut self, results: &[BookingLineResult]) -> usize {
        let mut applied = 0;
        for result in results {
            let key = (result.line.date, result.line.child_id, result.line.unit_id);
            if self.lines.remove(&key).is_some() && result.outcome != LineOutcome::Refused {
                applied += 1;
            }
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(
        child_id: Uuid,
        unit_id: Uuid,
        date: NaiveDate,
        wanted: bool,
        label: &str,
        price_cents: Option<i64>,
    ) -> RecapLine {
        RecapLine::tick(
            child_id,
            unit_id,
            date,
            wanted,
            label.to_owned(),
            price_cents,
            false,
        )
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 7, d).expect("date")
    }

    #[test]
    fn ticking_a_free_day_books_it_and_unticking_forgets_it() {
        let (child, unit) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut recap = Recap::default();
        assert!(!recap.ticked(child, unit, day(7), false));
        recap.set(
            change(child, unit, day(7), true, "Journée — Léa", Some(1250)),
            false,
        );
        assert!(recap.ticked(child, unit, day(7), false));
        assert_eq!(recap.request().lines[0].action, LineAction::Book);
        assert_eq!(recap.lines().next().map(RecapLine::verb), Some("Réserver"));
        recap.set(
            change(child, unit, day(7), false, "Journée — Léa", Some(1250)),
            false,
        );
        assert!(recap.is_empty());
    }

    #[test]
    fn unticking_a_booked_day_cancels_it_and_the_estimate_gives_it_back() {
        let (child, unit) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut recap = Recap::default();
        recap.set(
            change(child, unit, day(8), false, "Matin — Léa", Some(600)),
            true,
        );
        assert!(!recap.ticked(child, unit, day(8), true));
        recap.set(
            change(child, unit, day(9), true, "Journée — Léa", Some(1250)),
            false,
        );
        recap.set(
            change(child, unit, day(12), true, "Sans tarif — Léa", None),
            false,
        );
        let estimate = recap.estimate().expect("priced");
        assert_eq!(estimate.added_cents, 1250);
        assert_eq!(estimate.refunded_cents, 600);
        assert_eq!(estimate.balance_cents(), 650);
        // Read in date order.
        let dates: Vec<_> = recap.lines().map(|l| l.line.date).collect();
        assert_eq!(dates, vec![day(8), day(9), day(12)]);
    }

    #[test]
    fn without_tariffs_there_is_no_estimate() {
        let mut recap = Recap::default();
        recap.set(
            change(
                Uuid::from_u128(3),
                Uuid::from_u128(4),
                day(7),
                true,
                "Repas",
                None,
            ),
            false,
        );
        assert_eq!(recap.estimate(), None);
    }

    #[test]
    fn the_answer_empties_the_recap_and_counts_what_was_applied() {
        let (child, unit) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut recap = Recap::default();
        recap.set(change(child, unit, day(7), true, "a", None), false);
        recap.set(change(child, unit, day(8), true, "b", None), false);
        let results: Vec<BookingLineResult> = recap
            .request()
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| BookingLineResult {
                line,
                outcome: if i == 0 {
                    LineOutcome::Booked
                } else {
                    LineOutcome::Refused
                },
                code: None,
                reason: None,
            })
            .collect();
        assert_eq!(recap.settle(&results), 1);
        assert!(recap.is_empty());
    }

    #[test]
    fn a_ticked_day_unit_is_seen_by_the_units_it_overlaps_and_an_untick_is_not() {
        let (lea, day, morning, meal) = (
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
            Uuid::from_u128(5),
        );
        let date = NaiveDate::from_ymd_opt(2027, 7, 6).expect("date");
        let mut recap = Recap::default();
        assert!(!recap.adds_any(lea, &[day], date));
        recap.set(change(lea, day, date, true, "Journée — Léa", None), false);
        assert!(recap.adds_any(lea, &[day, meal], date));
        assert!(!recap.adds_any(lea, &[morning], date));
        assert!(
            !recap.adds_any(Uuid::from_u128(6), &[day], date),
            "another child"
        );
        assert!(!recap.adds_any(lea, &[day], date.succ_opt().expect("date")));
        recap.set(change(lea, morning, date, false, "Matin — Léa", None), true);
        assert!(
            !recap.adds_any(lea, &[morning], date),
            "a cancellation adds nothing"
        );
    }
}
