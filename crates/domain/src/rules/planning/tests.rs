use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// An instant given in Paris local time.
fn paris(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    paris_instant(d(y, m, day).and_hms_opt(h, min, 0).expect("time"))
}

fn summer() -> PeriodRules {
    PeriodRules {
        starts_on: d(2027, 7, 5),
        ends_on: d(2027, 8, 27),
        opens_at: paris(2027, 5, 3, 9, 0),
        closes_at: paris(2027, 6, 30, 23, 59),
        open_weekdays: [true, true, true, true, true, false, false],
        closed_dates: vec![d(2027, 8, 16)],
    }
}

fn alja() -> ServiceRules {
    ServiceRules {
        mode: BookingMode::Instant,
        cutoff: Some(Cutoff {
            days_before: 2,
            at: NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
            working_days_only: false,
        }),
        weekday_rule: None,
        min_age_months: Some(36),
        max_age_months: Some(12 * 12 - 1),
    }
}

fn creche() -> ServiceRules {
    ServiceRules {
        mode: BookingMode::Request,
        cutoff: None,
        weekday_rule: Some(WeekdayRule::MondayForNextWeek),
        min_age_months: None,
        max_age_months: Some(47),
    }
}

fn school_year() -> PeriodRules {
    PeriodRules {
        starts_on: d(2026, 9, 1),
        ends_on: d(2027, 7, 3),
        opens_at: paris(2026, 6, 1, 0, 0),
        closes_at: paris(2027, 7, 3, 0, 0),
        open_weekdays: [true, true, true, true, true, false, false],
        closed_dates: vec![],
    }
}

#[test]
fn a_day_inside_the_window_and_before_the_cutoff_is_bookable() {
    assert_eq!(
        check(
            paris(2027, 6, 1, 12, 0),
            &alja(),
            Some(&summer()),
            d(2027, 7, 7),
            Some(d(2019, 5, 14)),
            Action::Book
        ),
        Ok(())
    );
}

#[test]
fn the_window_opens_and_closes_at_the_minute() {
    let period = summer();
    let date = d(2027, 7, 7);
    let child = Some(d(2019, 5, 14));
    assert_eq!(
        check(
            paris(2027, 5, 3, 8, 59),
            &alja(),
            Some(&period),
            date,
            child,
            Action::Book
        ),
        Err(RefusalCode::WindowNotOpen)
    );
    assert_eq!(
        check(
            paris(2027, 5, 3, 9, 0),
            &alja(),
            Some(&period),
            date,
            child,
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(
        check(
            paris(2027, 6, 30, 23, 59),
            &alja(),
            Some(&period),
            date,
            child,
            Action::Book
        ),
        Err(RefusalCode::WindowClosed)
    );
}

#[test]
fn weekends_closed_days_and_public_holidays_are_closed() {
    let now = paris(2027, 6, 1, 12, 0);
    let child = Some(d(2019, 5, 14));
    for closed in [
        d(2027, 7, 10),
        d(2027, 8, 16),
        d(2027, 7, 14),
        d(2027, 8, 15),
    ] {
        assert_eq!(
            check(now, &alja(), Some(&summer()), closed, child, Action::Book),
            Err(RefusalCode::DayClosed),
            "{closed}"
        );
    }
    assert_eq!(
        check(
            now,
            &alja(),
            Some(&summer()),
            d(2027, 9, 1),
            child,
            Action::Book
        ),
        Err(RefusalCode::OutsidePeriod)
    );
}

#[test]
fn the_cutoff_is_two_days_before_at_ten_local_time() {
    let period = school_year();
    let canteen = ServiceRules {
        max_age_months: None,
        min_age_months: None,
        ..alja()
    };
    let thursday = d(2026, 12, 3);
    assert_eq!(
        check(
            paris(2026, 12, 1, 9, 59),
            &canteen,
            Some(&period),
            thursday,
            None,
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(
        check(
            paris(2026, 12, 1, 10, 0),
            &canteen,
            Some(&period),
            thursday,
            None,
            Action::Book
        ),
        Err(RefusalCode::CutoffPassed)
    );
    assert_eq!(
        check(
            paris(2026, 12, 1, 10, 0),
            &canteen,
            Some(&period),
            thursday,
            None,
            Action::Cancel
        ),
        Err(RefusalCode::CutoffPassed),
        "cancelling too"
    );
}

#[test]
fn working_day_cutoffs_skip_weekends_and_holidays() {
    let cutoff = Cutoff {
        days_before: 2,
        at: NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
        working_days_only: true,
    };
    // Tuesday 30 March 2027 (after Easter Monday): deadline Thursday 25 March, 10:00.
    assert_eq!(cutoff.deadline(d(2027, 3, 30)), paris(2027, 3, 25, 10, 0));
    // Monday 7 December 2026: deadline Thursday 3 December.
    assert_eq!(cutoff.deadline(d(2026, 12, 7)), paris(2026, 12, 3, 10, 0));
}

#[test]
fn the_cutoff_follows_summer_time() {
    let cutoff = Cutoff {
        days_before: 2,
        at: NaiveTime::from_hms_opt(10, 0, 0).expect("time"),
        working_days_only: false,
    };
    // 10:00 in Paris is 09:00 UTC in winter and 08:00 UTC in summer.
    assert_eq!(
        cutoff.deadline(d(2027, 3, 30)).format("%H:%M").to_string(),
        "08:00"
    );
    assert_eq!(
        cutoff.deadline(d(2027, 3, 29)).format("%H:%M").to_string(),
        "09:00"
    );
    assert_eq!(
        cutoff.deadline(d(2027, 11, 2)).format("%H:%M").to_string(),
        "09:00"
    );
}

#[test]
fn a_local_time_that_does_not_exist_moves_after_the_gap() {
    // 28 March 2027, 02:30 does not exist in Paris: clocks jump from 02:00 to 03:00.
    let instant = paris_instant(d(2027, 3, 28).and_hms_opt(2, 30, 0).expect("time"));
    assert_eq!(
        instant.with_timezone(&Paris).format("%H:%M").to_string(),
        "03:00"
    );
}

#[test]
fn creche_wishes_are_entered_on_monday_for_next_week_only() {
    let monday = paris(2027, 3, 1, 9, 0);
    for day in 8..=12 {
        assert_eq!(
            check(
                monday,
                &creche(),
                Some(&school_year()),
                d(2027, 3, day),
                Some(d(2025, 6, 1)),
                Action::Book
            ),
            Ok(()),
            "{day}"
        );
    }
    assert_eq!(
        check(
            monday,
            &creche(),
            Some(&school_year()),
            d(2027, 3, 5),
            Some(d(2025, 6, 1)),
            Action::Book
        ),
        Err(RefusalCode::NotNextWeek)
    );
    assert_eq!(
        check(
            monday,
            &creche(),
            Some(&school_year()),
            d(2027, 3, 15),
            Some(d(2025, 6, 1)),
            Action::Book
        ),
        Err(RefusalCode::NotNextWeek)
    );
    let tuesday = paris(2027, 3, 2, 9, 0);
    assert_eq!(
        check(
            tuesday,
            &creche(),
            Some(&school_year()),
            d(2027, 3, 8),
            Some(d(2025, 6, 1)),
            Action::Book
        ),
        Err(RefusalCode::NotMonday)
    );
}

#[test]
fn the_monday_rule_turns_at_midnight_paris_time() {
    let date = d(2027, 3, 8);
    let child = Some(d(2025, 6, 1));
    // Sunday 28 February 23:59 in Paris is 22:59 UTC: not yet Monday.
    assert_eq!(
        check(
            paris(2027, 2, 28, 23, 59),
            &creche(),
            Some(&school_year()),
            date,
            child,
            Action::Book
        ),
        Err(RefusalCode::NotMonday)
    );
    assert_eq!(
        check(
            paris(2027, 3, 1, 0, 0),
            &creche(),
            Some(&school_year()),
            date,
            child,
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(
        check(
            paris(2027, 3, 1, 23, 59),
            &creche(),
            Some(&school_year()),
            date,
            child,
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(
        check(
            paris(2027, 3, 2, 0, 0),
            &creche(),
            Some(&school_year()),
            date,
            child,
            Action::Book
        ),
        Err(RefusalCode::NotMonday)
    );
    // The Monday after the spring change (Sunday 28 March 2027) still starts at local midnight.
    assert_eq!(
        check(
            paris(2027, 3, 29, 0, 0),
            &creche(),
            Some(&school_year()),
            d(2027, 4, 5),
            child,
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(
        check(
            paris(2027, 3, 28, 23, 59),
            &creche(),
            Some(&school_year()),
            d(2027, 4, 5),
            child,
            Action::Book
        ),
        Err(RefusalCode::NotMonday)
    );
}

#[test]
fn the_wishes_rule_is_said_once_with_its_dates() {
    // Wednesday 2 December 2026.
    assert_eq!(
        wishes_notice(paris(2026, 12, 2, 15, 0)),
        "Les souhaits pour la semaine du 14 au 18 décembre se saisissent le lundi 7 décembre."
    );
    // On the Monday itself.
    assert!(wishes_notice(paris(2026, 12, 7, 9, 0)).starts_with(
        "Aujourd'hui lundi 7 décembre : saisissez vos souhaits pour la semaine du 14 au 18 décembre."
    ));
    // Across two months, and the 1st.
    assert_eq!(
        wishes_notice(paris(2027, 1, 27, 9, 0)),
        "Les souhaits pour la semaine du 8 au 12 février se saisissent le lundi 1er février."
    );
    assert_eq!(
        wishes_notice(paris(2026, 12, 17, 9, 0)),
        "Les souhaits pour la semaine du 28 décembre au 1er janvier se saisissent le lundi 21 décembre."
    );
}

#[test]
fn a_refusal_says_which_deadline_or_opening() {
    let date = d(2026, 12, 14);
    let said = explain(RefusalCode::CutoffPassed, &alja(), Some(&summer()), date);
    assert!(
        said.starts_with("Délai dépassé : ce jour se réservait ou s'annulait jusqu'au "),
        "{said}"
    );
    assert!(said.contains("décembre 2026 à "), "{said}");
    let opening = explain(
        RefusalCode::WindowNotOpen,
        &alja(),
        Some(&summer()),
        d(2027, 7, 6),
    );
    assert_eq!(
        opening,
        format!(
            "Les réservations de cette période ouvrent le {}.",
            instant_fr(summer().opens_at)
        )
    );
    assert_eq!(
        instant_fr(paris(2027, 5, 3, 9, 0)),
        "lundi 3 mai 2027 à 9\u{a0}h"
    );
    assert_eq!(
        instant_fr(paris(2027, 5, 3, 9, 30)),
        "lundi 3 mai 2027 à 9\u{a0}h\u{a0}30"
    );
    assert_eq!(
        explain(RefusalCode::Full, &alja(), Some(&summer()), date),
        RefusalCode::Full.label_fr()
    );
}

#[test]
fn age_limits_are_checked_on_the_booked_day() {
    let now = paris(2027, 6, 1, 12, 0);
    // Three on 6 July 2027: allowed from that day.
    assert_eq!(
        check(
            now,
            &alja(),
            Some(&summer()),
            d(2027, 7, 5),
            Some(d(2024, 7, 6)),
            Action::Book
        ),
        Err(RefusalCode::ChildNotEligible)
    );
    assert_eq!(
        check(
            now,
            &alja(),
            Some(&summer()),
            d(2027, 7, 6),
            Some(d(2024, 7, 6)),
            Action::Book
        ),
        Ok(())
    );
    assert_eq!(age_in_months(d(2024, 7, 6), d(2027, 7, 5)), 35);
}

#[test]
fn a_service_with_ages_takes_no_child_of_unknown_age_and_cancelling_is_always_possible() {
    let now = paris(2027, 6, 1, 12, 0);
    assert_eq!(
        check(
            now,
            &alja(),
            Some(&summer()),
            d(2027, 7, 6),
            None,
            Action::Book
        ),
        Err(RefusalCode::ChildNotEligible)
    );
    // Too old on the day (143 months is the last month of the ALJA).
    assert!(!eligible_on(&alja(), Some(d(2015, 7, 5)), d(2027, 7, 6)));
    assert!(eligible_on(&alja(), Some(d(2015, 8, 7)), d(2027, 7, 6)));
    // Without ages, anyone.
    let mut open = alja();
    open.min_age_months = None;
    open.max_age_months = None;
    assert!(eligible_on(&open, None, d(2027, 7, 6)));
    // A child who grew out of the service can still be cancelled.
    assert_ne!(
        check(
            now,
            &alja(),
            Some(&summer()),
            d(2027, 7, 6),
            None,
            Action::Cancel
        ),
        Err(RefusalCode::ChildNotEligible)
    );
}

proptest! {
    /// Whatever the instant, a cutoff deadline is at the configured local time, the right
    /// number of days before.
    #[test]
    fn a_deadline_is_always_the_configured_local_time(offset in 0i64..800, days in 0u32..10, hour in 0u32..24) {
        let date = d(2026, 1, 1) + Duration::days(offset);
        let cutoff = Cutoff { days_before: days, at: NaiveTime::from_hms_opt(hour, 0, 0).expect("time"), working_days_only: false };
        let local = cutoff.deadline(date).with_timezone(&Paris);
        prop_assert_eq!(local.date_naive(), date - Duration::days(i64::from(days)));
        // In the spring gap (02:00) the deadline moves to 03:00; otherwise it is exact.
        let expected = if local.hour_is(hour) { hour } else { hour + 1 };
        prop_assert_eq!(chrono::Timelike::hour(&local), expected);
    }

    /// The Monday rule accepts exactly the five days of the next week, and only on Mondays.
    #[test]
    fn monday_rule_accepts_only_next_week(now_offset in 0i64..(24 * 60 * 400), date_offset in 0i64..400) {
        let now = paris(2026, 9, 1, 0, 0) + Duration::minutes(now_offset);
        let date = d(2026, 9, 1) + Duration::days(date_offset);
        let mut period = school_year();
        period.ends_on = d(2028, 1, 1);
        period.closes_at = paris(2028, 1, 1, 0, 0);
        period.open_weekdays = [true; 7];
        let result = check(now, &creche(), Some(&period), date, Some(d(2025, 6, 1)), Action::Book);
        let today = paris_now(now).date();
        let is_monday = today.weekday() == Weekday::Mon;
        let in_next_week = is_monday && date >= today + Duration::days(7) && date <= today + Duration::days(11);
        if calendar::is_public_holiday(date) {
            prop_assert_eq!(result, Err(RefusalCode::DayClosed));
        } else {
            prop_assert_eq!(result.is_ok(), in_next_week);
        }
    }
}

trait HourIs {
    fn hour_is(&self, hour: u32) -> bool;
}

impl HourIs for DateTime<chrono_tz::Tz> {
    fn hour_is(&self, hour: u32) -> bool {
        chrono::Timelike::hour(self) == hour
    }
}

#[test]
fn a_service_is_offered_to_a_child_who_fits_its_ages_within_the_year() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let birth = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    // Crèche, up to 47 months: a 2-year-old yes, a 7-year-old no.
    assert!(offered_for_age(birth(2024, 2, 10), today, None, Some(47)));
    assert!(!offered_for_age(birth(2019, 5, 14), today, None, Some(47)));
    // ALJA, from 36 months: a child turning 3 within the year is offered it, a baby is not.
    assert!(offered_for_age(
        birth(2024, 2, 10),
        today,
        Some(36),
        Some(143)
    ));
    assert!(!offered_for_age(
        birth(2026, 6, 1),
        today,
        Some(36),
        Some(143)
    ));
    // No birth date known, no age rule: offered.
    assert!(offered_for_age(None, today, Some(36), Some(47)));
    assert!(offered_for_age(birth(2010, 1, 1), today, None, None));
}

#[test]
fn the_grid_opens_on_the_first_month_a_parent_can_book_or_will_soon() {
    let summer = summer();
    let mut february = summer.clone();
    february.starts_on = d(2027, 2, 15);
    february.ends_on = d(2027, 2, 26);
    february.opens_at = paris(2027, 1, 4, 9, 0);
    february.closes_at = paris(2027, 2, 10, 23, 59);

    // December: nothing open; the February window opens first (4 January).
    assert_eq!(
        month_to_open([&summer, &february], paris(2026, 12, 2, 10, 0)),
        Some(d(2027, 2, 1))
    );
    // January: February's window is open.
    assert_eq!(
        month_to_open([&summer, &february], paris(2027, 1, 20, 10, 0)),
        Some(d(2027, 2, 1))
    );
    // March: February is over; the summer window opens on 3 May, the grid shows July.
    assert_eq!(
        month_to_open([&february, &summer], paris(2027, 3, 1, 10, 0)),
        Some(d(2027, 7, 1))
    );
    // 3 May 9:00, Paris time: open.
    assert_eq!(
        month_to_open([&summer], paris(2027, 5, 3, 9, 0)),
        Some(d(2027, 7, 1))
    );
    // During the summer, today's month; after its window closed, nothing.
    let mut year_round = summer.clone();
    year_round.starts_on = d(2026, 9, 1);
    year_round.ends_on = d(2027, 7, 9);
    year_round.opens_at = paris(2026, 6, 1, 9, 0);
    year_round.closes_at = paris(2027, 7, 9, 18, 0);
    assert_eq!(
        month_to_open([&summer, &year_round], paris(2027, 1, 20, 10, 0)),
        Some(d(2027, 1, 1))
    );
    assert_eq!(month_to_open([&summer], paris(2027, 7, 1, 10, 0)), None);
    assert_eq!(month_to_open([], paris(2027, 7, 1, 10, 0)), None);
}

#[test]
fn a_typical_week_without_dates_covers_the_periods_open_now_or_the_next_to_open() {
    use super::bookable_range;
    let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).expect("date");
    let at = |m, day| {
        chrono::Utc
            .with_ymd_and_hms(2027, m, day, 8, 0, 0)
            .single()
            .expect("instant")
    };
    let period = |start, end, opens, closes| PeriodRules {
        starts_on: start,
        ends_on: end,
        opens_at: opens,
        closes_at: closes,
        ..summer()
    };
    let winter = period(d(1, 4), d(3, 31), at(1, 1), at(3, 31));
    let spring = period(d(4, 1), d(7, 2), at(3, 1), at(7, 1));
    let summer = period(d(7, 5), d(8, 27), at(5, 3), at(6, 30));
    let now = at(3, 10);
    assert_eq!(
        bookable_range([&winter, &spring, &summer], now),
        Some((d(3, 10), d(7, 2))),
        "from today to the end of the last period open now"
    );
    assert_eq!(
        bookable_range([&summer], now),
        Some((d(7, 5), d(8, 27))),
        "nothing open: the next to open"
    );
    assert_eq!(bookable_range([&winter], at(4, 2)), None);
}
