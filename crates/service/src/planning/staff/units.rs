use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{CapacityResponse, UnitRequest, UnitResponse};
use portail_domain::ids::UnitId;
use portail_entity::{slot, unit};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait, ConnectionTrait as _, EntityTrait,
    QueryFilter,
};
use uuid::Uuid;

use super::{Actor, StaffError, require_stored, service_id};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::catalog::hours_to;
use crate::planning::sql;

pub async fn list_units(
    ctx: &Context,
    code: Option<ServiceCode>,
) -> anyhow::Result<Vec<UnitResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog
        .units
        .iter()
        .filter(|u| code.is_none_or(|c| u.service == c))
        .map(|u| catalog.unit_response(u))
        .collect())
}

/// Saves a unit (a new one when `id` is None; already checked by
/// `rules::planning::setup::check_unit`). An existing unit is authorised by its stored
/// service and stays in it: its bookings and slots belong to that service.
pub async fn save_unit(
    ctx: &Context,
    actor: &Actor,
    id: Option<Uuid>,
    request: &UnitRequest,
) -> Result<UnitResponse, StaffError> {
    actor.require(request.service)?;
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    if let Some(id) = id {
        let stored = unit::Entity::find_by_id(id).one(&txn).await?;
        require_stored(&txn, actor, stored.map(|r| r.service_id), request.service).await?;
    }
    let row = unit::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        service_id: Set(service_id(&txn, request.service).await?),
        name: Set(super::name_of(&request.name)?),
        default_capacity: Set(
            i32::try_from(request.default_capacity).context("a checked capacity")?
        ),
        price_cents: Set(request.price_cents),
        position: Set(request.position),
        starts_at: Set(hours_to(request.starts_at)),
        ends_at: Set(hours_to(request.ends_at)),
    };
    let saved = match id {
        Some(_) => {
            let mut row = row;
            row.service_id = sea_orm::ActiveValue::NotSet;
            row.update(&txn).await?
        }
        None => row.insert(&txn).await?,
    };
    Change::at(ctx.clock.now())
        .audit(
            Audit::by(actor.staff_id, portail_domain::audit::action::SAVE_UNIT)
                .target(saved.id)
                .detail(saved.name.clone()),
        )
        .commit(txn, &ctx.outbox, "a unit")
        .await?;
    ctx.planning.catalog.invalidate().await;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    catalog
        .unit(saved.id)
        .map(|u| catalog.unit_response(u))
        .ok_or(StaffError::NotFound)
}

/// The service of a stored unit, checked against the actor's scope. Units never change
/// service (see [`save_unit`]), so the catalog's answer is the stored one.
pub(crate) async fn require_unit(
    ctx: &Context,
    actor: &Actor,
    unit_id: UnitId,
) -> Result<crate::planning::catalog::UnitEntry, StaffError> {
    let catalog = ctx.planning.catalog.get_knowing(&ctx.db, unit_id).await?;
    let unit = catalog
        .unit(unit_id.uuid())
        .cloned()
        .ok_or(StaffError::NotFound)?;
    actor.require(unit.service)?;
    Ok(unit)
}

/// Sets one day's capacity of a unit; never below the places already taken.
pub async fn set_capacity(
    ctx: &Context,
    actor: &Actor,
    unit_id: UnitId,
    date: NaiveDate,
    capacity: u32,
) -> Result<CapacityResponse, StaffError> {
    let unit = require_unit(ctx, actor, unit_id).await?;
    let capacity_i = i32::try_from(capacity).context("a checked capacity")?;
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    txn.execute(&sql::ensure_slot(unit_id, date, unit.default_capacity))
        .await
        .context("Failed to create a slot")?;
    // Guarded like a booking: the capacity cannot go under what is taken, whatever runs meanwhile.
    let updated = slot::Entity::update_many()
        .col_expr(slot::Column::Capacity, Expr::value(capacity_i))
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .filter(Expr::col(slot::Column::Taken).lte(Expr::col(slot::Column::Forced).add(capacity_i)))
        .exec(&txn)
        .await
        .context("Failed to set a capacity")?;
    // Places added go to the day's waiting children, in this transaction.
    if updated.rows_affected > 0 {
        let catalog = ctx.planning.catalog.get(&ctx.db).await?;
        if let Some(rules) = crate::planning::waiting::WaitingRules::of(&catalog, unit_id) {
            crate::planning::waiting::fill(
                &txn,
                &mut std::collections::HashSet::new(),
                &rules,
                date,
                &[unit_id.uuid()],
                ctx.clock.now(),
            )
            .await?;
        }
    }
    let row = slot::Entity::find()
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .one(&txn)
        .await
        .context("Failed to read a slot")?
        .context("the slot just ensured")?;
    let taken = u32::try_from(row.taken.saturating_sub(row.forced)).unwrap_or(0);
    if updated.rows_affected == 0 {
        return Err(StaffError::BelowTaken { taken });
    }
    Change::at(ctx.clock.now())
        .audit(
            Audit::by(actor.staff_id, portail_domain::audit::action::SET_CAPACITY)
                .target(unit_id)
                .detail(portail_domain::audit::capacity_detail(date, capacity)),
        )
        .mailed()
        .commit(txn, &ctx.outbox, "a capacity")
        .await?;
    Ok(CapacityResponse {
        unit_id: unit_id.uuid(),
        date,
        capacity,
        taken,
    })
}
