//! The crèche's commission (`/admin` → Préinscriptions): the requests sent, decisions in bulk,
//! the waiting list's order. Staff who do not manage the crèche get 403.

use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    DecidePreRegistrationsRequest, DecidePreRegistrationsResponse, PreRegistrationQuery, Problem,
    ReorderWaitingListRequest, StaffPreRegistrationListResponse,
};
use portail_service::preregistrations::commission;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les préinscriptions envoyées (jamais les brouillons) : la liste d'attente d'abord, dans
/// son ordre, puis par date d'envoi. Filtres : statut, entrée souhaitée, âge à l'entrée, jour,
/// heures par semaine.
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), params(PreRegistrationQuery),
    responses(
        (status = 200, description = "Les préinscriptions.", body = StaffPreRegistrationListResponse),
        problem::CrecheNotYours,
        (status = 422, description = "Un filtre hors de ses bornes.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/preregistrations")]
pub async fn list_preregistrations(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<PreRegistrationQuery>,
) -> Result<HttpResponse, ApiError> {
    let items = commission::list(&state.ctx, &actor, &query).await?;
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    Ok(HttpResponse::Ok().json(StaffPreRegistrationListResponse { items, total }))
}

/// Décider pour une ou plusieurs préinscriptions : en commission, place proposée (à partir
/// d'un jour, réponse attendue avant une date), refus (motif dit à la famille), liste
/// d'attente. Chacune est répondue : appliquée, ou laissée telle quelle avec la raison.
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), request_body = DecidePreRegistrationsRequest,
    responses(
        (status = 200, description = "Ce que devient chacune.", body = DecidePreRegistrationsResponse),
        problem::CrecheNotYours,
        (status = 422, description = "Dates de la proposition ou motif du refus manquants ou hors des règles.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/preregistrations/decisions")]
pub async fn decide_preregistrations(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<DecidePreRegistrationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let items = commission::decide(&state.ctx, &actor, &body).await?;
    Ok(HttpResponse::Ok().json(DecidePreRegistrationsResponse { items }))
}

/// Placer une demande de la liste d'attente à un rang, avec un motif (journalisé) ; les
/// autres gardent leur ordre d'arrivée autour d'elle.
#[utoipa::path(
    tag = "Préinscriptions en crèche", security(("jeton" = [])), request_body = ReorderWaitingListRequest,
    responses(
        (status = 200, description = "La liste d'attente, dans son nouvel ordre.", body = StaffPreRegistrationListResponse),
        problem::CrecheNotYours,
        (status = 404, description = "Pas de préinscription de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Elle n'est pas en liste d'attente.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rang ou motif manquant.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/preregistrations/waiting-list")]
pub async fn reorder_waiting_list(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<ReorderWaitingListRequest>,
) -> Result<HttpResponse, ApiError> {
    commission::reorder(&state.ctx, &actor, &body).await?;
    let items = commission::list(
        &state.ctx,
        &actor,
        &PreRegistrationQuery {
            status: Some(portail_domain::api::PreRegistrationStatus::WaitingList),
            ..PreRegistrationQuery::default()
        },
    )
    .await?;
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    Ok(HttpResponse::Ok().json(StaffPreRegistrationListResponse { items, total }))
}
