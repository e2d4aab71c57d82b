use actix_web::{HttpResponse, get, web};
use portail_domain::api::{HealthResponse, HealthStatus};

use crate::state::AppState;

/// L'état du portail et de sa base de données.
///
/// Répond 200 quand tout fonctionne, 503 sinon (avec le même corps).
#[utoipa::path(
    tag = "Système",
    responses(
        (status = 200, description = "Tout fonctionne.", body = HealthResponse),
        (status = 503, description = "La base de données ne répond pas.", body = HealthResponse),
    )
)]
#[get("/health")]
pub async fn get_health(state: web::Data<AppState>) -> HttpResponse {
    let health = portail_service::health::check(&state.ctx.db).await;
    match health.status {
        HealthStatus::Ok => HttpResponse::Ok().json(health),
        HealthStatus::Degraded => HttpResponse::ServiceUnavailable().json(health),
    }
}

/// `/health/live`: the process answers (a supervisor restarts it when this fails).
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok\n")
}

/// `/health/ready`: send it traffic? The database answers, every migration is applied, and
/// the server is not stopping. 503 otherwise, saying which.
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let draining = state.lifecycle.is_draining();
    let database = state.ctx.db.ping().await.is_ok();
    let migrations = database && portail_service::health::migrations_current(&state.ctx.db).await;
    let body = serde_json::json!({
        "ready": !draining && database && migrations,
        "stopping": draining,
        "database": if database { "reachable" } else { "unreachable" },
        "migrations": if migrations { "current" } else { "pending" },
    });
    if !draining && database && migrations {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "5"))
            .json(body)
    }
}

/// `/metrics`: the Prometheus text format, for the bearer of `PORTAIL_METRICS_TOKEN` only
/// (404 when it is not set: the endpoint does not exist).
#[get("/metrics")]
pub async fn metrics(req: actix_web::HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    use secrecy::ExposeSecret as _;
    let Some(token) = &state.config.metrics_token else {
        return actix_web::ResponseError::error_response(&crate::error::ApiError::not_found());
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same_secret(given, token.expose_secret()) {
        return HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Bearer realm=\"metrics\""))
            .content_type("text/plain; charset=utf-8")
            .body("PORTAIL_METRICS_TOKEN attendu (Authorization: Bearer …)\n");
    }
    let text = state.metrics.render(&state.ctx).await;
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}

/// Compares two secrets in a time that does not depend on where they differ (their SHA-256).
fn same_secret(given: &str, expected: &str) -> bool {
    use sha2::{Digest as _, Sha256};
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}
