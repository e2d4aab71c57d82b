//! The logged-in family's own file: `/household`, `/children`, `/documents`, `/dossier`.
//! Every handler takes `AuthenticatedFamily` and passes its family id to the service, which
//! filters by it: another family's ids answer 404.

mod calendar;
mod certificates;
mod children;
mod direct_debit;
mod documents;
mod dossier;
mod household;
mod invoices;
mod preregistrations;

use utoipa_actix_web::service_config::ServiceConfig;

pub(crate) use documents::read_limited;
pub use documents::{file_response, stored_file};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(household::get_household)
        .service(household::update_household)
        .service(children::list_children)
        .service(children::create_child)
        .service(children::get_child)
        .service(children::update_child)
        .service(children::delete_child)
        .service(documents::list_documents)
        .service(documents::upload_document)
        .service(documents::download_document)
        .service(documents::delete_document)
        .service(dossier::get_dossier)
        .service(dossier::submit_dossier)
        .service(dossier::get_my_to_do)
        .service(dossier::confirm_reverification)
        .service(invoices::list_my_invoices)
        .service(invoices::get_my_invoice)
        .service(invoices::download_invoice_pdf)
        .service(invoices::start_online_payment)
        .service(invoices::list_my_payments)
        .service(invoices::download_payment_receipt)
        .service(invoices::get_my_balance)
        .service(certificates::get_my_fiscal_certificate)
        .service(certificates::download_my_fiscal_certificate)
        .service(certificates::get_my_attendance_certificate)
        .service(certificates::download_my_attendance_certificate)
        .service(direct_debit::get_my_direct_debit)
        .service(direct_debit::sign_mandate)
        .service(direct_debit::revoke_mandate)
        .service(direct_debit::download_my_mandate)
        .service(preregistrations::list_my_preregistrations)
        .service(preregistrations::create_preregistration)
        .service(preregistrations::update_preregistration)
        .service(preregistrations::submit_preregistration)
        .service(preregistrations::cancel_preregistration)
        .service(preregistrations::answer_place_offer)
        .service(calendar::get_my_calendar_feed)
        .service(calendar::enable_calendar_feed)
        .service(calendar::disable_calendar_feed)
        .service(calendar::get_calendar_feed);
}
