//! The monthly invoice run: preview, then issue. Reads the month's bookings and attendance
//! marks of the chosen services, prices them (`rules::billing::run`), and issues for each
//! family what is not invoiced yet: an invoice for what is new, a credit note for what went
//! away. Issuing is one transaction that first takes the year's sequence row: two runs at
//! once queue on it (PostgreSQL's row lock, SQLite's write lock), each sees what the other
//! issued, and the numbers it takes go back with it if it rolls back — no gap, nothing twice.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{InvoiceDraft, InvoiceKind, InvoiceRunResponse};
use portail_domain::audit::action;
use portail_domain::ids::InvoiceId;
use portail_domain::rules::billing::invoice::invoice_number;
use portail_domain::rules::billing::run::{self, Line};
use portail_entity::{invoice, invoice_line};
use sea_orm::Set;
use uuid::Uuid;

mod plan;

use plan::plan;

use super::BillingError;
use super::ledger::{insert_chunked, line_body, line_row, lock_sequence_for, take_numbers_for};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::staff::Actor;

/// What the run is asked: a month (`YYYY-MM`) and services.
pub struct RunRequest<'a> {
    pub month: &'a str,
    pub services: &'a [ServiceCode],
    /// Issue even though the month has not ended (`rules::billing::run::days_not_over`).
    pub confirm_unfinished_month: bool,
}

/// One family's documents to issue.
struct Planned {
    family_id: Uuid,
    family_name: String,
    payer_name: String,
    payer_address: String,
    invoice: Vec<Line>,
    credit: Vec<Line>,
    /// The family's first invoice of the month (a credit note reduces it).
    first_invoice: Option<Uuid>,
}

/// Preview: what issuing now would issue, and what prevents it.
pub async fn preview(
    ctx: &Context,
    actor: &Actor,
    request: &RunRequest<'_>,
) -> Result<InvoiceRunResponse, BillingError> {
    let (first, last) = check(actor, request)?;
    let (planned, problems) = plan(ctx, &ctx.db, request, first, last).await?;
    let mut answer = response(request.month, false, &planned, &[], problems);
    answer.unfinished = unfinished(request.month, first, last, ctx.clock.today());
    Ok(answer)
}

/// Issues the month's invoices and credit notes; refuses while something cannot be priced.
pub async fn issue(
    ctx: &Context,
    actor: &Actor,
    request: &RunRequest<'_>,
) -> Result<InvoiceRunResponse, BillingError> {
    let (first, last) = check(actor, request)?;
    let today = ctx.clock.today();
    if let Some(unfinished) = unfinished(request.month, first, last, today)
        && !request.confirm_unfinished_month
    {
        return Err(BillingError::MonthNotEnded(unfinished.message));
    }
    let year = today.year();
    crate::db::retry("invoice run", || async {
        let txn = crate::db::begin(&ctx.db).await?;
        // The year's sequence row first: concurrent runs queue here, before reading anything.
        lock_sequence_for(&txn, year).await?;
        let (planned, problems) = plan(ctx, &txn, request, first, last).await?;
        if !problems.is_empty() {
            return Err(BillingError::Incomplete(problems));
        }
        let count = planned
            .iter()
            .map(|p| {
                usize::from(!p.invoice.is_empty()).saturating_add(usize::from(!p.credit.is_empty()))
            })
            .sum::<usize>();
        let mut next = take_numbers_for(&txn, year, count).await?;
        let settings = super::settings::commune_row(&txn).await?;
        let due_on = run::due_on(first, u32::try_from(settings.invoice_due_day).unwrap_or(15));
        let run = RunContext {
            month: request.month,
            today,
            due_on,
            now: ctx.clock.now(),
            staff_id: actor.staff_id.uuid(),
        };
        let mut numbers = Vec::with_capacity(count);
        let mut invoices = Vec::with_capacity(count);
        let mut events = Vec::new();
        let mut lines = Vec::new();
        for p in &planned {
            let mut invoice_id = p.first_invoice;
            for (kind, set) in [
                (InvoiceKind::Invoice, &p.invoice),
                (InvoiceKind::CreditNote, &p.credit),
            ] {
                if set.is_empty() {
                    continue;
                }
                let number = invoice_number(year, u32::try_from(next).unwrap_or(u32::MAX));
                next = next.saturating_add(1);
                let document = run.document(p, kind, set, &number, invoice_id);
                if kind == InvoiceKind::Invoice && invoice_id.is_none() {
                    invoice_id = Some(document.id);
                }
                invoices.push(document.invoice);
                events.push(document.event);
                lines.extend(document.lines);
                numbers.push((p, kind, number, set));
            }
        }
        insert_chunked(&txn, invoices).await?;
        insert_chunked(&txn, lines).await?;
        let issued: Vec<(Uuid, String, i64, NaiveDate)> = numbers
            .iter()
            .filter(|(_, kind, _, _)| *kind == InvoiceKind::Invoice)
            .map(|(p, _, number, set)| {
                (
                    p.family_id,
                    number.clone(),
                    set.iter().map(|l| l.amount_cents).sum(),
                    Ord::max(due_on, today),
                )
            })
            .collect();
        super::invoices::queue_emails(ctx, &txn, &issued, request.month).await?;
        Change::at(run.now)
            .events(events)
            .audit_if((count > 0).then(|| {
                Audit::by(actor.staff_id, action::ISSUE_INVOICE_RUN)
                    .detail(request.month.to_owned())
            }))
            .mailed()
            .commit(txn, &ctx.outbox, "an invoice run")
            .await?;
        Ok(response(
            request.month,
            true,
            &planned,
            &numbers,
            Vec::new(),
        ))
    })
    .await
}

/// What every document of a run shares.
struct RunContext<'a> {
    month: &'a str,
    today: NaiveDate,
    due_on: NaiveDate,
    now: DateTime<Utc>,
    staff_id: Uuid,
}

/// One document's rows: the invoice (or credit note), its webhook event, its lines.
struct DocumentRows {
    id: Uuid,
    invoice: invoice::ActiveModel,
    event: crate::events::Event,
    lines: Vec<invoice_line::ActiveModel>,
}

impl RunContext<'_> {
    /// `corrects`: the family's first invoice of the month (a credit note reduces it).
    fn document(
        &self,
        p: &Planned,
        kind: InvoiceKind,
        set: &[Line],
        number: &str,
        corrects: Option<Uuid>,
    ) -> DocumentRows {
        let id = Uuid::now_v7();
        let total_cents: i64 = set.iter().map(|l| l.amount_cents).sum();
        let reason = match (kind, p.first_invoice) {
            (InvoiceKind::Invoice, None) => "Facture du mois",
            (InvoiceKind::Invoice, Some(_)) => "Facture complémentaire",
            (InvoiceKind::CreditNote, _) => "Avoir : régularisation du mois",
        };
        let invoice = invoice::ActiveModel {
            id: Set(id),
            number: Set(number.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            family_id: Set(p.family_id),
            month: Set(self.month.to_owned()),
            corrects: Set(match kind {
                InvoiceKind::CreditNote => corrects,
                InvoiceKind::Invoice => None,
            }),
            issued_on: Set(self.today),
            due_on: Set(match kind {
                InvoiceKind::Invoice => Ord::max(self.due_on, self.today),
                InvoiceKind::CreditNote => self.today,
            }),
            total_cents: Set(total_cents),
            family_name: Set(p.family_name.clone()),
            payer_name: Set(p.payer_name.clone()),
            payer_address: Set(p.payer_address.clone()),
            reason: Set(reason.to_owned()),
            issued_by: Set(Some(self.staff_id)),
            created_at: Set(self.now),
        };
        let event = crate::events::Event::new(
            portail_domain::rules::webhooks::WebhookEvent::InvoiceIssued,
            serde_json::json!({
                "id": id,
                "number": number,
                "kind": kind,
                "family_id": p.family_id,
                "month": self.month,
                "total_cents": total_cents,
                "issued_on": self.today,
            }),
        );
        let lines = set
            .iter()
            .enumerate()
            .map(|(position, l)| line_row(InvoiceId::from(id), position, l))
            .collect();
        DocumentRows {
            id,
            invoice,
            event,
            lines,
        }
    }
}

impl crate::db::Transient for BillingError {
    fn is_transient(&self) -> bool {
        match self {
            Self::Unexpected(e) => e.is_transient(),
            _ => false,
        }
    }
}

fn check(actor: &Actor, request: &RunRequest<'_>) -> Result<(NaiveDate, NaiveDate), BillingError> {
    let bounds =
        portail_domain::rules::billing::run::check_request(request.month, request.services)?;
    for service in request.services {
        if !actor.scope.allows(*service) {
            return Err(BillingError::OutOfScope);
        }
    }
    Ok(bounds)
}

/// The month's days not over on `today`, with the warning staff confirm.
fn unfinished(
    month: &str,
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> Option<portail_domain::api::UnfinishedMonth> {
    run::days_not_over(first, last, today).map(|(from, to)| portail_domain::api::UnfinishedMonth {
        from,
        to,
        message: run::unfinished_month_warning(month, from, to),
    })
}

fn response(
    month: &str,
    issued: bool,
    planned: &[Planned],
    numbers: &[(&Planned, InvoiceKind, String, &Vec<Line>)],
    problems: Vec<String>,
) -> InvoiceRunResponse {
    let mut invoices = Vec::new();
    for p in planned {
        for (kind, set) in [
            (InvoiceKind::Invoice, &p.invoice),
            (InvoiceKind::CreditNote, &p.credit),
        ] {
            if set.is_empty() {
                continue;
            }
            invoices.push(InvoiceDraft {
                family_id: p.family_id,
                family_name: p.family_name.clone(),
                kind,
                number: numbers
                    .iter()
                    .find(|(q, k, _, _)| q.family_id == p.family_id && *k == kind)
                    .map(|(_, _, n, _)| n.clone()),
                total_cents: set.iter().map(|l| l.amount_cents).sum(),
                lines: set.iter().map(line_body).collect(),
            });
        }
    }
    let count = |kind| invoices.iter().filter(|i| i.kind == kind).count() as u64;
    InvoiceRunResponse {
        month: month.to_owned(),
        issued,
        invoices_count: count(InvoiceKind::Invoice),
        credit_notes_count: count(InvoiceKind::CreditNote),
        total_cents: invoices.iter().map(|i| i.total_cents).sum(),
        invoices,
        problems,
        unfinished: None,
    }
}
