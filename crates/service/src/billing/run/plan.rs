//! What a run would issue: the month's rows read at once (`MonthRows::read`), turned into
//! facts per family (`facts_by_family`, the attendance rule in `attendance_of`), priced by
//! the domain's rules, and compared with what was issued (`plan_family`).

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{BookingStatus, InvoiceKind};
use portail_domain::dossier::{DocumentStatus, DocumentType};
use portail_domain::ids::FamilyId;
use portail_domain::rules::billing::psu::PsuParameters;
use portail_domain::rules::billing::run::{self, Fact, Line, Pricing};
use portail_domain::rules::billing::tariff::{Attendance, Tariff};
use portail_entity::{
    attendance_mark, booking, child, document, guardian, household, invoice, invoice_line,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Planned, RunRequest};
use crate::Context;
use crate::billing::ledger::line_of;
use crate::billing::{BillingError, by_chunks};
use crate::planning::catalog::{Catalog, UnitEntry};

/// The facts of a month, priced, and the corrections against what was issued.
pub(super) async fn plan<C: ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    request: &RunRequest<'_>,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Vec<Planned>, Vec<String>), BillingError> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let units: Vec<&UnitEntry> = catalog
        .units
        .iter()
        .filter(|u| request.services.contains(&u.service))
        .collect();
    let rows = MonthRows::read(conn, request, &units, first, last).await?;
    let settings =
        crate::billing::settings::settings_of(&crate::billing::settings::commune_row(conn).await?);
    let prices = Prices {
        postal_codes: settings.postal_codes.clone(),
        tariffs: crate::billing::tariffs::by_unit(ctx).await?,
        psu: crate::billing::psu_parameters(conn).await?,
    };
    let mut facts = facts_by_family(&catalog, &units, &rows);
    let mut issued = issued_by_family(&rows)?;
    let mut all_families: Vec<Uuid> = facts.keys().chain(issued.keys()).copied().collect();
    all_families.sort();
    all_families.dedup();
    let mut planned = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for family_id in all_families {
        let family_facts = facts.remove(&family_id).unwrap_or_default();
        let already = issued.remove(&family_id).unwrap_or_default();
        let found = plan_family(&rows, &units, &prices, family_id, &family_facts, &already);
        for text in found.problems {
            if !problems.contains(&text) {
                problems.push(text);
            }
        }
        planned.extend(found.planned);
    }
    planned.sort_by(|a, b| {
        a.family_name
            .cmp(&b.family_name)
            .then(a.family_id.cmp(&b.family_id))
    });
    problems.sort();
    Ok((planned, problems))
}

/// Everything the run reads of a month, at once (by chunks of ids).
struct MonthRows {
    bookings: Vec<booking::Model>,
    marks: Vec<attendance_mark::Model>,
    children: Vec<child::Model>,
    households: Vec<household::Model>,
    guardians: Vec<guardian::Model>,
    /// The families whose CAF certificate is accepted.
    proofs: HashSet<Uuid>,
    issued_invoices: Vec<invoice::Model>,
    issued_lines: Vec<invoice_line::Model>,
}

impl MonthRows {
    async fn read<C: ConnectionTrait>(
        conn: &C,
        request: &RunRequest<'_>,
        units: &[&UnitEntry],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Self, BillingError> {
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
            .filter(attendance_mark::Column::UnitId.is_in(unit_ids))
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
        let (households, guardians, proofs) = Self::read_families(conn, family_ids).await?;
        let (issued_invoices, issued_lines) = Self::read_issued(conn, request).await?;
        Ok(Self {
            bookings,
            marks,
            children,
            households,
            guardians,
            proofs,
            issued_invoices,
            issued_lines,
        })
    }

    /// The households, first two guardians and accepted CAF certificates of the families.
    async fn read_families<C: ConnectionTrait>(
        conn: &C,
        family_ids: Vec<Uuid>,
    ) -> Result<(Vec<household::Model>, Vec<guardian::Model>, HashSet<Uuid>), BillingError> {
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
        let proofs: HashSet<Uuid> = by_chunks(family_ids, |ids| {
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
        Ok((households, guardians, proofs))
    }

    /// The month's issued invoices and their lines of the run's services.
    async fn read_issued<C: ConnectionTrait>(
        conn: &C,
        request: &RunRequest<'_>,
    ) -> Result<(Vec<invoice::Model>, Vec<invoice_line::Model>), BillingError> {
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
        Ok((issued_invoices, issued_lines))
    }
}

/// What prices a month: the commune's postal codes, the tariffs by unit, the PSU parameters.
struct Prices {
    postal_codes: Vec<String>,
    tariffs: HashMap<Uuid, Vec<Tariff>>,
    psu: Vec<PsuParameters>,
}

/// What a booked day, a cancelled one or a presence mark is charged as; `None`: nothing.
fn attendance_of(booked: bool, mark: Option<&str>, cancelled_late: bool) -> Option<Attendance> {
    if booked {
        return Some(match mark {
            Some("absent") => Attendance::Absent,
            Some("excused") => Attendance::Excused,
            _ => Attendance::Booked,
        });
    }
    match mark {
        Some("present") => Some(Attendance::Unbooked),
        Some("excused") if cancelled_late => Some(Attendance::Excused),
        _ if cancelled_late => Some(Attendance::CancelledLate),
        _ => None,
    }
}

/// The month's facts (a child, a unit, a day, how it is charged), by family.
fn facts_by_family(
    catalog: &Catalog,
    units: &[&UnitEntry],
    rows: &MonthRows,
) -> HashMap<Uuid, Vec<Fact>> {
    let child_of: HashMap<Uuid, &child::Model> = rows.children.iter().map(|c| (c.id, c)).collect();
    let mark_of: HashMap<(Uuid, Uuid, NaiveDate), &str> = rows
        .marks
        .iter()
        .map(|m| ((m.child_id, m.unit_id, m.date), m.mark.as_str()))
        .collect();
    let unit_of = |id: Uuid| units.iter().find(|u| u.id == id).copied();
    let mut seen: HashSet<(Uuid, Uuid, NaiveDate)> = HashSet::new();
    let mut facts: HashMap<Uuid, Vec<Fact>> = HashMap::new();
    let mut push = |child_id: Uuid, unit_id: Uuid, date: NaiveDate, attendance: Attendance| {
        let (Some(c), Some(u)) = (child_of.get(&child_id), unit_of(unit_id)) else {
            return;
        };
        facts
            .entry(c.family_id)
            .or_default()
            .push(fact(catalog, c, u, date, attendance));
    };
    let mut sorted = rows.bookings.clone();
    // A booked row wins over a cancelled one of the same child, unit and day.
    sorted.sort_by_key(|b| b.status != BookingStatus::Booked.as_str());
    for b in &sorted {
        let key = (b.child_id, b.unit_id, b.date);
        if !seen.insert(key) {
            continue;
        }
        let booked = b.status == BookingStatus::Booked.as_str();
        let late = !booked && cancelled_late(catalog, unit_of(b.unit_id), b.date, b.updated_at);
        if let Some(attendance) = attendance_of(booked, mark_of.get(&key).copied(), late) {
            push(b.child_id, b.unit_id, b.date, attendance);
        }
    }
    for m in &rows.marks {
        let key = (m.child_id, m.unit_id, m.date);
        if m.mark == "present" && seen.insert(key) {
            push(m.child_id, m.unit_id, m.date, Attendance::Unbooked);
        }
    }
    facts
}

fn fact(
    catalog: &Catalog,
    c: &child::Model,
    u: &UnitEntry,
    date: NaiveDate,
    attendance: Attendance,
) -> Fact {
    let service_name = catalog
        .service(u.service)
        .map_or_else(|| u.service.label_fr().to_owned(), |s| s.name.clone());
    Fact {
        child_id: c.id,
        child_name: format!("{} {}", c.first_name, c.last_name),
        child_birth: c.birth_date,
        service: u.service,
        service_name,
        unit_id: u.id,
        unit_name: u.name.clone(),
        date,
        attendance,
        hours_hundredths: u.hours.map(|h| {
            let minutes = h.end().signed_duration_since(h.start()).num_minutes();
            portail_domain::rules::billing::mul_div_round(minutes, 100, 60).unwrap_or(0)
        }),
    }
}

/// The lines already issued this month, by family.
fn issued_by_family(rows: &MonthRows) -> Result<HashMap<Uuid, Vec<Line>>, BillingError> {
    let invoice_of: HashMap<Uuid, &invoice::Model> =
        rows.issued_invoices.iter().map(|i| (i.id, i)).collect();
    let mut issued: HashMap<Uuid, Vec<Line>> = HashMap::new();
    for row in &rows.issued_lines {
        if let Some(inv) = invoice_of.get(&row.invoice_id) {
            issued.entry(inv.family_id).or_default().push(line_of(row)?);
        }
    }
    Ok(issued)
}

/// One family's month: what to issue (if anything) and what prevents pricing it.
struct FamilyPlan {
    planned: Option<Planned>,
    problems: Vec<String>,
}

fn plan_family(
    rows: &MonthRows,
    units: &[&UnitEntry],
    prices: &Prices,
    family_id: Uuid,
    facts: &[Fact],
    already: &[Line],
) -> FamilyPlan {
    let unit_of = |id: Uuid| units.iter().find(|u| u.id == id).copied();
    let h = rows.households.iter().find(|h| h.family_id == family_id);
    let first_guardian = rows
        .guardians
        .iter()
        .find(|g| g.family_id == family_id && g.rank == 1);
    let postal_codes: Vec<&str> = prices.postal_codes.iter().map(String::as_str).collect();
    let family = crate::billing::estimate::family_facts(
        h.and_then(|h| h.family_quotient),
        h.and_then(|h| h.family_quotient_year),
        rows.proofs.contains(&family_id),
        first_guardian.map(|g| g.postal_code.as_str()),
        &postal_codes,
        h.and_then(|h| h.resources_cents),
        h.and_then(|h| h.dependent_children),
        rows.children
            .iter()
            .filter(|c| c.family_id == family_id)
            .count(),
        h.is_some_and(|h| h.aeeh),
    );
    let (current, gaps) =
        run::price_month(&family, facts, |unit_id| match unit_of(unit_id)?.service {
            ServiceCode::Creche => Some(Pricing::Psu(&prices.psu)),
            _ => prices.tariffs.get(&unit_id).map(|t| Pricing::Tariffs(t)),
        });
    let problems = gaps
        .iter()
        .map(|gap| {
            let unit_name = match gap {
                run::PricingGap::NoTariff { unit_id, .. }
                | run::PricingGap::NoHours { unit_id } => {
                    unit_of(*unit_id).map_or("?", |u| u.name.as_str())
                }
                run::PricingGap::NoPsuParameters { .. } => "",
            };
            gap.label_fr(unit_name)
        })
        .collect();
    let (invoice, credit) = run::corrections(&current, already);
    if invoice.is_empty() && credit.is_empty() {
        return FamilyPlan {
            planned: None,
            problems,
        };
    }
    let (family_name, payer_name, payer_address) = payer(
        &rows.guardians,
        FamilyId::from(family_id),
        h.and_then(|h| h.invoice_payer.as_deref()),
    );
    let first_invoice = rows
        .issued_invoices
        .iter()
        .filter(|i| i.family_id == family_id && i.kind == InvoiceKind::Invoice.as_str())
        .min_by(|a, b| a.number.cmp(&b.number))
        .map(|i| i.id);
    FamilyPlan {
        planned: Some(Planned {
            family_id,
            family_name,
            payer_name,
            payer_address,
            invoice,
            credit,
            first_invoice,
        }),
        problems,
    }
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
