//! « Mes factures », typed. One call gathers what the page shows (one resource type).

use portail_domain::api::{
    BalanceResponse, InvoiceListResponse, InvoiceResponse, OnlinePaymentRequest,
    PaymentListResponse,
};
use uuid::Uuid;

use super::{ApiError, Session};

/// The family's invoices, balance and payments, for « Mes factures ».
pub async fn my_billing(
    session: Session,
) -> Result<(InvoiceListResponse, BalanceResponse, PaymentListResponse), ApiError> {
    Ok((
        session.get("/api/v1/invoices").await?,
        session.get("/api/v1/balance").await?,
        session.get("/api/v1/payments").await?,
    ))
}

pub async fn get_my_invoice(session: Session, id: Uuid) -> Result<InvoiceResponse, ApiError> {
    session.get(&format!("/api/v1/invoices/{id}")).await
}

/// Only the provider's page is read from the answer (fewer bytes to decode in the browser).
#[derive(serde::Deserialize)]
pub struct Redirect {
    pub redirect_url: String,
}

pub async fn start_online_payment(
    session: Session,
    invoice_id: Uuid,
) -> Result<Redirect, ApiError> {
    session
        .post(
            "/api/v1/payments/online",
            &OnlinePaymentRequest { invoice_id },
        )
        .await
}

// Staff

use gloo_net::http::Method;
use portail_domain::api::{
    AttendanceMarkRequest, BillingSettings, CancelInvoiceRequest, HouseholdResourcesRequest,
    InvoiceRunRequest, InvoiceRunResponse, OutstandingResponse, PaymentRequest, PaymentResponse,
    PsuParametersListResponse, PsuParametersRequest, TariffListResponse, TariffRequest,
    TariffResponse,
};

pub async fn list_tariffs(session: Session) -> Result<TariffListResponse, ApiError> {
    session.get("/api/v1/staff/tariffs").await
}

/// Creates (`id` none) or replaces a tariff.
pub async fn save_tariff(
    session: Session,
    id: Option<Uuid>,
    tariff: &TariffRequest,
) -> Result<TariffResponse, ApiError> {
    match id {
        Some(id) => {
            session
                .call(
                    Method::PUT,
                    &format!("/api/v1/staff/tariffs/{id}"),
                    Some(tariff),
                )
                .await
        }
        None => session.post("/api/v1/staff/tariffs", tariff).await,
    }
}

/// The run's preview (`issue` false) or its issue.
pub async fn invoice_run(
    session: Session,
    request: &InvoiceRunRequest,
    issue: bool,
) -> Result<InvoiceRunResponse, ApiError> {
    let path = if issue {
        "/api/v1/staff/invoice-runs"
    } else {
        "/api/v1/staff/invoice-runs/preview"
    };
    session.post(path, request).await
}

pub async fn list_invoices(session: Session, month: &str) -> Result<InvoiceListResponse, ApiError> {
    session
        .get(&format!("/api/v1/staff/invoices?month={month}"))
        .await
}

pub async fn cancel_invoice(
    session: Session,
    id: Uuid,
    reason: String,
) -> Result<InvoiceResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/invoices/{id}/cancel"),
            &CancelInvoiceRequest { reason },
        )
        .await
}

pub async fn record_payment(
    session: Session,
    payment: &PaymentRequest,
) -> Result<PaymentResponse, ApiError> {
    session.post("/api/v1/staff/payments", payment).await
}

pub async fn list_outstanding(session: Session) -> Result<OutstandingResponse, ApiError> {
    session.get("/api/v1/staff/outstanding").await
}

pub async fn get_billing_settings(session: Session) -> Result<BillingSettings, ApiError> {
    session.get("/api/v1/staff/billing-settings").await
}

pub async fn set_billing_settings(
    session: Session,
    settings: &BillingSettings,
) -> Result<BillingSettings, ApiError> {
    session
        .call(
            Method::PUT,
            "/api/v1/staff/billing-settings",
            Some(settings),
        )
        .await
}

pub async fn list_psu_parameters(session: Session) -> Result<PsuParametersListResponse, ApiError> {
    session.get("/api/v1/staff/psu-parameters").await
}

pub async fn set_psu_parameters(
    session: Session,
    parameters: &PsuParametersRequest,
) -> Result<PsuParametersListResponse, ApiError> {
    session
        .call(
            Method::PUT,
            "/api/v1/staff/psu-parameters",
            Some(parameters),
        )
        .await
}

pub async fn get_household_resources(
    session: Session,
    family_id: Uuid,
) -> Result<HouseholdResourcesRequest, ApiError> {
    session
        .get(&format!("/api/v1/staff/families/{family_id}/resources"))
        .await
}

pub async fn set_household_resources(
    session: Session,
    family_id: Uuid,
    resources: &HouseholdResourcesRequest,
) -> Result<HouseholdResourcesRequest, ApiError> {
    session
        .call(
            Method::PUT,
            &format!("/api/v1/staff/families/{family_id}/resources"),
            Some(resources),
        )
        .await
}

/// Marks a child on an attendance sheet (answered 204: nothing to decode).
pub async fn mark_attendance(
    session: Session,
    unit_id: Uuid,
    date: chrono::NaiveDate,
    child_id: Uuid,
    mark: AttendanceMarkRequest,
) -> Result<(), ApiError> {
    session
        .call::<_, ()>(
            Method::PUT,
            &format!("/api/v1/staff/units/{unit_id}/attendance/{date}/{child_id}"),
            Some(&mark),
        )
        .await
}
