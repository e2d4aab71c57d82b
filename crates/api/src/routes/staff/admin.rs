//! Administrators only: the audit log, document requirements, the commune's settings, and the
//! services given to agents.

use actix_web::{HttpResponse, delete, get, post, put, web};
use portail_domain::api::{
    AuditEventListResponse, AuditEventQuery, CommuneSettings, CreateDocumentRequirementRequest,
    DocumentRequirement, DocumentRequirementListResponse, Problem, StaffServicesRequest,
};
use portail_service::family::{audit, review};
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::StaffId;

/// Le journal d'audit : qui du personnel a lu ou décidé quoi, sur quelle famille.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])), params(AuditEventQuery),
    responses(
        (status = 200, description = "Les événements, les plus récents d'abord.", body = AuditEventListResponse),
        problem::AdministratorsOnly,
    )
)]
#[get("/staff/audit-events")]
pub async fn list_audit_events(
    _admin: AdminUser,
    state: web::Data<AppState>,
    query: web::Query<AuditEventQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = portail_domain::rules::pagination::page(query.page, query.per_page)?;
    Ok(HttpResponse::Ok().json(audit::list(&state.ctx.db, &query, page).await?))
}

/// Les pièces exigées des familles.
#[utoipa::path(tag = "Administration", security(("jeton" = [])), responses((status = 200, description = "Les exigences.", body = DocumentRequirementListResponse)))]
#[get("/staff/document-requirements")]
pub async fn list_document_requirements(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = review::requirements(&state.ctx.db).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(DocumentRequirementListResponse { items, total }))
}

/// Exiger une pièce, de toutes les familles ou pour un service.
#[utoipa::path(tag = "Administration", security(("jeton" = [])), request_body = CreateDocumentRequirementRequest, responses((status = 201, description = "L'exigence.", body = DocumentRequirement)))]
#[post("/staff/document-requirements")]
pub async fn create_document_requirement(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<CreateDocumentRequirementRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = review::add_requirement(&state.ctx, admin.staff_id, &body).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Ne plus exiger une pièce.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])),
    params(("requirement_id" = Uuid, Path, description = "L'exigence")),
    responses((status = 204, description = "Retirée."), problem::Unknown)
)]
#[delete("/staff/document-requirements/{requirement_id}")]
pub async fn delete_document_requirement(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    if !review::delete_requirement(&state.ctx, admin.staff_id, id).await? {
        return Err(ApiError::not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// Les réglages de la commune.
#[utoipa::path(tag = "Administration", security(("jeton" = [])), responses((status = 200, description = "Les réglages.", body = CommuneSettings), (status = 404, description = "Commune pas encore configurée.", body = Problem, content_type = "application/problem+json")))]
#[get("/staff/settings")]
pub async fn get_commune_settings(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(
        review::settings(&state.ctx.db)
            .await?
            .ok_or_else(ApiError::not_found)?,
    ))
}

/// Modifier les réglages (dont la date annuelle de vérification des dossiers).
#[utoipa::path(tag = "Administration", security(("jeton" = [])), request_body = CommuneSettings, responses((status = 200, description = "Les réglages.", body = CommuneSettings), (status = 422, description = "Date invalide.", body = Problem, content_type = "application/problem+json")))]
#[put("/staff/settings")]
pub async fn update_commune_settings(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<CommuneSettings>,
) -> Result<HttpResponse, ApiError> {
    portail_domain::rules::commune::check_settings(&body)?;
    let settings = review::update_settings(&state.ctx, admin.staff_id, &body)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Les services confiés à un membre du personnel.
#[utoipa::path(
    tag = "Administration", security(("jeton" = [])), request_body = StaffServicesRequest,
    params(("staff_id" = Uuid, Path, description = "Le membre du personnel")),
    responses((status = 200, description = "Les services confiés.", body = StaffServicesRequest), (status = 404, description = "Inconnu.", body = Problem, content_type = "application/problem+json"))
)]
#[put("/staff/accounts/{staff_id}/services")]
pub async fn set_staff_services(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<StaffServicesRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff_id = StaffId::from(path.into_inner());
    if !review::set_staff_services(&state.ctx, admin.staff_id, staff_id, &body.services).await? {
        return Err(ApiError::not_found());
    }
    let services = review::staff_services(&state.ctx.db, staff_id).await?;
    Ok(HttpResponse::Ok().json(StaffServicesRequest { services }))
}
