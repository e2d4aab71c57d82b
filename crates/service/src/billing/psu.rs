//! The crèche's PSU parameters, which administrators set (docs/billing.md).

use anyhow::Context as _;
use portail_domain::audit::action;
use portail_domain::ids::StaffId;
use portail_domain::rules::billing::psu::PsuParameters;
use portail_entity::psu_parameters;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::Context;
use crate::change::{Audit, Change};

/// Every set of PSU parameters, the latest first.
pub async fn psu_parameters(db: &impl ConnectionTrait) -> anyhow::Result<Vec<PsuParameters>> {
    Ok(psu_parameters::Entity::find()
        .order_by_desc(psu_parameters::Column::ValidFrom)
        .all(db)
        .await
        .context("Failed to read the PSU parameters")?
        .into_iter()
        .map(|row| PsuParameters {
            valid_from: row.valid_from,
            floor_cents: row.floor_cents,
            ceiling_cents: row.ceiling_cents,
            rates_ppm: [
                row.rate1,
                row.rate2,
                row.rate3,
                row.rate4_to7,
                row.rate8_more,
            ],
        })
        .collect())
}

/// Sets the parameters in force from their date (already checked), replacing those of the same
/// date.
pub async fn set_psu_parameters(
    ctx: &Context,
    staff_id: StaffId,
    parameters: &PsuParameters,
) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let existing = psu_parameters::Entity::find()
        .filter(psu_parameters::Column::ValidFrom.eq(parameters.valid_from))
        .one(&txn)
        .await
        .context("Failed to read the PSU parameters")?;
    let is_new = existing.is_none();
    let mut row = match existing {
        Some(row) => row.into(),
        None => psu_parameters::ActiveModel {
            id: Set(Uuid::now_v7()),
            valid_from: Set(parameters.valid_from),
            created_at: Set(now),
            ..Default::default()
        },
    };
    let [r1, r2, r3, r4, r8] = parameters.rates_ppm;
    row.floor_cents = Set(parameters.floor_cents);
    row.ceiling_cents = Set(parameters.ceiling_cents);
    row.rate1 = Set(r1);
    row.rate2 = Set(r2);
    row.rate3 = Set(r3);
    row.rate4_to7 = Set(r4);
    row.rate8_more = Set(r8);
    row.updated_at = Set(now);
    if is_new {
        row.insert(&txn).await
    } else {
        row.update(&txn).await
    }
    .context("Failed to save the PSU parameters")?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::SET_PSU_PARAMETERS)
                .detail(parameters.valid_from.to_string()),
        )
        .commit(txn, &ctx.outbox, "the PSU parameters")
        .await?;
    ctx.planning.catalog.invalidate().await;
    Ok(())
}
