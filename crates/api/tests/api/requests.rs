//! The crèche's occasional care: wishes entered on Mondays for the next week, decided by staff.

use chrono::{Datelike as _, Duration, NaiveDate, Weekday};
use portail_domain::api::CellState;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;
use crate::planning_helpers::line;

/// The Monday after the tests' fixed day (`helpers::test_now`), at 09:00 in Paris.
fn next_monday_morning() -> (String, NaiveDate) {
    let today = chrono::DateTime::parse_from_rfc3339(&crate::helpers::test_now())
        .expect("an RFC 3339 test instant")
        .date_naive();
    let monday = today + Duration::days(i64::from(7 - today.weekday().num_days_from_monday()));
    let instant =
        portail_domain::rules::planning::paris_instant(monday.and_hms_opt(9, 0, 0).expect("time"));
    (instant.to_rfc3339(), monday)
}

#[tokio::test]
async fn wishes_are_entered_on_monday_and_staff_accept_within_capacity_or_decline_with_a_reason() {
    let (clock, monday) = next_monday_morning();
    let app = spawn_app_with(|s| s.test_clock = Some(clock.clone())).await;
    app.seed_demo();
    let mut families = app.bookers("creche", 2).await;
    // Make the bench children toddlers: the crèche takes children up to 47 months.
    let toddler = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("date");
    for f in &families {
        app.set_birth_date(f, toddler).await;
    }
    let morning = app.unit("creche", "Matin 8h–12h").await;
    let admin = app.admin().await;
    let next_tuesday = monday + Duration::days(8);
    app.put_as(
        &format!("/api/v1/staff/units/{morning}/capacity"),
        &admin.token,
        &json!({"date": next_tuesday, "capacity": 1}),
    )
    .await;
    let (a, b) = (&families[0], &families[1]);

    let wishes: Value = app
        .book(
            &a.token,
            "souhaits-a",
            json!([
                line(&a.child_id, &morning, next_tuesday, "book"),
                line(&a.child_id, &morning, monday + Duration::days(9), "book"),
                // The week after next (its Monday, or a later one when that is a bank holiday).
                line(
                    &a.child_id,
                    &morning,
                    crate::planning_helpers::open_weekday(monday, 2, Weekday::Mon),
                    "book"
                ),
            ]),
        )
        .await
        .json()
        .await
        .expect("json");
    let outcomes: Vec<&str> = wishes["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(outcomes, ["requested", "requested", "refused"]);
    assert_eq!(wishes["results"][2]["code"], "not_next_week");
    let b_wish = app
        .one_line(b, "souhaits-b", &morning, next_tuesday, "book")
        .await;
    assert_eq!(
        b_wish.outcome.as_str(),
        "requested",
        "a wish does not take a place"
    );

    // A day later it is Tuesday: no more wishes.
    app.advance_clock(Duration::days(1));
    app.relogin(&mut families[0]).await;
    let admin = app.admin().await;
    let (a, b) = (&families[0], &families[1]);
    let tuesday: Value = app
        .book(
            &a.token,
            "souhaits-a2",
            json!([line(
                &a.child_id,
                &morning,
                monday + Duration::days(10),
                "book"
            )]),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(tuesday["results"][0]["code"], "not_monday");

    let queue: Value = app
        .get_as(
            &format!("/api/v1/staff/booking-requests?service=creche&week_of={next_tuesday}"),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(queue["total"], 3);
    let id_of = |child: &str, date: NaiveDate| {
        queue["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["child_id"] == child && i["date"] == date.to_string())
            .expect("a wish")["booking_id"]
            .clone()
    };
    let decisions = json!({"decisions": [
        {"booking_id": id_of(&a.child_id, next_tuesday), "decision": "accept"},
        {"booking_id": id_of(&b.child_id, next_tuesday), "decision": "accept"},
        {"booking_id": id_of(&a.child_id, monday + Duration::days(9)), "decision": "decline", "reason": "Pas d'accueil occasionnel ce jour-là."},
    ]});
    let decided: Value = app
        .post_as(
            "/api/v1/staff/booking-requests/decisions",
            &admin.token,
            &decisions,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(decided["results"][0]["status"], "booked");
    assert_eq!(
        decided["results"][1]["status"],
        Value::Null,
        "accepting never exceeds capacity"
    );
    assert!(
        decided["results"][1]["error"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Complet")
    );
    assert_eq!(decided["results"][2]["status"], "declined");

    let mine: Value = app
        .get_as("/api/v1/bookings", &a.token)
        .await
        .json()
        .await
        .expect("json");
    let statuses: Vec<(&str, Option<&str>)> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|b| {
            (
                b["status"].as_str().unwrap_or_default(),
                b["decline_reason"].as_str(),
            )
        })
        .collect();
    assert!(statuses.contains(&("booked", None)));
    assert!(statuses.contains(&("declined", Some("Pas d'accueil occasionnel ce jour-là."))));
    let mail = app
        .token_from_email_subject("creche.0@bench.example", "Réponse à vos souhaits")
        .await;
    assert!(
        mail.contains("Accepté") && mail.contains("Refusé"),
        "{mail}"
    );
    // The grid (on Tuesday): the accepted wish is booked; the declined one says why, and
    // cannot be wished again before Monday. Back on Monday, a new wish replaces the
    // declined one (the latest row of a day decides).
    let wednesday = monday + Duration::days(9);
    let accepted = app.grid_cell(a, "creche", &morning, next_tuesday).await;
    assert_eq!(accepted.state, CellState::Booked);
    let declined = app.grid_cell(a, "creche", &morning, wednesday).await;
    assert_eq!(declined.state, CellState::Declined);
    assert_eq!(
        declined.reason.as_deref(),
        Some("Pas d'accueil occasionnel ce jour-là.")
    );
    assert!(!declined.can_book);
    app.advance_clock(Duration::days(-1));
    app.relogin(&mut families[0]).await;
    let a = &families[0];
    let again = app
        .one_line(a, "souhait-encore", &morning, wednesday, "book")
        .await;
    assert_eq!(again.outcome.as_str(), "requested");
    let requested = app.grid_cell(a, "creche", &morning, wednesday).await;
    assert_eq!(requested.state, CellState::Requested);
    assert!(requested.can_cancel);

    assert!(Weekday::Mon == monday.weekday());
}

/// Staff accept wishes while their families cancel them: a place is taken only for a wish
/// that really became a booking (the seats counted equal the children on the sheet).
#[tokio::test]
async fn accepting_wishes_while_families_cancel_them_never_leaks_a_place() {
    let app = crate::helpers::spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let mut rules: Value = app
        .get_as("/api/v1/staff/services/alja/rules", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    rules["mode"] = json!("request");
    assert_eq!(
        app.put_as("/api/v1/staff/services/alja/rules", &admin.token, &rules)
            .await
            .status(),
        200
    );
    let families = app.bookers("course", 16).await;
    let unit = app.unit("alja", "Matin").await;
    let date = crate::planning_helpers::open_weekday(app.state.ctx.clock.today(), 2, Weekday::Wed);
    for (i, f) in families.iter().enumerate() {
        let wished: Value = app
            .book(
                &f.token,
                format!("souhait-{i}"),
                json!([line(&f.child_id, &unit, date, "book")]),
            )
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(wished["results"][0]["outcome"], "requested");
    }
    let queue: Value = app
        .get_as("/api/v1/staff/booking-requests?service=alja", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<String> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["booking_id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 16);

    let accepts = ids.iter().map(|id| {
        let body = json!({"decisions": [{"booking_id": id, "decision": "accept"}]});
        let (app, token) = (&app, &admin.token);
        async move {
            app.post_as("/api/v1/staff/booking-requests/decisions", token, &body)
                .await
        }
    });
    let cancels = families.iter().enumerate().map(|(i, f)| {
        app.book(
            &f.token,
            format!("annule-{i}"),
            json!([line(&f.child_id, &unit, date, "cancel")]),
        )
    });
    let (accepted, cancelled) = futures::future::join(
        futures::future::join_all(accepts),
        futures::future::join_all(cancels),
    )
    .await;
    for response in accepted.into_iter().chain(cancelled) {
        assert_eq!(response.status(), 200);
    }
    let sheet = app.sheet(&admin.token, &unit, date).await;
    assert_eq!(
        sheet.taken as usize,
        sheet.entries.len(),
        "places taken = children booked"
    );
}

/// On a Wednesday, the crèche's month says the rule once, with the dates, and the Monday
/// boxes no longer read as a rule about those Mondays.
#[tokio::test]
async fn on_a_wednesday_the_rule_is_said_once_with_its_dates() {
    let wednesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
    let instant = portail_domain::rules::planning::paris_instant(
        wednesday.and_hms_opt(15, 0, 0).expect("time"),
    );
    let app = spawn_app_with(|s| s.test_clock = Some(instant.to_rfc3339())).await;
    app.seed_demo();
    let family = app.bookers("mercredi", 1).await.remove(0);
    app.set_birth_date(
        &family,
        chrono::NaiveDate::from_ymd_opt(2025, 3, 1).expect("date"),
    )
    .await;
    let grid: Value = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={}&service=creche&month=2026-12",
                family.child_id
            ),
            &family.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        grid["notice"],
        "Les souhaits pour la semaine du 14 au 18 décembre se saisissent le lundi 7 décembre."
    );
    let monday = grid["days"]
        .as_array()
        .expect("days")
        .iter()
        .find(|d| d["date"] == "2026-12-14")
        .expect("14 December");
    let reason = monday["cells"][0]["reason"].as_str().unwrap_or_default();
    assert!(!reason.contains("uniquement le lundi"), "{reason}");
    // The ALJA has no such rule: no notice.
    let alja: Value = app
        .get_as(
            &format!(
                "/api/v1/planning?child_id={}&service=alja&month=2026-12",
                family.child_id
            ),
            &family.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(alja["notice"].is_null());
}
