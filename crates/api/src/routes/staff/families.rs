use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    DocumentResponse, DossierStatus, FamilyDetailResponse, FamilyListQuery, FamilyListResponse,
    Problem, RequestInfoRequest, ReviewDocumentRequest,
};
use portail_service::family::documents::{self};
use portail_service::family::{dossier, review};
use uuid::Uuid;

use crate::auth::Reviewer;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::routes::family::file_response;
use crate::state::AppState;
use portail_domain::ids::FamilyId;

/// La liste des familles : la file de travail (`status=submitted`, les plus anciens d'abord),
/// une recherche par nom, e-mail ou prénom d'enfant, et le nombre de dossiers par statut.
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = []), ("cle_api" = ["families:read"])), params(FamilyListQuery),
    responses(
        (status = 200, description = "Les familles.", body = FamilyListResponse),
        (status = 403, description = "Réservé au personnel à qui un service est confié.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/families")]
pub async fn list_families(
    _reviewer: Reviewer,
    state: web::Data<AppState>,
    query: web::Query<FamilyListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = portail_domain::rules::pagination::page(query.page, query.per_page)?;
    Ok(HttpResponse::Ok().json(review::list_families(&state.ctx.db, &query, page).await?))
}

/// Le dossier complet d'une famille (la lecture est inscrite au journal d'audit).
///
/// Pour un agent dont les services n'accueillent pas d'enfants, les informations médicales
/// des enfants sont masquées.
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = []), ("cle_api" = ["families:read"])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Le dossier.", body = FamilyDetailResponse),
        problem::NoSuchFamily,
    )
)]
#[get("/staff/families/{family_id}")]
pub async fn get_family(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let detail = review::family_detail(
        &state.ctx,
        reviewer.staff.staff_id,
        FamilyId::from(path.into_inner()),
        reviewer.medical,
    )
    .await?
    .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(detail))
}

/// « Valider le dossier » (un e-mail prévient la famille).
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Le nouveau statut.", body = DossierStatus),
        (status = 409, description = "Le dossier n'est pas envoyé (`invalid_transition`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/families/{family_id}/validate")]
pub async fn validate_family(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let status = dossier::validate(
        &state.ctx,
        reviewer.staff.staff_id,
        FamilyId::from(path.into_inner()),
    )
    .await
    .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(status))
}

/// « Demander un complément » : le message est envoyé par e-mail et affiché à la famille.
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = [])), request_body = RequestInfoRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Le nouveau statut.", body = DossierStatus),
        (status = 409, description = "Pas possible dans ce statut (`invalid_transition`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Message manquant.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/families/{family_id}/request-info")]
pub async fn request_family_info(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<RequestInfoRequest>,
) -> Result<HttpResponse, ApiError> {
    let status = dossier::request_info(
        &state.ctx,
        reviewer.staff.staff_id,
        FamilyId::from(path.into_inner()),
        &body.message,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(status))
}

/// Accepter ou refuser une pièce (un refus dit pourquoi).
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = [])), request_body = ReviewDocumentRequest,
    params(("document_id" = Uuid, Path, description = "La pièce")),
    responses(
        (status = 200, description = "La pièce.", body = DocumentResponse),
        problem::DocumentUnknown,
        (status = 422, description = "Un refus sans motif.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/documents/{document_id}/review")]
pub async fn review_document(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<ReviewDocumentRequest>,
) -> Result<HttpResponse, ApiError> {
    let document = documents::review(
        &state.ctx,
        reviewer.staff.staff_id,
        path.into_inner(),
        body.decision,
        body.reason.as_deref(),
    )
    .await
    .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(document))
}

/// Télécharger la pièce d'une famille (inscrit au journal d'audit).
#[utoipa::path(
    tag = "Dossiers (personnel)", security(("jeton" = [])),
    params(("document_id" = Uuid, Path, description = "La pièce")),
    responses(
        (status = 200, description = "Le fichier.", body = Vec<u8>, content_type = "application/octet-stream"),
        problem::DocumentUnknown,
    )
)]
#[get("/staff/documents/{document_id}/content")]
pub async fn download_family_document(
    reviewer: Reviewer,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let document_id = path.into_inner();
    let (document, bytes) =
        documents::content_for_staff(&state.ctx, reviewer.staff.staff_id, document_id)
            .await?
            .ok_or_else(ApiError::not_found)?;
    Ok(file_response(&document, bytes))
}

/// Avant de supprimer les données d'une famille (administrateurs) : ce qui l'empêche encore
/// (factures impayées, demandes en cours), ce qui sera supprimé, ce qui sera gardé et pourquoi.
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille.")),
    responses(
        (status = 200, description = "L'aperçu de la suppression.", body = portail_domain::api::ErasurePreview),
        problem::AdministratorsOnly,
        problem::FamilyUnknown,
    )
)]
#[get("/staff/families/{family_id}/erasure")]
pub async fn preview_erasure(
    crate::auth::AdminUser(_admin): crate::auth::AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let preview =
        portail_service::retention::preview(&state.ctx, FamilyId::from(path.into_inner()))
            .await?
            .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(preview))
}

/// Supprimer les données d'une famille (administrateurs), à sa demande : compte, foyer,
/// enfants, réservations, documents ; les factures et paiements restent (comptabilité
/// publique), le journal d'audit aussi. Refusé tant qu'elle doit de l'argent ou qu'une
/// demande est en cours.
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille.")),
    responses(
        (status = 200, description = "Les données sont supprimées.", body = portail_domain::api::MessageResponse),
        problem::AdministratorsOnly,
        problem::FamilyUnknown,
        (status = 409, description = "Factures impayées ou demandes en cours (`conflict`, la raison dans `detail`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/families/{family_id}/erasure")]
pub async fn erase_family(
    crate::auth::AdminUser(admin): crate::auth::AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    use portail_service::retention::Reason;
    let family_id = path.into_inner();
    portail_service::retention::erase_family(
        &state.ctx,
        FamilyId::from(family_id),
        Reason::Request,
        admin.staff_id.uuid(),
    )
    .await
    .map_err(ApiError::from)?;
    tracing::info!(family.id = %family_id, by = %admin.staff_id, "family erased on its request");
    Ok(HttpResponse::Ok().json(portail_domain::api::MessageResponse {
        message: "Les données de la famille sont supprimées ; ses factures et paiements restent, comme la loi le demande.".to_owned(),
    }))
}
