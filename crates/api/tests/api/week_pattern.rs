//! « Réserver chaque semaine » (issue 24, point 1): a typical week previewed date by date,
//! then sent as one recap through the booking writer; the preview foresees the submit's
//! answer line by line, a retry changes nothing, cancelling works the same way.

use chrono::Duration;
use portail_domain::api::{PatternOutcome, WeekPatternResponse};
use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};

fn canteen_week(child: &str, meal: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Value {
    let day = |weekday: &str| json!({"weekday": weekday, "unit_ids": [meal]});
    json!({
        "child_id": child, "service": "restauration", "action": "book",
        "from": from, "to": to,
        "days": [day("monday"), day("tuesday"), day("thursday"), day("friday")]
    })
}

async fn send(app: &TestApp, token: &str, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/bookings/pattern"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn a_typical_week_is_previewed_then_sent_and_the_preview_foresaw_every_line() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("semaine", 1).await.remove(0);
    let meal = app.unit("restauration", "Repas").await;
    let today = app.state.ctx.clock.today();
    // Nearly four months: cut-off days at the start, the spring holidays and bank holidays
    // inside, days past the canteen's open periods perhaps at the end.
    let pattern = canteen_week(&family.child_id, &meal, today, today + Duration::days(115));

    let preview: WeekPatternResponse = app
        .post_ok(
            "/api/v1/bookings/pattern/preview",
            &family.token,
            &pattern,
            200,
        )
        .await;
    assert!(!preview.sent);
    assert!(preview.lines.len() > 50, "{} lines", preview.lines.len());
    assert!(preview.changed > 20, "{}", preview.summary);
    assert!(
        preview.refused > 0,
        "closed days are listed: {}",
        preview.summary
    );
    assert_eq!(
        preview.changed + preview.refused + preview.unchanged,
        preview.lines.len() as u32
    );
    assert!(
        preview
            .lines
            .iter()
            .filter(|l| l.outcome == PatternOutcome::Refused)
            .all(|l| l.reason.as_deref().is_some_and(|r| !r.is_empty())),
        "every refused date says why"
    );
    assert!(
        preview
            .summary
            .starts_with(&format!("{} jours réservés", preview.changed))
    );
    // Nothing was recorded by the preview.
    assert_eq!(app.my_bookings(&family.token).await.total, 0);

    let sent: WeekPatternResponse = send(&app, &family.token, "semaine-1", &pattern)
        .await
        .read(200)
        .await;
    assert!(sent.sent);
    assert_eq!(sent.lines.len(), preview.lines.len());
    for (foreseen, done) in preview.lines.iter().zip(&sent.lines) {
        assert_eq!((foreseen.date, foreseen.unit_id), (done.date, done.unit_id));
        assert_eq!(
            foreseen.outcome, done.outcome,
            "{}: foreseen {:?} ({:?}), done {:?} ({:?})",
            done.date, foreseen.outcome, foreseen.reason, done.outcome, done.reason
        );
    }
    assert_eq!(sent.summary, preview.summary);
    assert_eq!(
        app.my_bookings(&family.token).await.total,
        u64::from(sent.changed)
    );

    // The same key again: the same answer, nothing changes.
    let again: WeekPatternResponse = send(&app, &family.token, "semaine-1", &pattern)
        .await
        .read(200)
        .await;
    assert_eq!(again, sent);
    assert_eq!(
        app.my_bookings(&family.token).await.total,
        u64::from(sent.changed)
    );
    // Kept as Léa's « semaine type » for the canteen, and in the family's data export.
    let kept: portail_domain::api::SavedWeekPatternList =
        app.get_ok("/api/v1/bookings/patterns", &family.token).await;
    assert_eq!(kept.items.len(), 1);
    assert_eq!(kept.items[0].child_id.to_string(), family.child_id);
    assert_eq!(kept.items[0].service.as_str(), "restauration");
    assert_eq!(kept.items[0].days.len(), 4);
    let export: Value = app.get_ok("/api/v1/account/export", &family.token).await;
    assert_eq!(
        export["week_patterns"][0]["days"].as_array().map(Vec::len),
        Some(4)
    );

    // A new preview sees them booked: unchanged, not refused.
    let after: WeekPatternResponse = app
        .post_ok(
            "/api/v1/bookings/pattern/preview",
            &family.token,
            &pattern,
            200,
        )
        .await;
    assert_eq!(after.changed, 0);
    assert_eq!(after.unchanged, sent.changed);

    // Cancelling every Thursday of the range, the same way.
    let mut thursdays = pattern.clone();
    thursdays["action"] = json!("cancel");
    thursdays["days"] = json!([{"weekday": "thursday", "unit_ids": [meal]}]);
    let foreseen: WeekPatternResponse = app
        .post_ok(
            "/api/v1/bookings/pattern/preview",
            &family.token,
            &thursdays,
            200,
        )
        .await;
    let cancelled: WeekPatternResponse = send(&app, &family.token, "jeudis", &thursdays)
        .await
        .read(200)
        .await;
    assert_eq!(
        foreseen.lines.iter().map(|l| l.outcome).collect::<Vec<_>>(),
        cancelled
            .lines
            .iter()
            .map(|l| l.outcome)
            .collect::<Vec<_>>()
    );
    assert!(cancelled.changed > 0, "{}", cancelled.summary);
    assert!(
        cancelled.summary.contains("annulé"),
        "{}",
        cancelled.summary
    );
    assert_eq!(
        app.my_bookings(&family.token).await.total,
        u64::from(sent.changed - cancelled.changed)
    );
}

#[tokio::test]
async fn a_pattern_is_checked_and_another_familys_child_is_not_found() {
    let app = spawn_app().await;
    app.seed_demo();
    let mut families = app.bookers("forme", 2).await;
    let (family, other) = (families.remove(0), families.remove(0));
    let meal = app.unit("restauration", "Repas").await;
    let journee = app.unit("alja", "Journée avec repas").await;
    let today = app.state.ctx.clock.today();
    let good = canteen_week(&family.child_id, &meal, today, today + Duration::days(30));

    let preview = |body: Value| {
        let app = &app;
        let token = family.token.clone();
        async move {
            app.post_as("/api/v1/bookings/pattern/preview", &token, &body)
                .await
        }
    };
    let mut reversed = good.clone();
    reversed["to"] = json!(today - Duration::days(1));
    let refused = preview(reversed).await.problem(422).await;
    assert_eq!(refused.errors[0].field, "to");

    let mut year_and_more = good.clone();
    year_and_more["to"] = json!(today + Duration::days(500));
    let refused = preview(year_and_more).await.problem(422).await;
    assert!(
        refused.errors[0].message.contains("400 jours"),
        "{refused:?}"
    );

    let mut other_service = good.clone();
    other_service["days"] = json!([{"weekday": "monday", "unit_ids": [journee]}]);
    let refused = preview(other_service).await.problem(422).await;
    assert_eq!(refused.errors[0].code, "unknown_unit");

    let mut nothing = good.clone();
    nothing["days"] = json!([]);
    assert_eq!(
        preview(nothing).await.problem(422).await.errors[0].field,
        "days"
    );

    // Another family's child: not found, on the preview and on the submit.
    let theirs = canteen_week(&other.child_id, &meal, today, today + Duration::days(30));
    preview(theirs.clone()).await.problem(404).await;
    send(&app, &family.token, "pas-a-moi", &theirs)
        .await
        .problem(404)
        .await;
    assert_eq!(app.my_bookings(&other.token).await.total, 0);

    // Without dates: the service's open periods, from today.
    let mut whole = good.clone();
    whole.as_object_mut().expect("object").remove("from");
    whole.as_object_mut().expect("object").remove("to");
    let whole: WeekPatternResponse = app
        .post_ok(
            "/api/v1/bookings/pattern/preview",
            &family.token,
            &whole,
            200,
        )
        .await;
    assert_eq!(whole.from, today);
    assert!(whole.to > today + Duration::days(30), "{:?}", whole.to);
    assert_eq!(whole.lines.last().map(|l| l.date <= whole.to), Some(true));

    // Without an idempotency key, nothing is sent.
    let no_key = app
        .post_as("/api/v1/bookings/pattern", &family.token, &good)
        .await;
    assert_eq!(no_key.status(), 400);
}

#[tokio::test]
async fn two_overlapping_units_on_one_day_are_refused_before_anything_is_sent() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("chevauche", 1).await.remove(0);
    let services = app.services().await;
    // Two ALJA units the catalog says overlap (a day and its morning).
    let alja = services["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|s| s["code"] == "alja")
        .expect("alja")
        .clone();
    let (a, b) = alja["units"]
        .as_array()
        .expect("units")
        .iter()
        .find_map(|u| {
            u["overlaps"]
                .as_array()
                .and_then(|o| o.first())
                .map(|other| (u["id"].clone(), other.clone()))
        })
        .expect("the demo has overlapping ALJA units");
    let today = app.state.ctx.clock.today();
    let body = json!({
        "child_id": family.child_id, "service": "alja", "action": "book",
        "from": today, "to": today + Duration::days(30),
        "days": [{"weekday": "wednesday", "unit_ids": [a, b]}]
    });
    let refused = app
        .post_as("/api/v1/bookings/pattern/preview", &family.token, &body)
        .await
        .problem(422)
        .await;
    assert_eq!(refused.errors[0].code, "overlapping_units");
    assert!(
        refused.errors[0].message.contains("mercredi"),
        "{refused:?}"
    );
}
