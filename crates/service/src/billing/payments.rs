//! Payments (the treasury's): recording, allocation to invoices, balances, the outstanding
//! list by age and its CSV export. A payment is recorded in one transaction that first
//! touches the family's row, so two payments of a family at once are allocated one after the
//! other: an invoice is never settled twice over.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{
    AllocationBody, BalanceResponse, InvoiceKind, InvoiceSummary, OutstandingResponse,
    OutstandingRow, PaymentMethod, PaymentRequest, PaymentResponse,
};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::billing::invoice::{AgeBucket, InvoiceStatus, age_bucket};
use portail_entity::{invoice, payment, payment_allocation};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::BillingError;
use crate::Context;
use crate::change::{Audit, Change};

/// A payment to record, from staff or from the online provider.
pub struct NewPayment<'a> {
    pub family_id: Uuid,
    pub method: PaymentMethod,
    pub amount_cents: i64,
    pub received_on: NaiveDate,
    pub reference: &'a str,
    pub bank: &'a str,
    /// Empty: the oldest invoices first.
    pub allocations: &'a [AllocationBody],
    pub recorded_by: Option<Uuid>,
    pub online_operation: Option<&'a str>,
}

/// A family's invoices with what is left on each, in a transaction.
async fn open_invoices<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    today: NaiveDate,
) -> anyhow::Result<Vec<InvoiceSummary>> {
    let rows = invoice::Entity::find()
        .filter(invoice::Column::FamilyId.eq(family_id))
        .filter(invoice::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
        .order_by_asc(invoice::Column::DueOn)
        .order_by_asc(invoice::Column::Number)
        .all(conn)
        .await
        .context("Failed to read a family's invoices")?;
    Ok(super::invoices::summaries(conn, &rows, today)
        .await?
        .into_iter()
        .filter(|s| s.remaining_cents > 0 && s.status != InvoiceStatus::Cancelled)
        .collect())
}

/// Records a payment inside `txn` (the family's row already touched): allocations checked
/// against what is left on each invoice; without any, the oldest invoices first; what is
/// left over stays a credit of the family.
pub(in crate::billing) async fn record_in(
    txn: &DatabaseTransaction,
    new: &NewPayment<'_>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PaymentResponse, BillingError> {
    let open = open_invoices(txn, FamilyId::from(new.family_id), today).await?;
    let mut allocations: Vec<AllocationBody> = Vec::new();
    if new.allocations.is_empty() {
        let mut left = new.amount_cents;
        for inv in &open {
            if left == 0 {
                break;
            }
            let part = left.min(inv.remaining_cents);
            allocations.push(AllocationBody {
                invoice_id: inv.id,
                number: inv.number.clone(),
                amount_cents: part,
            });
            left = left.saturating_sub(part);
        }
    } else {
        let mut wanted: HashMap<Uuid, i64> = HashMap::new();
        for a in new.allocations {
            let sum = wanted.entry(a.invoice_id).or_default();
            *sum = sum.saturating_add(a.amount_cents);
        }
        for (invoice_id, amount) in wanted {
            let Some(inv) = open.iter().find(|i| i.id == invoice_id) else {
                return Err(BillingError::Conflict(
                    "Une des factures n'est pas à cette famille, ou ne reste pas à payer."
                        .to_owned(),
                ));
            };
            if amount > inv.remaining_cents {
                return Err(BillingError::Conflict(format!(
                    "La facture {} n'a plus que {} à payer.",
                    inv.number,
                    portail_domain::format::euros(inv.remaining_cents)
                )));
            }
            allocations.push(AllocationBody {
                invoice_id,
                number: inv.number.clone(),
                amount_cents: amount,
            });
        }
        allocations.sort_by(|a, b| a.number.cmp(&b.number));
    }
    let id = Uuid::now_v7();
    payment::Entity::insert(payment::ActiveModel {
        id: Set(id),
        family_id: Set(new.family_id),
        method: Set(new.method.as_str().to_owned()),
        amount_cents: Set(new.amount_cents),
        received_on: Set(new.received_on),
        reference: Set(new.reference.trim().to_owned()),
        bank: Set(new.bank.trim().to_owned()),
        online_operation: Set(new.online_operation.map(str::to_owned)),
        recorded_by: Set(new.recorded_by),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await
    .context("Failed to record a payment")?;
    for a in &allocations {
        payment_allocation::Entity::insert(payment_allocation::ActiveModel {
            id: Set(Uuid::now_v7()),
            payment_id: Set(id),
            invoice_id: Set(a.invoice_id),
            amount_cents: Set(a.amount_cents),
        })
        .exec_without_returning(txn)
        .await
        .context("Failed to allocate a payment")?;
    }
    let allocated: i64 = allocations.iter().map(|a| a.amount_cents).sum();
    let saved = PaymentResponse {
        id,
        family_id: new.family_id,
        method: new.method,
        amount_cents: new.amount_cents,
        received_on: new.received_on,
        reference: new.reference.trim().to_owned(),
        bank: new.bank.trim().to_owned(),
        allocations,
        unallocated_cents: new.amount_cents.saturating_sub(allocated),
    };
    crate::events::emit(
        txn,
        &[crate::events::Event::new(
            portail_domain::rules::webhooks::WebhookEvent::PaymentReceived,
            &saved,
        )],
        now,
    )
    .await?;
    Ok(saved)
}

/// Staff record a payment (already validated).
pub async fn record(
    ctx: &Context,
    staff_id: StaffId,
    request: &PaymentRequest,
) -> Result<PaymentResponse, BillingError> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    crate::db::retry("payment", || async {
        let txn = crate::db::begin(&ctx.db).await?;
        crate::family::family_row(&txn, FamilyId::from(request.family_id))
            .await?
            .ok_or(BillingError::NotFound)?;
        crate::family::touch(&txn, FamilyId::from(request.family_id), now).await?;
        let saved = record_in(
            &txn,
            &NewPayment {
                family_id: request.family_id,
                method: request.method,
                amount_cents: request.amount_cents,
                received_on: request.received_on,
                reference: &request.reference,
                bank: &request.bank,
                allocations: &request.allocations,
                recorded_by: Some(staff_id.uuid()),
                online_operation: None,
            },
            today,
            now,
        )
        .await?;
        Change::at(now)
            .audit(
                Audit::by(staff_id, action::RECORD_PAYMENT)
                    .family(request.family_id)
                    .target(saved.id)
                    .detail(portail_domain::format::euros(request.amount_cents)),
            )
            .commit(txn, &ctx.outbox, "a payment")
            .await?;
        Ok(saved)
    })
    .await
}

/// A family's payments, the latest first, with what each settled.
pub async fn list(ctx: &Context, family_id: FamilyId) -> anyhow::Result<Vec<PaymentResponse>> {
    let rows = payment::Entity::find()
        .filter(payment::Column::FamilyId.eq(family_id))
        .order_by_desc(payment::Column::ReceivedOn)
        .order_by_desc(payment::Column::CreatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to read payments")?;
    let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
    let allocations = payment_allocation::Entity::find()
        .filter(payment_allocation::Column::PaymentId.is_in(ids))
        .all(&ctx.db)
        .await?;
    let numbers: HashMap<Uuid, String> = invoice::Entity::find()
        .filter(invoice::Column::FamilyId.eq(family_id))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.number))
        .collect();
    rows.iter()
        .map(|p| {
            let mine: Vec<AllocationBody> = allocations
                .iter()
                .filter(|a| a.payment_id == p.id)
                .map(|a| AllocationBody {
                    invoice_id: a.invoice_id,
                    number: numbers.get(&a.invoice_id).cloned().unwrap_or_default(),
                    amount_cents: a.amount_cents,
                })
                .collect();
            Ok(PaymentResponse {
                id: p.id,
                family_id: p.family_id,
                method: portail_domain::string_enum::stored(
                    "payment method",
                    &p.method,
                    PaymentMethod::parse,
                )?,
                amount_cents: p.amount_cents,
                received_on: p.received_on,
                reference: p.reference.clone(),
                bank: p.bank.clone(),
                unallocated_cents: p
                    .amount_cents
                    .saturating_sub(mine.iter().map(|a| a.amount_cents).sum::<i64>()),
                allocations: mine,
            })
        })
        .collect()
}

/// What a family owes (negative: a credit), what is overdue, and whether its new bookings are
/// blocked by the commune's threshold.
pub async fn balance<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    today: NaiveDate,
) -> anyhow::Result<BalanceResponse> {
    let invoiced: i64 = invoice::Entity::find()
        .filter(invoice::Column::FamilyId.eq(family_id))
        .all(conn)
        .await
        .context("Failed to read a family's invoices")?
        .iter()
        .map(|i| i.total_cents)
        .sum();
    let paid: i64 = payment::Entity::find()
        .filter(payment::Column::FamilyId.eq(family_id))
        .all(conn)
        .await
        .context("Failed to read a family's payments")?
        .iter()
        .map(|p| p.amount_cents)
        .sum();
    let overdue: i64 = open_invoices(conn, family_id, today)
        .await?
        .iter()
        .filter(|i| i.due_on < today)
        .map(|i| i.remaining_cents)
        .sum();
    let threshold = super::settings::commune_row(conn)
        .await?
        .blocking_threshold_cents;
    Ok(BalanceResponse {
        invoiced_cents: invoiced,
        paid_cents: paid,
        balance_cents: invoiced.saturating_sub(paid),
        overdue_cents: overdue,
        bookings_blocked: threshold.is_some_and(|t| overdue > t),
    })
}

/// Every invoice with something left to pay, the most overdue first, with totals by age.
pub async fn outstanding(ctx: &Context) -> anyhow::Result<OutstandingResponse> {
    let today = ctx.clock.today();
    let rows = invoice::Entity::find()
        .filter(invoice::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
        .order_by_asc(invoice::Column::DueOn)
        .order_by_asc(invoice::Column::Number)
        .all(&ctx.db)
        .await
        .context("Failed to read invoices")?;
    let summaries = super::invoices::summaries(&ctx.db, &rows, today).await?;
    let mut out = OutstandingResponse {
        items: Vec::new(),
        total: 0,
        up_to_30_cents: 0,
        days_31_to_60_cents: 0,
        over_60_cents: 0,
    };
    for s in summaries
        .into_iter()
        .filter(|s| s.remaining_cents > 0 && s.status != InvoiceStatus::Cancelled)
    {
        let bucket = age_bucket(s.due_on, today);
        let (label, sum) = match bucket {
            AgeBucket::UpTo30 => ("0-30", &mut out.up_to_30_cents),
            AgeBucket::Days31To60 => ("31-60", &mut out.days_31_to_60_cents),
            AgeBucket::Over60 => ("60+", &mut out.over_60_cents),
        };
        *sum = sum.saturating_add(s.remaining_cents);
        out.items.push(OutstandingRow {
            invoice_id: s.id,
            number: s.number,
            family_id: s.family_id,
            family_name: s.family_name,
            due_on: s.due_on,
            remaining_cents: s.remaining_cents,
            days_late: today.signed_duration_since(s.due_on).num_days().max(0),
            age: label.to_owned(),
        });
    }
    out.total = out.items.len() as u64;
    Ok(out)
}

/// The outstanding list as CSV for the treasury (semicolons, a BOM, amounts in euros with a
/// decimal comma, as French spreadsheets expect).
pub fn outstanding_csv(list: &OutstandingResponse) -> String {
    let escape = |v: &str| crate::csv::text(v);
    let amount = |cents: i64| format!("{},{:02}", cents / 100, (cents % 100).abs());
    let mut out = String::from(
        "\u{feff}Facture;Famille;Échéance;Reste dû (€);Jours de retard;Ancienneté\r\n",
    );
    for r in &list.items {
        let row = [
            escape(&r.number),
            escape(&r.family_name),
            escape(&r.due_on.format("%d/%m/%Y").to_string()),
            amount(r.remaining_cents),
            r.days_late.to_string(),
            escape(&r.age),
        ];
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}

/// Whether the family's new bookings are refused: only when the commune set a threshold (the
/// catalog holds it, so the booking paths read nothing more otherwise).
pub async fn blocked(
    ctx: &Context,
    catalog: &crate::planning::catalog::Catalog,
    family_id: FamilyId,
) -> anyhow::Result<bool> {
    let Some(threshold) = catalog.blocking_threshold_cents else {
        return Ok(false);
    };
    let today = ctx.clock.today();
    let overdue: i64 = open_invoices(&ctx.db, family_id, today)
        .await?
        .iter()
        .filter(|i| i.due_on < today)
        .map(|i| i.remaining_cents)
        .sum();
    Ok(overdue > threshold)
}

/// One payment, with the family's name, for its receipt: `family` (the caller's family)
/// limits it to that family's payments (`NotFound` otherwise).
pub async fn get(
    ctx: &Context,
    payment_id: Uuid,
    family: Option<Uuid>,
) -> Result<(PaymentResponse, String), BillingError> {
    let row = payment::Entity::find_by_id(payment_id)
        .one(&ctx.db)
        .await?
        .filter(|p| family.is_none_or(|f| f == p.family_id))
        .ok_or(BillingError::NotFound)?;
    let found = list(ctx, FamilyId::from(row.family_id))
        .await?
        .into_iter()
        .find(|p| p.id == payment_id)
        .ok_or(BillingError::NotFound)?;
    let name = portail_entity::guardian::Entity::find()
        .filter(portail_entity::guardian::Column::FamilyId.eq(row.family_id))
        .filter(portail_entity::guardian::Column::Rank.eq(1))
        .one(&ctx.db)
        .await?
        .map(|g| g.last_name)
        .unwrap_or_default();
    Ok((found, name))
}
