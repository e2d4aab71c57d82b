//! The invoice run (preview and issue), the invoices, their PDFs, and credit notes.

use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    CancelInvoiceRequest, InvoiceListResponse, InvoiceResponse, InvoiceRunRequest,
    InvoiceRunResponse, Problem,
};
use portail_service::billing::{invoices, run, settings};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::ServiceManager;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::InvoiceId;

/// Filtrer les factures.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InvoiceFilter {
    /// Le mois facturé, `AAAA-MM`.
    #[param(pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    pub family_id: Option<Uuid>,
}

/// Aperçu d'un passage de facturation : ce qui serait émis, et ce qui l'empêche.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = InvoiceRunRequest,
    responses(
        (status = 200, description = "L'aperçu (rien n'est émis).", body = InvoiceRunResponse),
        problem::ServicesNotEntrusted,
        (status = 422, description = "Mois ou services invalides.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/invoice-runs/preview")]
pub async fn preview_invoice_run(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<InvoiceRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = run::RunRequest {
        month: &body.month,
        services: &body.services,
        confirm_unfinished_month: body.confirm_unfinished_month,
    };
    Ok(HttpResponse::Ok().json(run::preview(&state.ctx, &actor, &request).await?))
}

/// Émettre les factures d'un mois. Relancé, il n'émet que ce qui a changé depuis : une facture
/// complémentaire ou un avoir, jamais une facture modifiée ; rien deux fois.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = InvoiceRunRequest,
    responses(
        (status = 200, description = "Ce qui a été émis, avec les numéros.", body = InvoiceRunResponse),
        problem::ServicesNotEntrusted,
        (status = 409, description = "Le mois n'est pas terminé et `confirm_unfinished_month` n'est pas posé (`month_not_ended`) : `detail` nomme les jours qui ne sont pas passés.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Mois ou services invalides, ou un tarif manque (`billing_incomplete`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/invoice-runs")]
pub async fn issue_invoice_run(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<InvoiceRunRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = run::RunRequest {
        month: &body.month,
        services: &body.services,
        confirm_unfinished_month: body.confirm_unfinished_month,
    };
    Ok(HttpResponse::Ok().json(run::issue(&state.ctx, &actor, &request).await?))
}

/// Les factures et avoirs des services que l'agent gère.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])), params(InvoiceFilter),
    responses(
        (status = 200, description = "Les factures, de la plus récente à la plus ancienne.", body = InvoiceListResponse),
        (status = 422, description = "Mois invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/invoices")]
pub async fn list_invoices(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<InvoiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let items =
        invoices::list_for_staff(&state.ctx, &actor, query.month.as_deref(), query.family_id)
            .await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(InvoiceListResponse { items, total }))
}

/// Une facture et ses lignes.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "La facture.", body = InvoiceResponse),
        problem::UnknownOrOutOfScope,
    )
)]
#[get("/staff/invoices/{invoice_id}")]
pub async fn get_invoice(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, _) =
        invoices::get_for_staff(&state.ctx, &actor, InvoiceId::from(path.into_inner())).await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Le PDF d'une facture.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "Le PDF.", body = Vec<u8>, content_type = "application/pdf"),
        problem::UnknownOrOutOfScope,
    )
)]
#[get("/staff/invoices/{invoice_id}/pdf")]
pub async fn download_staff_invoice_pdf(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, row) =
        invoices::get_for_staff(&state.ctx, &actor, InvoiceId::from(path.into_inner())).await?;
    pdf_response(&state, &invoice, row.payer_address).await
}

/// The PDF of an invoice, rendered on a blocking thread.
pub async fn pdf_response(
    state: &AppState,
    invoice: &portail_domain::api::InvoiceResponse,
    payer_address: String,
) -> Result<HttpResponse, ApiError> {
    let invoice = invoice.clone();
    let name = format!("facture-{}.pdf", invoice.summary.number);
    render_pdf(state, name, move |head| {
        portail_service::billing::pdf::render(&invoice, &payer_address, head)
    })
    .await
}

/// Renders a PDF with the commune's letterhead off the async threads, and sends it as a
/// download that cannot run anything in the portal's origin.
pub async fn render_pdf(
    state: &AppState,
    filename: String,
    render: impl FnOnce(&portail_service::billing::pdf::Letterhead<'_>) -> anyhow::Result<Vec<u8>>
    + Send
    + 'static,
) -> Result<HttpResponse, ApiError> {
    let commune = settings::commune_row(&state.ctx.db).await?;
    let online = state.ctx.payments != portail_service::billing::online::Provider::Off;
    let bytes = web::block(move || {
        render(&portail_service::billing::pdf::Letterhead {
            commune: &commune.name,
            address: &commune.address,
            online_payment: online,
            siret: &commune.siret,
            iban: &commune.iban,
            bic: &commune.bic,
            contact: &commune.billing_contact,
        })
    })
    .await
    .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("PDF thread: {e}")))??;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header(("Content-Security-Policy", "sandbox; default-src 'none'"))
        .body(bytes))
}

/// Annuler une facture par un avoir du même montant.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = CancelInvoiceRequest,
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "La facture, annulée.", body = InvoiceResponse),
        (status = 403, description = "Un des services facturés n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
        problem::Unknown,
        (status = 409, description = "Déjà annulée, ou c'est un avoir.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Motif manquant.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/invoices/{invoice_id}/cancel")]
pub async fn cancel_invoice(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<CancelInvoiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let cancelled = invoices::cancel(
        &state.ctx,
        &actor,
        InvoiceId::from(path.into_inner()),
        &body.reason,
    )
    .await?;
    Ok(HttpResponse::Ok().json(cancelled))
}
