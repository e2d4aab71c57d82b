//! The certificates families download and staff issue in bulk (issue 24, point 3; the rules
//! are `portail_domain::rules::billing::certificate`, docs/billing.md « Attestations »):
//! the attestation fiscale of a year, read from the payments received that year and the
//! lines of the invoices they settled; the attestation de présence, read from the attendance
//! sheets. Both are generated when asked, never stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AttendanceCertificateQuery, AttendanceCertificateResponse, AttendanceMarkCode, AttendedDay,
    CareAmount, FiscalCertificateChild, FiscalCertificateResponse,
};
use portail_domain::ids::FamilyId;
use portail_domain::rules::billing::certificate::{
    self as rules, CareLine, InvoiceNet, Settled, YearRefusal,
};
use portail_entity::{
    attendance_mark, child, guardian, invoice, invoice_line, payment, payment_allocation,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{BillingError, by_chunks};
use crate::Context;

/// Who a fiscal certificate is addressed to: the payer of the family's latest invoice settled
/// that year (or its first guardian), and where they live.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addressee {
    pub name: String,
    pub address: String,
}

/// The fiscal certificates of `year`: of one family (even with nothing paid: its children
/// under six are listed at 0), or of every family that paid childcare that year.
pub async fn fiscal(
    ctx: &Context,
    year: i32,
    family: Option<FamilyId>,
) -> Result<Vec<(FiscalCertificateResponse, Addressee)>, BillingError> {
    match rules::fiscal_year_check(year, ctx.clock.today()) {
        Ok(()) => {}
        Err(YearRefusal::NotEnded) => {
            return Err(BillingError::YearNotEnded(
                YearRefusal::NotEnded.message_fr(year),
            ));
        }
        Err(YearRefusal::OutOfRange) => {
            let mut e = portail_domain::parse::FieldErrors::default();
            e.push(
                "year",
                portail_domain::parse::InvalidValue::new(
                    "out_of_range",
                    YearRefusal::OutOfRange.message_fr(year),
                ),
            );
            return Err(e.into());
        }
    }
    let db = &ctx.db;
    let (first, last) = year_bounds(year)?;
    // The payments received in the year, and the invoices they settled.
    let mut received =
        payment::Entity::find().filter(payment::Column::ReceivedOn.between(first, last));
    if let Some(family) = family {
        received = received.filter(payment::Column::FamilyId.eq(family.uuid()));
    }
    let payment_ids: Vec<Uuid> = received.all(db).await?.iter().map(|p| p.id).collect();
    let invoice_ids: HashSet<Uuid> = by_chunks(payment_ids, |ids| {
        payment_allocation::Entity::find()
            .filter(payment_allocation::Column::PaymentId.is_in(ids))
            .all(db)
    })
    .await?
    .into_iter()
    .map(|a| a.invoice_id)
    .collect();
    let facts = Facts::read(db, invoice_ids.into_iter().collect()).await?;
    let mut families: Vec<Uuid> = facts.invoices.iter().map(|i| i.family_id).collect();
    if let Some(family) = family {
        families.push(family.uuid());
    }
    families.sort_unstable();
    families.dedup();
    let children = children_of(db, &families).await?;
    let births: HashMap<Uuid, NaiveDate> = children
        .iter()
        .filter_map(|c| c.birth_date.map(|b| (c.id, b)))
        .collect();
    let paid = rules::paid_for_care(year, &births, &facts.nets, &facts.lines, &facts.settled);
    let guardians = first_guardians(db, &families).await?;
    let mut out = Vec::new();
    for family_id in families {
        let certificate = family_certificate(year, family_id, &children, &paid, &facts, &guardians);
        let keep = family.is_some() || certificate.0.children.iter().any(|c| c.amount_cents > 0);
        if keep {
            out.push(certificate);
        }
    }
    out.sort_by(|a, b| a.0.family_name.cmp(&b.0.family_name));
    Ok(out)
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), BillingError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).context("first day of the year")?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31).context("last day of the year")?;
    Ok((first, last))
}

/// One family's certificate: its children under six on 1 January, with what was paid.
fn family_certificate(
    year: i32,
    family_id: Uuid,
    children: &[child::Model],
    paid: &HashMap<(Uuid, ServiceCode), i64>,
    facts: &Facts,
    guardians: &HashMap<Uuid, guardian::Model>,
) -> (FiscalCertificateResponse, Addressee) {
    let mut listed = Vec::new();
    for c in children.iter().filter(|c| c.family_id == family_id) {
        let Some(birth) = c.birth_date else { continue };
        if !rules::under_six_on_first_january(birth, year) {
            continue;
        }
        let mut by_service: Vec<CareAmount> = ServiceCode::ALL
            .into_iter()
            .filter_map(|service| {
                let amount = paid.get(&(c.id, service)).copied()?;
                Some(CareAmount {
                    service,
                    service_name: facts
                        .service_names
                        .get(&service)
                        .cloned()
                        .unwrap_or_else(|| service.label_fr().to_owned()),
                    amount_cents: amount,
                })
            })
            .collect();
        by_service.sort_by_key(|s| s.service.as_str());
        listed.push(FiscalCertificateChild {
            child_id: c.id,
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            birth_date: birth,
            amount_cents: by_service.iter().map(|s| s.amount_cents).sum(),
            by_service,
        });
    }
    listed.sort_by_key(|c| c.birth_date);
    let latest = facts
        .invoices
        .iter()
        .filter(|i| i.family_id == family_id)
        .max_by(|a, b| a.number.cmp(&b.number));
    let first_guardian = guardians.get(&family_id);
    let family_name = latest.map_or_else(
        || first_guardian.map_or_else(|| "Famille".to_owned(), |g| g.last_name.clone()),
        |i| i.family_name.clone(),
    );
    let addressee = match latest {
        Some(i) => Addressee {
            name: i.payer_name.clone(),
            address: i.payer_address.clone(),
        },
        None => first_guardian.map_or_else(Addressee::default, |g| Addressee {
            name: format!("{} {}", g.first_name, g.last_name),
            address: format!(
                "{}, {} {}",
                g.address_line1.trim(),
                g.postal_code.trim(),
                g.city.trim()
            ),
        }),
    };
    (
        FiscalCertificateResponse {
            year,
            family_id,
            family_name,
            children: listed,
        },
        addressee,
    )
}

/// What the certificate reads of the invoices a year's payments settled.
#[derive(Default)]
struct Facts {
    invoices: Vec<invoice::Model>,
    nets: Vec<InvoiceNet>,
    lines: Vec<CareLine>,
    settled: Vec<Settled>,
    service_names: HashMap<ServiceCode, String>,
}

impl Facts {
    async fn read<C: ConnectionTrait>(db: &C, ids: Vec<Uuid>) -> Result<Self, BillingError> {
        let invoices = by_chunks(ids.clone(), |ids| {
            invoice::Entity::find()
                .filter(invoice::Column::Id.is_in(ids))
                .all(db)
        })
        .await?;
        let credits = by_chunks(ids.clone(), |ids| {
            invoice::Entity::find()
                .filter(invoice::Column::Corrects.is_in(ids))
                .all(db)
        })
        .await?;
        // What each invoice still invoices: its total, its credit notes' (negative) taken off.
        let mut net: HashMap<Uuid, i64> = HashMap::new();
        for i in invoices.iter().chain(&credits) {
            let target = i.corrects.unwrap_or(i.id);
            let sum = net.entry(target).or_default();
            *sum = sum.saturating_add(i.total_cents);
        }
        let credit_of: HashMap<Uuid, Uuid> = credits
            .iter()
            .filter_map(|c| c.corrects.map(|target| (c.id, target)))
            .collect();
        let allocations = by_chunks(ids.clone(), |ids| {
            payment_allocation::Entity::find()
                .filter(payment_allocation::Column::InvoiceId.is_in(ids))
                .all(db)
        })
        .await?;
        let received: HashMap<Uuid, NaiveDate> =
            by_chunks(allocations.iter().map(|a| a.payment_id).collect(), |ids| {
                payment::Entity::find()
                    .filter(payment::Column::Id.is_in(ids))
                    .all(db)
            })
            .await?
            .into_iter()
            .map(|p| (p.id, p.received_on))
            .collect();
        let mut facts = Self {
            invoices,
            nets: net
                .into_iter()
                .map(|(invoice, net_cents)| InvoiceNet { invoice, net_cents })
                .collect(),
            ..Self::default()
        };
        for a in allocations {
            facts.settled.push(Settled {
                invoice: a.invoice_id,
                received_on: *received
                    .get(&a.payment_id)
                    .context("an allocation's payment")?,
                amount_cents: a.amount_cents,
            });
        }
        let mut all = ids;
        all.extend(credit_of.keys());
        let lines = by_chunks(all, |ids| {
            invoice_line::Entity::find()
                .filter(invoice_line::Column::InvoiceId.is_in(ids))
                .all(db)
        })
        .await?;
        for l in lines {
            let service =
                portail_domain::string_enum::stored("service code", &l.service, ServiceCode::parse)
                    .map_err(|e| BillingError::Unexpected(e.into()))?;
            facts.service_names.insert(service, l.service_name.clone());
            facts.lines.push(CareLine {
                invoice: credit_of
                    .get(&l.invoice_id)
                    .copied()
                    .unwrap_or(l.invoice_id),
                child: l.child_id,
                service,
                amount_cents: l.amount_cents,
            });
        }
        Ok(facts)
    }
}

async fn children_of<C: ConnectionTrait>(
    db: &C,
    families: &[Uuid],
) -> Result<Vec<child::Model>, BillingError> {
    by_chunks(families.to_vec(), |ids| {
        child::Entity::find()
            .filter(child::Column::FamilyId.is_in(ids))
            .all(db)
    })
    .await
    .map_err(BillingError::from)
}

async fn first_guardians<C: ConnectionTrait>(
    db: &C,
    families: &[Uuid],
) -> Result<HashMap<Uuid, guardian::Model>, BillingError> {
    Ok(by_chunks(families.to_vec(), |ids| {
        guardian::Entity::find()
            .filter(guardian::Column::FamilyId.is_in(ids))
            .filter(guardian::Column::Rank.eq(1))
            .all(db)
    })
    .await?
    .into_iter()
    .map(|g| (g.family_id, g))
    .collect())
}

/// The days `query.child_id` (a child of `family`, else not found) was marked present in
/// `query.service` between `from` and `to`.
pub async fn attendance(
    ctx: &Context,
    family: FamilyId,
    query: &AttendanceCertificateQuery,
) -> Result<AttendanceCertificateResponse, BillingError> {
    if let Err(message) = rules::attendance_period_check(query.from, query.to, ctx.clock.today()) {
        let mut e = portail_domain::parse::FieldErrors::default();
        e.push(
            "to",
            portail_domain::parse::InvalidValue::new("invalid_period", message),
        );
        return Err(e.into());
    }
    let db = &ctx.db;
    let kid = child::Entity::find_by_id(query.child_id)
        .filter(child::Column::FamilyId.eq(family.uuid()))
        .one(db)
        .await?
        .ok_or(BillingError::NotFound)?;
    let catalog = ctx.planning.catalog.get(db).await?;
    let units: HashMap<Uuid, (i32, String)> = catalog
        .units_of(query.service)
        .map(|u| (u.id, (u.position, u.name.clone())))
        .collect();
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ChildId.eq(kid.id))
        .filter(attendance_mark::Column::Date.between(query.from, query.to))
        .filter(attendance_mark::Column::Mark.eq(AttendanceMarkCode::Present.as_str()))
        .filter(attendance_mark::Column::UnitId.is_in(units.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(attendance_mark::Column::Date)
        .all(db)
        .await?;
    let mut days: BTreeMap<NaiveDate, Vec<&(i32, String)>> = BTreeMap::new();
    for m in &marks {
        if let Some(unit) = units.get(&m.unit_id) {
            days.entry(m.date).or_default().push(unit);
        }
    }
    let guardians = first_guardians(db, &[family.uuid()]).await?;
    Ok(AttendanceCertificateResponse {
        child_id: kid.id,
        child_name: format!("{} {}", kid.first_name, kid.last_name),
        family_name: guardians
            .get(&family.uuid())
            .map_or_else(|| kid.last_name.clone(), |g| g.last_name.clone()),
        service: query.service,
        service_name: catalog
            .service(query.service)
            .map_or_else(|| query.service.label_fr().to_owned(), |s| s.name.clone()),
        from: query.from,
        to: query.to,
        days: days
            .into_iter()
            .map(|(date, mut units)| {
                units.sort();
                AttendedDay {
                    date,
                    units: units.into_iter().map(|(_, name)| name.clone()).collect(),
                }
            })
            .collect(),
    })
}
