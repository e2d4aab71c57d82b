use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{DateTime, Datelike as _, NaiveDate, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookingRequestItem, BookingStatus, DecideBookingRequestsResponse, RequestDecision,
    RequestDecisionLine, RequestDecisionResult,
};
use portail_entity::{booking, child, family_account, guardian, slot};
use sea_orm::{
    ColumnTrait, ConnectionTrait as _, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{Actor, StaffError};
use crate::change::{Audit, Change};
use crate::mailer::OutgoingEmail;
use crate::planning::catalog::Catalog;
use crate::planning::sql;
use crate::{Context, outbox};
use portail_domain::ids::UnitId;

/// Pending wishes of a service (a week's, when given), oldest day first.
pub async fn requests(
    ctx: &Context,
    actor: &Actor,
    code: ServiceCode,
    week_of: Option<NaiveDate>,
) -> Result<Vec<BookingRequestItem>, StaffError> {
    actor.require(code)?;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let unit_ids: Vec<Uuid> = catalog.units_of(code).map(|u| u.id).collect();
    let mut select = booking::Entity::find()
        .filter(booking::Column::UnitId.is_in(unit_ids))
        .filter(booking::Column::Status.eq(BookingStatus::Requested.as_str()));
    if let Some(day) = week_of {
        let monday =
            crate::clock::days_before(day, i64::from(day.weekday().num_days_from_monday()));
        select = select
            .filter(booking::Column::Date.between(monday, crate::clock::days_after(monday, 6)));
    }
    let rows = select
        .order_by_asc(booking::Column::Date)
        .order_by_asc(booking::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let children = child::Entity::find()
        .filter(child::Column::Id.is_in(rows.iter().map(|b| b.child_id).collect::<Vec<_>>()))
        .all(&ctx.db)
        .await?;
    let slots = slot::Entity::find()
        .filter(slot::Column::UnitId.is_in(rows.iter().map(|b| b.unit_id).collect::<Vec<_>>()))
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            let unit = catalog.unit(b.unit_id)?;
            let c = children.iter().find(|c| c.id == b.child_id)?;
            let slot = slots
                .iter()
                .find(|s| s.unit_id == b.unit_id && s.date == b.date);
            let capacity = slot.map_or(unit.default_capacity, |s| {
                u32::try_from(s.capacity).unwrap_or(0)
            });
            let taken = slot.map_or(0, |s| u32::try_from(s.taken).unwrap_or(0));
            Some(BookingRequestItem {
                booking_id: b.id,
                family_id: b.family_id,
                child_id: b.child_id,
                child_name: format!("{} {}", c.first_name, c.last_name),
                unit_id: b.unit_id,
                unit_name: unit.name.clone(),
                date: b.date,
                places_left: capacity.saturating_sub(taken),
                requested_at: b.created_at,
            })
        })
        .collect())
}

fn not_applied(booking_id: Uuid, error: &str) -> RequestDecisionResult {
    RequestDecisionResult {
        booking_id,
        status: None,
        error: Some(error.to_owned()),
    }
}

const NO_LONGER_PENDING: &str = "Ce souhait n'est plus en attente.";

/// Accepts or declines wishes; accepting takes a place (never beyond the capacity). Each
/// family is e-mailed the outcomes of its wishes.
///
/// Every wish is authorised by its stored unit's service. A wish moves first, by an update
/// guarded on its status (a cancellation by the family in between leaves it untouched and the
/// line says so); a place is taken only for a wish that moved, and a wish that finds no place
/// moves back. Slots are locked in one order (unit, then date), as the booking writer does,
/// so that a decision and a recap never wait on each other in a cycle; a deadlock or a
/// serialization failure that still happens is retried (`crate::db::retry`).
pub async fn decide(
    ctx: &Context,
    actor: &Actor,
    decisions: &[RequestDecisionLine],
) -> Result<DecideBookingRequestsResponse, StaffError> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let results = crate::db::retry("decide booking requests", || async {
        let now = ctx.clock.now();
        let txn = crate::db::begin(&ctx.db)
            .await
            .context("Failed to begin a transaction")?;
        let (results, change) = decide_in(&txn, actor, &catalog, decisions, now).await?;
        change.commit(txn, &ctx.outbox, "decisions").await?;
        Ok::<_, StaffError>(results)
    })
    .await?;
    Ok(DecideBookingRequestsResponse { results })
}

async fn decide_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    catalog: &Catalog,
    decisions: &[RequestDecisionLine],
    now: DateTime<Utc>,
) -> Result<(Vec<RequestDecisionResult>, Change), StaffError> {
    let mut change = Change::at(now).mailed();
    let ids: Vec<Uuid> = decisions.iter().map(|d| d.booking_id).collect();
    let rows: HashMap<Uuid, booking::Model> = booking::Entity::find()
        .filter(booking::Column::Id.is_in(ids))
        .all(txn)
        .await
        .context("Failed to read wishes")?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    // The children's first names, for the families' e-mail (« Léa : Accepté … »).
    let child_ids: Vec<Uuid> = rows.values().map(|b| b.child_id).collect();
    let first_names: HashMap<Uuid, String> = child::Entity::find()
        .filter(child::Column::Id.is_in(child_ids))
        .all(txn)
        .await
        .context("Failed to read the children of the wishes")?
        .into_iter()
        .map(|c| (c.id, c.first_name))
        .collect();
    // Authorised by what is stored, before anything moves.
    for row in rows.values() {
        let unit = catalog.unit(row.unit_id).ok_or(StaffError::NotFound)?;
        actor.require(unit.service)?;
    }
    let mut order: Vec<usize> = (0..decisions.len()).collect();
    order.sort_by_key(|&i| {
        rows.get(&decisions[i].booking_id)
            .map(|b| (b.unit_id, b.date))
    });
    let mut results: Vec<Option<RequestDecisionResult>> = vec![None; decisions.len()];
    let mut per_family: Vec<(Uuid, Vec<String>)> = Vec::new();
    for i in order {
        let decision = &decisions[i];
        let Some(row) = rows
            .get(&decision.booking_id)
            .filter(|b| b.status == BookingStatus::Requested.as_str())
        else {
            results[i] = Some(not_applied(decision.booking_id, NO_LONGER_PENDING));
            continue;
        };
        let unit = catalog.unit(row.unit_id).ok_or(StaffError::NotFound)?;
        let reason = decision
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        let (to, reason) = match (decision.decision, reason) {
            (RequestDecision::Accept, _) => (BookingStatus::Booked, None),
            (RequestDecision::Decline, Some(reason)) => (BookingStatus::Declined, Some(reason)),
            (RequestDecision::Decline, None) => {
                results[i] = Some(not_applied(row.id, "Indiquez le motif du refus."));
                continue;
            }
        };
        let decided = sql::decide_booking(row.id, to, actor.staff_id, reason.as_deref(), now);
        if txn.execute(&decided).await?.rows_affected() != 1 {
            results[i] = Some(not_applied(row.id, NO_LONGER_PENDING));
            continue;
        }
        if to == BookingStatus::Booked && !take_places(txn, catalog, unit, row.date).await? {
            // Full: the wish goes back to pending, as it was.
            txn.execute(&sql::undecide_booking(row.id, row.updated_at))
                .await
                .context("Failed to put a wish back")?;
            results[i] = Some(not_applied(row.id, "Complet : plus de place ce jour-là."));
            continue;
        }
        let line = format!(
            "- {} : {} : {} — {}{}",
            first_names
                .get(&row.child_id)
                .map_or("Votre enfant", String::as_str),
            if to == BookingStatus::Booked {
                "Accepté"
            } else {
                "Refusé"
            },
            unit.name,
            portail_domain::format::date_fr(row.date),
            reason.map(|r| format!(" ({r})")).unwrap_or_default()
        );
        match per_family.iter_mut().find(|(f, _)| *f == row.family_id) {
            Some((_, lines)) => lines.push(line),
            None => per_family.push((row.family_id, vec![line])),
        }
        change = change
            .audit(
                Audit::by(
                    actor.staff_id,
                    portail_domain::audit::action::DECIDE_BOOKING_REQUEST,
                )
                .family(row.family_id)
                .target(row.id)
                .detail(to.as_str().to_owned()),
            )
            .event(crate::events::booking_event(
                portail_domain::rules::webhooks::WebhookEvent::BookingRequestDecided,
                crate::events::BookingData {
                    id: row.id,
                    family_id: row.family_id,
                    child_id: row.child_id,
                    unit_id: row.unit_id,
                    date: row.date,
                    status: to,
                },
            ));
        results[i] = Some(RequestDecisionResult {
            booking_id: row.id,
            status: Some(to),
            error: None,
        });
    }
    tell_families(txn, per_family, now).await?;
    Ok((results.into_iter().flatten().collect(), change))
}

/// Takes a place on the unit's slot of `date` and on those of the units it covers; `false`
/// (and nothing taken) when one is full.
async fn take_places(
    txn: &DatabaseTransaction,
    catalog: &Catalog,
    unit: &crate::planning::catalog::UnitEntry,
    date: NaiveDate,
) -> anyhow::Result<bool> {
    let mut taken: Vec<Uuid> = Vec::new();
    let covered = unit.covers.iter().filter_map(|id| catalog.unit(*id));
    for place in std::iter::once(unit).chain(covered) {
        txn.execute(&sql::ensure_slot(
            UnitId::from(place.id),
            date,
            place.default_capacity,
        ))
        .await
        .context("Failed to create a slot")?;
        let took = txn
            .execute(&sql::take_place(UnitId::from(place.id), date))
            .await
            .context("Failed to take a place")?
            .rows_affected()
            == 1;
        if !took {
            for unit_id in taken {
                txn.execute(&sql::release_place(UnitId::from(unit_id), date))
                    .await
                    .context("Failed to give a place back")?;
            }
            return Ok(false);
        }
        taken.push(place.id);
    }
    Ok(true)
}

async fn tell_families(
    txn: &DatabaseTransaction,
    per_family: Vec<(Uuid, Vec<String>)>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if per_family.is_empty() {
        return Ok(());
    }
    let commune = crate::accounts::commune_name(txn).await?;
    for (family_id, lines) in per_family {
        let to = family_account::Entity::find()
            .filter(family_account::Column::FamilyId.eq(family_id))
            .one(txn)
            .await?;
        let first_name = guardian::Entity::find()
            .filter(guardian::Column::FamilyId.eq(family_id))
            .filter(guardian::Column::Rank.eq(1))
            .one(txn)
            .await?
            .map(|g| g.first_name)
            .unwrap_or_default();
        if let Some(to) = to {
            let text = format!(
                "Bonjour {first_name},\n\nLa structure a répondu à vos souhaits de réservation :\n\n{}\n\nRetrouvez-les dans «\u{a0}Mon planning\u{a0}».\n\nLe Portail Famille de la commune {}\n",
                lines.join("\n"),
                portail_domain::format::of_place(&commune)
            );
            outbox::enqueue(
                txn,
                &OutgoingEmail {
                    to: to.email,
                    subject: "Réponse à vos souhaits de réservation — Portail Famille".to_owned(),
                    text,
                    html: None,
                },
                None,
                now,
            )
            .await?;
        }
    }
    Ok(())
}
