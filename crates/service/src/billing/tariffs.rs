//! Tariffs: dated prices of a unit, set by the agents of its service (docs/billing.md).

use std::collections::HashMap;

use anyhow::Context as _;
use portail_domain::api::{TariffRequest, TariffResponse};
use portail_domain::audit::action;
use portail_domain::rules::billing::tariff::Tariff;
use portail_entity::tariff;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use uuid::Uuid;

use super::BillingError;
use super::tariff_rows::{brackets_of, sibling_of, tariff_of};
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::staff::Actor;
use portail_domain::ids::UnitId;

fn request_of(row: &tariff::Model) -> TariffRequest {
    TariffRequest {
        unit_id: row.unit_id,
        valid_from: row.valid_from,
        valid_to: row.valid_to,
        brackets: brackets_of(row),
        non_resident_cents: row.non_resident_cents,
        sibling: sibling_of(row),
        unbooked_cents: row.unbooked_cents,
    }
}

/// Every unit's tariffs, for the run.
pub async fn by_unit(ctx: &Context) -> anyhow::Result<HashMap<Uuid, Vec<Tariff>>> {
    let rows = tariff::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read the tariffs")?;
    let mut map: HashMap<Uuid, Vec<Tariff>> = HashMap::new();
    for row in &rows {
        map.entry(row.unit_id).or_default().push(tariff_of(row));
    }
    Ok(map)
}

/// The tariffs of the services the actor holds, by service, unit and date.
pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<TariffResponse>, BillingError> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let rows = tariff::Entity::find()
        .order_by_asc(tariff::Column::ValidFrom)
        .all(&ctx.db)
        .await
        .context("Failed to read the tariffs")?;
    let mut items: Vec<TariffResponse> = rows
        .iter()
        .filter_map(|row| {
            let unit = catalog.unit(row.unit_id)?;
            actor.scope.allows(unit.service).then(|| TariffResponse {
                id: row.id,
                service: unit.service,
                unit_name: unit.name.clone(),
                tariff: request_of(row),
            })
        })
        .collect();
    items.sort_by(|a, b| {
        (a.service.as_str(), &a.unit_name, a.tariff.valid_from).cmp(&(
            b.service.as_str(),
            &b.unit_name,
            b.tariff.valid_from,
        ))
    });
    Ok(items)
}

/// Creates a tariff (`id` none) or replaces one. The actor must hold the unit's service, and
/// for an update the stored tariff's too; one tariff per unit and start date.
pub async fn save(
    ctx: &Context,
    actor: &Actor,
    id: Option<Uuid>,
    request: &TariffRequest,
) -> Result<TariffResponse, BillingError> {
    let unit =
        crate::planning::staff::units::require_unit(ctx, actor, UnitId::from(request.unit_id))
            .await?;
    let stored = match id {
        Some(id) => {
            let stored = tariff::Entity::find_by_id(id)
                .one(&ctx.db)
                .await?
                .ok_or(BillingError::NotFound)?;
            // Authorised by the stored row too: a body cannot move another service's tariff.
            crate::planning::staff::units::require_unit(ctx, actor, UnitId::from(stored.unit_id))
                .await?;
            Some(stored)
        }
        None => None,
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let mut row: tariff::ActiveModel = match stored {
        Some(stored) => stored.into(),
        None => tariff::ActiveModel {
            id: Set(Uuid::now_v7()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.unit_id = Set(request.unit_id);
    row.valid_from = Set(request.valid_from);
    row.valid_to = Set(request.valid_to);
    row.brackets = Set(serde_json::to_string(&request.brackets).context("brackets as JSON")?);
    row.non_resident_cents = Set(request.non_resident_cents);
    row.sibling_kind = Set(request.sibling.map(|s| s.kind.as_str().to_owned()));
    row.sibling_value = Set(request.sibling.map(|s| s.value));
    row.unbooked_cents = Set(request.unbooked_cents);
    row.updated_at = Set(now);
    let saved = if id.is_some() {
        row.update(&txn).await
    } else {
        row.insert(&txn).await
    };
    let saved = match saved {
        Ok(saved) => saved,
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(BillingError::Conflict(
                "Un tarif de cette prestation commence déjà ce jour-là : modifiez-le.".to_owned(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    Change::at(now)
        .audit(
            Audit::by(actor.staff_id, action::SAVE_TARIFF)
                .target(saved.id)
                .detail(unit.name.clone()),
        )
        .commit(txn, &ctx.outbox, "a tariff")
        .await?;
    // The grid's estimated prices come from the catalog.
    ctx.planning.catalog.invalidate().await;
    Ok(TariffResponse {
        id: saved.id,
        service: unit.service,
        unit_name: unit.name,
        tariff: request_of(&saved),
    })
}
