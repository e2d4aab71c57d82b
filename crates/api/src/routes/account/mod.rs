//! `/api/v1/account`: the logged-in family's own account (« Mon compte »).

pub(crate) mod change_password;
mod get;
mod update;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::get_account)
        .service(update::update_account)
        .service(change_password::change_password)
        .service(update::request_email_change)
        .service(update::confirm_email_change)
        .service(update::export_my_data)
        .service(update::request_account_deletion);
}
