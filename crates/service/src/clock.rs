//! The current instant, injectable for tests.
//!
//! Production uses the system clock. A test (or an end-to-end run started with
//! `PORTAIL_TEST_CLOCK`) can start the clock at another instant and move it forward; it then
//! keeps ticking in real time from there.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system time; 0 for the real clock.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `start` now and ticks from there.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        let clock = Self::default();
        clock.offset_ms.store(
            start.signed_duration_since(Utc::now()).num_milliseconds(),
            Ordering::SeqCst,
        );
        clock
    }

    pub fn now(&self) -> DateTime<Utc> {
        after(
            Utc::now(),
            Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst)),
        )
    }

    /// Moves the clock forward (tests only).
    pub fn advance(&self, by: Duration) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::SeqCst);
    }

    /// The commune's wall clock (Europe/Paris): today's date and the hour.
    pub fn local_now(&self) -> (chrono::NaiveDate, u32) {
        let local = self.now().with_timezone(&chrono_tz::Europe::Paris);
        (local.date_naive(), chrono::Timelike::hour(&local))
    }

    /// Today's date in the commune (Europe/Paris).
    pub fn today(&self) -> chrono::NaiveDate {
        self.now()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive()
    }

    pub fn is_shifted(&self) -> bool {
        self.offset_ms.load(Ordering::SeqCst) != 0
    }
}

/// `at + by`, held at chrono's last instant instead of panicking: time arithmetic in this
/// crate goes through these (clippy's `arithmetic_side_effects` is denied here).
pub fn after(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_add_signed(by)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `at - by`, held at chrono's first instant instead of panicking.
pub fn before(at: DateTime<Utc>, by: Duration) -> DateTime<Utc> {
    at.checked_sub_signed(by)
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `day + days`, held at chrono's last date instead of panicking.
pub fn days_after(day: chrono::NaiveDate, days: i64) -> chrono::NaiveDate {
    day.checked_add_signed(Duration::days(days))
        .unwrap_or(chrono::NaiveDate::MAX)
}

/// `day - days`, held at chrono's first date instead of panicking.
pub fn days_before(day: chrono::NaiveDate, days: i64) -> chrono::NaiveDate {
    day.checked_sub_signed(Duration::days(days))
        .unwrap_or(chrono::NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_clock_reads_its_start_and_moves_forward() {
        let start = DateTime::parse_from_rfc3339("2027-07-05T06:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let clock = Clock::starting_at(start);
        assert!((clock.now() - start).num_seconds().abs() < 2);
        clock.advance(Duration::hours(49));
        assert!(
            (clock.now() - start - Duration::hours(49))
                .num_seconds()
                .abs()
                < 2
        );
        assert!(clock.is_shifted());
        assert!(!Clock::system().is_shifted());
    }
}
