//! « Mes factures »: the family's invoices, their PDF, its payments and balance, and paying
//! online. Every handler passes the caller's family id: another family's invoice is a 404.

use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    BalanceResponse, InvoiceListResponse, InvoiceResponse, OnlinePaymentRequest,
    OnlinePaymentResponse, PaymentListResponse, Problem,
};
use portail_service::billing::{invoices, online, payments};
use uuid::Uuid;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::InvoiceId;

/// Mes factures et avoirs, du plus récent au plus ancien.
#[utoipa::path(tag = "Mes factures", security(("jeton" = [])), responses((status = 200, description = "Les factures de la famille.", body = InvoiceListResponse)))]
#[get("/invoices")]
pub async fn list_my_invoices(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = invoices::list_for_family(&state.ctx, family.family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(InvoiceListResponse { items, total }))
}

/// Une de mes factures, ligne par ligne.
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "La facture.", body = InvoiceResponse),
        problem::InvoiceUnknown,
    )
)]
#[get("/invoices/{invoice_id}")]
pub async fn get_my_invoice(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, _) = invoices::get_for_family(
        &state.ctx,
        family.family_id,
        InvoiceId::from(path.into_inner()),
    )
    .await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Télécharger le PDF d'une de mes factures.
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "Le PDF (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        problem::InvoiceUnknown,
    )
)]
#[get("/invoices/{invoice_id}/pdf")]
pub async fn download_invoice_pdf(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, row) = invoices::get_for_family(
        &state.ctx,
        family.family_id,
        InvoiceId::from(path.into_inner()),
    )
    .await?;
    crate::routes::staff::billing::pdf_response(&state, &invoice, row.payer_address).await
}

/// Payer une facture en ligne : le paiement est créé chez le prestataire, où envoyer le parent.
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])), request_body = OnlinePaymentRequest,
    responses(
        (status = 201, description = "Le paiement créé et la page du prestataire.", body = OnlinePaymentResponse),
        problem::InvoiceUnknown,
        (status = 409, description = "Rien à payer, montant hors des limites du paiement en ligne, ou paiement en ligne fermé.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payments/online")]
pub async fn start_online_payment(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<OnlinePaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let started = online::start(
        &state.ctx,
        family.family_id,
        InvoiceId::from(body.invoice_id),
    )
    .await?;
    Ok(HttpResponse::Created().json(started))
}

/// Mes paiements, du plus récent au plus ancien, avec ce que chacun a réglé.
#[utoipa::path(tag = "Mes factures", security(("jeton" = [])), responses((status = 200, description = "Les paiements de la famille.", body = PaymentListResponse)))]
#[get("/payments")]
pub async fn list_my_payments(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = payments::list(&state.ctx, family.family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(PaymentListResponse { items, total }))
}

/// Le reçu d'un de mes paiements, en PDF.
#[utoipa::path(
    tag = "Mes factures", security(("jeton" = [])),
    params(("payment_id" = Uuid, Path, description = "Le paiement")),
    responses(
        (status = 200, description = "Le reçu (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Pas de paiement de ce nom dans la famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/payments/{payment_id}/receipt")]
pub async fn download_payment_receipt(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (payment, family_name) =
        payments::get(&state.ctx, path.into_inner(), Some(family.family_id.uuid())).await?;
    crate::routes::staff::billing::receipt_response(&state, payment, family_name).await
}

/// Mon solde : ce que je dois (négatif : un crédit), ce qui est échu.
#[utoipa::path(tag = "Mes factures", security(("jeton" = [])), responses((status = 200, description = "Le solde de la famille.", body = BalanceResponse)))]
#[get("/balance")]
pub async fn get_my_balance(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let balance =
        payments::balance(&state.ctx.db, family.family_id, state.ctx.clock.today()).await?;
    Ok(HttpResponse::Ok().json(balance))
}
