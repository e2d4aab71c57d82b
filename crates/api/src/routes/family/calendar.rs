//! The family's private calendar feed (« Mon calendrier »): an address to add to the phone's
//! calendar, turned on (or regenerated), shown, turned off by the family itself; and the feed
//! behind the address, read by calendar apps without a login.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use portail_domain::api::{CalendarFeedResponse, Problem};
use portail_service::integrations::calendar;

use crate::auth::FamilyOwner;
use crate::error::ApiError;
use crate::state::AppState;

fn response(state: &AppState, token: Option<String>) -> CalendarFeedResponse {
    CalendarFeedResponse {
        enabled: token.is_some(),
        url: token.map(|t| calendar::url_of(&state.ctx, &t)),
    }
}

/// Le calendrier de la famille : activé ou non, et son adresse.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "L'état du calendrier.", body = CalendarFeedResponse)))]
#[get("/calendar-feed")]
pub async fn get_my_calendar_feed(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = calendar::token(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok().json(response(&state, token)))
}

/// Activer le calendrier, ou lui donner une nouvelle adresse : l'ancienne cesse aussitôt de
/// fonctionner.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "L'adresse du calendrier.", body = CalendarFeedResponse)))]
#[post("/calendar-feed")]
pub async fn enable_calendar_feed(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = calendar::enable(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok().json(response(&state, Some(token))))
}

/// Désactiver le calendrier : son adresse ne répond plus.
#[utoipa::path(tag = "Planning", security(("jeton" = [])), responses((status = 200, description = "Le calendrier, désactivé.", body = CalendarFeedResponse)))]
#[delete("/calendar-feed")]
pub async fn disable_calendar_feed(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    calendar::disable(&state.ctx, family.family_id).await?;
    Ok(HttpResponse::Ok().json(response(&state, None)))
}

/// Le calendrier (iCalendar, RFC 5545) derrière une adresse secrète, pour l'agenda d'un
/// téléphone : les réservations des enfants, deux mois en arrière et un an en avant, les
/// annulées marquées comme telles.
#[utoipa::path(
    tag = "Planning",
    params(("token" = String, Path, description = "Le secret de l'adresse")),
    responses(
        (status = 200, description = "Le calendrier.", body = String, content_type = "text/calendar"),
        (status = 404, description = "Adresse inconnue ou calendrier désactivé.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/{token}.ics")]
pub async fn get_calendar_feed(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let feed = calendar::feed(&state.ctx, &path.into_inner())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(feed))
}
