//! The treasury's CSV exports, streamed like the others (`exports`): a month's invoices and
//! credit notes with what was settled and what remains, and the payments received between two
//! days with what each settled.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::NaiveDate;
use futures_util::Stream;
use portail_domain::api::{InvoiceKind, PaymentMethod};
use portail_entity::{guardian, invoice, payment, payment_allocation};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::exports::{CHUNK, Walk};
use crate::Context;
use crate::csv;

/// Euros with a decimal comma, as French spreadsheets read them.
fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// A month's invoices and credit notes, by number.
pub fn invoices_csv(
    ctx: Context,
    month: String,
) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    futures_util::stream::try_unfold(Walk::<String>::Start, move |walk| {
        let ctx = ctx.clone();
        let month = month.clone();
        async move {
            let after = match walk {
                Walk::Done => return Ok(None),
                Walk::Start => None,
                Walk::After(number) => Some(number),
            };
            let mut out = if after.is_none() {
                csv::header(&[
                    "Numéro",
                    "Type",
                    "Mois",
                    "Famille",
                    "Émise le",
                    "Échéance",
                    "Montant (€)",
                    "Réglé (€)",
                    "Reste dû (€)",
                    "État",
                    "Corrige",
                ])
            } else {
                String::new()
            };
            let mut select = invoice::Entity::find().filter(invoice::Column::Month.eq(&month));
            if let Some(number) = &after {
                select = select.filter(invoice::Column::Number.gt(number.as_str()));
            }
            let rows = select
                .order_by_asc(invoice::Column::Number)
                .limit(CHUNK)
                .all(&ctx.db)
                .await
                .context("Failed to read invoices to export")?;
            if rows.is_empty() && out.is_empty() {
                return Ok(None);
            }
            let next = match rows.last() {
                Some(last) if u64::try_from(rows.len()).unwrap_or(0) == CHUNK => {
                    Walk::After(last.number.clone())
                }
                _ => Walk::Done,
            };
            let today = ctx.clock.today();
            for s in crate::billing::invoices::summaries(&ctx.db, &rows, today).await? {
                csv::push_line(
                    &mut out,
                    &[
                        csv::text(&s.number),
                        csv::text(match s.kind {
                            InvoiceKind::Invoice => "Facture",
                            InvoiceKind::CreditNote => "Avoir",
                        }),
                        csv::text(&s.month),
                        csv::text(&s.family_name),
                        csv::date(s.issued_on),
                        csv::date(s.due_on),
                        amount(s.total_cents),
                        amount(s.settled_cents),
                        amount(s.remaining_cents),
                        csv::text(s.status.label_fr()),
                        csv::text(s.corrects_number.as_deref().unwrap_or_default()),
                    ],
                );
            }
            Ok(Some((out, next)))
        }
    })
}

/// The payments received from `first` to `last` (included), by day.
pub fn payments_csv(
    ctx: Context,
    first: NaiveDate,
    last: NaiveDate,
) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    futures_util::stream::try_unfold(Walk::<(NaiveDate, Uuid)>::Start, move |walk| {
        let ctx = ctx.clone();
        async move {
            let after = match walk {
                Walk::Done => return Ok(None),
                Walk::Start => None,
                Walk::After(key) => Some(key),
            };
            let mut out = if after.is_none() {
                csv::header(&[
                    "Reçu le",
                    "Famille",
                    "Mode",
                    "Montant (€)",
                    "Affecté aux factures (€)",
                    "Référence",
                    "Banque",
                    "Paiement",
                ])
            } else {
                String::new()
            };
            let mut select =
                payment::Entity::find().filter(payment::Column::ReceivedOn.between(first, last));
            if let Some((day, id)) = after {
                select = select.filter(
                    Expr::tuple([
                        Expr::col(payment::Column::ReceivedOn),
                        Expr::col(payment::Column::Id),
                    ])
                    .gt(Expr::tuple([Expr::value(day), Expr::value(id)])),
                );
            }
            let rows = select
                .order_by_asc(payment::Column::ReceivedOn)
                .order_by_asc(payment::Column::Id)
                .limit(CHUNK)
                .all(&ctx.db)
                .await
                .context("Failed to read payments to export")?;
            if rows.is_empty() && out.is_empty() {
                return Ok(None);
            }
            let next = match rows.last() {
                Some(row) if u64::try_from(rows.len()).unwrap_or(0) == CHUNK => {
                    Walk::After((row.received_on, row.id))
                }
                _ => Walk::Done,
            };
            let mut allocated: HashMap<Uuid, i64> = HashMap::new();
            for a in payment_allocation::Entity::find()
                .filter(payment_allocation::Column::PaymentId.is_in(rows.iter().map(|p| p.id)))
                .all(&ctx.db)
                .await
                .context("Failed to read payment allocations to export")?
            {
                let sum = allocated.entry(a.payment_id).or_default();
                *sum = sum.saturating_add(a.amount_cents);
            }
            let holders: HashMap<Uuid, String> = guardian::Entity::find()
                .filter(guardian::Column::FamilyId.is_in(rows.iter().map(|p| p.family_id)))
                .filter(guardian::Column::Rank.eq(1))
                .all(&ctx.db)
                .await
                .context("Failed to read guardians to export")?
                .into_iter()
                .map(|h| (h.family_id, format!("{} {}", h.last_name, h.first_name)))
                .collect();
            for p in &rows {
                csv::push_line(
                    &mut out,
                    &[
                        csv::date(p.received_on),
                        csv::text(holders.get(&p.family_id).map_or("", String::as_str)),
                        csv::text(PaymentMethod::parse(&p.method).map_or("", |m| m.label_fr())),
                        amount(p.amount_cents),
                        amount(allocated.get(&p.id).copied().unwrap_or(0)),
                        csv::text(&p.reference),
                        csv::text(&p.bank),
                        p.id.to_string(),
                    ],
                );
            }
            Ok(Some((out, next)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_a_decimal_comma() {
        assert_eq!(amount(123_456), "1234,56");
        assert_eq!(amount(5), "0,05");
        assert_eq!(amount(-1250), "-12,50");
        assert_eq!(amount(0), "0,00");
    }
}
