//! SEPA direct debit (issue 24, point 4; rules: `portail_domain::rules::billing::sepa`).
//!
//! A family signs a mandate online (or the treasury records a paper one); it may revoke it.
//! The treasury issues a `pain.008.001.02` file for the open invoices of the families with an
//! active mandate: each invoice becomes « prélèvement en cours » (no online payment, not
//! late) until the bank settles the file (a payment is recorded on each invoice) or returns a
//! debit (its R-transaction reason; the invoice is to pay again and the family is e-mailed).
//! An invoice is in one pending debit at most: a partial unique index says so to the database.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{
    AllocationBody, DebitBatchList, DebitBatchResponse, DebitResponse, DebitReturnRequest,
    DebitRunRequest, InvoiceKind, MandateList, MandateRequest, MandateResponse, MyDirectDebit,
    PaperMandateRequest, PaymentMethod, mandate_text,
};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::parse::{FieldErrors, InvalidValue, PersonName};
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

use super::BillingError;
use crate::Context;
use crate::change::{Audit, Change};

/// A mandate as its reader may see it: the whole IBAN for the treasury only.
fn response(row: &sepa_mandate::Model, full_iban: bool) -> anyhow::Result<MandateResponse> {
    Ok(MandateResponse {
        id: row.id,
        family_id: row.family_id,
        reference: row.reference.clone(),
        holder: row.holder.clone(),
        iban_masked: rules::masked_iban(&row.iban),
        iban: full_iban.then(|| row.iban.clone()),
        signed_on: row.signed_on,
        signed_online: row.signed_online,
        status: stored("mandate status", &row.status, MandateStatus::parse)?,
        revoked_at: row.revoked_at,
    })
}

async fn active_mandate<C: ConnectionTrait>(
    conn: &C,
    family_id: Uuid,
) -> Result<Option<sepa_mandate::Model>, BillingError> {
    Ok(sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .order_by_desc(sepa_mandate::Column::CreatedAt)
        .one(conn)
        .await?)
}

/// The commune's name and identifier (`None`: direct debit not offered).
async fn creditor<C: ConnectionTrait>(conn: &C) -> anyhow::Result<(String, Option<String>)> {
    let commune = super::settings::commune_row(conn).await?;
    let id = (!commune.creditor_id.is_empty()).then_some(commune.creditor_id);
    Ok((commune.name, id))
}

/// « Prélèvement automatique » for the family: offered or not, the text, its active mandate.
pub async fn mine(ctx: &Context, family_id: FamilyId) -> Result<MyDirectDebit, BillingError> {
    let (name, id) = creditor(&ctx.db).await?;
    let creditor_name = format!("la commune {}", portail_domain::format::of_place(&name));
    let mandate = active_mandate(&ctx.db, family_id.uuid())
        .await?
        .map(|m| response(&m, false))
        .transpose()?;
    Ok(MyDirectDebit {
        offered: id.is_some(),
        mandate_text: mandate_text(&creditor_name, id.as_deref().unwrap_or("—")),
        creditor_name,
        creditor_id: id,
        mandate,
    })
}

/// Writes a new active mandate for the family (its previous one is revoked).
async fn write_mandate(
    ctx: &Context,
    family_id: Uuid,
    holder: String,
    iban: String,
    signed_on: NaiveDate,
    recorded_by: Option<StaffId>,
) -> Result<sepa_mandate::Model, BillingError> {
    let now = ctx.clock.now();
    if creditor(&ctx.db).await?.1.is_none() {
        return Err(BillingError::Conflict(
            "La commune ne propose pas le prélèvement automatique : son identifiant créancier SEPA n'est pas réglé.".to_owned(),
        ));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    crate::family::family_row(&txn, FamilyId::from(family_id))
        .await?
        .ok_or(BillingError::NotFound)?;
    sepa_mandate::Entity::update_many()
        .col_expr(
            sepa_mandate::Column::Status,
            sea_orm::sea_query::Expr::value(MandateStatus::Revoked.as_str()),
        )
        .col_expr(
            sepa_mandate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    let signed_that_day = sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::SignedOn.eq(signed_on))
        .all(&txn)
        .await?
        .len();
    let number = u32::try_from(signed_that_day)
        .unwrap_or(0)
        .saturating_add(1);
    let row = sepa_mandate::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        reference: Set(rules::mandate_reference(family_id, signed_on, number)),
        holder: Set(holder),
        iban: Set(iban),
        signed_on: Set(signed_on),
        signed_online: Set(recorded_by.is_none()),
        recorded_by: Set(recorded_by.map(StaffId::uuid)),
        status: Set(MandateStatus::Active.as_str().to_owned()),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::family::touch(&txn, FamilyId::from(family_id), now).await?;
    let audit = recorded_by.map(|staff| {
        Audit::by(staff, action::RECORD_MANDATE)
            .family(family_id)
            .target(row.id)
            .detail(row.reference.clone())
    });
    Change::at(now)
        .audit_if(audit)
        .commit(txn, &ctx.outbox, "a mandate")
        .await?;
    Ok(row)
}

/// The family signs a mandate online (it replaces an active one).
pub async fn sign(
    ctx: &Context,
    family_id: FamilyId,
    request: &MandateRequest,
) -> Result<MandateResponse, BillingError> {
    let (holder, iban) = request.validate()?;
    let row = write_mandate(ctx, family_id.uuid(), holder, iban, ctx.clock.today(), None).await?;
    Ok(response(&row, false)?)
}

/// The treasury records a mandate signed on paper.
pub async fn record_paper(
    ctx: &Context,
    staff_id: StaffId,
    request: &PaperMandateRequest,
) -> Result<MandateResponse, BillingError> {
    let mut e = FieldErrors::default();
    let holder = e.check("holder", PersonName::parse(&request.holder));
    let iban = match portail_domain::parse::iban(&request.iban) {
        Ok(Some(iban)) => Some(iban),
        Ok(None) => {
            e.push("iban", InvalidValue::required());
            None
        }
        Err(invalid) => {
            e.push("iban", invalid);
            None
        }
    };
    if request.signed_on > ctx.clock.today() {
        e.push(
            "signed_on",
            InvalidValue::new("in_the_future", "Le jour de la signature est passé."),
        );
    }
    let (Some(holder), Some(iban)) = (holder, iban) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let row = write_mandate(
        ctx,
        request.family_id,
        holder.into_inner(),
        iban,
        request.signed_on,
        Some(staff_id),
    )
    .await?;
    Ok(response(&row, true)?)
}

/// The family revokes its mandate: no new debit; those already sent stay.
pub async fn revoke(ctx: &Context, family_id: FamilyId) -> Result<(), BillingError> {
    let done = sepa_mandate::Entity::update_many()
        .col_expr(
            sepa_mandate::Column::Status,
            sea_orm::sea_query::Expr::value(MandateStatus::Revoked.as_str()),
        )
        .col_expr(
            sepa_mandate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(ctx.clock.now())),
        )
        .filter(sepa_mandate::Column::FamilyId.eq(family_id.uuid()))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .exec(&ctx.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(BillingError::NotFound);
    }
    Ok(())
}

/// The family's active mandate with its whole IBAN (for its PDF), and the creditor's id.
pub async fn mandate_for_pdf(
    ctx: &Context,
    family_id: FamilyId,
) -> Result<(MandateResponse, String, String), BillingError> {
    let row = active_mandate(&ctx.db, family_id.uuid())
        .await?
        .ok_or(BillingError::NotFound)?;
    let id = creditor(&ctx.db).await?.1.unwrap_or_default();
    Ok((response(&row, false)?, row.iban, id))
}

/// Every mandate, the latest first (the treasury: whole IBANs).
pub async fn list_mandates(ctx: &Context) -> Result<MandateList, BillingError> {
    let rows = sepa_mandate::Entity::find()
        .order_by_desc(sepa_mandate::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    Ok(MandateList {
        items: rows
            .iter()
            .map(|r| response(r, true))
            .collect::<anyhow::Result<_>>()?,
    })
}

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
    let earliest = crate::clock::days_after(today, 2);
    let latest = crate::clock::days_after(today, 60);
    if !rules::is_collection_day(request.collection_date) {
        return Err(FieldErrors::one(
            "collection_date",
            InvalidValue::new(
                "not_a_business_day",
                format!(
                    "Les banques ne prélèvent pas ce jour-là (week-end ou jour férié bancaire) : choisissez le {} par exemple.",
                    portail_domain::format::date_fr(rules::next_collection_day(request.collection_date))
                ),
            ),
        )
        .into());
    }
    if !(earliest..=latest).contains(&request.collection_date) {
        return Err(FieldErrors::one(
            "collection_date",
            InvalidValue::new(
                "out_of_range",
                "Le jour du prélèvement est entre 2 et 60 jours à venir (le délai de la banque).",
            ),
        )
        .into());
    }
    let commune = super::settings::commune_row(&ctx.db).await?;
    if commune.creditor_id.is_empty() || commune.iban.is_empty() {
        return Err(BillingError::Incomplete(vec![
            "Réglez l'identifiant créancier SEPA (ICS) et l'IBAN de la commune dans les réglages de facturation.".to_owned(),
        ]));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    let mandates: HashMap<Uuid, sepa_mandate::Model> = sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .order_by_asc(sepa_mandate::Column::CreatedAt)
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| (m.family_id, m))
        .collect();
    // A mandate already debited (settled, or at the bank) goes on with `RCUR`.
    let used: HashSet<Uuid> = sepa_debit::Entity::find()
        .filter(
            sepa_debit::Column::Status
                .is_in([DebitStatus::Settled.as_str(), DebitStatus::Pending.as_str()]),
        )
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| d.mandate_id)
        .collect();
    let families: Vec<Uuid> = mandates.keys().copied().collect();
    let rows = crate::db::by_chunks(families, |ids| {
        invoice_row::Entity::find()
            .filter(invoice_row::Column::FamilyId.is_in(ids))
            .filter(invoice_row::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
            .all(&txn)
    })
    .await?;
    let summaries = super::invoices::summaries(&txn, &rows, today).await?;
    let mut due: Vec<_> = summaries
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
    if due.is_empty() {
        return Err(BillingError::Conflict(
            "Aucune facture à prélever : pas de facture ouverte d'une famille qui a un mandat actif.".to_owned(),
        ));
    }
    let batch_id = Uuid::now_v7();
    // The id's last characters (its random part): 8 of them name the file, 10 each debit.
    let tail = |id: Uuid, n: usize| -> String {
        let hex = id.simple().to_string();
        hex.chars().skip(hex.len().saturating_sub(n)).collect()
    };
    let message_id = format!("PF-{}-{}", today.format("%Y%m%d"), tail(batch_id, 8));
    let mut lines = Vec::new();
    let mut debits = Vec::new();
    for s in &due {
        let Some(mandate) = mandates.get(&s.family_id) else {
            continue;
        };
        let sequence = rules::sequence_type(used.contains(&mandate.id));
        let end_to_end_id = format!(
            "{}-{}",
            rules::sepa_text(&s.number, 20),
            tail(Uuid::now_v7(), 10)
        );
        lines.push(DebitLine {
            end_to_end_id: end_to_end_id.clone(),
            amount_cents: s.remaining_cents,
            mandate_reference: mandate.reference.clone(),
            signed_on: mandate.signed_on,
            sequence,
            debtor_name: mandate.holder.clone(),
            debtor_iban: mandate.iban.clone(),
            remittance: format!("Facture {} - {}", s.number, commune.name),
        });
        debits.push(sepa_debit::ActiveModel {
            id: Set(Uuid::now_v7()),
            batch_id: Set(batch_id),
            invoice_id: Set(s.id),
            mandate_id: Set(mandate.id),
            family_id: Set(s.family_id),
            amount_cents: Set(s.remaining_cents),
            sequence_type: Set(sequence.as_str().to_owned()),
            end_to_end_id: Set(end_to_end_id),
            status: Set(DebitStatus::Pending.as_str().to_owned()),
            return_reason: Set(None),
            returned_on: Set(None),
            payment_id: Set(None),
        });
    }
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
    if request.returned_on > ctx.clock.today() {
        return Err(FieldErrors::one(
            "returned_on",
            InvalidValue::new("in_the_future", "Le jour du rejet est passé."),
        )
        .into());
    }
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
        // Marked settled first, so that the payment's allocation sees the invoice open again.
        let mut row: sepa_debit::ActiveModel = debit.clone().into();
        row.status = Set(DebitStatus::Settled.as_str().to_owned());
        row.update(&txn).await?;
        let payment = super::payments::record_in(
            &txn,
            &super::payments::NewPayment {
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
