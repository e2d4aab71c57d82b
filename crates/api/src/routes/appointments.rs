//! « Prendre rendez-vous » (issue 24, point 5): the public page's free slots and booking (no
//! account needed; limited per address), and the desks' staff: opening slots, the day's
//! agenda, booking for a caller, « venu » / « absent » / cancelled.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use portail_domain::api::{
    AgendaQuery, AgendaResponse, AppointmentConfirmation, AppointmentItem, AppointmentRequest,
    AppointmentSlotList, AppointmentStatusRequest, OpenSlotsRequest, Problem, SlotQuery,
};
use portail_service::appointments;
use uuid::Uuid;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

/// Les créneaux libres d'un guichet, dans les 60 prochains jours (public).
#[utoipa::path(
    tag = "Rendez-vous", params(SlotQuery),
    responses((status = 200, description = "Les créneaux où il reste une place.", body = AppointmentSlotList))
)]
#[get("/appointments/slots")]
pub async fn list_free_slots(
    state: web::Data<AppState>,
    query: web::Query<SlotQuery>,
) -> Result<HttpResponse, ApiError> {
    let slots = appointments::free_slots(&state.ctx, query.desk).await?;
    Ok(HttpResponse::Ok().json(slots))
}

/// Prendre un rendez-vous en mairie (public, sans compte) : confirmé par e-mail quand une
/// adresse est donnée, rappelé la veille.
#[utoipa::path(
    tag = "Rendez-vous", request_body = AppointmentRequest,
    responses(
        (status = 201, description = "Le rendez-vous pris.", body = AppointmentConfirmation),
        (status = 404, description = "Pas de créneau de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Plus de place dans ce créneau (`slot_full`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nom, téléphone, e-mail ou motif invalide ; créneau passé.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de demandes depuis cette adresse.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/appointments")]
pub async fn book_appointment(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<AppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    let booked = appointments::book(&state.ctx, None, &body).await?;
    Ok(HttpResponse::Created().json(booked))
}

/// Ouvrir des créneaux de rendez-vous (le personnel du guichet).
#[utoipa::path(
    tag = "Rendez-vous", security(("jeton" = [])), request_body = OpenSlotsRequest,
    responses(
        (status = 201, description = "Les créneaux du jour, ouverts.", body = AppointmentSlotList),
        (status = 403, description = "Ce guichet n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Jour passé, heures, durée ou nombre de personnes invalides.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/appointment-slots")]
pub async fn open_appointment_slots(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<OpenSlotsRequest>,
) -> Result<HttpResponse, ApiError> {
    let slots = appointments::open_slots(&state.ctx, &actor, &body).await?;
    Ok(HttpResponse::Created().json(slots))
}

/// L'agenda d'un guichet pour un jour : chaque créneau et ses rendez-vous.
#[utoipa::path(
    tag = "Rendez-vous", security(("jeton" = [])), params(AgendaQuery),
    responses(
        (status = 200, description = "L'agenda.", body = AgendaResponse),
        (status = 403, description = "Ce guichet n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/appointments")]
pub async fn get_agenda(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<AgendaQuery>,
) -> Result<HttpResponse, ApiError> {
    let agenda = appointments::agenda(&state.ctx, &actor, query.desk, query.date).await?;
    Ok(HttpResponse::Ok().json(agenda))
}

/// Prendre un rendez-vous pour une personne au téléphone.
#[utoipa::path(
    tag = "Rendez-vous", security(("jeton" = [])), request_body = AppointmentRequest,
    responses(
        (status = 201, description = "Le rendez-vous pris.", body = AppointmentConfirmation),
        (status = 403, description = "Ce guichet n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de créneau de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Plus de place dans ce créneau (`slot_full`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nom, téléphone, e-mail ou motif invalide ; créneau passé.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/appointments")]
pub async fn book_appointment_for_caller(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<AppointmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let booked = appointments::book(&state.ctx, Some(&actor), &body).await?;
    Ok(HttpResponse::Created().json(booked))
}

/// Venu, absent, ou annulé (la place se libère).
#[utoipa::path(
    tag = "Rendez-vous", security(("jeton" = [])), request_body = AppointmentStatusRequest,
    params(("appointment_id" = Uuid, Path, description = "Le rendez-vous")),
    responses(
        (status = 200, description = "Le rendez-vous.", body = AppointmentItem),
        (status = 403, description = "Ce guichet n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Pas de rendez-vous de ce nom.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Rétabli alors que le créneau est plein (`slot_full`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/appointments/{appointment_id}/status")]
pub async fn set_appointment_status(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<AppointmentStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved =
        appointments::set_status(&state.ctx, &actor, path.into_inner(), body.status).await?;
    Ok(HttpResponse::Ok().json(saved))
}
