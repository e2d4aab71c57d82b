use chrono::{Duration, Weekday};
use portail_domain::api::{BookingBatchResponse, CellState, LineOutcome};
use portail_domain::rules::planning::RefusalCode;
use serde_json::{Value, json};

use crate::accounts::TestFamily;
use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};
use crate::planning_helpers::{line, open_weekday};

fn outcomes(body: &BookingBatchResponse) -> Vec<(LineOutcome, Option<&str>)> {
    body.results
        .iter()
        .map(|r| (r.outcome, r.code.map(|c| c.as_str())))
        .collect()
}

#[tokio::test]
async fn a_validated_family_books_line_by_line_and_each_refusal_says_why() {
    let app = spawn_app().await;
    app.seed_demo();
    let families = app.bookers("lignes", 2).await;
    let (me, other) = (&families[0], &families[1]);
    let day = app.unit("alja", "Journée avec repas").await;
    let today = app.state.ctx.clock.today();
    let (mon, tue, wed, sat) = (
        open_weekday(today, 1, Weekday::Mon),
        open_weekday(today, 1, Weekday::Tue),
        open_weekday(today, 1, Weekday::Wed),
        open_weekday(today, 1, Weekday::Sat),
    );
    // Wednesday is full: capacity 1, taken by the other family.
    let admin = app.admin().await;
    assert_eq!(
        app.put_as(
            &format!("/api/v1/staff/units/{day}/capacity"),
            &admin.token,
            &json!({"date": wed, "capacity": 1})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.book(
            &other.token,
            "autre-1",
            json!([line(&other.child_id, &day, wed, "book")])
        )
        .await
        .status(),
        200
    );

    let response = app
        .book(
            &me.token,
            "recap-1",
            json!([
                line(&me.child_id, &day, mon, "book"),
                line(&me.child_id, &day, tue, "book"),
                line(&me.child_id, &day, wed, "book"),
                line(&me.child_id, &day, sat, "book"),
                line(&me.child_id, &day, today + Duration::days(400), "book"),
                line(&me.child_id, &day, mon, "book"),
                line(&other.child_id, &day, tue, "book"),
            ]),
        )
        .await;

    let body: BookingBatchResponse = response.read(200).await;
    use LineOutcome::{Booked, Refused};
    let expected = [
        (Booked, None),
        (Booked, None),
        (Refused, Some("full")),
        (Refused, Some("day_closed")),
        (Refused, Some("outside_period")),
        (Refused, Some("duplicate_line")),
        (Refused, Some("unknown_child")),
    ];
    assert_eq!(outcomes(&body), expected);
    assert_eq!((body.accepted, body.refused), (2, 5));
    assert!(
        body.results[2]
            .reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Complet"))
    );

    // The grid shows them, and the places left went down.
    let booked = app.grid_cell(me, "alja", &day, mon).await;
    assert_eq!(booked.state, CellState::Booked);
    assert_eq!(booked.places_left, Some(3));
    assert!(booked.can_cancel && !booked.can_book);
    let full = app.grid_cell(me, "alja", &day, wed).await;
    assert_eq!(full.state, CellState::Full);
    assert_eq!(full.places_left, Some(0));
    assert!(!full.can_book);
    assert!(
        full.reason
            .as_deref()
            .is_some_and(|r| r.starts_with("Complet"))
    );
    let closed = app.grid_cell(me, "alja", &day, sat).await;
    assert_eq!(closed.state, CellState::Closed);
    assert_eq!(closed.places_left, None);
    assert_eq!(app.my_bookings(&me.token).await.total, 2);

    // « Mes dernières demandes »: after a reload, or on another device, each refused line is
    // still readable with its reason; the other family sees only its own (none refused).
    let answers: Value = app
        .get_as("/api/v1/bookings/answers", &me.token)
        .await
        .json()
        .await
        .expect("json");
    let refused = answers["items"][0]["refused"]
        .as_array()
        .expect("refused lines");
    assert_eq!(refused.len(), 5);
    assert_eq!(refused[0]["code"], "full");
    assert!(
        refused[0]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Complet"))
    );
    assert_eq!(answers["items"][0]["accepted"], 2);
    let theirs: Value = app
        .get_as("/api/v1/bookings/answers", &other.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["items"], json!([]));
}

#[tokio::test]
async fn a_retried_recap_is_applied_once_and_a_reused_key_is_refused() {
    let app = spawn_app().await;
    app.seed_demo();
    let me = app.bookers("idem", 1).await.remove(0);
    let day = app.unit("alja", "Journée avec repas").await;
    let mon = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Mon);
    let lines = json!([line(&me.child_id, &day, mon, "book")]);

    let first: Value = app
        .book(&me.token, "cle-unique", lines.clone())
        .await
        .json()
        .await
        .expect("json");
    let retry = app.book(&me.token, "cle-unique", lines.clone()).await;
    assert_eq!(retry.status(), 200);
    assert_eq!(
        retry.json::<Value>().await.expect("json"),
        first,
        "the first answer, not « already booked »"
    );
    let mine: Value = app
        .get_as("/api/v1/bookings", &me.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["total"], 1);

    let other_body = json!([line(&me.child_id, &day, mon + Duration::days(1), "book")]);
    let reused = app.book(&me.token, "cle-unique", other_body).await;
    assert_eq!(
        reused.problem(422).await.code.as_str(),
        "idempotency_key_reused"
    );

    let missing = app
        .client
        .post(app.url("/api/v1/bookings/batch"))
        .bearer_auth(&me.token)
        .json(&json!({"lines": lines}))
        .send()
        .await
        .expect("sent");
    assert_eq!(missing.status(), 400);
    let empty = app.book(&me.token, "vide", json!([])).await;
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn concurrent_retries_of_one_recap_book_once() {
    let app = spawn_app().await;
    app.seed_demo();
    let me = app.bookers("rafale", 1).await.remove(0);
    let day = app.unit("alja", "Matin").await;
    let mon = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Mon);
    let lines = json!([line(&me.child_id, &day, mon, "book")]);

    let tries = (0..12).map(|_| app.book(&me.token, "meme-cle", lines.clone()));
    let responses = futures::future::join_all(tries).await;

    let mut bodies = Vec::new();
    for response in responses {
        match response.status().as_u16() {
            200 => bodies.push(response.json::<Value>().await.expect("json")),
            409 => assert_eq!(
                problem(response).await.code.as_str(),
                "idempotency_in_progress"
            ),
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(!bodies.is_empty());
    assert!(
        bodies.iter().all(|b| *b == bodies[0]),
        "every 200 carries the first answer"
    );
    assert_eq!(bodies[0]["results"][0]["outcome"], "booked");
    let mine: Value = app
        .get_as("/api/v1/bookings", &me.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["total"], 1);
}

#[tokio::test]
async fn capacity_holds_when_many_families_book_the_same_day_at_once() {
    let app = spawn_app().await;
    app.seed_demo();
    let families = app.bookers("ruee", 30).await;
    let day = app.unit("alja", "Journée avec repas").await;
    let date = open_weekday(app.state.ctx.clock.today(), 3, Weekday::Thu);
    let admin = app.admin().await;
    app.put_as(
        &format!("/api/v1/staff/units/{day}/capacity"),
        &admin.token,
        &json!({"date": date, "capacity": 5}),
    )
    .await;

    let rush = families.iter().enumerate().map(|(i, f)| {
        app.book(
            &f.token,
            format!("ruee-{i}"),
            json!([line(&f.child_id, &day, date, "book")]),
        )
    });
    let responses = futures::future::join_all(rush).await;

    let mut booked = 0;
    for response in responses {
        assert_eq!(response.status(), 200, "no 5xx, no error");
        let body: BookingBatchResponse = response.json().await.expect("the shared DTO");
        match (body.results[0].outcome, body.results[0].code) {
            (LineOutcome::Booked, _) => booked += 1,
            (LineOutcome::Refused, code) => assert_eq!(code, Some(RefusalCode::Full)),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(booked, 5, "exactly the capacity");
    let sheet = app.sheet(&admin.token, &day, date).await;
    assert_eq!(sheet.taken, 5);
    assert_eq!(sheet.entries.len(), 5);
}

#[tokio::test]
async fn a_cancellation_frees_the_place_at_once_until_the_cutoff() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut families = app.bookers("annul", 2).await;
    let unit = app.unit("alja", "Après-midi").await;
    let date = open_weekday(app.state.ctx.clock.today(), 2, Weekday::Fri);
    let admin = app.admin().await;
    app.put_as(
        &format!("/api/v1/staff/units/{unit}/capacity"),
        &admin.token,
        &json!({"date": date, "capacity": 1}),
    )
    .await;
    let (a, b) = (&families[0], &families[1]);
    app.book(
        &a.token,
        "a1",
        json!([line(&a.child_id, &unit, date, "book")]),
    )
    .await;
    let full = app.one_line(b, "b1", &unit, date, "book").await;
    assert_eq!(full.code.map(|c| c.as_str()), Some("full"));

    let cancelled = app.one_line(a, "a2", &unit, date, "cancel").await;
    assert_eq!(cancelled.outcome.as_str(), "cancelled");
    let now_free = app.one_line(b, "b2", &unit, date, "book").await;
    assert_eq!(now_free.outcome.as_str(), "booked");
    let nothing = app.one_line(a, "a3", &unit, date, "cancel").await;
    assert_eq!(nothing.code.map(|c| c.as_str()), Some("not_booked"));

    // Past the cut-off (D-2 at 10:00), neither booking nor cancelling.
    app.advance_clock(date - app.state.ctx.clock.today() - Duration::days(1));
    app.relogin(&mut families[1]).await;
    let b = &families[1];
    let late = app.one_line(b, "b3", &unit, date, "cancel").await;
    assert_eq!(late.code.map(|c| c.as_str()), Some("cutoff_passed"));
}

#[tokio::test]
async fn a_family_whose_file_is_not_validated_cannot_book_and_another_familys_child_is_not_found() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = TestFamily::confirmed(&app).await;
    let child: Value = app
        .post_as(
            "/api/v1/children",
            &family.token,
            &crate::family_helpers::complete_child("Léa"),
        )
        .await
        .json()
        .await
        .expect("json");
    let child_id = child["id"].as_str().expect("id");
    let day = app.unit("alja", "Journée avec repas").await;
    let mon = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Mon);

    let refused: Value = app
        .book(
            &family.token,
            "k",
            json!([line(child_id, &day, mon, "book")]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(refused["results"][0]["code"], "family_not_validated");
    assert!(
        refused["results"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("validé")
    );
    let grid: Value = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={child_id}&service=alja&month={}",
                mon.format("%Y-%m")
            ),
            &family.token,
        )
        .await
        .json()
        .await
        .expect("json");
    let cell = grid["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == mon.to_string())
        .expect("day")["cells"][0]
        .clone();
    assert_eq!(cell["can_book"], false);

    let stranger = app.bookers("etranger", 1).await.remove(0);
    let other = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={child_id}&service=alja&month={}",
                mon.format("%Y-%m")
            ),
            &stranger.token,
        )
        .await;
    assert_eq!(other.status(), 404);
    let bad_month = app
        .get_as(
            &format!("/api/v1/planning?child_id={child_id}&service=alja&month=juillet"),
            &family.token,
        )
        .await;
    assert_eq!(bad_month.status(), 400);
}

#[tokio::test]
async fn an_idempotency_key_is_forgotten_after_its_lifetime_and_purged() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut me = app.bookers("oubli", 1).await.remove(0);
    let day = app.unit("alja", "Matin").await;
    let date = open_weekday(app.state.ctx.clock.today(), 3, Weekday::Tue);
    let first = app
        .book(
            &me.token,
            "cle-ancienne",
            json!([line(&me.child_id, &day, date, "book")]),
        )
        .await;
    assert_eq!(first.status(), 200);
    let other = json!([line(&me.child_id, &day, date, "cancel")]);
    let reused = app.book(&me.token, "cle-ancienne", other.clone()).await;
    assert_eq!(
        reused.status(),
        422,
        "within its lifetime the key is remembered"
    );

    let ttl = app.state.ctx.planning.idempotency_ttl();
    assert_eq!(ttl, Duration::hours(24), "the default lifetime");
    app.advance_clock(ttl + Duration::hours(1));
    app.relogin(&mut me).await;
    // Forgotten: the same key now carries a new recap (the cancellation is applied).
    let again = app.book(&me.token, "cle-ancienne", other).await;
    assert_eq!(again.status(), 200);
    let body: portail_domain::api::BookingBatchResponse =
        again.json().await.expect("the shared DTO");
    assert_eq!(
        body.results[0].outcome,
        portail_domain::api::LineOutcome::Cancelled
    );
    // The purge deletes what is older than the lifetime (here: nothing more, then everything).
    let purged = portail_service::planning::purge_idempotency_keys(
        &app.state.ctx.db,
        app.state.ctx.clock.now() + ttl + Duration::hours(1),
        ttl,
    )
    .await
    .expect("purged");
    assert_eq!(purged, 1, "the key stored by the last recap");
}

/// A refused box says which deadline passed, or when bookings open, with the dates; a past
/// day says it is past.
#[tokio::test]
async fn a_refused_day_says_which_deadline_or_opening_date() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let family = app.bookers("delais", 1).await.remove(0);
    let unit = app.unit("alja", "Journée avec repas").await;
    let today = app.state.ctx.clock.today();
    // The ALJA's demo period starts today with a 2-day cut-off: within two days the deadline
    // has passed (those days may be next month).
    let mut saw_deadline = false;
    let mut months = vec![today.format("%Y-%m").to_string()];
    months.push((today + Duration::days(3)).format("%Y-%m").to_string());
    months.dedup();
    for month in months {
        let grid: Value = app
            .get_as(
                &format!(
                    "/api/v1/planning?child_id={}&service=alja&month={month}",
                    family.child_id
                ),
                &family.token,
            )
            .await
            .json()
            .await
            .expect("json");
        for day in grid["days"].as_array().expect("days") {
            let date: chrono::NaiveDate =
                day["date"].as_str().expect("date").parse().expect("date");
            let cell = day["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .find(|c| c["unit_id"] == unit.as_str())
                .expect("cell");
            if cell["state"] != "cutoff_passed" {
                continue;
            }
            let reason = cell["reason"].as_str().unwrap_or_default();
            if date < today {
                assert_eq!(reason, "Ce jour est passé.", "{date}");
            } else {
                assert!(
                    reason.starts_with(
                        "Délai dépassé : ce jour se réservait ou s'annulait jusqu'au "
                    ) && reason.contains(" à "),
                    "{date}: {reason}"
                );
                saw_deadline = true;
            }
        }
    }
    assert!(saw_deadline, "a day within the cut-off was seen");
    // A period whose bookings open later says when.
    let start = today + Duration::days(200);
    let opens = today + Duration::days(100);
    let created = app
        .post_as(
            "/api/v1/staff/periods",
            &admin.token,
            &json!({
                "service": "alja", "name": "Été lointain", "starts_on": start, "ends_on": start + Duration::days(20),
                "booking_opens_at": format!("{opens}T09:00:00"), "booking_closes_at": format!("{}T18:00:00", start - Duration::days(5)),
                "open_weekdays": [true, true, true, true, true, true, true], "closed_dates": []
            }),
        )
        .await;
    assert_eq!(created.status(), 201);
    let cell = app
        .grid_cell(&family, "alja", &unit, start + Duration::days(1))
        .await;
    let reason = cell.reason.unwrap_or_default();
    let expected = format!(
        "Les réservations de cette période ouvrent le {} à 9\u{a0}h.",
        portail_domain::format::date_fr(opens)
    );
    assert_eq!(reason, expected);
}

#[tokio::test]
async fn each_service_says_which_month_its_grid_opens_on() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let today = app.state.ctx.clock.today();
    let first_month = |services: &Value, code: &str| {
        services["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|s| s["code"] == code)
            .expect("service")["first_month"]
            .clone()
    };

    // The demo's « Mercredis et petites vacances » starts today, its bookings open.
    let services = app.services().await;
    assert_eq!(
        first_month(&services, "alja"),
        today.format("%Y-%m").to_string()
    );

    // Once that period's bookings have closed, the grid opens on next summer, whose opening
    // date the grid then gives.
    let periods: Value = app
        .get_as("/api/v1/staff/periods", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let items = periods["items"].as_array().expect("items");
    let current = items
        .iter()
        .find(|p| p["name"] == "Mercredis et petites vacances")
        .expect("demo period");
    let summer = items
        .iter()
        .find(|p| {
            p["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Vacances d'été"))
        })
        .expect("summer period");
    let mut closed = current.clone();
    let object = closed.as_object_mut().expect("object");
    object.remove("id");
    object.insert(
        "booking_closes_at".to_owned(),
        json!(format!("{}T08:00:00", today - Duration::days(1))),
    );
    let saved = app
        .put_as(
            &format!(
                "/api/v1/staff/periods/{}",
                current["id"].as_str().expect("id")
            ),
            &admin.token,
            &closed,
        )
        .await;
    assert_eq!(saved.status(), 200, "{:?}", saved.text().await);

    let services = app.services().await;
    let summer_month = &summer["starts_on"].as_str().expect("starts_on")[..7];
    assert_eq!(first_month(&services, "alja"), summer_month);
}
