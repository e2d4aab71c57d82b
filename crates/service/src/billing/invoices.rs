//! Issued invoices and credit notes as families and staff read them (amounts settled, what
//! is left, the status), cancellation by a credit note, and the e-mail that says an invoice
//! is there. An issued invoice is never edited.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use portail_domain::ServiceCode;
use portail_domain::api::{InvoiceKind, InvoiceResponse, InvoiceSummary};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, InvoiceId};
use portail_domain::rules::billing::invoice::{self, InvoiceStatus, invoice_number};
use portail_domain::rules::planning::calendar::month_bounds;
use portail_entity::{
    family_account, guardian, invoice as invoice_row, invoice_line, payment_allocation,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::BillingError;
use crate::Context;
use crate::change::Audit;
use crate::planning::staff::Actor;

/// What was settled on each invoice: payments allocated to it and credit notes reducing it.
pub async fn summaries<C: ConnectionTrait>(
    conn: &C,
    rows: &[invoice_row::Model],
    today: NaiveDate,
) -> anyhow::Result<Vec<InvoiceSummary>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut debiting: HashSet<Uuid> = HashSet::new();
    let mut paid: HashMap<Uuid, i64> = HashMap::new();
    let mut credited: HashMap<Uuid, i64> = HashMap::new();
    let mut numbers: HashMap<Uuid, String> =
        rows.iter().map(|r| (r.id, r.number.clone())).collect();
    for chunk in ids.chunks(1000) {
        for a in payment_allocation::Entity::find()
            .filter(payment_allocation::Column::InvoiceId.is_in(chunk.to_vec()))
            .all(conn)
            .await
            .context("Failed to read payment allocations")?
        {
            let sum = paid.entry(a.invoice_id).or_default();
            *sum = sum.saturating_add(a.amount_cents);
        }
        debiting.extend(
            portail_entity::sepa_debit::Entity::find()
                .filter(portail_entity::sepa_debit::Column::InvoiceId.is_in(chunk.to_vec()))
                .filter(
                    portail_entity::sepa_debit::Column::Status
                        .eq(portail_domain::rules::billing::sepa::DebitStatus::Pending.as_str()),
                )
                .all(conn)
                .await
                .context("Failed to read direct debits")?
                .into_iter()
                .map(|d| d.invoice_id),
        );
        for c in invoice_row::Entity::find()
            .filter(invoice_row::Column::Corrects.is_in(chunk.to_vec()))
            .all(conn)
            .await
            .context("Failed to read credit notes")?
        {
            if let Some(target) = c.corrects {
                let sum = credited.entry(target).or_default();
                *sum = sum.saturating_add(c.total_cents.saturating_neg());
            }
        }
    }
    let missing: Vec<Uuid> = rows
        .iter()
        .filter_map(|r| r.corrects)
        .filter(|id| !numbers.contains_key(id))
        .collect();
    if !missing.is_empty() {
        for r in invoice_row::Entity::find()
            .filter(invoice_row::Column::Id.is_in(missing))
            .all(conn)
            .await?
        {
            numbers.insert(r.id, r.number);
        }
    }
    rows.iter()
        .map(|r| summary(r, &paid, &credited, &numbers, &debiting, today))
        .collect()
}

fn summary(
    r: &invoice_row::Model,
    paid: &HashMap<Uuid, i64>,
    credited: &HashMap<Uuid, i64>,
    numbers: &HashMap<Uuid, String>,
    debiting: &HashSet<Uuid>,
    today: NaiveDate,
) -> anyhow::Result<InvoiceSummary> {
    let kind = portail_domain::string_enum::stored("invoice kind", &r.kind, InvoiceKind::parse)?;
    let (settled, status) = match kind {
        InvoiceKind::CreditNote => (r.total_cents, InvoiceStatus::Paid),
        InvoiceKind::Invoice => {
            let credit = credited.get(&r.id).copied().unwrap_or(0);
            let settled = paid.get(&r.id).copied().unwrap_or(0).saturating_add(credit);
            let cancelled = r.total_cents > 0 && credit >= r.total_cents;
            let status = match invoice::status(r.total_cents, settled, r.due_on, today, cancelled) {
                // At the bank: neither to pay online nor late until it settles or returns.
                InvoiceStatus::Due | InvoiceStatus::PartlyPaid | InvoiceStatus::Late
                    if debiting.contains(&r.id) =>
                {
                    InvoiceStatus::DebitPending
                }
                other => other,
            };
            (settled, status)
        }
    };
    Ok(InvoiceSummary {
        id: r.id,
        number: r.number.clone(),
        kind,
        family_id: r.family_id,
        family_name: r.family_name.clone(),
        month: r.month.clone(),
        issued_on: r.issued_on,
        due_on: r.due_on,
        total_cents: r.total_cents,
        settled_cents: settled,
        remaining_cents: match kind {
            InvoiceKind::Invoice => r.total_cents.saturating_sub(settled).max(0),
            InvoiceKind::CreditNote => 0,
        },
        status,
        corrects_number: r.corrects.and_then(|id| numbers.get(&id).cloned()),
    })
}

/// A family's invoices and credit notes, the latest first.
pub async fn list_for_family(
    ctx: &Context,
    family_id: FamilyId,
) -> anyhow::Result<Vec<InvoiceSummary>> {
    let rows = invoice_row::Entity::find()
        .filter(invoice_row::Column::FamilyId.eq(family_id))
        .order_by_desc(invoice_row::Column::Number)
        .all(&ctx.db)
        .await
        .context("Failed to read a family's invoices")?;
    summaries(&ctx.db, &rows, ctx.clock.today()).await
}

async fn detail<C: ConnectionTrait>(
    conn: &C,
    row: &invoice_row::Model,
    today: NaiveDate,
) -> anyhow::Result<InvoiceResponse> {
    let lines = invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(row.id))
        .order_by_asc(invoice_line::Column::Position)
        .all(conn)
        .await
        .context("Failed to read an invoice's lines")?;
    let summary = summaries(conn, std::slice::from_ref(row), today)
        .await?
        .pop()
        .context("one summary")?;
    Ok(InvoiceResponse {
        summary,
        payer_name: row.payer_name.clone(),
        reason: row.reason.clone(),
        lines: lines
            .iter()
            .map(|l| super::ledger::line_of(l).map(|line| super::ledger::line_body(&line)))
            .collect::<anyhow::Result<_>>()?,
    })
}

/// One of the family's invoices (`NotFound` for anybody else's).
pub async fn get_for_family(
    ctx: &Context,
    family_id: FamilyId,
    invoice_id: InvoiceId,
) -> Result<(InvoiceResponse, invoice_row::Model), BillingError> {
    let row = invoice_row::Entity::find_by_id(invoice_id)
        .one(&ctx.db)
        .await?
        .filter(|r| r.family_id == family_id)
        .ok_or(BillingError::NotFound)?;
    Ok((detail(&ctx.db, &row, ctx.clock.today()).await?, row))
}

/// The services an invoice bills.
async fn services_of<C: ConnectionTrait>(
    conn: &C,
    invoice_id: InvoiceId,
) -> anyhow::Result<HashSet<ServiceCode>> {
    Ok(invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.eq(invoice_id))
        .all(conn)
        .await
        .context("Failed to read an invoice's lines")?
        .iter()
        .filter_map(|l| ServiceCode::parse(&l.service))
        .collect())
}

/// An invoice for staff: an agent sees it when it bills one of their services.
pub async fn get_for_staff(
    ctx: &Context,
    actor: &Actor,
    invoice_id: InvoiceId,
) -> Result<(InvoiceResponse, invoice_row::Model), BillingError> {
    let row = invoice_row::Entity::find_by_id(invoice_id)
        .one(&ctx.db)
        .await?
        .ok_or(BillingError::NotFound)?;
    let services = services_of(&ctx.db, InvoiceId::from(row.id)).await?;
    if !services.iter().any(|s| actor.scope.allows(*s)) && !services.is_empty() {
        return Err(BillingError::NotFound);
    }
    Ok((detail(&ctx.db, &row, ctx.clock.today()).await?, row))
}

/// Invoices for staff, optionally of a month or a family: those that bill a service the
/// actor holds.
pub async fn list_for_staff(
    ctx: &Context,
    actor: &Actor,
    month: Option<&str>,
    family_id: Option<Uuid>,
) -> Result<Vec<InvoiceSummary>, BillingError> {
    let mut query = invoice_row::Entity::find().order_by_desc(invoice_row::Column::Number);
    if let Some(month) = month {
        if month_bounds(month).is_none() {
            let e = portail_domain::parse::FieldErrors::one(
                "month",
                portail_domain::parse::InvalidValue::new(
                    "invalid_format",
                    "Le mois s'écrit AAAA-MM.",
                ),
            );
            return Err(e.into());
        }
        query = query.filter(invoice_row::Column::Month.eq(month));
    }
    if let Some(family_id) = family_id {
        query = query.filter(invoice_row::Column::FamilyId.eq(family_id));
    }
    let rows = query
        .all(&ctx.db)
        .await
        .context("Failed to read invoices")?;
    let rows = if matches!(actor.scope, portail_domain::auth::ServiceScope::All) {
        rows
    } else {
        let held: Vec<&str> = ServiceCode::ALL
            .iter()
            .filter(|s| actor.scope.allows(**s))
            .map(|s| s.as_str())
            .collect();
        let mut visible: HashSet<Uuid> = HashSet::new();
        for chunk in rows.chunks(1000) {
            for l in invoice_line::Entity::find()
                .filter(invoice_line::Column::InvoiceId.is_in(chunk.iter().map(|r| r.id)))
                .filter(invoice_line::Column::Service.is_in(held.clone()))
                .all(&ctx.db)
                .await?
            {
                visible.insert(l.invoice_id);
            }
        }
        rows.into_iter()
            .filter(|r| visible.contains(&r.id))
            .collect()
    };
    Ok(summaries(&ctx.db, &rows, ctx.clock.today()).await?)
}

/// Cancels an invoice by a credit note of the same amount (every line credited), numbered in
/// the year's sequence. The actor must hold every service it bills. Refused for a credit note
/// or an invoice already cancelled.
pub async fn cancel(
    ctx: &Context,
    actor: &Actor,
    invoice_id: InvoiceId,
    reason: &str,
) -> Result<InvoiceResponse, BillingError> {
    let reason = cancellation_reason(reason)?;
    let today = ctx.clock.today();
    let year = today.year();
    let now = ctx.clock.now();
    crate::db::retry("invoice cancellation", || async {
        let txn = crate::db::begin(&ctx.db).await?;
        super::ledger::lock_sequence_for(&txn, year).await?;
        let row = invoice_row::Entity::find_by_id(invoice_id)
            .one(&txn)
            .await?
            .ok_or(BillingError::NotFound)?;
        let services = services_of(&txn, InvoiceId::from(row.id)).await?;
        if !services.iter().any(|s| actor.scope.allows(*s)) && !services.is_empty() {
            return Err(BillingError::NotFound);
        }
        if !services.iter().all(|s| actor.scope.allows(*s)) {
            return Err(BillingError::OutOfScope);
        }
        let current = summaries(&txn, std::slice::from_ref(&row), today)
            .await?
            .pop()
            .context("one summary")?;
        if current.kind == InvoiceKind::CreditNote {
            return Err(BillingError::Conflict(
                "Un avoir ne s'annule pas : émettez une nouvelle facture si besoin.".to_owned(),
            ));
        }
        if current.status == InvoiceStatus::Cancelled {
            return Err(BillingError::Conflict(
                "Cette facture est déjà annulée.".to_owned(),
            ));
        }
        let issued = still_invoiced(&txn, row.id).await?;
        let (_, credit) = portail_domain::rules::billing::run::corrections(&[], &issued);
        let sequence = super::ledger::take_numbers_for(&txn, year, 1).await?;
        let id = Uuid::now_v7();
        let number = invoice_number(year, u32::try_from(sequence).unwrap_or(u32::MAX));
        invoice_row::ActiveModel {
            id: Set(id),
            number: Set(number.clone()),
            kind: Set(InvoiceKind::CreditNote.as_str().to_owned()),
            family_id: Set(row.family_id),
            month: Set(row.month.clone()),
            corrects: Set(Some(row.id)),
            issued_on: Set(today),
            due_on: Set(today),
            total_cents: Set(credit.iter().map(|l| l.amount_cents).sum()),
            family_name: Set(row.family_name.clone()),
            payer_name: Set(row.payer_name.clone()),
            payer_address: Set(row.payer_address.clone()),
            reason: Set(format!(
                "Annulation de la facture {} : {reason}",
                row.number
            )),
            issued_by: Set(Some(actor.staff_id.uuid())),
            created_at: Set(now),
        }
        .insert_into(&txn)
        .await?;
        for (position, l) in credit.iter().enumerate() {
            super::ledger::insert_line(&txn, InvoiceId::from(id), position, l).await?;
        }
        Audit::by(actor.staff_id, action::CANCEL_INVOICE)
            .family(row.family_id)
            .target(row.id)
            .detail(row.number.clone())
            .write(&txn, now)
            .await?;
        let cancelled = detail(&txn, &row, today).await?;
        txn.commit()
            .await
            .context("Failed to commit a cancellation")?;
        Ok(cancelled)
    })
    .await
}

/// Why an invoice is cancelled: one line of 300 characters at most (the 422 otherwise).
fn cancellation_reason(reason: &str) -> Result<&str, BillingError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 300 || reason.chars().any(char::is_control) {
        return Err(portail_domain::parse::FieldErrors::one(
            "reason",
            portail_domain::parse::InvalidValue::new(
                "invalid_format",
                "Dites en une ligne (300 caractères au plus) pourquoi la facture est annulée.",
            ),
        )
        .into());
    }
    Ok(reason)
}

/// What an invoice still invoices, line by line (its earlier credit notes taken off).
async fn still_invoiced(
    txn: &DatabaseTransaction,
    invoice_id: Uuid,
) -> Result<Vec<portail_domain::rules::billing::run::Line>, BillingError> {
    let mut related = vec![invoice_id];
    related.extend(
        invoice_row::Entity::find()
            .filter(invoice_row::Column::Corrects.eq(invoice_id))
            .all(txn)
            .await?
            .iter()
            .map(|c| c.id),
    );
    invoice_line::Entity::find()
        .filter(invoice_line::Column::InvoiceId.is_in(related))
        .all(txn)
        .await?
        .iter()
        .map(|l| super::ledger::line_of(l).map_err(BillingError::from))
        .collect()
}

trait InsertInto {
    async fn insert_into(self, txn: &DatabaseTransaction) -> Result<(), BillingError>;
}

impl InsertInto for invoice_row::ActiveModel {
    async fn insert_into(self, txn: &DatabaseTransaction) -> Result<(), BillingError> {
        invoice_row::Entity::insert(self)
            .exec_without_returning(txn)
            .await
            .context("Failed to insert an invoice")?;
        Ok(())
    }
}

/// « Votre facture de novembre 2026 est disponible »: one e-mail per family, a link to « Mes
/// factures » behind the login, never the PDF itself (docs/billing.md).
pub async fn queue_emails(
    ctx: &Context,
    txn: &DatabaseTransaction,
    issued: &[(Uuid, String, i64, NaiveDate)],
    month: &str,
) -> anyhow::Result<()> {
    if issued.is_empty() {
        return Ok(());
    }
    let month_fr = portail_domain::format::month_label(month);
    let commune = crate::accounts::commune_name(txn).await?;
    let link = ctx.link("/mes-factures");
    let ids: Vec<Uuid> = issued.iter().map(|(id, ..)| *id).collect();
    let mut accounts: HashMap<Uuid, String> = HashMap::new();
    let mut first_names: HashMap<Uuid, String> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for a in family_account::Entity::find()
            .filter(family_account::Column::FamilyId.is_in(chunk.to_vec()))
            .all(txn)
            .await?
        {
            accounts.insert(a.family_id, a.email);
        }
        for g in guardian::Entity::find()
            .filter(guardian::Column::FamilyId.is_in(chunk.to_vec()))
            .filter(guardian::Column::Rank.eq(1))
            .all(txn)
            .await?
        {
            first_names.insert(g.family_id, g.first_name);
        }
    }
    let now = ctx.clock.now();
    for (family_id, number, total, due_on) in issued {
        let Some(to) = accounts.get(family_id) else {
            continue;
        };
        let message = crate::emails::invoice_issued(
            &crate::emails::Recipient {
                to,
                first_name: first_names.get(family_id).map_or("", String::as_str),
                commune: &commune,
            },
            &month_fr,
            number,
            *total,
            *due_on,
            &link,
        );
        crate::outbox::enqueue(txn, &message, None, now).await?;
    }
    Ok(())
}
