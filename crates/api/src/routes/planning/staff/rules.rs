use actix_web::{HttpResponse, get, put, web};
use portail_domain::ServiceCode;
use portail_domain::api::{Problem, ServiceRulesDto};
use portail_domain::rules::planning::setup;
use portail_service::planning::staff;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les règles de réservation d'un service.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), params(("service" = ServiceCode, Path, description = "Le service")), responses((status = 200, description = "Les règles.", body = ServiceRulesDto), problem::ServiceUnknown))]
#[get("/staff/services/{service}/rules")]
pub async fn get_service_rules(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<ServiceCode>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(staff::rules(&state.ctx, &actor, path.into_inner()).await?))
}

/// Modifier les règles d'un service : mode, délai, règle du lundi, âges.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = [])), request_body = ServiceRulesDto, params(("service" = ServiceCode, Path, description = "Le service")), responses((status = 200, description = "Les règles.", body = ServiceRulesDto), (status = 422, description = "Règles incohérentes.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/services/{service}/rules")]
pub async fn update_service_rules(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<ServiceCode>,
    body: Json<ServiceRulesDto>,
) -> Result<HttpResponse, ApiError> {
    setup::check_rules(&body)?;
    Ok(HttpResponse::Ok()
        .json(staff::set_rules(&state.ctx, &actor, path.into_inner(), &body).await?))
}
