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

use portail_domain::ServiceCode;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ServiceFilter {
    /// Le service ; tous s'il est absent.
    pub service: Option<ServiceCode>,
}
