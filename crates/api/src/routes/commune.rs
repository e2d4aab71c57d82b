use actix_web::{HttpResponse, get, web};
use portail_domain::api::CommuneResponse;

use crate::error::ApiError;
use crate::state::AppState;

/// La commune, ses services, et les annonces du jour.
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
    match portail_service::commune::get(&state.ctx.db, state.ctx.clock.today()).await? {
        Some(commune) => Ok(HttpResponse::Ok().json(commune)),
        None => Err(ApiError::not_found()),
    }
}

/// Les annonces du jour sur les tuiles du tableau de bord des familles.
///
/// Public : une annonce dit ce que la commune dit à toutes les familles (« ALJA : ouverture
/// des réservations pour l'été le 3 mai à 9 h »).
#[utoipa::path(
    tag = "Commune",
    responses((status = 200, description = "Les annonces affichées aujourd'hui.", body = portail_domain::api::AnnouncementListResponse))
)]
#[get("/announcements")]
pub async fn list_current_announcements(
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let today = state.ctx.clock.today();
    Ok(HttpResponse::Ok()
        .json(portail_service::announcements::current(&state.ctx.db, today).await?))
}
