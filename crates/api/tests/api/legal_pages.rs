//! The legal pages every footer links: written from the commune's settings (the retention
//! durations the portal applies), replaced by an administrator's text and back, served as
//! plain HTML with everything escaped.

use serde_json::{Value, json};

use crate::client::Answer as _;
use crate::helpers::{problem, spawn_app_with};

#[tokio::test]
async fn the_legal_pages_follow_the_settings_and_an_administrator_can_rewrite_them() {
    let app = spawn_app_with(|settings| settings.retention_inactive_family_years = 5).await;
    app.seed_demo();
    let privacy: Value = app
        .get("/api/v1/legal/donnees-personnelles")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(privacy["customised"], false);
    let body = privacy["body"].as_str().expect("body");
    assert!(
        body.contains("depuis 5 ans"),
        "the durations applied: {body}"
    );
    assert!(body.contains("Avermes"), "{body}");
    for slug in ["mentions-legales", "accessibilite"] {
        assert_eq!(
            app.get(&format!("/api/v1/legal/{slug}")).await.status(),
            200
        );
    }
    assert_eq!(
        problem(app.get("/api/v1/legal/autre").await)
            .await
            .code
            .as_str(),
        "not_found"
    );

    let html = app.get("/accessibilite").await;
    assert_eq!(html.status(), 200);
    assert!(
        html.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert!(html.headers().contains_key("content-security-policy"));
    let text = html.text().await.expect("html");
    assert!(
        text.contains("<h1>Déclaration d'accessibilité</h1>"),
        "{text}"
    );
    assert!(text.contains("Défenseur des droits"), "{text}");
    assert!(
        text.contains("href=\"/mentions-legales\""),
        "the other pages are linked"
    );

    let admin = app.admin().await;
    let agent = app.agent().await;
    let path = "/api/v1/staff/legal/donnees-personnelles";
    let written =
        json!({"body": "## Délégué\n\nÉcrire à <dpo@avermes.fr> & co.\n\n- un droit\n- un autre"});
    assert_eq!(app.put_as(path, &agent.token, &written).await.status(), 403);
    let saved: Value = app
        .put_as(path, &admin.token, &written)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(saved["customised"], true);
    let text = app
        .get("/donnees-personnelles")
        .await
        .text()
        .await
        .expect("html");
    assert!(text.contains("<h2>Délégué</h2>"), "{text}");
    assert!(
        text.contains("Écrire à &lt;dpo@avermes.fr&gt; &amp; co."),
        "escaped: {text}"
    );
    assert!(text.contains("<li>un autre</li>"), "{text}");
    assert!(!text.contains("<dpo@"), "{text}");
    assert!(text.contains("Mise à jour le"), "{text}");

    let too_long = json!({"body": "é".repeat(20_001)});
    let refused = app.put_as(path, &admin.token, &too_long).await;
    assert_eq!(refused.problem(422).await.errors[0].field, "body");

    let back: Value = app
        .put_as(path, &admin.token, &json!({"body": null}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(back["customised"], false);
    assert!(
        back["body"]
            .as_str()
            .is_some_and(|b| b.contains("depuis 5 ans"))
    );
}
