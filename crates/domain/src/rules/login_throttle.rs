//! Slowing down password guessing, per account (in the style of kanidm's soft lock).
//!
//! Failures are counted per e-mail address, whether or not an account has it (so that the
//! throttle does not reveal which addresses exist), over a rolling hour. From the fifth
//! failure, the address is locked for 30 s, then 1 min, 2, 4, 8, and 15 min at most after each
//! further failure; a success clears the count. That allows at most about ten failures an hour,
//! far below ASVS's ceiling of 100.

use chrono::{DateTime, Duration, Utc};

pub const FREE_FAILURES: u32 = 4;
pub const WINDOW: Duration = Duration::hours(1);
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 15 * 60;

/// What is remembered of an address's recent failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

/// `Err(wait)` while the address is locked: the attempt is refused without checking the
/// password, and the caller is told how long to wait.
pub fn check(state: Option<&ThrottleState>, now: DateTime<Utc>) -> Result<(), Duration> {
    match state.and_then(|s| s.locked_until) {
        Some(until) if until > now => Err(until - now),
        _ => Ok(()),
    }
}

/// The state after one more failure at `now`.
pub fn after_failure(state: Option<&ThrottleState>, now: DateTime<Utc>) -> ThrottleState {
    let (failures, window_started_at) = match state {
        Some(s) if now - s.window_started_at < WINDOW => (s.failures + 1, s.window_started_at),
        _ => (1, now),
    };
    ThrottleState {
        failures,
        window_started_at,
        locked_until: lock_duration(failures).map(|lock| now + lock),
    }
}

/// How long the address is locked after its `failures`-th failure in the window.
pub fn lock_duration(failures: u32) -> Option<Duration> {
    if failures <= FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(10);
    let secs = (FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS);
    Some(Duration::seconds(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-28T09:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn four_failures_are_free_and_the_fifth_locks_for_thirty_seconds() {
        let mut state = None;
        for _ in 0..4 {
            state = Some(after_failure(state.as_ref(), t0()));
            assert_eq!(check(state.as_ref(), t0()), Ok(()));
        }
        state = Some(after_failure(state.as_ref(), t0()));
        assert_eq!(check(state.as_ref(), t0()), Err(Duration::seconds(30)));
        assert_eq!(check(state.as_ref(), t0() + Duration::seconds(30)), Ok(()));
    }

    #[test]
    fn locks_double_up_to_fifteen_minutes() {
        let locks: Vec<i64> = (5..=12)
            .map(|n| lock_duration(n).map_or(0, |d| d.num_seconds()))
            .collect();
        assert_eq!(locks, [30, 60, 120, 240, 480, 900, 900, 900]);
    }

    #[test]
    fn the_count_starts_again_an_hour_after_the_first_failure() {
        let first = after_failure(None, t0());
        let later = after_failure(Some(&first), t0() + Duration::minutes(61));
        assert_eq!(later.failures, 1);
        assert_eq!(later.locked_until, None);
    }

    proptest! {
        /// Whatever the timing of an attacker who retries as soon as allowed, no address
        /// sees more than 100 failures in any hour (ASVS 2.2.1).
        #[test]
        fn never_more_than_100_failures_an_hour(gaps in proptest::collection::vec(0i64..120, 1..400)) {
            let mut now = t0();
            let mut state: Option<ThrottleState> = None;
            let mut failures_at = Vec::new();
            for gap in gaps {
                now += Duration::seconds(gap);
                if let Err(wait) = check(state.as_ref(), now) {
                    now += wait;
                }
                state = Some(after_failure(state.as_ref(), now));
                failures_at.push(now);
            }
            for (i, start) in failures_at.iter().enumerate() {
                let in_hour = failures_at[i..].iter().take_while(|t| **t - *start < WINDOW).count();
                prop_assert!(in_hour <= 100, "{in_hour} failures within an hour");
            }
        }
    }
}
