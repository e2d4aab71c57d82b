//! Mon planning: the grid, the recap, the family's bookings; and the staff's configuration,
//! attendance sheets, request queue and bookings made for families.

pub(crate) mod family;
mod staff;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(family::list_services)
        .service(family::get_planning)
        .service(family::submit_booking_batch)
        .service(family::preview_week_pattern)
        .service(family::submit_week_pattern)
        .service(family::list_week_patterns)
        .service(family::list_recent_answers)
        .service(family::list_my_bookings)
        .service(family::join_waiting_list)
        .service(family::leave_waiting_list)
        .service(staff::get_service_rules)
        .service(staff::update_service_rules)
        .service(staff::list_periods)
        .service(staff::create_period)
        .service(staff::update_period)
        .service(staff::list_units)
        .service(staff::create_unit)
        .service(staff::update_unit)
        .service(staff::set_capacity)
        .service(staff::get_attendance)
        .service(staff::export_attendance_csv)
        .service(staff::mark_attendance)
        .service(staff::list_booking_requests)
        .service(staff::decide_booking_requests)
        .service(staff::create_staff_booking);
}
