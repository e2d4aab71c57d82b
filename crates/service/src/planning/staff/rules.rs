use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::ServiceRulesDto;
use portail_entity::service;
use sea_orm::{ActiveModelTrait as _, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::{Actor, StaffError};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::catalog::rules_dto;

pub async fn rules(
    ctx: &Context,
    actor: &Actor,
    code: ServiceCode,
) -> Result<ServiceRulesDto, StaffError> {
    actor.require(code)?;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    catalog
        .service(code)
        .map(rules_dto)
        .ok_or(StaffError::NotFound)
}

/// Replaces a service's rules (already checked by `rules::planning::setup::check_rules`),
/// audited in the same transaction.
pub async fn set_rules(
    ctx: &Context,
    actor: &Actor,
    code: ServiceCode,
    dto: &ServiceRulesDto,
) -> Result<ServiceRulesDto, StaffError> {
    actor.require(code)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let row = service::Entity::find()
        .filter(service::Column::Code.eq(code.as_str()))
        .one(&txn)
        .await?
        .ok_or(StaffError::NotFound)?;
    let fits = |n: Option<u32>| n.map(i32::try_from).transpose();
    let mut row: service::ActiveModel = row.into();
    row.booking_mode = Set(dto.mode.as_str().to_owned());
    row.cutoff_days = Set(fits(dto.cutoff_days).context("a checked cut-off")?);
    row.cutoff_time = Set(dto.cutoff_time.map(|t| t.format("%H:%M:%S").to_string()));
    row.cutoff_working_days = Set(dto.cutoff_working_days);
    row.weekday_rule = Set(dto.weekday_rule.map(|w| w.as_str().to_owned()));
    row.min_age_months = Set(fits(dto.min_age_months).context("a checked age")?);
    row.max_age_months = Set(fits(dto.max_age_months).context("a checked age")?);
    row.waiting_list = Set(dto.waiting_list.as_str().to_owned());
    row.offer_hours = Set(i32::try_from(dto.offer_hours).context("checked hours")?);
    row.updated_at = Set(now);
    row.update(&txn)
        .await
        .context("Failed to update a service's rules")?;
    Change::at(now)
        .audit(
            Audit::by(
                actor.staff_id,
                portail_domain::audit::action::SET_SERVICE_RULES,
            )
            .detail(code.as_str().to_owned()),
        )
        .commit(txn, &ctx.outbox, "rules")
        .await?;
    ctx.planning.catalog.invalidate().await;
    rules(ctx, actor, code).await
}
