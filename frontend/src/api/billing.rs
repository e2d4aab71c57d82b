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
