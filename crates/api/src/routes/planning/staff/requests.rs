use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    BookingRequestListResponse, BookingRequestQuery, DecideBookingRequestsRequest,
    DecideBookingRequestsResponse,
};
use portail_domain::rules::planning::setup;
use portail_service::planning::staff;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

/// Les souhaits en attente d'un service (d'une semaine, si elle est donnée).
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = []), ("cle_api" = ["bookings:read"])), params(BookingRequestQuery), responses((status = 200, description = "Les souhaits.", body = BookingRequestListResponse)))]
#[get("/staff/booking-requests")]
pub async fn list_booking_requests(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<BookingRequestQuery>,
) -> Result<HttpResponse, ApiError> {
    let items = staff::requests(&state.ctx, &actor, query.service, query.week_of).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(BookingRequestListResponse { items, total }))
}

/// Accepter ou refuser des souhaits (un refus dit pourquoi) ; chaque famille reçoit un e-mail.
/// Accepter ne dépasse jamais la capacité.
#[utoipa::path(tag = "Planning (personnel)", security(("jeton" = []), ("cle_api" = ["bookings:write"])), request_body = DecideBookingRequestsRequest, responses((status = 200, description = "Le résultat, souhait par souhait.", body = DecideBookingRequestsResponse)))]
#[post("/staff/booking-requests/decisions")]
pub async fn decide_booking_requests(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<DecideBookingRequestsRequest>,
) -> Result<HttpResponse, ApiError> {
    setup::check_decisions(&body.decisions)?;
    Ok(HttpResponse::Ok().json(staff::decide(&state.ctx, &actor, &body.decisions).await?))
}
