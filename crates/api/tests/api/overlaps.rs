//! Units that overlap in time: « Journée avec repas » (8 h–18 h) covers « Matin » (8 h–12 h)
//! and « Après-midi » (13 h 30–18 h) in the demo. A child holds one of overlapping units a
//! day, and the day takes a morning and an afternoon place.

use std::collections::HashMap;

use chrono::Weekday;
use portail_domain::api::{BookingBatchResponse, LineOutcome, PlanningResponse};
use portail_domain::rules::planning::RefusalCode;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::planning_helpers::{line, open_weekday};

#[tokio::test]
async fn a_child_holds_the_day_or_a_half_day_and_the_day_takes_both_half_day_places() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let families = app.bookers("chevauche", 2).await;
    let (a, b) = (&families[0], &families[1]);
    let day = app.unit("alja", "Journée avec repas").await;
    let morning = app.unit("alja", "Matin").await;
    let afternoon = app.unit("alja", "Après-midi").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);

    let first = app
        .recap(
            &a.token,
            "a-1",
            json!([line(&a.child_id, &day, date, "book")]),
        )
        .await;
    assert_eq!(first.results[0].outcome, LineOutcome::Booked);
    let again = app
        .recap(
            &a.token,
            "a-2",
            json!([line(&a.child_id, &morning, date, "book")]),
        )
        .await;
    assert_eq!(again.results[0].code, Some(RefusalCode::OverlappingUnit));
    assert!(
        again.results[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("mêmes heures"))
    );
    // In one recap: the morning first, then the day, which overlaps it.
    let both = app
        .recap(
            &b.token,
            "b-1",
            json!([
                line(&b.child_id, &morning, date, "book"),
                line(&b.child_id, &day, date, "book")
            ]),
        )
        .await;
    assert_eq!(both.results[0].outcome, LineOutcome::Booked);
    assert_eq!(both.results[1].code, Some(RefusalCode::OverlappingUnit));

    // A's day took a morning and an afternoon place; B's morning one morning place.
    let morning_sheet = app.sheet(&admin.token, &morning, date).await;
    assert_eq!(morning_sheet.taken, 2);
    assert_eq!(
        morning_sheet.entries.len(),
        2,
        "the day's child is on the morning's sheet"
    );
    assert_eq!(app.sheet(&admin.token, &afternoon, date).await.taken, 1);
    assert_eq!(app.sheet(&admin.token, &day, date).await.taken, 1);

    // The grid says it: A's morning box is not bookable, and why; the day offers no more
    // places than the morning has left.
    let month = date.format("%Y-%m").to_string();
    let grid: PlanningResponse = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={}&service=alja&month={month}",
                a.child_id
            ),
            &a.token,
        )
        .await
        .json()
        .await
        .expect("the shared DTO");
    let cells: HashMap<String, _> = grid
        .days
        .iter()
        .find(|d| d.date == date)
        .expect("the day")
        .cells
        .iter()
        .map(|c| (c.unit_id.to_string(), c.clone()))
        .collect();
    assert!(!cells[&morning].can_book);
    assert!(
        cells[&morning]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("mêmes heures"))
    );
    assert_eq!(cells[&day].places_left, Some(3), "min(4 - 1, 6 - 2, 6 - 1)");
    let units = &grid.units;
    let day_summary = units
        .iter()
        .find(|u| u.id.to_string() == day)
        .expect("unit");
    assert_eq!(day_summary.overlaps.len(), 2);

    // Swapping the day for the morning in one recap works: the cancellation comes first.
    let swap = app
        .recap(
            &a.token,
            "a-3",
            json!([
                line(&a.child_id, &morning, date, "book"),
                line(&a.child_id, &day, date, "cancel")
            ]),
        )
        .await;
    assert_eq!(swap.accepted, 2, "{swap:?}");
    assert_eq!(app.sheet(&admin.token, &afternoon, date).await.taken, 0);
    assert_eq!(app.sheet(&admin.token, &morning, date).await.taken, 2);
}

#[tokio::test]
async fn capacity_stays_exact_when_days_and_half_days_are_booked_at_once_on_two_instances() {
    let a = spawn_app().await;
    a.seed_demo();
    let b = a.twin().await;
    let admin = a.admin().await;
    let families = a.bookers("melange", 30).await;
    let day = a.unit("alja", "Journée avec repas").await;
    let morning = a.unit("alja", "Matin").await;
    let afternoon = a.unit("alja", "Après-midi").await;
    let date = open_weekday(a.state.ctx.clock.today(), 3, Weekday::Thu);
    for (unit, capacity) in [(&day, 5), (&morning, 7), (&afternoon, 6)] {
        let set = a
            .put_as(
                &format!("/api/v1/staff/units/{unit}/capacity"),
                &admin.token,
                &json!({"date": date, "capacity": capacity}),
            )
            .await;
        assert_eq!(set.status(), 200);
    }
    // Each family asks for one of: the day, the morning, the afternoon, or the morning and
    // the afternoon (two units that do not overlap).
    let recaps = families.iter().enumerate().map(|(i, f)| {
        let lines = match i % 4 {
            0 => json!([line(&f.child_id, &day, date, "book")]),
            1 => json!([line(&f.child_id, &morning, date, "book")]),
            2 => json!([line(&f.child_id, &afternoon, date, "book")]),
            _ => json!([
                line(&f.child_id, &afternoon, date, "book"),
                line(&f.child_id, &morning, date, "book")
            ]),
        };
        let app = if i % 2 == 0 { &a } else { &b };
        app.book(&f.token, format!("melange-{i}"), lines)
    });
    let mut booked: HashMap<String, u32> = HashMap::new();
    for response in futures::future::join_all(recaps).await {
        assert_eq!(response.status(), 200, "no 5xx");
        let body: BookingBatchResponse = response.json().await.expect("the shared DTO");
        for result in body.results {
            match result.outcome {
                LineOutcome::Booked => {
                    *booked.entry(result.line.unit_id.to_string()).or_default() += 1
                }
                _ => assert_eq!(result.code, Some(RefusalCode::Full), "{result:?}"),
            }
        }
    }
    let days = booked.get(&day).copied().unwrap_or(0);
    let mornings = booked.get(&morning).copied().unwrap_or(0);
    let afternoons = booked.get(&afternoon).copied().unwrap_or(0);
    let day_sheet = b.sheet(&admin.token, &day, date).await;
    let morning_sheet = b.sheet(&admin.token, &morning, date).await;
    let afternoon_sheet = b.sheet(&admin.token, &afternoon, date).await;
    assert_eq!(day_sheet.taken, days);
    assert_eq!(
        morning_sheet.taken,
        days + mornings,
        "a day takes a morning place"
    );
    assert_eq!(afternoon_sheet.taken, days + afternoons);
    assert!(day_sheet.taken <= 5 && morning_sheet.taken <= 7 && afternoon_sheet.taken <= 6);
    assert_eq!(morning_sheet.entries.len() as u32, morning_sheet.taken);
    assert_eq!(afternoon_sheet.entries.len() as u32, afternoon_sheet.taken);
    // Demand (30 families) is far above the places: the mornings and afternoons are full.
    assert_eq!(morning_sheet.taken, 7);
    assert_eq!(afternoon_sheet.taken, 6);
}
