//! The family's side: joining a full day's waiting list (its rank) and leaving it.

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{BookingLine, LineAction, WaitingListRequest, WaitingListResponse};
use portail_domain::ids::{ChildId, FamilyId, UnitId};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::{RefusalCode, units};
use portail_domain::rules::waiting_list::{self, WaitingListMode};
use portail_entity::{slot, waiting_entry};
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::Context;
use crate::change::Change;
use crate::planning::sql;

use super::*;

/// `now`, or just after the day's latest arrival when that is later (another instance's clock
/// ahead of this one's): read while the day is held, so arrivals are dated in the order they
/// held it.
pub(super) async fn arrival_after_last<C: ConnectionTrait>(
    conn: &C,
    unit_id: UnitId,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    let last = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::UnitId.eq(unit_id))
        .filter(waiting_entry::Column::Date.eq(date))
        .order_by_desc(waiting_entry::Column::JoinedAt)
        .one(conn)
        .await
        .context("Failed to read a waiting list's last arrival")?;
    Ok(match last {
        Some(last) if last.joined_at >= now => {
            crate::clock::after(last.joined_at, chrono::Duration::microseconds(1))
        }
        _ => now,
    })
}

/// The rank of an entry among the day's waiting and offered entries (1 = first).
pub(super) async fn rank_of<C: ConnectionTrait>(
    conn: &C,
    entry: &waiting_entry::Model,
) -> anyhow::Result<u32> {
    let ahead = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::UnitId.eq(entry.unit_id))
        .filter(waiting_entry::Column::Date.eq(entry.date))
        .filter(waiting_entry::Column::Status.is_in([WAITING, OFFERED]))
        .all(conn)
        .await
        .context("Failed to read a waiting list")?
        .iter()
        .filter(|o| (o.joined_at, o.id) < (entry.joined_at, entry.id))
        .count();
    Ok(u32::try_from(ahead).unwrap_or(u32::MAX).saturating_add(1))
}

/// « Liste d'attente » from the grid: the booking rules must hold (period, window, cut-off,
/// age, opening day, a validated file), the day must be full and the service keep a list; the
/// day's slots are locked (PostgreSQL) or the write lock held (SQLite) while it is checked, so
/// a place freed at the same moment is either seen here (« réservez ») or given to this child.
pub async fn join(
    ctx: &Context,
    family_id: FamilyId,
    request: &WaitingListRequest,
) -> Result<WaitingListResponse, WaitingError> {
    let now = ctx.clock.now();
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let unit = catalog
        .unit(request.unit_id)
        .ok_or(WaitingError::UnknownUnit)?;
    let service = catalog
        .service(unit.service)
        .ok_or(WaitingError::UnknownUnit)?;
    let facts = crate::planning::facts::family_facts(ctx, family_id, None)
        .await?
        .ok_or(WaitingError::UnknownChild)?;
    let child = facts
        .children
        .iter()
        .find(|c| c.id == request.child_id)
        .ok_or(WaitingError::UnknownChild)?;
    let refuse = |code: RefusalCode| WaitingError::Refused(code.label_fr().to_owned());
    if !can_book(facts.status) {
        return Err(refuse(RefusalCode::FamilyNotValidated));
    }
    if crate::billing::payments::blocked(ctx, &catalog, family_id).await? {
        return Err(refuse(RefusalCode::UnpaidInvoices));
    }
    let line = BookingLine {
        child_id: request.child_id,
        unit_id: request.unit_id,
        date: request.date,
        action: LineAction::Book,
    };
    crate::planning::catalog::check_line(&catalog, &line, child.birth_date, now, false)
        .map_err(refuse)?;
    if service.waiting == WaitingListMode::Off {
        return Err(WaitingError::Refused(
            waiting_list::JoinRefusal::NoWaitingList
                .message_fr()
                .to_owned(),
        ));
    }
    let places: Vec<(Uuid, u32)> = std::iter::once((unit.id, unit.default_capacity))
        .chain(
            unit.covers
                .iter()
                .filter_map(|id| catalog.unit(*id))
                .map(|c| (c.id, c.default_capacity)),
        )
        .collect();
    let txn = crate::db::begin(&ctx.db).await?;
    for (id, capacity) in &places {
        txn.execute(&sql::ensure_slot(
            UnitId::from(*id),
            request.date,
            *capacity,
        ))
        .await
        .context("Failed to create a slot")?;
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let mut days: Vec<(Uuid, NaiveDate)> =
            places.iter().map(|(id, _)| (*id, request.date)).collect();
        days.sort();
        txn.execute(&sql::lock_slots(days.into_iter()))
            .await
            .context("Failed to lock the day's slots")?;
    }
    // The time of arrival is read once the day is held: two children joining at once are
    // ranked in the order they got it, whatever their requests' clocks said. Several
    // instances' clocks differ a little: an arrival is never dated before the day's last one,
    // so the list's order is the order the day was held in (docs/planning.md).
    let now = arrival_after_last(
        &txn,
        UnitId::from(request.unit_id),
        request.date,
        ctx.clock.now(),
    )
    .await?;
    let rows = slot::Entity::find()
        .filter(slot::Column::Date.eq(request.date))
        .filter(slot::Column::UnitId.is_in(places.iter().map(|(id, _)| *id)))
        .all(&txn)
        .await
        .context("Failed to read the day's places")?;
    let left = |id: Uuid| {
        rows.iter().find(|s| s.unit_id == id).map_or(0, |s| {
            u32::try_from(s.capacity.saturating_sub(s.taken)).unwrap_or(0)
        })
    };
    let places_left = units::places_left(left(unit.id), unit.covers.iter().map(|c| left(*c)));
    let mut held: Vec<Uuid> = unit.overlaps.clone();
    held.push(unit.id);
    let holds = holds_any(&txn, ChildId::from(request.child_id), request.date, &held).await?;
    waiting_list::may_join(service.waiting, places_left, holds)
        .map_err(|r| WaitingError::Refused(r.message_fr().to_owned()))?;
    let entry = waiting_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        unit_id: Set(request.unit_id),
        date: Set(request.date),
        child_id: Set(request.child_id),
        family_id: Set(family_id.uuid()),
        status: Set(WAITING.to_owned()),
        joined_at: Set(now),
        offered_until: Set(None),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) if crate::db::is_unique_violation(&error) => {
            return Err(WaitingError::Refused(
                "Cet enfant est déjà en liste d'attente ce jour.".to_owned(),
            ));
        }
        Err(error) => return Err(anyhow::Error::new(error).into()),
    };
    let rank = rank_of(&txn, &entry).await?;
    crate::family::touch(&txn, family_id, now).await?;
    txn.commit()
        .await
        .context("Failed to commit a waiting entry")?;
    Ok(WaitingListResponse {
        child_id: entry.child_id,
        unit_id: entry.unit_id,
        date: entry.date,
        rank,
        offered_until: None,
    })
}

/// Leaves a day's waiting list. A place kept for the child (`offer`) passes to the next one,
/// in the same transaction.
pub async fn leave(
    ctx: &Context,
    family_id: FamilyId,
    request: &WaitingListRequest,
) -> Result<(), WaitingError> {
    let now = ctx.clock.now();
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    let entry = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::FamilyId.eq(family_id))
        .filter(waiting_entry::Column::ChildId.eq(request.child_id))
        .filter(waiting_entry::Column::UnitId.eq(request.unit_id))
        .filter(waiting_entry::Column::Date.eq(request.date))
        .filter(waiting_entry::Column::Status.is_in([WAITING, OFFERED]))
        .one(&txn)
        .await?
        .ok_or(WaitingError::NotWaiting)?;
    if !set_status(&txn, entry.id, &entry.status, LEFT, None, now).await? {
        return Err(WaitingError::NotWaiting);
    }
    if entry.status == OFFERED {
        pass_on(&txn, &catalog, &entry, now).await?;
    }
    crate::family::touch(&txn, family_id, now).await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "leaving a waiting list")
        .await?;
    Ok(())
}
