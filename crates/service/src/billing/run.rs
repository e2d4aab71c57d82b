//! The monthly invoice run: preview, then issue. Reads the month's bookings and attendance
//! marks of the chosen services, prices them (`rules::billing::run`), and issues for each
//! family what is not invoiced yet: an invoice for what is new, a credit note for what went
//! away. Issuing is one transaction that first takes the year's sequence row: two runs at
//! once queue on it (PostgreSQL's row lock, SQLite's write lock), each sees what the other
//! issued, and the numbers it takes go back with it if it rolls back — no gap, nothing twice.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{BookingStatus, InvoiceDraft, InvoiceKind, InvoiceRunResponse};
use portail_domain::audit::action;
use portail_domain::dossier::{DocumentStatus, DocumentType};
use portail_domain::ids::{FamilyId, InvoiceId};
use portail_domain::rules::billing::invoice::invoice_number;
use portail_domain::rules::billing::run::{self, Fact, Line, Pricing};
use portail_domain::rules::billing::tariff::Attendance;
use portail_entity::{
    attendance_mark, booking, child, document, guardian, household, invoice, invoice_line,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::BillingError;
use super::ledger::{
    insert_chunked, line_body, line_of, line_row, lock_sequence_for, take_numbers_for,
};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::staff::Actor;

/// What the run is asked: a month (`YYYY-MM`) and services.
pub struct RunRequest<'a> {
    pub month: &'a str,
    pub services: &'a [ServiceCode],
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
    Ok(response(request.month, false, &planned, &[], problems))
}

/// Issues the month's invoices and credit notes; refuses while something cannot be priced.
pub async fn issue(
    ctx: &Context,
    actor: &Actor,
    request: &RunRequest<'_>,
) -> Result<InvoiceRunResponse, BillingError> {
    let (first, last) = check(actor, request)?;
    let today = ctx.clock.today();
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
        let now = ctx.clock.now();
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
                let id = Uuid::now_v7();
                let number = invoice_number(year, u32::try_from(next).unwrap_or(u32::MAX));
                next = next.saturating_add(1);
                let reason = match (kind, p.first_invoice) {
                    (InvoiceKind::Invoice, None) => "Facture du mois",
                    (InvoiceKind::Invoice, Some(_)) => "Facture complémentaire",
                    (InvoiceKind::CreditNote, _) => "Avoir : régularisation du mois",
                };
                invoices.push(invoice::ActiveModel {
                    id: Set(id),
                    number: Set(number.clone()),
                    kind: Set(kind.as_str().to_owned()),
                    family_id: Set(p.family_id),
                    month: Set(request.month.to_owned()),
                    corrects: Set(match kind {
                        InvoiceKind::CreditNote => invoice_id,
                        InvoiceKind::Invoice => None,
                    }),
                    issued_on: Set(today),
                    due_on: Set(match kind {
                        InvoiceKind::Invoice => Ord::max(due_on, today),
                        InvoiceKind::CreditNote => today,
                    }),
                    total_cents: Set(set.iter().map(|l| l.amount_cents).sum()),
                    family_name: Set(p.family_name.clone()),
                    payer_name: Set(p.payer_name.clone()),
                    payer_address: Set(p.payer_address.clone()),
                    reason: Set(reason.to_owned()),
                    issued_by: Set(Some(actor.staff_id.uuid())),
                    created_at: Set(now),
                });
                events.push(crate::events::Event::new(
                    portail_domain::rules::webhooks::WebhookEvent::InvoiceIssued,
                    serde_json::json!({
                        "id": id,
                        "number": number,
                        "kind": kind,
                        "family_id": p.family_id,
                        "month": request.month,
                        "total_cents": set.iter().map(|l| l.amount_cents).sum::<i64>(),
                        "issued_on": today,
                    }),
                ));
                for (position, l) in set.iter().enumerate() {
                    lines.push(line_row(InvoiceId::from(id), position, l));
                }
                if kind == InvoiceKind::Invoice && invoice_id.is_none() {
                    invoice_id = Some(id);
                }
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
        Change::at(now)
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
    }
}

/// The facts of a month, priced, and the corrections against what was issued.
async fn plan<C: ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    request: &RunRequest<'_>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Vec<Planned>, Vec<String>), BillingError> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let units: Vec<&crate::planning::catalog::UnitEntry> = catalog
        .units
        .iter()
        .filter(|u| request.services.contains(&u.service))
        .collect();
    let unit_ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    let bookings = booking::Entity::find()
        .filter(booking::Column::UnitId.is_in(unit_ids.clone()))
        .filter(booking::Column::Date.between(first, last))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Cancelled.as_str(),
        ]))
        .all(conn)
        .await
        .context("Failed to read the month's bookings")?;
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::UnitId.is_in(unit_ids.clone()))
        .filter(attendance_mark::Column::Date.between(first, last))
        .all(conn)
        .await
        .context("Failed to read the month's attendance marks")?;
    let child_ids: HashSet<Uuid> = bookings
        .iter()
        .map(|b| b.child_id)
        .chain(marks.iter().map(|m| m.child_id))
        .collect();
    let children = by_chunks(child_ids.into_iter().collect(), |ids| {
        child::Entity::find()
            .filter(child::Column::Id.is_in(ids))
            .all(conn)
    })
    .await?;
    let family_ids: Vec<Uuid> = children
        .iter()
        .map(|c| c.family_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let households = by_chunks(family_ids.clone(), |ids| {
        household::Entity::find()
            .filter(household::Column::FamilyId.is_in(ids))
            .all(conn)
    })
    .await?;
    let guardians = by_chunks(family_ids.clone(), |ids| {
        guardian::Entity::find()
            .filter(guardian::Column::FamilyId.is_in(ids))
            .filter(guardian::Column::Rank.is_in([1, 2]))
            .all(conn)
    })
    .await?;
    let proofs: HashSet<Uuid> = by_chunks(family_ids.clone(), |ids| {
        document::Entity::find()
            .filter(document::Column::FamilyId.is_in(ids))
            .filter(document::Column::DocumentType.eq(DocumentType::CafCertificate.as_str()))
            .filter(document::Column::Status.eq(DocumentStatus::Accepted.as_str()))
            .all(conn)
    })
    .await?
    .into_iter()
    .map(|d| d.family_id)
    .collect();
    let issued_invoices = invoice::Entity::find()
        .filter(invoice::Column::Month.eq(request.month))
        .all(conn)
        .await
        .context("Failed to read the month's invoices")?;
    let issued_ids: Vec<Uuid> = issued_invoices.iter().map(|i| i.id).collect();
    let services: Vec<&str> = request.services.iter().map(|s| s.as_str()).collect();
    let issued_lines = by_chunks(issued_ids, |ids| {
        invoice_line::Entity::find()
            .filter(invoice_line::Column::InvoiceId.is_in(ids))
            .filter(invoice_line::Column::Service.is_in(services.clone()))
            .all(conn)
    })
    .await?;
    let settings = super::settings::settings_of(&super::settings::commune_row(conn).await?);
    let postal_codes: Vec<&str> = settings.postal_codes.iter().map(String::as_str).collect();
    let tariffs = super::tariffs::by_unit(ctx).await?;
    let psu = super::psu_parameters(conn).await?;

    // Facts, by family.
    let child_of: HashMap<Uuid, &child::Model> = children.iter().map(|c| (c.id, c)).collect();
    let mark_of: HashMap<(Uuid, Uuid, NaiveDate), &str> = marks
        .iter()
        .map(|m| ((m.child_id, m.unit_id, m.date), m.mark.as_str()))
        .collect();
    let mut seen: HashSet<(Uuid, Uuid, NaiveDate)> = HashSet::new();
    let mut facts: HashMap<Uuid, Vec<Fact>> = HashMap::new();
    let mut sorted = bookings.clone();
    // A booked row wins over a cancelled one of the same child, unit and day.
    sorted.sort_by_key(|b| b.status != BookingStatus::Booked.as_str());
    let unit_of = |id: Uuid| units.iter().find(|u| u.id == id).copied();
    let mut push = |child_id: Uuid, unit_id: Uuid, date: NaiveDate, attendance: Attendance| {
        let (Some(c), Some(u)) = (child_of.get(&child_id), unit_of(unit_id)) else {
            return;
        };
        let service_name = catalog
            .service(u.service)
            .map_or_else(|| u.service.label_fr().to_owned(), |s| s.name.clone());
        facts.entry(c.family_id).or_default().push(Fact {
            child_id,
            child_name: format!("{} {}", c.first_name, c.last_name),
            child_birth: c.birth_date,
            service: u.service,
            service_name,
            unit_id,
            unit_name: u.name.clone(),
            date,
            attendance,
            hours_hundredths: u.hours.map(|h| {
                let minutes = h.end().signed_duration_since(h.start()).num_minutes();
                portail_domain::rules::billing::mul_div_round(minutes, 100, 60).unwrap_or(0)
            }),
        });
    };
    for b in &sorted {
        let key = (b.child_id, b.unit_id, b.date);
        if !seen.insert(key) {
            continue;
        }
        let mark = mark_of.get(&key).copied();
        let attendance = if b.status == BookingStatus::Booked.as_str() {
            match mark {
                Some("absent") => Attendance::Absent,
                Some("excused") => Attendance::Excused,
                _ => Attendance::Booked,
            }
        } else if mark == Some("present") {
            Attendance::Unbooked
        } else if cancelled_late(&catalog, unit_of(b.unit_id), b.date, b.updated_at) {
            if mark == Some("excused") {
                Attendance::Excused
            } else {
                Attendance::CancelledLate
            }
        } else {
            continue;
        };
        push(b.child_id, b.unit_id, b.date, attendance);
    }
    for m in &marks {
        let key = (m.child_id, m.unit_id, m.date);
        if m.mark == "present" && seen.insert(key) {
            push(m.child_id, m.unit_id, m.date, Attendance::Unbooked);
        }
    }

    // Issued lines, by family.
    let family_of_invoice: HashMap<Uuid, &invoice::Model> =
        issued_invoices.iter().map(|i| (i.id, i)).collect();
    let mut issued: HashMap<Uuid, Vec<Line>> = HashMap::new();
    for row in &issued_lines {
        if let Some(inv) = family_of_invoice.get(&row.invoice_id) {
            issued.entry(inv.family_id).or_default().push(line_of(row)?);
        }
    }

    let mut all_families: Vec<Uuid> = facts.keys().chain(issued.keys()).copied().collect();
    all_families.sort();
    all_families.dedup();
    let mut planned = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for family_id in all_families {
        let h = households.iter().find(|h| h.family_id == family_id);
        let first_guardian = guardians
            .iter()
            .find(|g| g.family_id == family_id && g.rank == 1);
        let family = super::estimate::family_facts(
            h.and_then(|h| h.family_quotient),
            h.and_then(|h| h.family_quotient_year),
            proofs.contains(&family_id),
            first_guardian.map(|g| g.postal_code.as_str()),
            &postal_codes,
            h.and_then(|h| h.resources_cents),
            h.and_then(|h| h.dependent_children),
            children.iter().filter(|c| c.family_id == family_id).count(),
            h.is_some_and(|h| h.aeeh),
        );
        let family_facts = facts.remove(&family_id).unwrap_or_default();
        let (current, gaps) = run::price_month(&family, &family_facts, |unit_id| {
            match unit_of(unit_id)?.service {
                ServiceCode::Creche => Some(Pricing::Psu(&psu)),
                _ => tariffs.get(&unit_id).map(|t| Pricing::Tariffs(t)),
            }
        });
        for gap in gaps {
            let unit_name = match &gap {
                run::PricingGap::NoTariff { unit_id, .. }
                | run::PricingGap::NoHours { unit_id } => {
                    unit_of(*unit_id).map_or("?", |u| u.name.as_str())
                }
                run::PricingGap::NoPsuParameters { .. } => "",
            };
            let text = gap.label_fr(unit_name);
            if !problems.contains(&text) {
                problems.push(text);
            }
        }
        let already = issued.remove(&family_id).unwrap_or_default();
        let (invoice, credit) = run::corrections(&current, &already);
        if invoice.is_empty() && credit.is_empty() {
            continue;
        }
        let (family_name, payer_name, payer_address) = payer(
            &guardians,
            FamilyId::from(family_id),
            h.and_then(|h| h.invoice_payer.as_deref()),
        );
        let first_invoice = issued_invoices
            .iter()
            .filter(|i| i.family_id == family_id && i.kind == InvoiceKind::Invoice.as_str())
            .min_by(|a, b| a.number.cmp(&b.number))
            .map(|i| i.id);
        planned.push(Planned {
            family_id,
            family_name,
            payer_name,
            payer_address,
            invoice,
            credit,
            first_invoice,
        });
    }
    planned.sort_by(|a, b| {
        a.family_name
            .cmp(&b.family_name)
            .then(a.family_id.cmp(&b.family_id))
    });
    problems.sort();
    Ok((planned, problems))
}

/// A booking cancelled after its day's cut-off is charged.
fn cancelled_late(
    catalog: &crate::planning::catalog::Catalog,
    unit: Option<&crate::planning::catalog::UnitEntry>,
    date: NaiveDate,
    cancelled_at: DateTime<Utc>,
) -> bool {
    unit.and_then(|u| catalog.service(u.service))
        .and_then(|s| s.rules.cutoff.as_ref())
        .is_some_and(|cutoff| cancelled_at > cutoff.deadline(date))
}

/// The family's name (its first guardian's last name), the payer and the payer's address.
fn payer(
    guardians: &[guardian::Model],
    family_id: FamilyId,
    invoice_payer: Option<&str>,
) -> (String, String, String) {
    let of = |rank| {
        guardians
            .iter()
            .find(|g| g.family_id == family_id && g.rank == rank)
    };
    let name = |g: &guardian::Model| {
        let civility = portail_domain::parse::Civility::parse(&g.civility)
            .map_or("", portail_domain::parse::Civility::label_fr);
        format!("{civility} {} {}", g.first_name, g.last_name)
            .trim()
            .to_owned()
    };
    let address = |g: &guardian::Model| {
        [
            Some(g.address_line1.as_str()),
            g.address_line2.as_deref(),
            Some(&format!("{} {}", g.postal_code, g.city)),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    };
    let first = of(1);
    let second = of(2);
    let family_name = first.map_or_else(|| "Famille".to_owned(), |g| g.last_name.clone());
    let payer = match (invoice_payer, second) {
        (Some("second_responsable"), Some(g)) => name(g),
        (Some("les_deux"), Some(g)) => match first {
            Some(f) => format!("{} et {}", name(f), name(g)),
            None => name(g),
        },
        _ => first.map_or_else(|| family_name.clone(), name),
    };
    let payer_address = match (invoice_payer, second) {
        (Some("second_responsable"), Some(g)) => address(g),
        _ => first.map(address).unwrap_or_default(),
    };
    (family_name, payer, payer_address)
}

/// Reads by chunks of ids (a statement's parameters are capped).
async fn by_chunks<T, F, Fut>(ids: Vec<Uuid>, mut read: F) -> Result<Vec<T>, BillingError>
where
    F: FnMut(Vec<Uuid>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, sea_orm::DbErr>>,
{
    let mut out = Vec::new();
    for chunk in ids.chunks(1000) {
        out.extend(read(chunk.to_vec()).await?);
    }
    Ok(out)
}
