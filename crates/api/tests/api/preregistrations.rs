//! « Mes préinscriptions en crèche » (issue 13, first part): a draft for an unborn child or a
//! child of the family, sent when the rules hold, one open request a child, cancelled by the
//! family; another family's ids are 404 (also in the access walk).

use chrono::{Datelike as _, Duration};
use serde_json::{Value, json};

use crate::helpers::{problem, spawn_app};

fn schedule() -> Value {
    json!([
        {"arrival": "08:30", "departure": "17:00"},
        {"arrival": "08:30", "departure": "17:00"},
        null,
        {"arrival": "09:00", "departure": "12:00"},
        null
    ])
}

#[tokio::test]
async fn a_family_drafts_sends_and_cancels_a_creche_request_under_the_rules() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("creche", 1).await.remove(0);
    let today = app.state.ctx.clock.today();
    let start = (today + Duration::days(60)).with_day(1).expect("first");
    let unborn = json!({
        "expected_on": (today + Duration::days(40)).to_string(),
        "wished_start": start.to_string(),
        "schedule": schedule(),
        "weeks_per_year": 45,
        "comment": "Premier enfant"
    });
    let draft = app
        .post_as("/api/v1/preregistrations", &family.token, &unborn)
        .await;
    assert_eq!(draft.status(), 201);
    let draft: Value = draft.json().await.expect("json");
    assert_eq!(draft["status"], "brouillon");
    assert_eq!(draft["child_label"], "Enfant à naître");
    let id = draft["id"].as_str().expect("id").to_owned();

    // A draft holds anything shaped right; sending checks the rules.
    let mut too_early = unborn.clone();
    too_early["wished_start"] = json!((today + Duration::days(20)).to_string());
    let saved = app
        .put_as(
            &format!("/api/v1/preregistrations/{id}"),
            &family.token,
            &too_early,
        )
        .await;
    assert_eq!(saved.status(), 200);
    let refused = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/submit"),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(problem(refused).await["errors"][0]["field"], "wished_start");
    app.put_as(
        &format!("/api/v1/preregistrations/{id}"),
        &family.token,
        &unborn,
    )
    .await;
    let sent = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/submit"),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.expect("json");
    assert_eq!(sent["status"], "deposee");
    assert_eq!(sent["sent_on"], today.to_string());
    let locked = app
        .put_as(
            &format!("/api/v1/preregistrations/{id}"),
            &family.token,
            &unborn,
        )
        .await;
    assert_eq!(locked.status(), 409, "a request sent is not edited");

    // A child of the family (one year old): one open request at most.
    let born = json!({
        "child_id": family.child_id,
        "wished_start": start.to_string(),
        "schedule": schedule(),
        "weeks_per_year": 40
    });
    app.set_birth_date(&family, today - Duration::days(365))
        .await;
    let mut ids = Vec::new();
    for _ in 0..2 {
        let created: Value = app
            .post_as("/api/v1/preregistrations", &family.token, &born)
            .await
            .json()
            .await
            .expect("json");
        ids.push(created["id"].as_str().expect("id").to_owned());
    }
    let first = app
        .post_as(
            &format!("/api/v1/preregistrations/{}/submit", ids[0]),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(first.status(), 200);
    let second = app
        .post_as(
            &format!("/api/v1/preregistrations/{}/submit", ids[1]),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(second.status(), 409, "one open request a child");

    // Neither a child nor a birth, or another family's child: refused.
    let nobody = app
        .post_as(
            "/api/v1/preregistrations",
            &family.token,
            &json!({"wished_start": start.to_string(), "schedule": schedule(), "weeks_per_year": 40}),
        )
        .await;
    assert_eq!(nobody.status(), 422);
    let other = app.bookers("voisine", 1).await.remove(0);
    let not_mine = app
        .post_as(
            "/api/v1/preregistrations",
            &family.token,
            &json!({"child_id": other.child_id, "wished_start": start.to_string(), "schedule": schedule(), "weeks_per_year": 40}),
        )
        .await;
    assert_eq!(not_mine.status(), 422);
    for path in [
        format!("/api/v1/preregistrations/{id}/cancel"),
        format!("/api/v1/preregistrations/{id}/submit"),
    ] {
        assert_eq!(
            app.post_as(&path, &other.token, &json!({})).await.status(),
            404,
            "{path}"
        );
    }

    let cancelled = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/cancel"),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let again = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/cancel"),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), 409);
    let list: Value = app
        .get_as("/api/v1/preregistrations", &family.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        list["total"], 3,
        "the unborn child's and two drafts for the born one"
    );
    let theirs: Value = app
        .get_as("/api/v1/preregistrations", &other.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theirs["total"], 0);
}
