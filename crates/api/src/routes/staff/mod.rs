//! `/api/v1/staff`: the staff realm — its own sessions, and staff accounts (admins only).

mod accounts;
mod auth;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(auth::staff_login)
        .service(auth::refresh_staff_session)
        .service(auth::staff_logout)
        .service(auth::request_staff_password_reset)
        .service(auth::reset_staff_password)
        .service(auth::change_staff_password)
        .service(accounts::get_staff_me)
        .service(accounts::list_staff)
        .service(accounts::create_staff);
}
