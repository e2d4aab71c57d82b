//! Units that overlap in time (« Journée avec repas » covers « Matin » and « Après-midi »): a
//! child holds at most one of overlapping units on a day, and a unit takes the places of the
//! units it covers (what Noethysweb calls filling units). Pure rules; the writer, the grid and
//! the attendance sheet apply them (see docs/planning.md, « Units that overlap »).

use chrono::NaiveTime;

/// The local hours a unit covers on its day, `start` included, `end` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    start: NaiveTime,
    end: NaiveTime,
}

impl TimeRange {
    /// `None` unless `start` comes before `end` (a unit does not run over midnight).
    pub fn new(start: NaiveTime, end: NaiveTime) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    pub fn start(self) -> NaiveTime {
        self.start
    }

    pub fn end(self) -> NaiveTime {
        self.end
    }

    /// Do the two share a moment? Touching ends (12:00–12:00) do not.
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Does `self` contain all of `other`? A unit that covers another takes its places too.
    pub fn covers(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Two units conflict on a day when both declare hours and those overlap; a unit without
/// hours conflicts with nothing (the services that never set them keep today's behaviour).
pub fn conflict(a: Option<TimeRange>, b: Option<TimeRange>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.overlaps(b))
}

/// The places a unit offers on a day: its own, and no more than any unit it covers has left
/// (a « Journée » needs a morning place and an afternoon place).
pub fn places_left(own: u32, covered: impl IntoIterator<Item = u32>) -> u32 {
    covered.into_iter().fold(own, u32::min)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("time")
    }

    fn range(a: (u32, u32), b: (u32, u32)) -> TimeRange {
        TimeRange::new(at(a.0, a.1), at(b.0, b.1)).expect("range")
    }

    #[test]
    fn a_full_day_covers_the_morning_and_the_afternoon_which_do_not_overlap() {
        let day = range((8, 0), (18, 0));
        let morning = range((8, 0), (12, 0));
        let afternoon = range((13, 30), (18, 0));
        assert!(day.covers(morning) && day.covers(afternoon));
        assert!(day.overlaps(morning) && morning.overlaps(day));
        assert!(!morning.overlaps(afternoon));
        assert!(!morning.covers(day));
        assert!(
            !range((8, 0), (12, 0)).overlaps(range((12, 0), (13, 0))),
            "touching ends"
        );
    }

    #[test]
    fn a_range_must_start_before_it_ends_and_units_without_hours_conflict_with_nothing() {
        assert!(TimeRange::new(at(12, 0), at(8, 0)).is_none());
        assert!(TimeRange::new(at(8, 0), at(8, 0)).is_none());
        let morning = Some(range((8, 0), (12, 0)));
        assert!(!conflict(None, morning));
        assert!(!conflict(None, None));
        assert!(conflict(morning, Some(range((11, 0), (14, 0)))));
    }

    #[test]
    fn a_covering_unit_offers_no_more_places_than_the_units_it_covers() {
        assert_eq!(places_left(4, [3, 0]), 0);
        assert_eq!(places_left(4, [3, 5]), 3);
        assert_eq!(places_left(4, []), 4);
    }

    proptest! {
        #[test]
        fn overlapping_is_symmetric_and_covering_implies_overlapping(
            a in 0_u32..1440, b in 1_u32..600, c in 0_u32..1440, d in 1_u32..600
        ) {
            let mk = |s: u32, len: u32| {
                let end = (s + len).min(1439);
                TimeRange::new(
                    NaiveTime::from_num_seconds_from_midnight_opt(s * 60, 0)?,
                    NaiveTime::from_num_seconds_from_midnight_opt(end * 60, 0)?,
                )
            };
            if let (Some(x), Some(y)) = (mk(a, b), mk(c, d)) {
                prop_assert_eq!(x.overlaps(y), y.overlaps(x));
                if x.covers(y) {
                    prop_assert!(x.overlaps(y));
                }
                prop_assert!(x.covers(x));
            }
        }
    }
}
