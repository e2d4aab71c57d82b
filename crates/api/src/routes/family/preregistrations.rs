//! « Mes préinscriptions en crèche » (issue 13): a family's requests for regular care at the
//! crèche, and its answer to a place offered. Another family's ids answer 404.

use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    PlaceOfferAnswer, PreRegistrationListResponse, PreRegistrationRequest, PreRegistrationResponse,
    Problem,
};
use portail_service::preregistrations::{self};
use uuid::Uuid;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Mes préinscriptions, de la plus récente à la plus ancienne.
#[utoipa::path(tag = "Préinscriptions en crèche", security(("jeton" = [])), responses((status = 200, description = "Les préinscriptions de la famille.", body = PreRegistrationListResponse)))]
#[get("/preregistrations")]
pub async fn list_my_preregistrations(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = preregistrations::list(&state.ctx, family.family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    let (asked_documents, cannot_send) =
        preregistrations::sending_needs(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok().json(PreRegistrationListResponse {
        items,
        total,
        asked_documents,
        cannot_send,
    }))
}

/// Commencer une préinscription (brouillon).
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), request_body = PreRegistrationRequest,
    responses(
        (status = 201, description = "Le brouillon.", body = PreRegistrationResponse),
        (status = 422, description = "Ni enfant ni naissance prévue, ou un enfant d'une autre famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preregistrations")]
pub async fn create_preregistration(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<PreRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved = preregistrations::save(&state.ctx, family.family_id, None, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier un brouillon ; ou, pour une demande envoyée d'un enfant à naître, déclarer sa
/// naissance (la même demande, avec l'enfant ajouté dans « Mes enfants » à la place de la
/// naissance prévue).
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), request_body = PreRegistrationRequest,
    params(("preregistration_id" = Uuid, Path, description = "La préinscription")),
    responses(
        (status = 200, description = "Le brouillon.", body = PreRegistrationResponse),
        problem::PreRegistrationUnknown,
        (status = 409, description = "Déjà envoyée (et pas une naissance déclarée).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Champs invalides.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/preregistrations/{preregistration_id}")]
pub async fn update_preregistration(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<PreRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved =
        preregistrations::save(&state.ctx, family.family_id, Some(path.into_inner()), &body)
            .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Envoyer la préinscription à la crèche (les règles doivent être tenues).
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])),
    params(("preregistration_id" = Uuid, Path, description = "La préinscription")),
    responses(
        (status = 200, description = "Envoyée.", body = PreRegistrationResponse),
        problem::PreRegistrationUnknown,
        (status = 409, description = "Déjà envoyée, l'enfant a déjà une préinscription en cours, ou le dossier famille n'est pas encore validé (`invalid_transition`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Âge à l'entrée, naissance prévue, date d'entrée ou planning hors des règles.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preregistrations/{preregistration_id}/submit")]
pub async fn submit_preregistration(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let sent = preregistrations::submit(&state.ctx, family.family_id, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(sent))
}

/// Annuler ma préinscription.
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])),
    params(("preregistration_id" = Uuid, Path, description = "La préinscription")),
    responses(
        (status = 200, description = "Annulée.", body = PreRegistrationResponse),
        problem::PreRegistrationUnknown,
        (status = 409, description = "Déjà acceptée, refusée ou annulée.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preregistrations/{preregistration_id}/cancel")]
pub async fn cancel_preregistration(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let cancelled =
        preregistrations::cancel(&state.ctx, family.family_id, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(cancelled))
}

/// Répondre à une place proposée : l'accepter, ou la refuser (la demande revient en liste
/// d'attente). Après la date limite, la proposition est tombée.
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), request_body = PlaceOfferAnswer,
    params(("preregistration_id" = Uuid, Path, description = "La préinscription")),
    responses(
        (status = 200, description = "Acceptée, ou revenue en liste d'attente.", body = PreRegistrationResponse),
        problem::PreRegistrationUnknown,
        (status = 409, description = "Pas de place proposée (ou la date limite est passée).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/preregistrations/{preregistration_id}/answer")]
pub async fn answer_place_offer(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<PlaceOfferAnswer>,
) -> Result<HttpResponse, ApiError> {
    let answered =
        preregistrations::answer(&state.ctx, family.family_id, path.into_inner(), body.accept)
            .await?;
    Ok(HttpResponse::Ok().json(answered))
}
