//! The treasury's settings: the crèche's PSU parameters, the billing settings, and a
//! household's resources (administrators; the crèche's agents for the resources).

use actix_web::{HttpResponse, get, put, web};
use portail_domain::api::{
    BillingSettings, HouseholdResourcesRequest, Problem, PsuParametersListResponse,
    PsuParametersRequest,
};
use portail_service::billing::{self, settings};
use uuid::Uuid;

use crate::auth::{AdminUser, ServiceManager};
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::FamilyId;

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

/// Les réglages de facturation (codes postaux, adresse, échéance, seuil de blocage).
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les réglages.", body = BillingSettings)))]
#[get("/staff/billing-settings")]
pub async fn get_billing_settings(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(settings::settings(&state.ctx).await?))
}

/// Modifier les réglages de facturation.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = BillingSettings,
    responses(
        (status = 200, description = "Les réglages.", body = BillingSettings),
        (status = 422, description = "Réglage invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/billing-settings")]
pub async fn set_billing_settings(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<BillingSettings>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = settings::set_settings(&state.ctx, admin.staff_id, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Les ressources du foyer (crèche).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Les ressources.", body = HouseholdResourcesRequest),
        problem::CrecheNotEntrusted,
        problem::FamilyUnknown,
    )
)]
#[get("/staff/families/{family_id}/resources")]
pub async fn get_household_resources(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let resources =
        settings::resources(&state.ctx, &actor, FamilyId::from(path.into_inner())).await?;
    Ok(HttpResponse::Ok().json(resources))
}

/// Saisir les ressources mensuelles du foyer (revenus N-2 / 12) et l'AEEH, pour la crèche.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = HouseholdResourcesRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Les ressources.", body = HouseholdResourcesRequest),
        problem::CrecheNotEntrusted,
        problem::FamilyUnknown,
        (status = 422, description = "Montant ou année hors limites.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/families/{family_id}/resources")]
pub async fn set_household_resources(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<HouseholdResourcesRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved =
        settings::set_resources(&state.ctx, &actor, FamilyId::from(path.into_inner()), &body)
            .await?;
    Ok(HttpResponse::Ok().json(saved))
}
