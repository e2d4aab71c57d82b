use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    CreateStaffRequest, Problem, StaffDeactivationResponse, StaffListResponse, StaffResponse,
};
use portail_service::accounts::staff::{self, Deactivator};
use uuid::Uuid;

use crate::auth::{AdminUser, StaffUser};
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Le membre du personnel connecté.
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Le compte.", body = StaffResponse),
        problem::NotLoggedIn,
        (status = 403, description = "Un jeton de famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/me")]
pub async fn get_staff_me(
    StaffUser(caller): StaffUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let me = staff::get(&state.ctx.db, caller.staff_id.uuid())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(me))
}

/// La liste du personnel (administrateurs).
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Le personnel.", body = StaffListResponse),
        problem::AdministratorsOnly,
    )
)]
#[get("/staff/accounts")]
pub async fn list_staff(
    AdminUser(_admin): AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::list(&state.ctx.db).await?;
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    Ok(HttpResponse::Ok().json(StaffListResponse { items, total }))
}

/// Créer un compte du personnel (administrateurs) ; un e-mail d'invitation lui permet de
/// choisir son mot de passe (lien valable 7 jours).
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    request_body = CreateStaffRequest,
    responses(
        (status = 201, description = "Compte créé ; l'invitation est envoyée.", body = StaffResponse),
        problem::AdministratorsOnly,
        (status = 409, description = "Adresse déjà utilisée par un compte du personnel.", body = Problem, content_type = "application/problem+json"),
        problem::InvalidFields,
    )
)]
#[post("/staff/accounts")]
pub async fn create_staff(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<CreateStaffRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validate()?;
    let created = staff::invite(
        &state.ctx,
        &new.email,
        new.display_name.into_inner(),
        new.role,
    )
    .await
    .map_err(ApiError::from)?;
    tracing::info!(staff.id = %created.id, by = %admin.staff_id, "staff account created");
    Ok(HttpResponse::Created().json(created))
}

/// Désactiver un compte du personnel (administrateurs) : ses sessions se ferment à l'instant
/// sur toutes les instances, ses clés d'API cessent de fonctionner (elles agissent en son
/// nom), ses abonnements webhook sont repris par l'administrateur qui le désactive. Le
/// dernier administrateur actif ne peut pas l'être, ni soi-même.
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    params(("staff_id" = Uuid, Path, description = "Le compte du personnel.")),
    responses(
        (status = 200, description = "Compte désactivé ; ce qui a cessé et ce qui a été repris.", body = StaffDeactivationResponse),
        problem::AdministratorsOnly,
        problem::AccountUnknown,
        (status = 409, description = "Le dernier administrateur actif (`last_administrator`), ou son propre compte (`conflict`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/accounts/{staff_id}/deactivate")]
pub async fn deactivate_staff(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let target = path.into_inner();
    let done = staff::deactivate(
        &state.ctx,
        target,
        Deactivator::Admin(admin.staff_id.uuid()),
    )
    .await
    .map_err(ApiError::from)?;
    tracing::info!(staff.id = %target, by = %admin.staff_id, "staff account deactivated");
    Ok(HttpResponse::Ok().json(done))
}

/// Réactiver un compte du personnel (administrateurs) : il peut se connecter de nouveau.
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    params(("staff_id" = Uuid, Path, description = "Le compte du personnel.")),
    responses(
        (status = 200, description = "Compte actif.", body = StaffResponse),
        problem::AdministratorsOnly,
        problem::AccountUnknown,
    )
)]
#[post("/staff/accounts/{staff_id}/reactivate")]
pub async fn reactivate_staff(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let target = path.into_inner();
    let staff = staff::reactivate(&state.ctx, target, admin.staff_id.uuid())
        .await?
        .ok_or_else(ApiError::not_found)?;
    tracing::info!(staff.id = %target, by = %admin.staff_id, "staff account reactivated");
    Ok(HttpResponse::Ok().json(staff))
}
