//! Tariffs: dated prices of a unit, set by the agents of its service.

use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{Problem, TariffListResponse, TariffRequest, TariffResponse};
use portail_service::billing::tariffs;
use uuid::Uuid;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les tarifs des services que l'agent gère.
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les tarifs, par service, prestation et date.", body = TariffListResponse)))]
#[get("/staff/tariffs")]
pub async fn list_tariffs(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = tariffs::list(&state.ctx, &actor).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(TariffListResponse { items, total }))
}

/// Créer un tarif daté pour une prestation d'un service que l'agent gère.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = TariffRequest,
    responses(
        (status = 201, description = "Le tarif.", body = TariffResponse),
        problem::ServiceNotEntrusted,
        (status = 404, description = "Prestation inconnue.", body = Problem, content_type = "application/problem+json"),
        problem::TariffSameDay,
        problem::TariffInconsistent,
    )
)]
#[post("/staff/tariffs")]
pub async fn create_tariff(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<TariffRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = tariffs::save(&state.ctx, &actor, None, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier un tarif (un tarif déjà facturé garde ses factures : elles ne changent jamais).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = TariffRequest,
    params(("tariff_id" = Uuid, Path, description = "Le tarif")),
    responses(
        (status = 200, description = "Le tarif.", body = TariffResponse),
        problem::ServiceNotEntrusted,
        (status = 404, description = "Tarif ou prestation inconnus.", body = Problem, content_type = "application/problem+json"),
        problem::TariffSameDay,
        problem::TariffInconsistent,
    )
)]
#[put("/staff/tariffs/{tariff_id}")]
pub async fn update_tariff(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<TariffRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = tariffs::save(&state.ctx, &actor, Some(path.into_inner()), &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}
