//! `/api/v1/account`: the logged-in family's own account (« Mon compte »).

pub(crate) mod change_password;
mod get;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get::get_account)
        .service(change_password::change_password);
}
