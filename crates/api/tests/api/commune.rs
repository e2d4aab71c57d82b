use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{TestApp, spawn_app};

/// The texts of an announcement list (`GET /announcements`, or the staff's with a token).
async fn announcement_texts(app: &TestApp, path: &str, token: Option<&str>) -> Vec<String> {
    let response = match token {
        Some(token) => app.get_as(path, token).await,
        None => app.get(path).await,
    };
    let list: Value = response.json().await.expect("json");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["text"].as_str().expect("text").to_owned())
        .collect()
}

/// The French summaries of the audit log, as an administrator reads them.
async fn audit_summaries(app: &TestApp, token: &str) -> Vec<String> {
    let log: Value = app
        .get_as("/api/v1/staff/audit-events", token)
        .await
        .json()
        .await
        .expect("json");
    log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["summary"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_commune_is_not_found_until_it_is_configured() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/commune").await;

    assert_eq!(response.problem(404).await.code.as_str(), "not_found");
}

#[tokio::test]
async fn the_demo_seed_configures_avermes_and_the_five_services_of_the_note() {
    let app = spawn_app().await;
    let output = app.seed_demo();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let body: serde_json::Value = app.get("/api/v1/commune").await.json().await.expect("json");

    assert_eq!(body["name"], "Avermes");
    let codes: Vec<&str> = body["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| s["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["creche", "rpe", "alja", "restauration", "scolaire"]);
    assert_eq!(body["services"][0]["phone"], "04 70 45 61 51");
    assert_eq!(
        body["services"][0]["name"],
        "Multi-accueil «\u{a0}La Souris Verte\u{a0}»"
    );
}

#[tokio::test]
async fn an_administrator_sets_how_families_reach_each_service() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let agent = app.agent().await;
    let contact = json!({ "phone": "0470123456", "email": " rpe@avermes.fr ", "hours": "Le mardi, de 9 h à 12 h" });

    let refused = app
        .put_as("/api/v1/staff/services/rpe/contact", &agent.token, &contact)
        .await;
    assert_eq!(
        refused.status(),
        403,
        "agents do not edit the commune's contacts"
    );
    let saved = app
        .put_as("/api/v1/staff/services/rpe/contact", &admin.token, &contact)
        .await;
    assert_eq!(saved.status(), 204);

    let commune: Value = app.get("/api/v1/commune").await.json().await.expect("json");
    let rpe = commune["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["code"] == "rpe")
        .expect("rpe")
        .clone();
    assert_eq!(rpe["phone"], "04 70 12 34 56");
    assert_eq!(rpe["email"], "rpe@avermes.fr");
    assert_eq!(rpe["hours"], "Le mardi, de 9 h à 12 h");

    let invalid = app
        .put_as(
            "/api/v1/staff/services/rpe/contact",
            &admin.token,
            &json!({ "phone": "appelez", "email": "non", "hours": "" }),
        )
        .await;
    let fields: Vec<String> = invalid
        .problem(422)
        .await
        .errors
        .iter()
        .map(|e| e.field.as_str().to_owned())
        .collect();
    assert_eq!(fields, ["phone", "email"]);
    let unknown = app
        .put_as(
            "/api/v1/staff/services/piscine/contact",
            &admin.token,
            &contact,
        )
        .await;
    assert_eq!(unknown.status(), 404);

    // Emptied fields are removed.
    let cleared = app
        .put_as(
            "/api/v1/staff/services/rpe/contact",
            &admin.token,
            &json!({ "phone": "", "email": null }),
        )
        .await;
    assert_eq!(cleared.status(), 204);
    let commune: Value = app.get("/api/v1/commune").await.json().await.expect("json");
    let rpe = &commune["services"][1];
    assert_eq!(
        (
            rpe["code"].as_str(),
            rpe["phone"].as_str(),
            rpe["email"].as_str(),
            rpe["hours"].as_str()
        ),
        (Some("rpe"), None, None, None)
    );
}

#[tokio::test]
async fn announcements_show_on_their_days_and_staff_edit_them() {
    let app = spawn_app().await;
    app.seed_demo();
    let admin = app.admin().await;
    let today = app.state.ctx.clock.today();
    let before = announcement_texts(&app, "/api/v1/announcements", None).await;

    let created = app
        .post_as(
            "/api/v1/staff/announcements",
            &admin.token,
            &json!({ "tile": "mes_factures", "text": "  Factures de novembre   disponibles ", "starts_on": today, "ends_on": today + chrono::Duration::days(3) }),
        )
        .await;
    let created: Value = created.read(201).await;
    assert_eq!(created["text"], "Factures de novembre disponibles");
    let later = app
        .post_as(
            "/api/v1/staff/announcements",
            &admin.token,
            &json!({ "tile": "mon_planning", "text": "Plus tard", "starts_on": today + chrono::Duration::days(1), "ends_on": today + chrono::Duration::days(2) }),
        )
        .await;
    assert_eq!(later.status(), 201);

    let shown = announcement_texts(&app, "/api/v1/announcements", None).await;
    assert!(
        shown.contains(&"Factures de novembre disponibles".to_owned()),
        "{shown:?}"
    );
    assert!(
        !shown.contains(&"Plus tard".to_owned()),
        "not before its first day"
    );
    assert_eq!(shown.len(), before.len() + 1);

    let id = created["id"].as_str().expect("id");
    let backwards = app
        .put_as(
            &format!("/api/v1/staff/announcements/{id}"),
            &admin.token,
            &json!({ "tile": "mes_factures", "text": "x", "starts_on": today, "ends_on": today - chrono::Duration::days(1) }),
        )
        .await;
    assert_eq!(backwards.problem(422).await.errors[0].field, "ends_on");
    let deleted = app
        .delete_as(&format!("/api/v1/staff/announcements/{id}"), &admin.token)
        .await;
    assert_eq!(deleted.status(), 204);
    let again = app
        .delete_as(&format!("/api/v1/staff/announcements/{id}"), &admin.token)
        .await;
    assert_eq!(again.status(), 404);
    assert_eq!(
        announcement_texts(&app, "/api/v1/announcements", None).await,
        before
    );
    let all = announcement_texts(&app, "/api/v1/staff/announcements", Some(&admin.token)).await;
    assert!(
        all.contains(&"Plus tard".to_owned()),
        "staff see future ones"
    );

    let summaries = audit_summaries(&app, &admin.token).await;
    assert!(
        summaries.iter().any(
            |s| s.contains("a retiré l'annonce «\u{a0}Factures de novembre disponibles\u{a0}»")
        ),
        "{summaries:?}"
    );
}

#[tokio::test]
async fn an_administrator_sets_the_creches_psu_parameters_by_date() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let agent = app.agent().await;
    let scale = |valid_from: &str, ceiling: i64| json!({ "valid_from": valid_from, "floor_cents": 80_000, "ceiling_cents": ceiling, "rates_ppm": [619, 516, 413, 310, 206] });

    let refused = app
        .put_as(
            "/api/v1/staff/psu-parameters",
            &agent.token,
            &scale("2025-09-01", 850_000),
        )
        .await;
    assert_eq!(refused.status(), 403);
    for (from, ceiling) in [
        ("2024-09-01", 700_000),
        ("2025-09-01", 800_000),
        ("2025-09-01", 850_000),
    ] {
        let saved = app
            .put_as(
                "/api/v1/staff/psu-parameters",
                &admin.token,
                &scale(from, ceiling),
            )
            .await;
        assert_eq!(saved.status(), 200, "{:?}", saved.text().await);
    }
    let list: Value = app
        .get_as("/api/v1/staff/psu-parameters", &admin.token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 2, "the same date is replaced: {list}");
    assert_eq!(list["items"][0]["valid_from"], "2025-09-01");
    assert_eq!(list["items"][0]["ceiling_cents"], 850_000);
    assert_eq!(list["items"][1]["ceiling_cents"], 700_000);

    let upside_down = app
        .put_as(
            "/api/v1/staff/psu-parameters",
            &admin.token,
            &scale("2026-01-01", 10_000),
        )
        .await;
    assert_eq!(
        upside_down.problem(422).await.errors[0].field,
        "ceiling_cents"
    );
    let four_rates = app
        .put_as(
            "/api/v1/staff/psu-parameters",
            &admin.token,
            &json!({ "valid_from": "2026-01-01", "floor_cents": 0, "ceiling_cents": 1, "rates_ppm": [619, 516, 413, 310] }),
        )
        .await;
    assert!(
        four_rates.status().is_client_error(),
        "{}",
        four_rates.status()
    );

    let summaries = audit_summaries(&app, &admin.token).await;
    assert!(
        summaries
            .iter()
            .any(|s| s
                == "a fixé les paramètres PSU de la crèche à partir du lundi 1er septembre 2025"),
        "{summaries:?}"
    );
}
