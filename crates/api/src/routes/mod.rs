//! The REST API under `/api/v1`: one folder per resource, one file per verb as it grows.
//! Every route is registered here through `utoipa-actix-web`, so none can exist without its
//! OpenAPI description.

use utoipa_actix_web::service_config::ServiceConfig;

pub mod account;
pub mod appointments;
pub mod auth;
pub mod commune;
pub mod family;
pub mod health;
pub mod legal;
pub mod messages;
pub mod payments;
pub mod planning;
pub mod staff;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_health)
        .service(commune::get_commune)
        .service(commune::list_current_announcements)
        .service(legal::get_legal_page)
        .service(legal::set_legal_page)
        .service(payments::payment_notification)
        .service(appointments::list_free_slots)
        .service(appointments::book_appointment)
        .service(appointments::open_appointment_slots)
        .service(appointments::get_agenda)
        .service(appointments::book_appointment_for_caller)
        .service(appointments::set_appointment_status)
        .service(messages::list_my_conversations)
        .service(messages::start_conversation)
        .service(messages::get_my_conversation)
        .service(messages::write_message)
        .service(messages::send_my_attachment)
        .service(messages::download_my_attachment)
        // `counts` before `{conversation_id}`: the first pattern that matches answers.
        .service(messages::get_inbox_counts)
        .service(messages::list_inbox)
        .service(messages::get_conversation)
        .service(messages::answer_conversation)
        .service(messages::answer_with_attachment)
        .service(messages::set_conversation_status)
        .service(messages::download_conversation_attachment)
        .configure(auth::configure)
        .configure(account::configure)
        .configure(family::configure)
        .configure(planning::configure)
        .configure(staff::configure);
}
