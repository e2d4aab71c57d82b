//! Payments recorded at the counter, their receipts, a family's payments and balance, and
//! the outstanding list (the treasury).

use actix_web::{HttpResponse, get, post, web};
use portail_domain::api::{
    BalanceResponse, OutstandingResponse, PaymentListResponse, PaymentRequest, PaymentResponse,
    Problem,
};
use portail_service::billing::{self, payments};
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::FamilyId;

/// A payment's receipt as a PDF, rendered on a blocking thread.
pub async fn receipt_response(
    state: &AppState,
    payment: portail_domain::api::PaymentResponse,
    family_name: String,
) -> Result<HttpResponse, ApiError> {
    let name = format!("recu-{}.pdf", payment.received_on);
    super::invoices::render_pdf(state, name, move |head| {
        portail_service::billing::pdf::render_receipt(&payment, &family_name, head)
    })
    .await
}

/// Le reçu d'un paiement, en PDF (régie).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("payment_id" = Uuid, Path, description = "Le paiement")),
    responses(
        (status = 200, description = "Le reçu.", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Paiement inconnu.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/payments/{payment_id}/receipt")]
pub async fn download_staff_payment_receipt(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (payment, family_name) = payments::get(&state.ctx, path.into_inner(), None).await?;
    receipt_response(&state, payment, family_name).await
}

/// Enregistrer un paiement (régie : administrateurs). Sans affectation, il règle les factures
/// les plus anciennes ; ce qui dépasse reste un crédit de la famille.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["payments:write"])), request_body = PaymentRequest,
    responses(
        (status = 201, description = "Le paiement et ce qu'il a réglé.", body = PaymentResponse),
        problem::FamilyUnknown,
        (status = 409, description = "Une affectation dépasse ce qui reste dû, ou vise une facture d'une autre famille.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Montant hors limites, moyen de paiement invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/payments")]
pub async fn record_payment(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<PaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = payments::record(&state.ctx, admin.staff_id, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Les paiements et le solde d'une famille (régie).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Ses paiements.", body = PaymentListResponse),
        problem::FamilyUnknown,
    )
)]
#[get("/staff/families/{family_id}/payments")]
pub async fn list_family_payments(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let family_id = path.into_inner();
    require_family(&state, family_id).await?;
    let items = payments::list(&state.ctx, FamilyId::from(family_id)).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(PaymentListResponse { items, total }))
}

/// Le solde d'une famille (régie).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Son solde.", body = BalanceResponse),
        problem::FamilyUnknown,
    )
)]
#[get("/staff/families/{family_id}/balance")]
pub async fn get_family_balance(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let family_id = path.into_inner();
    require_family(&state, family_id).await?;
    let balance = payments::balance(
        &state.ctx.db,
        FamilyId::from(family_id),
        state.ctx.clock.today(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(balance))
}

async fn require_family(state: &AppState, family_id: Uuid) -> Result<(), ApiError> {
    billing::family_exists(&state.ctx, family_id)
        .await?
        .then_some(())
        .ok_or_else(ApiError::not_found)
}

/// Les factures restant dues, par ancienneté (régie).
#[utoipa::path(tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])), responses((status = 200, description = "Les restes dus, du plus ancien au plus récent, et les totaux par ancienneté.", body = OutstandingResponse)))]
#[get("/staff/outstanding")]
pub async fn list_outstanding(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(payments::outstanding(&state.ctx).await?))
}

/// Les restes dus en CSV, pour la trésorerie.
#[utoipa::path(tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])), responses((status = 200, description = "Le fichier CSV (point-virgule, virgule décimale).", body = String, content_type = "text/csv")))]
#[get("/staff/outstanding.csv")]
pub async fn export_outstanding_csv(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = payments::outstanding(&state.ctx).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"restes-dus-{}.csv\"",
                state.ctx.clock.today()
            ),
        ))
        .body(payments::outstanding_csv(&list)))
}
