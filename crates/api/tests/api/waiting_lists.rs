//! Waiting lists on « Mon planning » (issue 13): a full day of a service that keeps one takes
//! waiting children in order; a freed place goes to the first of them in the transaction that
//! frees it (a cancellation, staff raising the capacity) — or, in `offer` mode, is kept for
//! them a few hours — never past the capacity, even when cancellations and bookings race on
//! two instances; the families are e-mailed.

use chrono::{Duration, NaiveDate, Weekday};
use portail_domain::api::{BookingBatchResponse, LineOutcome};
use portail_domain::rules::planning::RefusalCode;
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};
use crate::planning_helpers::{Booker, line, open_weekday};

async fn cell(app: &TestApp, who: &Booker, unit: &str, date: NaiveDate) -> Value {
    let month = date.format("%Y-%m");
    let grid: Value = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={}&service=alja&month={month}",
                who.child_id
            ),
            &who.token,
        )
        .await
        .json()
        .await
        .expect("json");
    grid["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == date.to_string())
        .and_then(|d| {
            d["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .find(|c| c["unit_id"] == unit)
                .cloned()
        })
        .expect("the cell")
}

async fn join(app: &TestApp, who: &Booker, unit: &str, date: NaiveDate) -> reqwest::Response {
    app.post_as(
        "/api/v1/planning/waiting-list",
        &who.token,
        &json!({"child_id": who.child_id, "unit_id": unit, "date": date}),
    )
    .await
}

async fn capacity(app: &TestApp, admin: &str, unit: &str, date: NaiveDate, places: u32) {
    let set = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}/capacity"),
            admin,
            &json!({"date": date, "capacity": places}),
        )
        .await;
    assert_eq!(set.status(), 200);
}

async fn outcome(response: reqwest::Response) -> (LineOutcome, Option<RefusalCode>) {
    let body: BookingBatchResponse = response.read(200).await;
    (body.results[0].outcome, body.results[0].code)
}

async fn booked_on(app: &TestApp, who: &Booker, date: NaiveDate) -> bool {
    let mine: Value = app
        .get_as("/api/v1/bookings", &who.token)
        .await
        .json()
        .await
        .expect("json");
    mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|b| b["date"] == date.to_string() && b["status"] == "booked")
}

async fn email_saying(app: &TestApp, to: &str, words: &str) {
    for _ in 0..300 {
        if app
            .smtp
            .messages()
            .iter()
            .any(|m| m.to.contains(to) && m.text.replace("=\r\n", "").contains(words))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no e-mail to {to} saying {words:?}");
}

#[tokio::test]
async fn a_cancellation_books_the_first_waiting_child_and_the_others_move_up() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut families = app.bookers("attente-jour", 4).await;
    let (a, b, c, d) = (
        families.remove(0),
        families.remove(0),
        families.remove(0),
        families.remove(0),
    );
    let admin = app.admin().await;
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);
    capacity(&app, &admin.token, &unit, date, 1).await;

    // A day with places left is booked, not waited for.
    let early = join(&app, &b, &unit, date).await;
    assert_eq!(early.status(), 409);
    assert_eq!(
        outcome(
            app.book(
                &a.token,
                "a1",
                json!([line(&a.child_id, &unit, date, "book")])
            )
            .await
        )
        .await
        .0,
        LineOutcome::Booked
    );
    let full = cell(&app, &b, &unit, date).await;
    assert_eq!(full["state"], "full");
    assert_eq!(full["can_wait"], true);
    assert_eq!(
        join(&app, &a, &unit, date).await.status(),
        409,
        "A holds the day"
    );

    let first = join(&app, &b, &unit, date).await;
    assert_eq!(first.status(), 201);
    assert_eq!(first.json::<Value>().await.expect("json")["rank"], 1);
    let second: Value = join(&app, &c, &unit, date)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["rank"], 2);
    assert_eq!(join(&app, &b, &unit, date).await.status(), 409, "once");
    let waiting = cell(&app, &c, &unit, date).await;
    assert_eq!(waiting["state"], "waiting");
    assert_eq!(waiting["waiting_rank"], 2);
    assert!(
        waiting["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("rang 2")
    );
    let not_mine = app
        .post_as(
            "/api/v1/planning/waiting-list",
            &d.token,
            &json!({"child_id": b.child_id, "unit_id": unit, "date": date}),
        )
        .await;
    assert_eq!(not_mine.status(), 422);

    // A cancels: B has the place at once, without a free place ever showing; D cannot take it.
    assert_eq!(
        outcome(
            app.book(
                &a.token,
                "a2",
                json!([line(&a.child_id, &unit, date, "cancel")])
            )
            .await
        )
        .await
        .0,
        LineOutcome::Cancelled
    );
    assert!(
        booked_on(&app, &b, date).await,
        "B was booked in the cancellation's transaction"
    );
    assert_eq!(cell(&app, &b, &unit, date).await["state"], "booked");
    assert_eq!(
        outcome(
            app.book(
                &d.token,
                "d1",
                json!([line(&d.child_id, &unit, date, "book")])
            )
            .await
        )
        .await,
        (LineOutcome::Refused, Some(RefusalCode::Full))
    );
    assert_eq!(
        cell(&app, &c, &unit, date).await["waiting_rank"],
        1,
        "C moved up"
    );
    email_saying(&app, &b.email, "Une place s'est libérée").await;
    let sheet = app.sheet(&admin.token, &unit, date).await;
    assert_eq!((sheet.taken, sheet.entries.len()), (1, 1));

    // Staff add two places: C, then D (who joined meanwhile), are booked.
    assert_eq!(join(&app, &d, &unit, date).await.status(), 201);
    capacity(&app, &admin.token, &unit, date, 3).await;
    assert!(booked_on(&app, &c, date).await);
    assert!(booked_on(&app, &d, date).await);
    let sheet = app.sheet(&admin.token, &unit, date).await;
    assert_eq!(
        (sheet.capacity, sheet.taken, sheet.entries.len()),
        (3, 3, 3)
    );

    // Leaving: a child on the list leaves it; then it is not on it.
    let mut more = app.bookers("attente-depart", 1).await;
    let e = more.remove(0);
    assert_eq!(join(&app, &e, &unit, date).await.status(), 201);
    let leave = |who: &Booker| {
        app.client
            .delete(app.url(&format!(
                "/api/v1/planning/waiting-list?child_id={}&unit_id={unit}&date={date}",
                who.child_id
            )))
            .bearer_auth(&who.token)
            .send()
    };
    assert_eq!(leave(&e).await.expect("sent").status(), 204);
    assert_eq!(leave(&e).await.expect("sent").status(), 404);
    assert_eq!(cell(&app, &e, &unit, date).await["state"], "full");
}

#[tokio::test]
async fn in_offer_mode_a_freed_place_is_kept_for_the_first_child_then_passes_to_the_next() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let mut rules: Value = app
        .get_as("/api/v1/staff/services/alja/rules", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    rules["waiting_list"] = json!("offer");
    rules["offer_hours"] = json!(0);
    assert_eq!(
        app.put_as("/api/v1/staff/services/alja/rules", &admin.token, &rules)
            .await
            .status(),
        422
    );
    rules["offer_hours"] = json!(2);
    assert_eq!(
        app.put_as("/api/v1/staff/services/alja/rules", &admin.token, &rules)
            .await
            .status(),
        200
    );
    let mut families = app.bookers("attente-offre", 4).await;
    let (a, b, c, d) = (
        families.remove(0),
        families.remove(0),
        families.remove(0),
        families.remove(0),
    );
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Wed);
    capacity(&app, &admin.token, &unit, date, 1).await;
    app.book(
        &a.token,
        "a1",
        json!([line(&a.child_id, &unit, date, "book")]),
    )
    .await;
    assert_eq!(join(&app, &b, &unit, date).await.status(), 201);
    assert_eq!(join(&app, &c, &unit, date).await.status(), 201);
    app.book(
        &a.token,
        "a2",
        json!([line(&a.child_id, &unit, date, "cancel")]),
    )
    .await;

    // Kept for B: nobody else takes it; B is told until when.
    let kept = cell(&app, &b, &unit, date).await;
    assert_eq!(kept["state"], "waiting");
    assert_eq!(kept["can_book"], true);
    assert!(
        kept["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("gardée"),
        "{kept}"
    );
    assert!(!booked_on(&app, &b, date).await, "not booked until B books");
    assert_eq!(
        outcome(
            app.book(
                &d.token,
                "d1",
                json!([line(&d.child_id, &unit, date, "book")])
            )
            .await
        )
        .await,
        (LineOutcome::Refused, Some(RefusalCode::Full))
    );
    email_saying(&app, &b.email, "elle vous est gardée").await;

    // B does not answer: after 2 hours the place is kept for C, who books it.
    app.advance_clock(Duration::hours(2) + Duration::minutes(1));
    let lapsed = portail_service::planning::waiting::lapse_offers(&app.state.ctx)
        .await
        .expect("lapse");
    assert_eq!(lapsed, 1);
    let mut c = c;
    app.relogin(&mut c).await;
    let mut b = b;
    app.relogin(&mut b).await;
    assert_eq!(
        cell(&app, &b, &unit, date).await["state"],
        "full",
        "B's turn has passed"
    );
    assert_eq!(cell(&app, &c, &unit, date).await["can_book"], true);
    assert_eq!(
        outcome(
            app.book(
                &c.token,
                "c1",
                json!([line(&c.child_id, &unit, date, "book")])
            )
            .await
        )
        .await
        .0,
        LineOutcome::Booked
    );
    let admin = app.admin().await;
    let sheet = app.sheet(&admin.token, &unit, date).await;
    assert_eq!(
        (sheet.taken, sheet.entries.len()),
        (1, 1),
        "the kept place was the one booked"
    );
}

#[tokio::test]
async fn cancellations_and_bookings_racing_on_two_instances_serve_the_waiting_list_in_order_never_past_capacity()
 {
    let a = spawn_app().await;
    a.seed_demo();
    // The `portail create-staff` command before the second instance starts on the database.
    let admin = a.admin().await;
    let b = a.twin().await;
    let unit = a.unit("alja", "Matin").await;
    let date = open_weekday(a.state.ctx.clock.today(), 3, Weekday::Thu);
    capacity(&a, &admin.token, &unit, date, 5).await;
    let holders = a.bookers("course-titulaire", 5).await;
    for (i, f) in holders.iter().enumerate() {
        let booked = a
            .book(
                &f.token,
                format!("t{i}"),
                json!([line(&f.child_id, &unit, date, "book")]),
            )
            .await;
        assert_eq!(outcome(booked).await.0, LineOutcome::Booked);
    }
    let waiting = a.bookers("course-attente", 8).await;
    for (i, f) in waiting.iter().enumerate() {
        let joined: Value = join(&a, f, &unit, date).await.json().await.expect("json");
        assert_eq!(joined["rank"], i + 1);
    }
    let rushing = a.bookers("course-directe", 8).await;

    // The five holders cancel while eight other families try to book the day directly.
    let cancels = holders.iter().enumerate().map(|(i, f)| {
        let app = if i % 2 == 0 { &a } else { &b };
        app.book(
            &f.token,
            format!("x{i}"),
            json!([line(&f.child_id, &unit, date, "cancel")]),
        )
    });
    let direct = rushing.iter().enumerate().map(|(i, f)| {
        let app = if i % 2 == 0 { &b } else { &a };
        app.book(
            &f.token,
            format!("r{i}"),
            json!([line(&f.child_id, &unit, date, "book")]),
        )
    });
    let (cancelled, direct) = futures::future::join(
        futures::future::join_all(cancels),
        futures::future::join_all(direct),
    )
    .await;
    for response in cancelled {
        assert_eq!(outcome(response).await.0, LineOutcome::Cancelled);
    }
    for response in direct {
        assert_eq!(
            outcome(response).await,
            (LineOutcome::Refused, Some(RefusalCode::Full)),
            "a freed place never shows while children wait"
        );
    }
    for (i, f) in waiting.iter().enumerate() {
        let booked = booked_on(&a, f, date).await;
        assert_eq!(
            booked,
            i < 5,
            "rank {} {}",
            i + 1,
            if i < 5 { "is booked" } else { "still waits" }
        );
    }
    for (i, f) in waiting.iter().enumerate().skip(5) {
        assert_eq!(
            cell(&b, f, &unit, date).await["waiting_rank"],
            i - 4,
            "ranks kept, from 1"
        );
    }
    let sheet = b.sheet(&admin.token, &unit, date).await;
    assert_eq!(
        (sheet.capacity, sheet.taken, sheet.entries.len()),
        (5, 5, 5)
    );
}

/// Two instances whose clocks differ (machines a little out of step): the child who joined
/// first on the instance whose clock is ahead stays first when another joins next on the
/// instance whose clock is behind, and gets the freed place.
#[tokio::test]
async fn the_order_of_arrival_holds_across_instances_whose_clocks_differ() {
    let app = spawn_app().await;
    app.seed_demo();
    let behind = (app.state.ctx.clock.now() - Duration::seconds(30)).to_rfc3339();
    let twin = app.twin_with(|s| s.test_clock = Some(behind)).await;
    let mut families = app.bookers("horloges", 3).await;
    let (a, b, c) = (families.remove(0), families.remove(0), families.remove(0));
    let admin = app.admin().await;
    let unit = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Tue);
    capacity(&app, &admin.token, &unit, date, 1).await;
    let held = app
        .book(
            &a.token,
            "h1",
            json!([line(&a.child_id, &unit, date, "book")]),
        )
        .await;
    assert_eq!(outcome(held).await.0, LineOutcome::Booked);

    let first: Value = join(&app, &b, &unit, date)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["rank"], 1, "{first}");
    let second: Value = join(&twin, &c, &unit, date)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["rank"], 2, "the later arrival is second: {second}");
    assert_eq!(cell(&app, &b, &unit, date).await["waiting_rank"], 1);

    let cancelled = twin
        .book(
            &a.token,
            "h2",
            json!([line(&a.child_id, &unit, date, "cancel")]),
        )
        .await;
    assert_eq!(outcome(cancelled).await.0, LineOutcome::Cancelled);
    assert_eq!(cell(&app, &b, &unit, date).await["state"], "booked");
    assert_eq!(cell(&app, &c, &unit, date).await["waiting_rank"], 1);
}
