use crate::helpers::{problem, spawn_app};

#[tokio::test]
async fn health_reports_the_database_as_reachable() {
    let app = spawn_app().await;

    let response = app.get("/api/v1/health").await;

    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "reachable");
}

#[tokio::test]
async fn health_says_degraded_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.ctx.db.close_by_ref().await.expect("closed");

    let response = app.get("/api/v1/health").await;

    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn unknown_api_paths_answer_a_french_404_problem_never_the_spa() {
    let app = spawn_app().await;

    for path in [
        "/api/v1/nope",
        "/api/nope",
        "/api/v1/health/extra",
        "/api/v2/health",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body = problem(response).await;
        assert_eq!(body.code.as_str(), "not_found", "{path}");
        assert_eq!(body.status, 404);
        assert_eq!(body.detail, "La ressource demandée est introuvable.");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;

    for path in ["/api/v1/health", "/", "/api/nope"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}
