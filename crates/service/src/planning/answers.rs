//! « Mes dernières demandes »: the answers to the family's recent recaps that refused lines,
//! read back from where the booking writer keeps each recap's answer (the idempotency key's
//! row, kept `PORTAIL_IDEMPOTENCY_TTL_HOURS`, 24 hours by default): a refusal's reason stays
//! readable after a reload or on another device, as the confirmation e-mail promises.

use anyhow::Context as _;
use portail_domain::api::{BookingBatchResponse, LineOutcome, RecapAnswer};
use portail_domain::ids::FamilyId;
use portail_entity::idempotency_key;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Context;

/// How many recent answers are looked at.
const LOOKED_AT: u64 = 20;

/// The family's recent recaps with at least one refused line, newest first, at most `limit`.
pub async fn recent_refusals(
    ctx: &Context,
    family_id: FamilyId,
    limit: usize,
) -> anyhow::Result<Vec<RecapAnswer>> {
    let since = crate::clock::before(ctx.clock.now(), ctx.planning.idempotency_ttl());
    let rows = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::FamilyId.eq(family_id))
        .filter(idempotency_key::Column::CreatedAt.gt(since))
        .order_by_desc(idempotency_key::Column::CreatedAt)
        .limit(LOOKED_AT)
        .all(&ctx.db)
        .await
        .context("Failed to read the recent recaps")?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let response: BookingBatchResponse = serde_json::from_str(&row.response).ok()?;
            let refused: Vec<_> = response
                .results
                .into_iter()
                .filter(|r| r.outcome == LineOutcome::Refused)
                .collect();
            (!refused.is_empty()).then_some(RecapAnswer {
                sent_at: row.created_at,
                accepted: response.accepted,
                refused,
            })
        })
        .take(limit)
        .collect())
}
