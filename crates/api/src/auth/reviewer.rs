//! `Reviewer`: a staff member allowed to open family files, with what their services allow.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use portail_domain::auth::{can_review_families, can_view_medical};
use portail_domain::{ErrorCode, ServiceCode};

use super::StaffUser;
use super::caller::StaffCaller;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct Reviewer {
    pub staff: StaffCaller,
    pub services: Vec<ServiceCode>,
    /// May read children's medical details (see `portail_domain::auth::can_view_medical`).
    pub medical: bool,
}

/// The staff caller and the services given to them (one read), for the extractors that need
/// both.
pub(super) fn with_services(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<(StaffCaller, Vec<ServiceCode>), ApiError>> + use<> {
    let staff = StaffUser::from_request(req, payload).into_inner();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    async move {
        let StaffUser(staff) = staff?;
        let state =
            state.ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no application state")))?;
        let services =
            portail_service::family::review::staff_services(&state.ctx.db, staff.staff_id).await?;
        Ok((staff, services))
    }
}

impl FromRequest for Reviewer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = with_services(req, payload);
        Box::pin(async move {
            let (staff, services) = staff.await?;
            if !can_review_families(staff.role, &services) {
                tracing::info!(staff.id = %staff.staff_id, "an agent without services asked for family files");
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Forbidden,
                    "Aucun service ne vous est confié : demandez à un administrateur de vous en attribuer un.",
                ));
            }
            // An integrator's key never reads children's medical details.
            let medical = staff.key.is_none() && can_view_medical(staff.role, &services);
            Ok(Self {
                staff,
                services,
                medical,
            })
        })
    }
}
