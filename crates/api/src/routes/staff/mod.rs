//! `/api/v1/staff`: the staff realm — its own sessions, and staff accounts (admins only).

mod accounts;
mod admin;
mod assisted;
mod auth;
pub mod billing;
mod communication;
mod exports;
mod families;
mod integrations;
mod preregistrations;

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
        .service(accounts::create_staff)
        .service(accounts::deactivate_staff)
        .service(accounts::reactivate_staff)
        .service(admin::set_staff_services)
        .service(preregistrations::list_preregistrations)
        .service(preregistrations::decide_preregistrations)
        .service(preregistrations::reorder_waiting_list)
        .service(assisted::create_family_assisted)
        .service(assisted::start_acting_as_family)
        .service(assisted::stop_acting_as_family)
        .service(assisted::set_family_email)
        .service(families::list_families)
        .service(families::get_family)
        .service(families::preview_erasure)
        .service(families::erase_family)
        .service(families::validate_family)
        .service(families::request_family_info)
        .service(families::review_document)
        .service(families::download_family_document)
        .service(admin::list_audit_events)
        .service(admin::list_document_requirements)
        .service(admin::create_document_requirement)
        .service(admin::delete_document_requirement)
        .service(admin::get_commune_settings)
        .service(admin::update_commune_settings)
        .service(communication::set_service_contact)
        .service(communication::list_announcements)
        .service(communication::create_announcement)
        .service(communication::update_announcement)
        .service(communication::delete_announcement)
        .service(billing::list_psu_parameters)
        .service(billing::set_psu_parameters)
        .service(billing::list_tariffs)
        .service(billing::create_tariff)
        .service(billing::update_tariff)
        .service(billing::get_billing_settings)
        .service(billing::set_billing_settings)
        .service(billing::get_household_resources)
        .service(billing::set_household_resources)
        .service(billing::preview_invoice_run)
        .service(billing::issue_invoice_run)
        .service(billing::list_invoices)
        .service(billing::get_invoice)
        .service(billing::download_staff_invoice_pdf)
        .service(billing::cancel_invoice)
        .service(billing::record_payment)
        .service(billing::download_staff_payment_receipt)
        .service(billing::list_family_payments)
        .service(billing::get_family_balance)
        .service(billing::list_outstanding)
        .service(billing::list_fiscal_certificates)
        .service(billing::download_fiscal_certificates)
        .service(billing::export_outstanding_csv)
        .service(integrations::list_api_keys)
        .service(integrations::create_api_key)
        .service(integrations::revoke_api_key)
        .service(integrations::list_webhooks)
        .service(integrations::create_webhook)
        .service(integrations::delete_webhook)
        .service(integrations::list_webhook_deliveries)
        .service(integrations::redeliver_webhook)
        .service(exports::list_bookings)
        .service(exports::export_bookings_csv)
        .service(exports::export_families_csv)
        .service(exports::export_invoices_csv)
        .service(exports::export_payments_csv);
}
