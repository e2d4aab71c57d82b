use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{PeriodRequest, PeriodResponse};
use portail_domain::rules::planning;
use portail_entity::period;
use sea_orm::{ActiveModelTrait as _, ActiveValue::Set, EntityTrait};
use uuid::Uuid;

use super::{Actor, StaffError, require_stored, service_id};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::catalog::{dates_to, weekdays_to};

pub async fn list_periods(
    ctx: &Context,
    code: Option<ServiceCode>,
) -> anyhow::Result<Vec<PeriodResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog
        .periods
        .iter()
        .filter(|p| code.is_none_or(|c| p.service == c))
        .map(|p| catalog.period_response(p))
        .collect())
}

/// Saves a period (a new one when `id` is None; already checked by
/// `rules::planning::setup::check_period`). An existing period is authorised by its stored
/// service and stays in it.
pub async fn save_period(
    ctx: &Context,
    actor: &Actor,
    id: Option<Uuid>,
    request: &PeriodRequest,
) -> Result<PeriodResponse, StaffError> {
    actor.require(request.service)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    if let Some(id) = id {
        let stored = period::Entity::find_by_id(id).one(&txn).await?;
        require_stored(&txn, actor, stored.map(|r| r.service_id), request.service).await?;
    }
    let row = period::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        service_id: Set(service_id(&txn, request.service).await?),
        name: Set(super::name_of(&request.name)?),
        starts_on: Set(request.starts_on),
        ends_on: Set(request.ends_on),
        booking_opens_at: Set(planning::paris_instant(request.booking_opens_at)),
        booking_closes_at: Set(planning::paris_instant(request.booking_closes_at)),
        open_weekdays: Set(weekdays_to(&request.open_weekdays)),
        closed_dates: Set(dates_to(&request.closed_dates)),
        created_at: Set(now),
    };
    let saved = match id {
        Some(_) => {
            let mut row = row;
            row.created_at = sea_orm::ActiveValue::NotSet;
            row.service_id = sea_orm::ActiveValue::NotSet;
            row.update(&txn).await?
        }
        None => row.insert(&txn).await?,
    };
    Change::at(now)
        .audit(
            Audit::by(actor.staff_id, portail_domain::audit::action::SAVE_PERIOD)
                .target(saved.id)
                .detail(saved.name.clone()),
        )
        .commit(txn, &ctx.outbox, "a period")
        .await?;
    ctx.planning.catalog.invalidate().await;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    catalog
        .periods
        .iter()
        .find(|p| p.id == saved.id)
        .map(|p| catalog.period_response(p))
        .ok_or(StaffError::NotFound)
}
