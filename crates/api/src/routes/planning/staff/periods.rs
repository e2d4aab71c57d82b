use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{PeriodListResponse, PeriodRequest, PeriodResponse, Problem};
use portail_domain::rules::planning::setup;
use portail_service::planning::staff;
use uuid::Uuid;

use super::ServiceFilter;
use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les périodes des services.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(ServiceFilter), responses((status = 200, description = "Les périodes.", body = PeriodListResponse)))]
#[get("/staff/periods")]
pub async fn list_periods(
    _actor: ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<ServiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::list_periods(&state.ctx, query.service).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(PeriodListResponse { items, total }))
}

/// Créer une période (dates, jours d'ouverture, jours fermés, fenêtre de réservation en heure locale).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = PeriodRequest, responses((status = 201, description = "La période.", body = PeriodResponse), (status = 422, description = "Période incohérente.", body = Problem, content_type = "application/problem+json")))]
#[post("/staff/periods")]
pub async fn create_period(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<PeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_period(&body)?;
    let saved = staff::save_period(&state.ctx, &actor, None, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier une période.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = PeriodRequest, params(("period_id" = Uuid, Path, description = "La période")), responses((status = 200, description = "La période.", body = PeriodResponse), problem::Unknown))]
#[put("/staff/periods/{period_id}")]
pub async fn update_period(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<PeriodRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_period(&body)?;
    let saved = staff::save_period(&state.ctx, &actor, Some(path.into_inner()), &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}
