use actix_web::{HttpResponse, get, web};
use portail_domain::api::CommuneResponse;

use crate::error::ApiError;
use crate::state::AppState;

/// La commune et ses services.
///
/// Public : c'est ce que montre la page d'accueil. Répond 404 tant que la commune n'est pas
/// configurée.
#[utoipa::path(
    tag = "Commune",
    responses(
        (status = 200, description = "La commune et ses services.", body = CommuneResponse),
        (status = 404, description = "La commune n'est pas encore configurée.", body = portail_domain::api::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/commune")]
pub async fn get_commune(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match portail_service::commune::get(&state.ctx.db).await? {
        Some(commune) => Ok(HttpResponse::Ok().json(commune)),
        None => Err(ApiError::not_found()),
    }
}
