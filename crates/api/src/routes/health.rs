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
