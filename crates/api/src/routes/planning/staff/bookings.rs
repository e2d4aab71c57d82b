use actix_web::{HttpResponse, post, web};
use portail_domain::api::{BookingBatchResponse, StaffBookingRequest};
use portail_service::planning::staff::{self};
use uuid::Uuid;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::FamilyId;

/// Réserver ou annuler pour le compte d'une famille, sans fenêtre ni délai ; `force` dépasse la
/// capacité et s'inscrit au journal d'audit.
#[utoipa::path(
    tag = "Planning (personnel)", security(("jeton" = []), ("cle_api" = ["bookings:write"])), request_body = StaffBookingRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses((status = 200, description = "Le résultat de la ligne.", body = BookingBatchResponse), problem::FamilyUnknown)
)]
#[post("/staff/families/{family_id}/bookings")]
pub async fn create_staff_booking(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<StaffBookingRequest>,
) -> Result<HttpResponse, ApiError> {
    let response =
        staff::book_for_family(&state.ctx, &actor, FamilyId::from(path.into_inner()), &body)
            .await
            .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(response))
}
