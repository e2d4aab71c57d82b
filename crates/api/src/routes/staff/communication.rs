//! Administrators only: how families reach each service, and the dashboard's announcements.

use actix_web::{HttpResponse, delete, get, post, put, web};
use portail_domain::ServiceCode;
use portail_domain::api::{
    AnnouncementListResponse, AnnouncementRequest, AnnouncementResponse, Problem,
    ServiceContactRequest,
};
use portail_service::announcements;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les coordonnées d'un service (téléphone, e-mail, horaires) ; un champ vide les efface.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])), request_body = ServiceContactRequest,
    params(("service" = ServiceCode, Path, description = "Le service")),
    responses(
        (status = 204, description = "Enregistré."),
        problem::ServiceUnknown,
        (status = 422, description = "Un champ est invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/services/{service}/contact")]
pub async fn set_service_contact(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<ServiceContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let code = ServiceCode::parse(&path.into_inner()).ok_or_else(ApiError::not_found)?;
    let contact = body.validate()?;
    if !announcements::set_service_contact(&state.ctx, admin.staff_id, code, &contact).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Toutes les annonces, passées et à venir.
#[utoipa::path(tag = "Administration", security(("jeton" = [])), responses((status = 200, description = "Les annonces.", body = AnnouncementListResponse)))]
#[get("/staff/announcements")]
pub async fn list_announcements(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(announcements::all(&state.ctx.db).await?))
}

/// Ajouter une annonce sur une tuile du tableau de bord des familles.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])), request_body = AnnouncementRequest,
    responses(
        (status = 201, description = "L'annonce.", body = AnnouncementResponse),
        problem::TextOrDatesInvalid,
    )
)]
#[post("/staff/announcements")]
pub async fn create_announcement(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<AnnouncementRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.validate()?;
    let saved = announcements::save(&state.ctx, admin.staff_id, None, &request)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier une annonce.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])), request_body = AnnouncementRequest,
    params(("announcement_id" = Uuid, Path, description = "L'annonce")),
    responses(
        (status = 200, description = "L'annonce.", body = AnnouncementResponse),
        problem::Unknown,
        problem::TextOrDatesInvalid,
    )
)]
#[put("/staff/announcements/{announcement_id}")]
pub async fn update_announcement(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<AnnouncementRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.validate()?;
    let saved = announcements::save(
        &state.ctx,
        admin.staff_id,
        Some(path.into_inner()),
        &request,
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Retirer une annonce.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])),
    params(("announcement_id" = Uuid, Path, description = "L'annonce")),
    responses(
        (status = 204, description = "Retirée."),
        problem::Unknown,
    )
)]
#[delete("/staff/announcements/{announcement_id}")]
pub async fn delete_announcement(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    if !announcements::delete(&state.ctx, admin.staff_id, path.into_inner()).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}
