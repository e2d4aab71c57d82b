//! Online payment through a provider shaped like PayFiP (the DGFiP's public service): the
//! portal creates a payment (amount, a reference of at most 30 letters and digits, the payer's
//! e-mail) and gets an operation id, sends the parent to the provider, and records the
//! payment when the provider says so — **exactly once**, whether the notification comes
//! twice, late or never (the reconciliation job asks the provider about operations still
//! pending after a few minutes). The notification itself is never trusted: it only names an
//! operation, whose result and amount are fetched from the provider.
//!
//! The FAKE provider (`FakePayfip`) runs inside `portail` for the demo and the tests: its own
//! small French page lets the parent choose « Payer », « Refuser » or « Abandonner ». It is off
//! unless `PORTAIL_PAYMENT_PROVIDER=fake`, and says it is a fake everywhere it appears.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::api::{
    InvoiceKind, MAX_PAYMENT_CENTS, OnlinePaymentResponse, OnlinePaymentStatus, PaymentMethod,
};
use portail_domain::ids::{FamilyId, InvoiceId};
use portail_domain::rules::billing::invoice::InvoiceStatus;
use portail_entity::{fake_payfip_operation, online_payment};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::BillingError;
pub use super::provider::{NewOperation, Provider, ProviderResult};
use crate::Context;

/// The interface of a payment provider. PayFiP's real adapter is configuration
/// (`PORTAIL_PAYFIP_*`) behind it; the fake one is below.
pub trait PaymentProvider {
    /// Creates the payment; gives the operation id and the page to send the parent to.
    fn create(
        &self,
        ctx: &Context,
        operation: &NewOperation<'_>,
    ) -> impl std::future::Future<Output = anyhow::Result<(String, String)>> + Send;
    /// The operation's result, as the provider knows it.
    fn result(
        &self,
        ctx: &Context,
        operation_id: &str,
    ) -> impl std::future::Future<Output = anyhow::Result<Option<ProviderResult>>> + Send;
}

/// The FAKE PayFiP: operations kept in its own table, so that several `portail` processes
/// share them; its page is served by `portail` under `/paiement-fictif/`.
pub struct FakePayfip;

impl PaymentProvider for FakePayfip {
    async fn create(
        &self,
        ctx: &Context,
        operation: &NewOperation<'_>,
    ) -> anyhow::Result<(String, String)> {
        let operation_id = crate::tokens::generate()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect::<String>();
        fake_payfip_operation::ActiveModel {
            operation_id: Set(operation_id.clone()),
            amount_cents: Set(operation.amount_cents),
            reference: Set(operation.reference.to_owned()),
            email: Set(operation.email.to_owned()),
            return_url: Set(operation.return_url.to_owned()),
            result: Set(None),
            created_at: Set(ctx.clock.now()),
        }
        .insert(&ctx.db)
        .await
        .context("Failed to create a fake operation")?;
        let page = ctx.link(&format!("/paiement-fictif/{operation_id}"));
        Ok((operation_id, page))
    }

    async fn result(
        &self,
        ctx: &Context,
        operation_id: &str,
    ) -> anyhow::Result<Option<ProviderResult>> {
        Ok(
            fake_payfip_operation::Entity::find_by_id(operation_id.to_owned())
                .one(&ctx.db)
                .await
                .context("Failed to read a fake operation")?
                .map(|op| ProviderResult::from_code(op.result.as_deref(), op.amount_cents)),
        )
    }
}

/// The fake provider's page: the operation, or `None`.
pub async fn fake_operation(
    ctx: &Context,
    operation_id: &str,
) -> anyhow::Result<Option<fake_payfip_operation::Model>> {
    fake_payfip_operation::Entity::find_by_id(operation_id.to_owned())
        .one(&ctx.db)
        .await
        .context("Failed to read a fake operation")
}

/// The parent's choice on the fake page (`P`, `R` or `A`), kept once: a second choice is
/// ignored, as a real provider would. Returns where to send the parent back.
pub async fn fake_choose(
    ctx: &Context,
    operation_id: &str,
    code: &str,
) -> anyhow::Result<Option<String>> {
    let Some(op) = fake_operation(ctx, operation_id).await? else {
        return Ok(None);
    };
    if !matches!(code, "P" | "R" | "A") {
        return Ok(Some(op.return_url));
    }
    fake_payfip_operation::Entity::update_many()
        .col_expr(fake_payfip_operation::Column::Result, Expr::value(code))
        .filter(fake_payfip_operation::Column::OperationId.eq(operation_id))
        .filter(fake_payfip_operation::Column::Result.is_null())
        .exec(&ctx.db)
        .await
        .context("Failed to keep a fake result")?;
    Ok(Some(op.return_url))
}

async fn provider_result(
    ctx: &Context,
    operation_id: &str,
) -> anyhow::Result<Option<ProviderResult>> {
    match &ctx.payments {
        Provider::Fake => FakePayfip.result(ctx, operation_id).await,
        Provider::Payfip(config) => super::payfip::result(config, operation_id).await,
        Provider::Off => Ok(None),
    }
}

/// PayFiP's reference: the invoice number's digits (« 2026-000012 » → « 2026000012 »).
pub fn reference_of(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(30)
        .collect()
}

/// « Payer en ligne » an invoice of the family: what is left on it, sent to the provider.
pub async fn start(
    ctx: &Context,
    family_id: FamilyId,
    invoice_id: InvoiceId,
) -> Result<OnlinePaymentResponse, BillingError> {
    if ctx.payments == Provider::Off {
        return Err(BillingError::Conflict(
            "Le paiement en ligne n'est pas ouvert : payez auprès de la mairie.".to_owned(),
        ));
    }
    let (invoice, row) = super::invoices::get_for_family(ctx, family_id, invoice_id).await?;
    let summary = invoice.summary;
    if summary.kind != InvoiceKind::Invoice
        || summary.remaining_cents <= 0
        || summary.status == InvoiceStatus::Cancelled
    {
        return Err(BillingError::Conflict(
            "Cette facture n'a rien à payer.".to_owned(),
        ));
    }
    if summary.status == InvoiceStatus::DebitPending {
        return Err(BillingError::Conflict(
            "Cette facture est en cours de prélèvement sur votre compte : rien à payer en ligne."
                .to_owned(),
        ));
    }
    let amount = summary.remaining_cents;
    if !(100..=MAX_PAYMENT_CENTS).contains(&amount) {
        return Err(BillingError::Conflict(
            "Le paiement en ligne va de 1 € à 100 000 € : payez ce montant auprès de la mairie."
                .to_owned(),
        ));
    }
    let reference = reference_of(&row.number);
    let email = portail_entity::family_account::Entity::find()
        .filter(portail_entity::family_account::Column::FamilyId.eq(family_id))
        .one(&ctx.db)
        .await?
        .map(|a| a.email)
        .unwrap_or_default();
    let return_url = ctx.link(&format!("/mes-factures/{invoice_id}"));
    let (operation_id, redirect_url) = match &ctx.payments {
        Provider::Payfip(config) => {
            super::payfip::create(
                config,
                &NewOperation {
                    amount_cents: amount,
                    reference: &reference,
                    email: &email,
                    return_url: &return_url,
                },
                chrono::Datelike::year(&ctx.clock.today()),
            )
            .await?
        }
        Provider::Fake => {
            FakePayfip
                .create(
                    ctx,
                    &NewOperation {
                        amount_cents: amount,
                        reference: &reference,
                        email: &email,
                        return_url: &return_url,
                    },
                )
                .await?
        }
        Provider::Off => unreachable_off()?,
    };
    online_payment::ActiveModel {
        id: Set(Uuid::now_v7()),
        operation_id: Set(operation_id.clone()),
        family_id: Set(family_id.uuid()),
        invoice_id: Set(invoice_id.uuid()),
        reference: Set(reference),
        amount_cents: Set(amount),
        status: Set(OnlinePaymentStatus::Pending.as_str().to_owned()),
        payment_id: Set(None),
        created_at: Set(ctx.clock.now()),
        settled_at: Set(None),
    }
    .insert(&ctx.db)
    .await
    .context("Failed to keep an online payment")?;
    tracing::info!(family.id = %family_id, invoice.id = %invoice_id, operation = %operation_id, amount_cents = amount, "online payment started");
    Ok(OnlinePaymentResponse {
        operation_id,
        redirect_url,
        amount_cents: amount,
        status: OnlinePaymentStatus::Pending,
    })
}

fn unreachable_off() -> anyhow::Result<(String, String)> {
    anyhow::bail!("online payment is off")
}

/// The provider says something happened to an operation: ask it what, and record the payment
/// once. Unknown operation → `NotFound` (logged, nothing recorded); an amount that is not the
/// one asked → refused (logged, nothing recorded); already settled → its status, unchanged.
pub async fn notification(
    ctx: &Context,
    operation_id: &str,
) -> Result<OnlinePaymentStatus, BillingError> {
    let Some(row) = online_payment::Entity::find()
        .filter(online_payment::Column::OperationId.eq(operation_id))
        .one(&ctx.db)
        .await?
    else {
        tracing::warn!(
            operation = operation_id.chars().take(64).collect::<String>(),
            "a payment notification named an unknown operation: refused"
        );
        return Err(BillingError::NotFound);
    };
    let stored = portail_domain::string_enum::stored(
        "online payment status",
        &row.status,
        OnlinePaymentStatus::parse,
    )
    .map_err(anyhow::Error::from)?;
    if stored != OnlinePaymentStatus::Pending {
        return Ok(stored);
    }
    let result = provider_result(ctx, operation_id).await?;
    let (status, paid) = match result {
        None | Some(ProviderResult::Pending) => return Ok(OnlinePaymentStatus::Pending),
        Some(ProviderResult::Paid { amount_cents }) if amount_cents != row.amount_cents => {
            tracing::error!(operation = %operation_id, asked = row.amount_cents, reported = amount_cents, "the provider reports another amount than the one asked: nothing recorded");
            return Err(BillingError::Conflict(
                "Le montant annoncé n'est pas celui demandé : rien n'est enregistré.".to_owned(),
            ));
        }
        Some(ProviderResult::Paid { .. }) => (OnlinePaymentStatus::Paid, true),
        Some(ProviderResult::Refused) => (OnlinePaymentStatus::Refused, false),
        Some(ProviderResult::Abandoned) => (OnlinePaymentStatus::Abandoned, false),
    };
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    crate::db::retry("online payment", || async {
        let txn = crate::db::begin(&ctx.db).await?;
        crate::family::touch(&txn, FamilyId::from(row.family_id), now).await?;
        // Guarded: only the first notification moves the operation out of « pending ».
        let moved = online_payment::Entity::update_many()
            .col_expr(online_payment::Column::Status, Expr::value(status.as_str()))
            .col_expr(online_payment::Column::SettledAt, Expr::value(now))
            .filter(online_payment::Column::Id.eq(row.id))
            .filter(online_payment::Column::Status.eq(OnlinePaymentStatus::Pending.as_str()))
            .exec(&txn)
            .await
            .context("Failed to settle an online payment")?;
        if moved.rows_affected == 0 {
            return Ok::<(), BillingError>(());
        }
        if paid {
            let invoice = [portail_domain::api::AllocationBody {
                invoice_id: row.invoice_id,
                number: String::new(),
                amount_cents: row.amount_cents,
            }];
            // Paid for this invoice; if a cheque settled it meanwhile, the payment goes to the
            // oldest invoices, then to the family's credit.
            let remaining = super::invoices::summaries(
                &txn,
                &portail_entity::invoice::Entity::find_by_id(row.invoice_id)
                    .all(&txn)
                    .await?,
                today,
            )
            .await?
            .first()
            .map_or(0, |s| s.remaining_cents);
            let allocations: &[portail_domain::api::AllocationBody] =
                if remaining >= row.amount_cents {
                    &invoice
                } else {
                    &[]
                };
            let saved = super::payments::record_in(
                &txn,
                &super::payments::NewPayment {
                    family_id: row.family_id,
                    method: PaymentMethod::Online,
                    amount_cents: row.amount_cents,
                    received_on: today,
                    reference: &row.reference,
                    bank: "",
                    allocations,
                    recorded_by: None,
                    online_operation: Some(&row.operation_id),
                },
                today,
                now,
            )
            .await?;
            online_payment::Entity::update_many()
                .col_expr(online_payment::Column::PaymentId, Expr::value(saved.id))
                .filter(online_payment::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
        }
        txn.commit()
            .await
            .context("Failed to commit an online payment")?;
        Ok(())
    })
    .await?;
    tracing::info!(operation = %operation_id, status = status.as_str(), "online payment settled");
    Ok(status)
}

/// Asks the provider about the operations still pending `older_than` after they started (the
/// notification was lost or late), and settles them. Returns how many moved.
pub async fn reconcile(ctx: &Context, older_than: chrono::Duration) -> anyhow::Result<usize> {
    if ctx.payments == Provider::Off {
        return Ok(0);
    }
    let before: DateTime<Utc> = crate::clock::before(ctx.clock.now(), older_than);
    let pending = online_payment::Entity::find()
        .filter(online_payment::Column::Status.eq(OnlinePaymentStatus::Pending.as_str()))
        .filter(online_payment::Column::CreatedAt.lt(before))
        .all(&ctx.db)
        .await
        .context("Failed to read pending online payments")?;
    let mut moved = 0_usize;
    for op in pending {
        match notification(ctx, &op.operation_id).await {
            Ok(OnlinePaymentStatus::Pending) => {}
            Ok(_) => moved = moved.saturating_add(1),
            Err(e) => {
                tracing::warn!(operation = %op.operation_id, error = %e, "reconciliation could not settle an online payment")
            }
        }
    }
    Ok(moved)
}

/// The family's online payment of an operation (for the return page).
pub async fn status_for_family(
    ctx: &Context,
    family_id: FamilyId,
    operation_id: &str,
) -> Result<OnlinePaymentStatus, BillingError> {
    online_payment::Entity::find()
        .filter(online_payment::Column::OperationId.eq(operation_id))
        .filter(online_payment::Column::FamilyId.eq(family_id))
        .one(&ctx.db)
        .await?
        .and_then(|r| OnlinePaymentStatus::parse(&r.status))
        .ok_or(BillingError::NotFound)
}
