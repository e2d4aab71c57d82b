use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn the_commune_is_not_found_until_it_is_configured() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/commune").await;

    assert_eq!(response.status(), 404);
    assert_eq!(problem(response).await["code"], "not_found");
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
