//! The staff's planning routes: a service's rules, periods, units and capacities, attendance
//! sheets, the request queue and bookings made for families. Every handler takes a
//! [`crate::auth::ServiceManager`] (or a [`crate::auth::Reviewer`]) and hands its actor to
//! the use-case, which checks it against the stored row.

mod attendance;
mod bookings;
mod periods;
mod requests;
mod rules;
mod units;

pub use attendance::{export_attendance_csv, get_attendance, mark_attendance};
pub use bookings::create_staff_booking;
pub use periods::{create_period, list_periods, update_period};
pub use requests::{decide_booking_requests, list_booking_requests};
pub use rules::{get_service_rules, update_service_rules};
pub use units::{create_unit, list_units, set_capacity, update_unit};

use actix_web::http::StatusCode;
use portail_domain::api::FieldError;
use portail_domain::{ErrorCode, ServiceCode};
use portail_service::planning::staff::StaffError;
use serde::Deserialize;

use crate::error::ApiError;

impl From<StaffError> for ApiError {
    fn from(error: StaffError) -> Self {
        match error {
            StaffError::NotFound => ApiError::not_found(),
            StaffError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Ce service ne vous est pas confié.",
            ),
            StaffError::ServiceChange => ApiError::validation(vec![FieldError {
                field: "service".to_owned(),
                code: "immutable".to_owned(),
                message: "Une période ou une prestation reste dans son service : créez-en une nouvelle dans l'autre service.".to_owned(),
            }]),
            StaffError::BelowTaken { taken } => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                format!("{taken} places sont déjà prises ce jour-là (hors places forcées) : la capacité ne peut pas descendre en dessous."),
            ),
            StaffError::Future => ApiError::validation(vec![FieldError {
                field: "date".to_owned(),
                code: "out_of_range".to_owned(),
                message: "On ne note la présence que d'un jour passé ou d'aujourd'hui.".to_owned(),
            }]),
            StaffError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ServiceFilter {
    /// Le service ; tous s'il est absent.
    pub service: Option<ServiceCode>,
}
