use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    CapacityRequest, CapacityResponse, Problem, UnitListResponse, UnitRequest, UnitResponse,
};
use portail_domain::rules::planning::setup;
use portail_service::planning::staff;
use uuid::Uuid;

use super::ServiceFilter;
use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::UnitId;

/// Les prestations des services.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(ServiceFilter), responses((status = 200, description = "Les prestations.", body = UnitListResponse)))]
#[get("/staff/units")]
pub async fn list_units(
    _actor: ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<ServiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::list_units(&state.ctx, query.service).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(UnitListResponse { items, total }))
}

/// Créer une prestation et sa capacité par défaut.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = UnitRequest, responses((status = 201, description = "La prestation.", body = UnitResponse)))]
#[post("/staff/units")]
pub async fn create_unit(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_unit(&body)?;
    let saved = staff::save_unit(&state.ctx, &actor, None, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier une prestation.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = UnitRequest, params(("unit_id" = Uuid, Path, description = "La prestation")), responses((status = 200, description = "La prestation.", body = UnitResponse), problem::Unknown))]
#[put("/staff/units/{unit_id}")]
pub async fn update_unit(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<UnitRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_unit(&body)?;
    let saved = staff::save_unit(&state.ctx, &actor, Some(path.into_inner()), &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Fixer la capacité d'une prestation pour un jour (jamais sous les places prises).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = CapacityRequest, params(("unit_id" = Uuid, Path, description = "La prestation")), responses((status = 200, description = "La capacité du jour.", body = CapacityResponse), (status = 409, description = "Plus de places prises que la capacité demandée.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/units/{unit_id}/capacity")]
pub async fn set_capacity(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<CapacityRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_capacity(&body)?;
    let saved = staff::set_capacity(
        &state.ctx,
        &actor,
        UnitId::from(path.into_inner()),
        body.date,
        body.capacity,
    )
    .await?;
    Ok(HttpResponse::Ok().json(saved))
}
