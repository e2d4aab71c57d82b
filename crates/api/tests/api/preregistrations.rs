//! « Mes préinscriptions en crèche » (issue 13, first part): a draft for an unborn child or a
//! child of the family, sent when the rules hold, one open request a child, cancelled by the
//! family; another family's ids are 404 (also in the access walk).

use chrono::{Datelike as _, Duration};
use serde_json::{Value, json};

use crate::client::Answer as _;
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
    let draft: Value = draft.read(201).await;
    assert_eq!(draft["status"], "brouillon");
    assert_eq!(draft["child_label"], "Enfant à naître");
    let id = draft["id"].as_str().expect("id").to_owned();
    app.upload(
        &family.token,
        "avis_imposition",
        None,
        "avis.pdf",
        crate::family_helpers::PDF.to_vec(),
    )
    .await;

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
    assert_eq!(refused.problem(422).await.errors[0].field, "wished_start");
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
    let sent: Value = sent.read(200).await;
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

/// A sent request for an unborn child, with the tax notice the crèche asks for.
async fn sent_unborn(
    app: &crate::helpers::TestApp,
    family: &crate::planning_helpers::Booker,
    days_ahead: i64,
) -> String {
    let today = app.state.ctx.clock.today();
    let start = (today + Duration::days(60)).with_day(1).expect("first");
    let draft: Value = app
        .post_as(
            "/api/v1/preregistrations",
            &family.token,
            &json!({
                "expected_on": (today + Duration::days(days_ahead)).to_string(),
                "wished_start": start.to_string(),
                "schedule": schedule(),
                "weeks_per_year": 45
            }),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_str().expect("id").to_owned();
    if !has_tax_notice(app, family).await {
        let uploaded = app
            .upload(
                &family.token,
                "avis_imposition",
                None,
                "avis.pdf",
                crate::family_helpers::PDF.to_vec(),
            )
            .await;
        assert_eq!(uploaded.status(), 201);
    }
    let sent = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/submit"),
            &family.token,
            &json!({}),
        )
        .await;
    assert_eq!(sent.status(), 200);
    id
}

async fn has_tax_notice(
    app: &crate::helpers::TestApp,
    family: &crate::planning_helpers::Booker,
) -> bool {
    let docs: Value = app
        .get_as("/api/v1/documents", &family.token)
        .await
        .json()
        .await
        .expect("json");
    docs["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|d| d["document_type"] == "avis_imposition")
}

async fn mine(
    app: &crate::helpers::TestApp,
    family: &crate::planning_helpers::Booker,
    id: &str,
) -> Value {
    let list: Value = app
        .get_as("/api/v1/preregistrations", &family.token)
        .await
        .json()
        .await
        .expect("json");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .expect("the request")
}

async fn decide(app: &crate::helpers::TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post_as("/api/v1/staff/preregistrations/decisions", token, &body)
        .await
}

/// The e-mails to `to` whose text says `words`, waiting up to 15 s for one.
async fn email_saying(
    app: &crate::helpers::TestApp,
    to: &str,
    words: &str,
) -> crate::helpers::ReceivedEmail {
    for _ in 0..300 {
        if let Some(found) = app.smtp.messages().into_iter().find(|m| {
            m.to.contains(to)
                && m.text
                    .replace("=\r\n", "")
                    .replace('\n', " ")
                    .contains(words)
        }) {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "no e-mail to {to} saying {words:?}; received: {:?}",
        app.smtp
            .messages()
            .iter()
            .filter(|m| m.to.contains(to))
            .map(|m| m.text.clone())
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn the_commission_offers_a_place_the_family_accepts_each_step_emailed_and_in_the_file_history()
 {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("souris", 1).await.remove(0);
    let today = app.state.ctx.clock.today();
    let start = (today + Duration::days(60)).with_day(1).expect("first");

    // The crèche asks for the tax notice: sending without it is refused, the list says so.
    let draft: Value = app
        .post_as(
            "/api/v1/preregistrations",
            &family.token,
            &json!({"expected_on": (today + Duration::days(30)).to_string(), "wished_start": start.to_string(), "schedule": schedule(), "weeks_per_year": 45}),
        )
        .await
        .json()
        .await
        .expect("json");
    let id = draft["id"].as_str().expect("id").to_owned();
    assert_eq!(
        draft["documents"],
        json!([{"document_type": "avis_imposition", "provided": false}])
    );
    let refused = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/submit"),
            &family.token,
            &json!({}),
        )
        .await;
    let problem = refused.problem(422).await;
    assert_eq!(problem.errors[0].field, "documents");
    assert!(
        problem.errors[0]
            .message
            .as_str()
            .contains("Avis d'imposition")
    );
    app.upload(
        &family.token,
        "avis_imposition",
        None,
        "avis.pdf",
        crate::family_helpers::PDF.to_vec(),
    )
    .await;
    let sent: Value = app
        .post_as(
            &format!("/api/v1/preregistrations/{id}/submit"),
            &family.token,
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(sent["status"], "deposee");
    assert_eq!(sent["documents"][0]["provided"], true);
    email_saying(&app, &family.email, "déposée").await;

    // Staff of another service see nothing; the crèche's commission filters.
    let admin = app.admin().await;
    let agent = app.agent().await;
    let me: Value = app
        .get_as("/api/v1/staff/me", &agent.token)
        .await
        .json()
        .await
        .expect("json");
    app.put_as(
        &format!(
            "/api/v1/staff/accounts/{}/services",
            me["id"].as_str().expect("id")
        ),
        &admin.token,
        &json!({"services": ["restauration"]}),
    )
    .await;
    assert_eq!(
        app.get_as("/api/v1/staff/preregistrations", &agent.token)
            .await
            .status(),
        403
    );
    assert_eq!(
        decide(
            &app,
            &agent.token,
            json!({"ids": [id], "decision": "en_commission"})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get_as("/api/v1/staff/preregistrations", &family.token)
            .await
            .status(),
        403
    );
    let count = |query: &str| {
        let query = query.to_owned();
        let app = &app;
        let token = admin.token.clone();
        let id = id.clone();
        async move {
            let list: Value = app
                .get_as(&format!("/api/v1/staff/preregistrations{query}"), &token)
                .await
                .json()
                .await
                .expect("json");
            list["items"]
                .as_array()
                .expect("items")
                .iter()
                .filter(|i| i["id"] == id.as_str())
                .count()
        }
    };
    assert_eq!(count("").await, 1);
    assert_eq!(count("?weekday=1").await, 1, "Mondays are asked");
    assert_eq!(count("?weekday=3").await, 0, "Wednesdays are not");
    for wrong in [
        "?weekday=0",
        "?weekday=6",
        "?max_age_months=49",
        "?max_weekly_hours=0",
    ] {
        let refused = app
            .get_as(
                &format!("/api/v1/staff/preregistrations{wrong}"),
                &admin.token,
            )
            .await;
        assert_eq!(refused.status(), 422, "{wrong}");
    }
    assert_eq!(count("?max_weekly_hours=10").await, 0, "20 hours a week");
    assert_eq!(count("?max_weekly_hours=20").await, 1);
    assert_eq!(
        count("?status=deposee&max_age_months=0").await,
        1,
        "unborn: 0 months"
    );
    assert_eq!(
        count(&format!("?start_from={}", start + Duration::days(1))).await,
        0
    );
    assert_eq!(
        count(&format!("?start_from={start}&start_to={start}")).await,
        1
    );
    let listed: Value = app
        .get_as(
            "/api/v1/staff/preregistrations?status=deposee",
            &admin.token,
        )
        .await
        .json()
        .await
        .expect("json");
    let item = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id.as_str())
        .cloned()
        .expect("listed");
    assert_eq!(item["weekly_minutes"], 20 * 60);
    assert_eq!(item["age_at_start_months"], 0);
    assert_eq!(item["child_label"], "Enfant à naître");
    let never_drafts = app
        .get_as(
            "/api/v1/staff/preregistrations?status=brouillon",
            &admin.token,
        )
        .await;
    assert_eq!(
        never_drafts.json::<Value>().await.expect("json")["total"],
        0
    );

    // An offer needs its dates; then the family sees them, and a refusal no longer applies.
    let incomplete = decide(
        &app,
        &admin.token,
        json!({"ids": [id], "decision": "proposee"}),
    )
    .await;
    assert_eq!(incomplete.status(), 422);
    let fields: Vec<String> = problem_fields(incomplete).await;
    assert_eq!(fields, ["offered_from", "answer_by"]);
    let no_reason = decide(
        &app,
        &admin.token,
        json!({"ids": [id], "decision": "refusee", "reason": "  "}),
    )
    .await;
    assert_eq!(no_reason.status(), 422);
    let answer_by = today + Duration::days(7);
    let offered: Value = decide(
        &app,
        &admin.token,
        json!({"ids": [id, uuid::Uuid::new_v4()], "decision": "proposee", "offered_from": start.to_string(), "answer_by": answer_by.to_string()}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(offered["items"][0]["applied"], true);
    assert_eq!(offered["items"][0]["status"], "proposee");
    assert_eq!(
        offered["items"][1]["applied"], false,
        "an unknown id is said, not fatal"
    );
    let seen = mine(&app, &family, &id).await;
    assert_eq!(seen["status"], "proposee");
    assert_eq!(seen["offered_from"], start.to_string());
    assert_eq!(seen["answer_by"], answer_by.to_string());
    email_saying(&app, &family.email, "Une place en crèche est proposée").await;
    let late_refusal: Value = decide(
        &app,
        &admin.token,
        json!({"ids": [id], "decision": "refusee", "reason": "Complet"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(late_refusal["items"][0]["applied"], false);
    assert_eq!(late_refusal["items"][0]["status"], "proposee");

    // Another family cannot answer; the family accepts once.
    let other = app.bookers("autre", 1).await.remove(0);
    let answer = |token: String, accept: bool| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post_as(
                &format!("/api/v1/preregistrations/{id}/answer"),
                &token,
                &json!({"accept": accept}),
            )
            .await
        }
    };
    assert_eq!(answer(other.token.clone(), true).await.status(), 404);
    let accepted = answer(family.token.clone(), true).await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(
        accepted.json::<Value>().await.expect("json")["status"],
        "acceptee"
    );
    assert_eq!(answer(family.token.clone(), true).await.status(), 409);
    email_saying(&app, &family.email, "Vous avez accepté la place").await;

    // The file's history holds every step.
    let dossier: Value = app
        .get_as("/api/v1/dossier", &family.token)
        .await
        .json()
        .await
        .expect("json");
    let steps: Vec<String> = dossier["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["kind"] == "preregistration")
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert!(steps.iter().any(|s| s.contains("déposée")), "{steps:?}");
    assert!(steps.iter().any(|s| s.contains("proposée")), "{steps:?}");
    assert!(steps.iter().any(|s| s.contains("accepté")), "{steps:?}");
    let audit: Value = app
        .get_as("/api/v1/staff/audit-events", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["action"] == "decide_preregistration"
                && e["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Place proposée")),
        "{audit}"
    );
}

async fn problem_fields(response: reqwest::Response) -> Vec<String> {
    problem(response)
        .await
        .errors
        .iter()
        .map(|e| e.field.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn an_offer_unanswered_lapses_back_on_the_waiting_list_whose_order_staff_change_with_a_reason()
 {
    let app = spawn_app().await;
    app.seed_demo();
    let families = app.bookers("attente", 3).await;
    let mut ids = Vec::new();
    for family in &families {
        ids.push(sent_unborn(&app, family, 50).await);
        app.advance_clock(Duration::seconds(2));
    }
    let admin = app.admin().await;
    let waited: Value = decide(
        &app,
        &admin.token,
        json!({"ids": ids, "decision": "liste_attente"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert!(
        waited["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["applied"] == true),
        "{waited}"
    );
    let mut families = families;
    for family in &mut families {
        app.relogin(family).await;
    }
    for (rank, (family, id)) in families.iter().zip(&ids).enumerate() {
        assert_eq!(
            mine(&app, family, id).await["rank"],
            rank + 1,
            "first come, first served"
        );
    }
    email_saying(&app, &families[0].email, "liste d'attente").await;

    // The first is offered a place, does not answer: the day after the deadline, it lapses and
    // the request is back at its rank; the family is told.
    let today = app.state.ctx.clock.today();
    let offered: Value = decide(
        &app,
        &admin.token,
        json!({"ids": [ids[0]], "decision": "proposee", "offered_from": (today + Duration::days(20)).to_string(), "answer_by": (today + Duration::days(2)).to_string()}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(offered["items"][0]["applied"], true);
    assert_eq!(
        mine(&app, &families[1], &ids[1]).await["rank"],
        1,
        "the offered one left the list"
    );
    app.advance_clock(Duration::days(2));
    app.relogin(&mut families[0]).await;
    assert_eq!(
        mine(&app, &families[0], &ids[0]).await["status"],
        "proposee",
        "the deadline day is still open"
    );
    app.advance_clock(Duration::days(1));
    app.relogin(&mut families[0]).await;
    let lapsed = mine(&app, &families[0], &ids[0]).await;
    assert_eq!(lapsed["status"], "liste_attente");
    assert_eq!(lapsed["rank"], 1, "back at its place of arrival");
    assert_eq!(lapsed["answer_by"], Value::Null);
    let too_late = app
        .post_as(
            &format!("/api/v1/preregistrations/{}/answer", ids[0]),
            &families[0].token,
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(too_late.status(), 409);
    email_saying(&app, &families[0].email, "Sans réponse").await;

    // Staff put the third first, with a reason (required, audited); the others keep their order.
    let admin = app.admin().await;
    let no_reason = app
        .put_as(
            "/api/v1/staff/preregistrations/waiting-list",
            &admin.token,
            &json!({"id": ids[2], "rank": 1, "reason": " "}),
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let not_waiting = app
        .put_as(
            "/api/v1/staff/preregistrations/waiting-list",
            &admin.token,
            &json!({"id": uuid::Uuid::new_v4(), "rank": 1, "reason": "x"}),
        )
        .await;
    assert_eq!(not_waiting.status(), 404);
    let reordered: Value = app
        .put_as(
            "/api/v1/staff/preregistrations/waiting-list",
            &admin.token,
            &json!({"id": ids[2], "rank": 1, "reason": "Parent seul, reprise d'emploi"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let order: Vec<&str> = reordered["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(order, [ids[2].as_str(), ids[0].as_str(), ids[1].as_str()]);
    let audit: Value = app
        .get_as("/api/v1/staff/audit-events", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|e| e["action"] == "reorder_waiting_list"
                && e["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("Parent seul")),
        "{audit}"
    );
    app.relogin(&mut families[2]).await;
    assert_eq!(mine(&app, &families[2], &ids[2]).await["rank"], 1);
    email_saying(&app, &families[2].email, "rang 1").await;
}

#[tokio::test]
async fn an_unborn_childs_request_becomes_the_childs_once_born_and_nothing_else_changes() {
    let app = spawn_app().await;
    app.seed_demo();
    let family = app.bookers("naissance", 1).await.remove(0);
    let id = sent_unborn(&app, &family, 20).await;
    let kept = mine(&app, &family, &id).await;
    let mut born = kept["request"].clone();
    born.as_object_mut().expect("object").remove("expected_on");
    born["child_id"] = json!(family.child_id);
    let mut changed = born.clone();
    changed["weeks_per_year"] = json!(30);
    let refused = app
        .put_as(
            &format!("/api/v1/preregistrations/{id}"),
            &family.token,
            &changed,
        )
        .await;
    assert_eq!(
        refused.status(),
        409,
        "a sent request changes only by the birth"
    );
    let other = app.bookers("pas-moi", 1).await.remove(0);
    let mut not_mine = born.clone();
    not_mine["child_id"] = json!(other.child_id);
    assert_eq!(
        app.put_as(
            &format!("/api/v1/preregistrations/{id}"),
            &family.token,
            &not_mine
        )
        .await
        .status(),
        422
    );
    let declared = app
        .put_as(
            &format!("/api/v1/preregistrations/{id}"),
            &family.token,
            &born,
        )
        .await;
    let declared: Value = declared.read(200).await;
    assert_eq!(declared["status"], "deposee", "the request keeps its place");
    assert_eq!(declared["request"]["child_id"], family.child_id.as_str());
    assert_ne!(declared["child_label"], "Enfant à naître");
    assert_eq!(declared["sent_on"], kept["sent_on"]);
    email_saying(&app, &family.email, "Naissance déclarée").await;
}

#[tokio::test]
async fn a_family_whose_file_is_not_validated_prepares_a_draft_but_cannot_send_it() {
    let app = spawn_app().await;
    app.seed_demo();
    // A family that has sent its file, which the town hall has not validated yet.
    let (family, _) = app.submitted_family().await;
    let today = app.state.ctx.clock.today();
    let unborn = json!({
        "expected_on": (today + Duration::days(40)).to_string(),
        "wished_start": (today + Duration::days(60)).with_day(1).expect("first").to_string(),
        "schedule": schedule(),
        "weeks_per_year": 45,
        "comment": ""
    });
    let draft: portail_domain::api::PreRegistrationResponse = app
        .post_ok("/api/v1/preregistrations", &family.token, &unborn, 201)
        .await;

    // The list says it before any click: what the crèche asks, and why sending must wait.
    let list: portail_domain::api::PreRegistrationListResponse =
        app.get_ok("/api/v1/preregistrations", &family.token).await;
    let why = list.cannot_send.expect("the file is not validated");
    assert!(why.contains("doit être validé par la mairie"), "{why}");
    assert!(
        list.asked_documents
            .contains(&portail_domain::dossier::DocumentType::TaxNotice),
        "the demo's crèche asks for the tax notice: {:?}",
        list.asked_documents
    );

    // Sending is refused by the server, with that reason, and the draft stays a draft.
    let refused = app
        .post_as(
            &format!("/api/v1/preregistrations/{}/submit", draft.id),
            &family.token,
            &json!({}),
        )
        .await
        .problem(409)
        .await;
    assert_eq!(refused.code.as_str(), "invalid_transition");
    assert_eq!(refused.detail, why);
    let list: portail_domain::api::PreRegistrationListResponse =
        app.get_ok("/api/v1/preregistrations", &family.token).await;
    assert_eq!(list.items[0].status.as_str(), "brouillon");

    // A validated family is not told to wait.
    let validated = app.bookers("validee", 1).await.remove(0);
    let list: portail_domain::api::PreRegistrationListResponse = app
        .get_ok("/api/v1/preregistrations", &validated.token)
        .await;
    assert_eq!(list.cannot_send, None);
}
