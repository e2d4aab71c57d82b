//! Billing for staff (docs/billing.md): tariffs and the invoice run for the agents of a
//! service; the PSU parameters, the billing settings, payments and the outstanding list for
//! administrators (the treasury).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::ErrorCode;
use portail_domain::api::{
    BalanceResponse, BillingSettings, CancelInvoiceRequest, HouseholdResourcesRequest,
    InvoiceListResponse, InvoiceResponse, InvoiceRunRequest, InvoiceRunResponse,
    OutstandingResponse, PaymentListResponse, PaymentRequest, PaymentResponse, Problem,
    PsuParametersListResponse, PsuParametersRequest, TariffListResponse, TariffRequest,
    TariffResponse,
};
use portail_service::billing::{self, BillingError, invoices, payments, run, settings, tariffs};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::{AdminUser, ServiceManager};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

async fn list(state: &AppState) -> Result<PsuParametersListResponse, ApiError> {
    let items: Vec<PsuParametersRequest> = billing::psu_parameters(&state.ctx.db)
        .await?
        .iter()
        .map(PsuParametersRequest::from)
        .collect();
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    Ok(PsuParametersListResponse { items, total })
}

/// Les paramètres PSU de la crèche (plancher, plafond, taux d'effort), datés.
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les paramètres, du plus récent au plus ancien.", body = PsuParametersListResponse)))]
#[get("/staff/psu-parameters")]
pub async fn list_psu_parameters(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(list(&state).await?))
}

/// Fixer les paramètres PSU en vigueur à partir d'une date (ceux de la même date sont remplacés).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = PsuParametersRequest,
    responses(
        (status = 200, description = "Tous les paramètres.", body = PsuParametersListResponse),
        (status = 422, description = "Plancher, plafond ou taux incohérents.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/psu-parameters")]
pub async fn set_psu_parameters(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<PsuParametersRequest>,
) -> Result<HttpResponse, ApiError> {
    let parameters = body.validate()?;
    billing::set_psu_parameters(&state.ctx, admin.staff_id, &parameters).await?;
    Ok(HttpResponse::Ok().json(list(&state).await?))
}

impl From<BillingError> for ApiError {
    fn from(error: BillingError) -> Self {
        match error {
            BillingError::NotFound => ApiError::not_found(),
            BillingError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Ce service ne vous est pas confié.",
            ),
            BillingError::Incomplete(problems) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BillingIncomplete,
                format!(
                    "La facturation ne peut pas être émise : {}",
                    problems.join(" ")
                ),
            ),
            BillingError::Conflict(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, detail)
            }
            BillingError::Invalid(errors) => errors.into(),
            BillingError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

/// Les tarifs des services que l'agent gère.
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les tarifs, par service, prestation et date.", body = TariffListResponse)))]
#[get("/staff/tariffs")]
pub async fn list_tariffs(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = tariffs::list(&state.ctx, &actor).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(TariffListResponse { items, total }))
}

/// Créer un tarif daté pour une prestation d'un service que l'agent gère.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = TariffRequest,
    responses(
        (status = 201, description = "Le tarif.", body = TariffResponse),
        (status = 403, description = "Service non confié.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Prestation inconnue.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un tarif de la prestation commence déjà ce jour-là.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Tranches, prix ou dates incohérents.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/tariffs")]
pub async fn create_tariff(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    body: Json<TariffRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = tariffs::save(&state.ctx, &actor, None, &body).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Modifier un tarif (un tarif déjà facturé garde ses factures : elles ne changent jamais).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = TariffRequest,
    params(("tariff_id" = Uuid, Path, description = "Le tarif")),
    responses(
        (status = 200, description = "Le tarif.", body = TariffResponse),
        (status = 403, description = "Service non confié.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Tarif ou prestation inconnus.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un tarif de la prestation commence déjà ce jour-là.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Tranches, prix ou dates incohérents.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/tariffs/{tariff_id}")]
pub async fn update_tariff(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<TariffRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = tariffs::save(&state.ctx, &actor, Some(path.into_inner()), &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Les réglages de facturation (codes postaux, adresse, échéance, seuil de blocage).
#[utoipa::path(tag = "Facturation", security(("jeton" = [])), responses((status = 200, description = "Les réglages.", body = BillingSettings)))]
#[get("/staff/billing-settings")]
pub async fn get_billing_settings(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(settings::settings(&state.ctx).await?))
}

/// Modifier les réglages de facturation.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = BillingSettings,
    responses(
        (status = 200, description = "Les réglages.", body = BillingSettings),
        (status = 422, description = "Réglage invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/billing-settings")]
pub async fn set_billing_settings(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<BillingSettings>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = settings::set_settings(&state.ctx, admin.staff_id, &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Les ressources du foyer (crèche).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Les ressources.", body = HouseholdResourcesRequest),
        (status = 403, description = "La crèche n'est pas confiée à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/families/{family_id}/resources")]
pub async fn get_household_resources(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let resources = settings::resources(&state.ctx, &actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(resources))
}

/// Saisir les ressources mensuelles du foyer (revenus N-2 / 12) et l'AEEH, pour la crèche.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = HouseholdResourcesRequest,
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Les ressources.", body = HouseholdResourcesRequest),
        (status = 403, description = "La crèche n'est pas confiée à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Montant ou année hors limites.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/families/{family_id}/resources")]
pub async fn set_household_resources(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<HouseholdResourcesRequest>,
) -> Result<HttpResponse, ApiError> {
    body.validate()?;
    let saved = settings::set_resources(&state.ctx, &actor, path.into_inner(), &body).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Aperçu d'un passage de facturation : ce qui serait émis, et ce qui l'empêche.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = InvoiceRunRequest,
    responses(
        (status = 200, description = "L'aperçu (rien n'est émis).", body = InvoiceRunResponse),
        (status = 403, description = "Un des services n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
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
    };
    Ok(HttpResponse::Ok().json(run::preview(&state.ctx, &actor, &request).await?))
}

/// Émettre les factures d'un mois. Relancé, il n'émet que ce qui a changé depuis : une facture
/// complémentaire ou un avoir, jamais une facture modifiée ; rien deux fois.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = InvoiceRunRequest,
    responses(
        (status = 200, description = "Ce qui a été émis, avec les numéros.", body = InvoiceRunResponse),
        (status = 403, description = "Un des services n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
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
    };
    Ok(HttpResponse::Ok().json(run::issue(&state.ctx, &actor, &request).await?))
}

/// Filtrer les factures.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct InvoiceFilter {
    /// Le mois facturé, `AAAA-MM`.
    #[param(pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    pub family_id: Option<Uuid>,
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
        (status = 404, description = "Inconnue, ou d'aucun service de l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/invoices/{invoice_id}")]
pub async fn get_invoice(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, _) = invoices::get_for_staff(&state.ctx, &actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Le PDF d'une facture.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "Le PDF.", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "Inconnue, ou d'aucun service de l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/invoices/{invoice_id}/pdf")]
pub async fn download_staff_invoice_pdf(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (invoice, _) = invoices::get_for_staff(&state.ctx, &actor, path.into_inner()).await?;
    pdf_response(&state, &invoice).await
}

/// The PDF of an invoice, rendered on a blocking thread.
pub async fn pdf_response(
    state: &AppState,
    invoice: &portail_domain::api::InvoiceResponse,
) -> Result<HttpResponse, ApiError> {
    let invoice = invoice.clone();
    let name = format!("facture-{}.pdf", invoice.summary.number);
    render_pdf(state, name, move |head| {
        portail_service::billing::pdf::render(&invoice, head)
    })
    .await
}

/// A payment's receipt as a PDF, rendered on a blocking thread.
pub async fn receipt_response(
    state: &AppState,
    payment: portail_domain::api::PaymentResponse,
    family_name: String,
) -> Result<HttpResponse, ApiError> {
    let name = format!("recu-{}.pdf", payment.received_on);
    render_pdf(state, name, move |head| {
        portail_service::billing::pdf::render_receipt(&payment, &family_name, head)
    })
    .await
}

/// Renders a PDF with the commune's letterhead off the async threads, and sends it as a
/// download that cannot run anything in the portal's origin.
async fn render_pdf(
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

/// Annuler une facture par un avoir du même montant.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = [])), request_body = CancelInvoiceRequest,
    params(("invoice_id" = Uuid, Path, description = "La facture")),
    responses(
        (status = 200, description = "La facture, annulée.", body = InvoiceResponse),
        (status = 403, description = "Un des services facturés n'est pas confié à l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Inconnue.", body = Problem, content_type = "application/problem+json"),
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
    let cancelled = invoices::cancel(&state.ctx, &actor, path.into_inner(), &body.reason).await?;
    Ok(HttpResponse::Ok().json(cancelled))
}

/// Enregistrer un paiement (régie : administrateurs). Sans affectation, il règle les factures
/// les plus anciennes ; ce qui dépasse reste un crédit de la famille.
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["payments:write"])), request_body = PaymentRequest,
    responses(
        (status = 201, description = "Le paiement et ce qu'il a réglé.", body = PaymentResponse),
        (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"),
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
        (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"),
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
    let items = payments::list(&state.ctx, family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(PaymentListResponse { items, total }))
}

/// Le solde d'une famille (régie).
#[utoipa::path(
    tag = "Facturation", security(("jeton" = []), ("cle_api" = ["invoices:read"])),
    params(("family_id" = Uuid, Path, description = "La famille")),
    responses(
        (status = 200, description = "Son solde.", body = BalanceResponse),
        (status = 404, description = "Famille inconnue.", body = Problem, content_type = "application/problem+json"),
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
    let balance = payments::balance(&state.ctx.db, family_id, state.ctx.clock.today()).await?;
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
