//! The demo's last month of billing, for `portail seed-demo`: the demo families' children went
//! to the canteen, the holiday centre and the crèche last month (bookings written as they
//! stood once the month was over), the month is invoiced by the real run, one family has paid
//! by cheque, one has paid part in cash, the others have not paid yet. Days are chosen among
//! the services' open days with a tariff in force: a month with none (the summer holidays,
//! before the school year's tariffs) is skipped, said in the log.

use anyhow::Context as _;
use chrono::{Datelike, NaiveDate};
use portail_domain::ServiceCode;
use portail_domain::api::{BookingStatus, InvoiceKind, PaymentMethod, PaymentRequest};
use portail_domain::auth::ServiceScope;
use portail_domain::ids::StaffId;
use portail_entity::{booking, child, family_account, invoice};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::Context;
use crate::billing::run::{self, RunRequest};
use crate::planning::staff::Actor;

/// Who used what, by the demo families' e-mail addresses: (service, unit, days wanted).
const USES: [(&str, ServiceCode, &str, usize); 5] = [
    (
        "famille.durand@avermes.example",
        ServiceCode::Restauration,
        "Repas",
        8,
    ),
    (
        "famille.durand@avermes.example",
        ServiceCode::Alja,
        "Journée avec repas",
        2,
    ),
    (
        "famille.bernard@avermes.example",
        ServiceCode::Restauration,
        "Repas",
        6,
    ),
    (
        "famille.bernard@avermes.example",
        ServiceCode::Alja,
        "Matin",
        3,
    ),
    (
        "famille.petit@avermes.example",
        ServiceCode::Restauration,
        "Repas",
        5,
    ),
];

/// Seeds last month's invoices once (nothing when the demo already has invoices).
pub async fn seed(ctx: &Context, staff_id: StaffId) -> anyhow::Result<usize> {
    if invoice::Entity::find().count(&ctx.db).await? > 0 {
        return Ok(0);
    }
    let today = ctx.clock.today();
    let this_month = today.with_day(1).unwrap_or(today);
    let last = this_month.pred_opt().unwrap_or(this_month);
    let first = last.with_day(1).unwrap_or(last);
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let tariffs = crate::billing::tariffs::by_unit(ctx).await?;
    let now = ctx.clock.now();
    let mut rows = Vec::new();
    for (email, service, unit_name, wanted) in USES {
        let Some(unit) = catalog.units_of(service).find(|u| u.name == unit_name) else {
            continue;
        };
        let Some(account) = family_account::Entity::find()
            .filter(family_account::Column::Email.eq(email))
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        // The family's eldest child.
        let Some(child) = child::Entity::find()
            .filter(child::Column::FamilyId.eq(account.family_id))
            .all(&ctx.db)
            .await?
            .into_iter()
            .min_by_key(|c| c.birth_date)
        else {
            continue;
        };
        let priced = |d: NaiveDate| {
            tariffs
                .get(&unit.id)
                .is_some_and(|t| portail_domain::rules::billing::tariff::in_force(t, d).is_some())
        };
        let days: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| {
                catalog
                    .period_for(service, *d)
                    .is_some_and(|p| p.rules.is_open(*d))
                    && priced(*d)
            })
            .take(wanted)
            .collect();
        for date in days {
            rows.push(booking::ActiveModel {
                id: Set(Uuid::now_v7()),
                family_id: Set(account.family_id),
                child_id: Set(child.id),
                unit_id: Set(unit.id),
                date: Set(date),
                status: Set(BookingStatus::Booked.as_str().to_owned()),
                decline_reason: Set(None),
                decided_by: Set(None),
                booked_by: Set(Some(staff_id.uuid())),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
    }
    if rows.is_empty() {
        tracing::info!("no demo invoices: last month had no open day with a tariff");
        return Ok(0);
    }
    booking::Entity::insert_many(rows)
        .exec_without_returning(&ctx.db)
        .await
        .context("Failed to write last month's demo bookings")?;
    let actor = Actor {
        staff_id,
        scope: ServiceScope::All,
    };
    let month = format!("{:04}-{:02}", first.year(), first.month());
    let issued = run::issue(
        ctx,
        &actor,
        &RunRequest {
            month: &month,
            services: &[ServiceCode::Alja, ServiceCode::Restauration],
            confirm_unfinished_month: false,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("the demo's invoice run: {e:?}"))?;

    // The Bernards paid by cheque, the Petits half in cash; the Durands have not paid yet.
    let paid = [
        (
            "famille.bernard@avermes.example",
            PaymentMethod::Cheque,
            1,
            1,
        ),
        ("famille.petit@avermes.example", PaymentMethod::Cash, 1, 2),
    ];
    for (email, method, numerator, denominator) in paid {
        let Some(account) = family_account::Entity::find()
            .filter(family_account::Column::Email.eq(email))
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        let Some(inv) = invoice::Entity::find()
            .filter(invoice::Column::FamilyId.eq(account.family_id))
            .filter(invoice::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
            .one(&ctx.db)
            .await?
        else {
            continue;
        };
        let amount =
            portail_domain::rules::billing::mul_div_round(inv.total_cents, numerator, denominator)
                .unwrap_or(0);
        if amount <= 0 {
            continue;
        }
        crate::billing::payments::record(
            ctx,
            staff_id,
            &PaymentRequest {
                family_id: account.family_id,
                method,
                amount_cents: amount,
                received_on: today,
                reference: if method == PaymentMethod::Cheque {
                    "8 432 117".to_owned()
                } else {
                    String::new()
                },
                bank: if method == PaymentMethod::Cheque {
                    "Crédit Agricole Centre France".to_owned()
                } else {
                    String::new()
                },
                allocations: Vec::new(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("a demo payment: {e:?}"))?;
    }
    Ok(usize::try_from(issued.invoices_count).unwrap_or(0))
}
