use chrono::{Duration, Weekday};
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app};
use crate::planning_helpers::{line, open_weekday};

#[tokio::test]
async fn the_attendance_sheet_lists_the_children_with_their_flags_and_exports_csv() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let me = app.bookers("presence", 1).await.remove(0);
    let mut child: Value = app
        .get_as(&format!("/api/v1/children/{}", me.child_id), &me.token)
        .await
        .json()
        .await
        .expect("json");
    child["allergies"] = json!("Arachide");
    child["has_pai"] = json!(true);
    child["diet"] = json!("sans_porc");
    app.put_as(
        &format!("/api/v1/children/{}", me.child_id),
        &me.token,
        &child,
    )
    .await;
    let unit = app.unit("alja", "Journée avec repas").await;
    let date = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Tue);
    app.book(
        &me.token,
        "p",
        json!([line(&me.child_id, &unit, date, "book")]),
    )
    .await;

    let sheet: Value = app
        .get_as(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date={date}"),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sheet["entries"][0]["allergies"], "Arachide");
    assert_eq!(sheet["entries"][0]["has_pai"], true);
    assert_eq!(sheet["entries"][0]["diet"], "Sans porc");
    let csv = app
        .get_as(
            &format!("/api/v1/staff/attendance.csv?unit_id={unit}&date={date}"),
            &admin.token,
        )
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.expect("text");
    assert!(text.contains("\"Arachide\";\"oui\""), "{text}");

    let agent = app.agent().await;
    assert_eq!(
        app.get_as(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date={date}"),
            &agent.token
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get_as(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date={date}"),
            &me.token
        )
        .await
        .status(),
        403
    );
}

#[tokio::test]
async fn staff_book_for_a_family_past_the_cutoff_but_past_the_capacity_only_when_forced() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let mut families = app.bookers("guichet", 2).await;
    let unit = app.unit("alja", "Matin").await;
    // Tomorrow is past the D-2 cut-off for families.
    let date = open_weekday(app.state.ctx.clock.today(), 1, Weekday::Wed);
    app.put_as(
        &format!("/api/v1/staff/units/{unit}/capacity"),
        &admin.token,
        &json!({"date": date, "capacity": 1}),
    )
    .await;
    app.advance_clock(date - app.state.ctx.clock.today() - Duration::days(1));
    app.relogin(&mut families[0]).await;
    let admin = app.admin().await;
    let (a, b) = (&families[0], &families[1]);
    let late = app.one_line(a, "x", &unit, date, "book").await;
    assert_eq!(late.code.map(|c| c.as_str()), Some("cutoff_passed"));

    let for_a = app
        .post_as(
            &format!("/api/v1/staff/families/{}/bookings", a.family_id),
            &admin.token,
            &json!({"child_id": a.child_id, "unit_id": unit, "date": date, "action": "book"}),
        )
        .await;
    let for_a: Value = for_a.json().await.expect("json");
    assert_eq!(for_a["results"][0]["outcome"], "booked");
    let for_b: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{}/bookings", b.family_id),
            &admin.token,
            &json!({"child_id": b.child_id, "unit_id": unit, "date": date, "action": "book"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(for_b["results"][0]["code"], "full");
    let forced: Value = app.post_as(&format!("/api/v1/staff/families/{}/bookings", b.family_id), &admin.token, &json!({"child_id": b.child_id, "unit_id": unit, "date": date, "action": "book", "force": true})).await.json().await.expect("json");
    assert_eq!(forced["results"][0]["outcome"], "booked");
    let sheet: Value = app
        .get_as(
            &format!("/api/v1/staff/attendance?unit_id={unit}&date={date}"),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sheet["taken"], 2);
    assert_eq!(sheet["capacity"], 1);
    let audit: Value = app
        .get_as(
            &format!("/api/v1/staff/audit-events?family_id={}", b.family_id),
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert!(audit["items"].as_array().expect("items").iter().any(|e| {
        e["action"] == "staff_booking"
            && e["summary"]
                .as_str()
                .unwrap_or_default()
                .ends_with(", au-delà de la capacité")
    }));

    let under = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}/capacity"),
            &admin.token,
            &json!({"date": date, "capacity": 0}),
        )
        .await;
    assert_eq!(
        under.status(),
        409,
        "the ordinary booking does not fit in 0"
    );
    let same = app
        .put_as(
            &format!("/api/v1/staff/units/{unit}/capacity"),
            &admin.token,
            &json!({"date": date, "capacity": 1}),
        )
        .await;
    assert_eq!(same.status(), 200, "forced places stay above the capacity");
    let cancel: Value = app
        .post_as(
            &format!("/api/v1/staff/families/{}/bookings", a.family_id),
            &admin.token,
            &json!({"child_id": a.child_id, "unit_id": unit, "date": date, "action": "cancel"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cancel["results"][0]["outcome"], "cancelled");
}

#[tokio::test]
async fn staff_configure_periods_units_capacities_and_rules() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let period = json!({
        "service": "alja", "name": "Vacances de printemps", "starts_on": "2030-04-15", "ends_on": "2030-04-26",
        "booking_opens_at": "2030-03-01T09:00:00", "booking_closes_at": "2030-04-01T18:00:00",
        "open_weekdays": [true, true, true, true, true, false, false], "closed_dates": ["2030-04-22"]
    });
    let created = app
        .post_as("/api/v1/staff/periods", &admin.token, &period)
        .await;
    let created: Value = created.read(201).await;
    assert_eq!(
        created["booking_opens_at"], "2030-03-01T09:00:00",
        "local times come back as given"
    );
    let mut bad = period.clone();
    bad["ends_on"] = json!("2030-04-01");
    assert_eq!(
        app.post_as("/api/v1/staff/periods", &admin.token, &bad)
            .await
            .status(),
        422
    );

    let unit = app.post_as("/api/v1/staff/units", &admin.token, &json!({"service": "alja", "name": "Sortie piscine", "default_capacity": 12, "price_cents": 300})).await;
    assert_eq!(unit.status(), 201);
    let services = app.services().await;
    assert!(
        services.to_string().contains("Sortie piscine"),
        "the catalog is refreshed at once"
    );

    let rules = json!({"mode": "instant", "cutoff_days": 3, "cutoff_time": "12:00:00", "cutoff_working_days": true, "weekday_rule": null, "min_age_months": 36, "max_age_months": 143});
    assert_eq!(
        app.put_as("/api/v1/staff/services/alja/rules", &admin.token, &rules)
            .await
            .status(),
        200
    );
    let read: Value = app
        .get_as("/api/v1/staff/services/alja/rules", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["cutoff_working_days"], true);
    let incoherent = json!({"mode": "instant", "cutoff_days": 3, "cutoff_time": null, "weekday_rule": null, "min_age_months": null, "max_age_months": null});
    assert_eq!(
        problem(
            app.put_as(
                "/api/v1/staff/services/alja/rules",
                &admin.token,
                &incoherent
            )
            .await
        )
        .await
        .code
        .as_str(),
        "validation_failed"
    );
}
