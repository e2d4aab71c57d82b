//! Administrators only: billing's settings (for now the crèche's PSU parameters).

use actix_web::{HttpResponse, get, put, web};
use portail_domain::api::{Problem, PsuParametersListResponse, PsuParametersRequest};
use portail_service::billing;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

async fn list(state: &AppState) -> Result<PsuParametersListResponse, ApiError> {
    let items: Vec<PsuParametersRequest> = billing::psu_parameters(&state.ctx.db)
        .await?
        .iter()
        .map(PsuParametersRequest::from)
        .collect();
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    Ok(PsuParametersListResponse { items, total })
}

/// Les paramètres PSU de la crèche (plancher, plafond, taux d'effort), datés.
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les paramètres, du plus récent au plus ancien.", body = PsuParametersListResponse)))]
#[get("/staff/psu-parameters")]
pub async fn list_psu_parameters(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(list(&state).await?))
}

/// Fixer les paramètres PSU en vigueur à partir d'une date (ceux de la même date sont remplacés).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = PsuParametersRequest,
    responses(
        (status = 200, description = "Tous les paramètres.", body = PsuParametersListResponse),
        (status = 422, description = "Plancher, plafond ou taux incohérents.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/psu-parameters")]
pub async fn set_psu_parameters(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<PsuParametersRequest>,
) -> Result<HttpResponse, ApiError> {
    let parameters = body.validate()?;
    billing::set_psu_parameters(&state.ctx, admin.staff_id, &parameters).await?;
    Ok(HttpResponse::Ok().json(list(&state).await?))
}
