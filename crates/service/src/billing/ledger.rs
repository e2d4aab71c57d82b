//! The invoices as stored: the year's gap-free numbering (taken inside the issuing
//! transaction) and the invoice lines, written and read back for the run's pure rules. Shared
//! by the monthly run and by credit notes (`invoices.rs`), below both.

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::InvoiceLineBody;
use portail_domain::ids::InvoiceId;
use portail_domain::rules::billing::run::Line;
use portail_entity::{invoice_line, invoice_sequence};
use sea_orm::EntityName as _;
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, Set};
use uuid::Uuid;

use super::BillingError;

pub(crate) async fn lock_sequence_for(
    txn: &DatabaseTransaction,
    year: i32,
) -> Result<(), BillingError> {
    let backend = txn.get_database_backend();
    let insert = Query::insert()
        .into_table(invoice_sequence::Entity.table_ref())
        .columns([
            invoice_sequence::Column::Year,
            invoice_sequence::Column::LastValue,
        ])
        .values_panic([year.into(), 0_i64.into()])
        .on_conflict(
            OnConflict::column(invoice_sequence::Column::Year)
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    txn.execute_raw(backend.build(&insert))
        .await
        .context("Failed to create the year's invoice sequence")?;
    let touch = Query::update()
        .table(invoice_sequence::Entity.table_ref())
        .value(
            invoice_sequence::Column::LastValue,
            Expr::col(invoice_sequence::Column::LastValue),
        )
        .and_where(Expr::col(invoice_sequence::Column::Year).eq(year))
        .to_owned();
    txn.execute_raw(backend.build(&touch))
        .await
        .context("Failed to lock the year's invoice sequence")?;
    Ok(())
}

/// Takes `count` numbers; returns the first. Inside the issuing transaction: gap-free.
pub(crate) async fn take_numbers_for(
    txn: &DatabaseTransaction,
    year: i32,
    count: usize,
) -> Result<i64, BillingError> {
    let backend = txn.get_database_backend();
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let update = Query::update()
        .table(invoice_sequence::Entity.table_ref())
        .value(
            invoice_sequence::Column::LastValue,
            Expr::col(invoice_sequence::Column::LastValue).add(count),
        )
        .and_where(Expr::col(invoice_sequence::Column::Year).eq(year))
        .returning_col(invoice_sequence::Column::LastValue)
        .to_owned();
    let last: i64 = txn
        .query_one_raw(backend.build(&update))
        .await
        .context("Failed to take invoice numbers")?
        .context("the year's invoice sequence")?
        .try_get_by_index(0)
        .context("Failed to read the invoice sequence")?;
    Ok(last.saturating_sub(count).saturating_add(1))
}

pub(crate) fn line_row(
    invoice_id: InvoiceId,
    position: usize,
    l: &Line,
) -> invoice_line::ActiveModel {
    invoice_line::ActiveModel {
        id: Set(Uuid::now_v7()),
        invoice_id: Set(invoice_id.uuid()),
        position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        line_key: Set(l.key.clone()),
        child_id: Set(l.child_id),
        child_name: Set(l.child_name.clone()),
        service: Set(l.service.as_str().to_owned()),
        service_name: Set(l.service_name.clone()),
        unit_id: Set(l.unit_id),
        unit_name: Set(l.unit_name.clone()),
        date: Set(l.date),
        quantity_hundredths: Set(l.quantity_hundredths),
        unit_price_cents: Set(l.unit_price_cents),
        amount_cents: Set(l.amount_cents),
        rule: Set(l.rule.clone()),
    }
}

/// Inserts one line of an invoice.
pub(crate) async fn insert_line(
    txn: &DatabaseTransaction,
    invoice_id: InvoiceId,
    position: usize,
    l: &Line,
) -> Result<(), BillingError> {
    insert_chunked(txn, vec![line_row(invoice_id, position, l)]).await
}

/// Inserts many rows, a few hundred per statement (both databases cap a statement's
/// parameters).
pub(crate) async fn insert_chunked<A>(
    txn: &DatabaseTransaction,
    rows: Vec<A>,
) -> Result<(), BillingError>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(200).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(txn)
            .await
            .context("Failed to insert invoice rows")?;
    }
    Ok(())
}

/// The stored line of an invoice, as the run's pure rules read it.
pub fn line_of(row: &invoice_line::Model) -> anyhow::Result<Line> {
    Ok(Line {
        key: row.line_key.clone(),
        child_id: row.child_id,
        child_name: row.child_name.clone(),
        service: portail_domain::string_enum::stored(
            "service code",
            &row.service,
            ServiceCode::parse,
        )?,
        service_name: row.service_name.clone(),
        unit_id: row.unit_id,
        unit_name: row.unit_name.clone(),
        date: row.date,
        quantity_hundredths: row.quantity_hundredths,
        unit_price_cents: row.unit_price_cents,
        amount_cents: row.amount_cents,
        rule: row.rule.clone(),
    })
}

pub fn line_body(l: &Line) -> InvoiceLineBody {
    InvoiceLineBody {
        child_id: l.child_id,
        child_name: l.child_name.clone(),
        service: l.service,
        service_name: l.service_name.clone(),
        unit_name: l.unit_name.clone(),
        date: l.date,
        quantity_hundredths: l.quantity_hundredths,
        unit_price_cents: l.unit_price_cents,
        amount_cents: l.amount_cents,
        rule: l.rule.clone(),
    }
}
