//! Files: the pain.008.001.02 issued for the open invoices, the bank's returns, settlement.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use portail_domain::api::{
    AllocationBody, DebitBatchList, DebitBatchResponse, DebitResponse, DebitReturnRequest,
    DebitRunRequest, InvoiceKind, PaymentMethod,
};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::parse::FieldErrors;
use portail_domain::rules::billing::invoice::InvoiceStatus;
use portail_domain::rules::billing::sepa::{
    self as rules, Creditor, DebitLine, DebitStatus, MandateStatus, ReturnReason, SequenceType,
};
use portail_domain::string_enum::stored;
use portail_entity::{invoice as invoice_row, sepa_batch, sepa_debit, sepa_mandate};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::Context;
use crate::billing::BillingError;
use crate::change::{Audit, Change};

fn debit_body(d: &sepa_debit::Model, number: &str) -> anyhow::Result<DebitResponse> {
    Ok(DebitResponse {
        id: d.id,
        invoice_id: d.invoice_id,
        invoice_number: number.to_owned(),
        family_id: d.family_id,
        amount_cents: d.amount_cents,
        sequence: stored("sequence type", &d.sequence_type, SequenceType::parse)?,
        end_to_end_id: d.end_to_end_id.clone(),
        status: stored("debit status", &d.status, DebitStatus::parse)?,
        return_reason: d
            .return_reason
            .as_deref()
            .map(|r| stored("return reason", r, ReturnReason::parse))
            .transpose()?,
        returned_on: d.returned_on,
    })
}

async fn batch_body<C: ConnectionTrait>(
    conn: &C,
    batch: &sepa_batch::Model,
) -> Result<DebitBatchResponse, BillingError> {
    let debits = sepa_debit::Entity::find()
        .filter(sepa_debit::Column::BatchId.eq(batch.id))
        .order_by_asc(sepa_debit::Column::EndToEndId)
        .all(conn)
        .await?;
    let numbers: HashMap<Uuid, String> = invoice_row::Entity::find()
        .filter(
            invoice_row::Column::Id.is_in(debits.iter().map(|d| d.invoice_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.number))
        .collect();
    Ok(DebitBatchResponse {
        id: batch.id,
        message_id: batch.message_id.clone(),
        created_at: batch.created_at,
        collection_date: batch.collection_date,
        count: u32::try_from(batch.count).unwrap_or(0),
        total_cents: batch.total_cents,
        debits: debits
            .iter()
            .map(|d| debit_body(d, numbers.get(&d.invoice_id).map_or("", String::as_str)))
            .collect::<anyhow::Result<_>>()?,
    })
}

/// Issues the direct-debit file: every open invoice of the families with an active mandate,
/// not already at the bank, debited on `collection_date`.
pub async fn issue(
    ctx: &Context,
    staff_id: StaffId,
    request: &DebitRunRequest,
) -> Result<DebitBatchResponse, BillingError> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    rules::collection_date_check(request.collection_date, today)
        .map_err(|invalid| FieldErrors::one("collection_date", invalid))?;
    let commune = crate::billing::settings::commune_row(&ctx.db).await?;
    if commune.creditor_id.is_empty() || commune.iban.is_empty() {
        return Err(BillingError::Incomplete(vec![
            "Réglez l'identifiant créancier SEPA (ICS) et l'IBAN de la commune dans les réglages de facturation.".to_owned(),
        ]));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    let (mandates, used) = active_mandates(&txn).await?;
    let due = open_invoices(&txn, mandates.keys().copied().collect(), today).await?;
    if due.is_empty() {
        return Err(BillingError::Conflict(
            "Aucune facture à prélever : pas de facture ouverte d'une famille qui a un mandat actif.".to_owned(),
        ));
    }
    let batch_id = Uuid::now_v7();
    let message_id = format!("PF-{}-{}", today.format("%Y%m%d"), id_tail(batch_id, 8));
    let planned: Vec<_> = due
        .iter()
        .filter_map(|s| {
            let mandate = mandates.get(&s.family_id)?;
            let sequence = rules::sequence_type(used.contains(&mandate.id));
            Some((s, mandate, debit_line(s, mandate, sequence, &commune.name)))
        })
        .collect();
    let lines: Vec<DebitLine> = planned.iter().map(|(_, _, line)| line.clone()).collect();
    let debits = planned
        .iter()
        .map(|(s, mandate, line)| debit_row(batch_id, s, mandate, line));
    let total: i64 = lines.iter().map(|l| l.amount_cents).sum();
    let xml = rules::pain008(
        &message_id,
        now,
        request.collection_date,
        &Creditor {
            name: commune.name.clone(),
            iban: commune.iban.clone(),
            bic: (!commune.bic.is_empty()).then(|| commune.bic.clone()),
            creditor_id: commune.creditor_id.clone(),
        },
        &lines,
    );
    let batch = sepa_batch::ActiveModel {
        id: Set(batch_id),
        message_id: Set(message_id.clone()),
        collection_date: Set(request.collection_date),
        count: Set(i32::try_from(lines.len()).unwrap_or(i32::MAX)),
        total_cents: Set(total),
        xml: Set(xml),
        created_by: Set(staff_id.uuid()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    for debit in debits {
        // The partial unique index refuses a second pending debit of an invoice (two runs
        // at once): this one then fails whole, nothing half-issued.
        debit.insert(&txn).await.map_err(|e| {
            BillingError::Conflict(format!(
                "Un autre fichier de prélèvement vient d'être émis pour ces factures : rechargez la page. ({e})"
            ))
        })?;
    }
    let body = batch_body(&txn, &batch).await?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::ISSUE_DEBIT_FILE)
                .target(batch_id)
                .detail(message_id),
        )
        .commit(txn, &ctx.outbox, "a direct-debit file")
        .await?;
    Ok(body)
}

/// The id's last characters (its random part): 8 of them name a file, 10 a debit.
fn id_tail(id: Uuid, n: usize) -> String {
    let hex = id.simple().to_string();
    hex.chars().skip(hex.len().saturating_sub(n)).collect()
}

/// The file's transaction for invoice `s` on `mandate`.
fn debit_line(
    s: &portail_domain::api::InvoiceSummary,
    mandate: &sepa_mandate::Model,
    sequence: SequenceType,
    commune: &str,
) -> DebitLine {
    DebitLine {
        end_to_end_id: format!(
            "{}-{}",
            rules::sepa_text(&s.number, 20),
            id_tail(Uuid::now_v7(), 10)
        ),
        amount_cents: s.remaining_cents,
        mandate_reference: mandate.reference.clone(),
        signed_on: mandate.signed_on,
        sequence,
        debtor_name: mandate.holder.clone(),
        debtor_iban: mandate.iban.clone(),
        remittance: format!("Facture {} - {commune}", s.number),
    }
}

/// The stored debit of `line`, pending.
fn debit_row(
    batch_id: Uuid,
    s: &portail_domain::api::InvoiceSummary,
    mandate: &sepa_mandate::Model,
    line: &DebitLine,
) -> sepa_debit::ActiveModel {
    sepa_debit::ActiveModel {
        id: Set(Uuid::now_v7()),
        batch_id: Set(batch_id),
        invoice_id: Set(s.id),
        mandate_id: Set(mandate.id),
        family_id: Set(s.family_id),
        amount_cents: Set(line.amount_cents),
        sequence_type: Set(line.sequence.as_str().to_owned()),
        end_to_end_id: Set(line.end_to_end_id.clone()),
        status: Set(DebitStatus::Pending.as_str().to_owned()),
        return_reason: Set(None),
        returned_on: Set(None),
        payment_id: Set(None),
    }
}

/// The active mandates by family, and the mandates already debited (settled, or at the bank:
/// they go on with `RCUR`).
async fn active_mandates<C: ConnectionTrait>(
    conn: &C,
) -> Result<(HashMap<Uuid, sepa_mandate::Model>, HashSet<Uuid>), BillingError> {
    let mandates = sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .order_by_asc(sepa_mandate::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.family_id, m))
        .collect();
    let used = sepa_debit::Entity::find()
        .filter(
            sepa_debit::Column::Status
                .is_in([DebitStatus::Settled.as_str(), DebitStatus::Pending.as_str()]),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|d| d.mandate_id)
        .collect();
    Ok((mandates, used))
}

/// The invoices of `families` with something left to pay and not at the bank, by number.
async fn open_invoices<C: ConnectionTrait>(
    conn: &C,
    families: Vec<Uuid>,
    today: chrono::NaiveDate,
) -> Result<Vec<portail_domain::api::InvoiceSummary>, BillingError> {
    let rows = crate::db::by_chunks(families, |ids| {
        invoice_row::Entity::find()
            .filter(invoice_row::Column::FamilyId.is_in(ids))
            .filter(invoice_row::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
            .all(conn)
    })
    .await?;
    let mut due: Vec<_> = crate::billing::invoices::summaries(conn, &rows, today)
        .await?
        .into_iter()
        .filter(|s| {
            s.remaining_cents > 0
                && matches!(
                    s.status,
                    InvoiceStatus::Due | InvoiceStatus::PartlyPaid | InvoiceStatus::Late
                )
        })
        .collect();
    due.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(due)
}

/// The files issued, the latest first, with their debits.
pub async fn batches(ctx: &Context) -> Result<DebitBatchList, BillingError> {
    let rows = sepa_batch::Entity::find()
        .order_by_desc(sepa_batch::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        items.push(batch_body(&ctx.db, row).await?);
    }
    Ok(DebitBatchList { items })
}

/// A file as it was issued: its message id and its XML.
pub async fn batch_xml(ctx: &Context, batch_id: Uuid) -> Result<(String, String), BillingError> {
    let row = sepa_batch::Entity::find_by_id(batch_id)
        .one(&ctx.db)
        .await?
        .ok_or(BillingError::NotFound)?;
    Ok((row.message_id, row.xml))
}

/// The bank returned a debit (an R-transaction): the invoice is to pay again, the family is
/// e-mailed why.
pub async fn return_debit(
    ctx: &Context,
    staff_id: StaffId,
    debit_id: Uuid,
    request: &DebitReturnRequest,
) -> Result<DebitResponse, BillingError> {
    let now = ctx.clock.now();
    request.validate(ctx.clock.today())?;
    let txn = crate::db::begin(&ctx.db).await?;
    let claimed = sepa_debit::Entity::update_many()
        .col_expr(
            sepa_debit::Column::Status,
            sea_orm::sea_query::Expr::value(DebitStatus::Returned.as_str()),
        )
        .col_expr(
            sepa_debit::Column::ReturnReason,
            sea_orm::sea_query::Expr::value(Some(request.reason.as_str())),
        )
        .col_expr(
            sepa_debit::Column::ReturnedOn,
            sea_orm::sea_query::Expr::value(Some(request.returned_on)),
        )
        .filter(sepa_debit::Column::Id.eq(debit_id))
        .filter(sepa_debit::Column::Status.eq(DebitStatus::Pending.as_str()))
        .exec(&txn)
        .await?;
    let debit = sepa_debit::Entity::find_by_id(debit_id)
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    if claimed.rows_affected == 0 {
        return Err(BillingError::Conflict(
            "Ce prélèvement n'est plus en cours : déjà rejeté, ou constaté comme prélevé."
                .to_owned(),
        ));
    }
    let invoice = invoice_row::Entity::find_by_id(debit.invoice_id)
        .one(&txn)
        .await?
        .context("a debit's invoice")?;
    let link = ctx.link(&format!("/mes-factures/{}", invoice.id));
    let (number, amount, reason) = (
        invoice.number.clone(),
        portail_domain::format::euros(debit.amount_cents),
        request.reason.label_fr().to_owned(),
    );
    crate::family::email_family(ctx, &txn, FamilyId::from(debit.family_id), |to| {
        crate::emails::debit_returned(to, &number, &amount, &reason, &link)
    })
    .await?;
    let body = debit_body(&debit, &invoice.number)?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::RETURN_DEBIT)
                .family(debit.family_id)
                .target(debit.id)
                .detail(format!("{} : {}", invoice.number, request.reason.as_str())),
        )
        .mailed()
        .commit(txn, &ctx.outbox, "a returned debit")
        .await?;
    Ok(body)
}

/// The bank settled the file: each debit still pending becomes a payment of its invoice.
pub async fn settle(
    ctx: &Context,
    staff_id: StaffId,
    batch_id: Uuid,
) -> Result<DebitBatchResponse, BillingError> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let txn = crate::db::begin(&ctx.db).await?;
    let batch = sepa_batch::Entity::find_by_id(batch_id)
        .one(&txn)
        .await?
        .ok_or(BillingError::NotFound)?;
    if batch.collection_date > today {
        return Err(BillingError::Conflict(format!(
            "Ce fichier sera prélevé le {} : constatez-le une fois le relevé reçu.",
            portail_domain::format::date_fr(batch.collection_date)
        )));
    }
    let pending = sepa_debit::Entity::find()
        .filter(sepa_debit::Column::BatchId.eq(batch_id))
        .filter(sepa_debit::Column::Status.eq(DebitStatus::Pending.as_str()))
        .all(&txn)
        .await?;
    for debit in pending {
        // Claimed by a conditional update (two processes settling the same file at once: one
        // records the payment), and marked settled first, so that the payment's allocation
        // sees the invoice open again.
        let claimed = sepa_debit::Entity::update_many()
            .col_expr(
                sepa_debit::Column::Status,
                sea_orm::sea_query::Expr::value(DebitStatus::Settled.as_str()),
            )
            .filter(sepa_debit::Column::Id.eq(debit.id))
            .filter(sepa_debit::Column::Status.eq(DebitStatus::Pending.as_str()))
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let payment = crate::billing::payments::record_in(
            &txn,
            &crate::billing::payments::NewPayment {
                family_id: debit.family_id,
                method: PaymentMethod::DirectDebit,
                amount_cents: debit.amount_cents,
                received_on: batch.collection_date,
                reference: &debit.end_to_end_id,
                bank: "",
                allocations: &[AllocationBody {
                    invoice_id: debit.invoice_id,
                    number: String::new(),
                    amount_cents: debit.amount_cents,
                }],
                recorded_by: Some(staff_id.uuid()),
                online_operation: None,
            },
            today,
            now,
        )
        .await?;
        sepa_debit::Entity::update_many()
            .col_expr(
                sepa_debit::Column::PaymentId,
                sea_orm::sea_query::Expr::value(Some(payment.id)),
            )
            .filter(sepa_debit::Column::Id.eq(debit.id))
            .exec(&txn)
            .await?;
    }
    let body = batch_body(&txn, &batch).await?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::SETTLE_DEBITS)
                .target(batch_id)
                .detail(batch.message_id.clone()),
        )
        .commit(txn, &ctx.outbox, "a settled direct-debit file")
        .await?;
    Ok(body)
}
