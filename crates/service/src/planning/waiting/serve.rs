//! A place frees: the first waiting child is served in the transaction that frees it
//! (booked at once, or the place offered and kept), offers lapse, and the family is told.

use std::collections::HashSet;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::BookingStatus;
use portail_domain::format::date_fr;
use portail_domain::ids::{ChildId, FamilyId, UnitId};
use portail_domain::rules::planning::paris_now;
use portail_domain::rules::waiting_list::WaitingListMode;
use portail_entity::{booking, child, waiting_entry};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::Context;
use crate::change::Change;
use crate::planning::catalog::Catalog;
use crate::planning::sql::{self, NewBooking};

use super::*;

/// Serves the waiting children of `date` after places were freed on `freed` units, inside the
/// transaction that freed them; the slots are taken with the same guarded updates as a
/// booking. `full` remembers the days found full in this transaction. Returns how many were
/// served.
pub(crate) async fn fill<C: ConnectionTrait>(
    conn: &C,
    full: &mut HashSet<(Uuid, NaiveDate)>,
    rules: &WaitingRules,
    date: NaiveDate,
    freed: &[Uuid],
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    for unit_id in freed {
        full.remove(&(*unit_id, date));
    }
    let concerned: Vec<Uuid> = rules
        .units
        .iter()
        .filter(|u| u.places().any(|(id, _)| freed.contains(&id)))
        .map(|u| u.unit_id)
        .collect();
    if concerned.is_empty() {
        return Ok(0);
    }
    let waiting = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::Date.eq(date))
        .filter(waiting_entry::Column::Status.eq(WAITING))
        .filter(waiting_entry::Column::UnitId.is_in(concerned))
        .order_by_asc(waiting_entry::Column::JoinedAt)
        .order_by_asc(waiting_entry::Column::Id)
        .all(conn)
        .await
        .context("Failed to read a waiting list")?;
    let mut served = 0_usize;
    for entry in waiting {
        let Some(unit) = rules.unit(UnitId::from(entry.unit_id)) else {
            continue;
        };
        if unit.places().any(|(id, _)| full.contains(&(id, date))) {
            continue;
        }
        if !unit.conflicting.is_empty()
            && holds_any(conn, ChildId::from(entry.child_id), date, &unit.conflicting).await?
        {
            continue;
        }
        let mut holding: Vec<Uuid> = Vec::new();
        let mut all_taken = true;
        for (id, capacity) in unit.places() {
            conn.execute(&sql::ensure_slot(UnitId::from(id), date, capacity))
                .await
                .context("Failed to create a slot")?;
            let taken = conn
                .execute(&sql::take_place(UnitId::from(id), date))
                .await
                .context("Failed to take a place")?
                .rows_affected()
                == 1;
            if !taken {
                full.insert((id, date));
                all_taken = false;
                break;
            }
            holding.push(id);
        }
        if !all_taken {
            release(conn, &holding, date).await?;
            continue;
        }
        let (to, offered_until) = match rules.mode {
            WaitingListMode::Offer => (
                OFFERED,
                Some(crate::clock::after(
                    now,
                    chrono::Duration::hours(i64::from(rules.offer_hours)),
                )),
            ),
            _ => (PROMOTED, None),
        };
        if to == PROMOTED {
            let booking_id = Uuid::now_v7();
            let inserted = conn
                .execute(&sql::insert_booking(&NewBooking {
                    id: booking_id,
                    family_id: entry.family_id,
                    child_id: entry.child_id,
                    unit_id: entry.unit_id,
                    date,
                    status: BookingStatus::Booked,
                    booked_by: None,
                    now,
                }))
                .await
                .context("Failed to book a waiting child")?
                .rows_affected()
                == 1;
            if !inserted {
                // The child holds the day already (booked meanwhile): the list is done with it.
                release(conn, &holding, date).await?;
                set_status(conn, entry.id, WAITING, LEFT, None, now).await?;
                continue;
            }
            crate::events::emit(
                conn,
                &[crate::events::booking_event(
                    portail_domain::rules::webhooks::WebhookEvent::BookingCreated,
                    crate::events::BookingData {
                        id: booking_id,
                        family_id: entry.family_id,
                        child_id: entry.child_id,
                        unit_id: entry.unit_id,
                        date,
                        status: BookingStatus::Booked,
                    },
                )],
                now,
            )
            .await?;
        }
        if !set_status(conn, entry.id, WAITING, to, offered_until, now).await? {
            release(conn, &holding, date).await?;
            continue;
        }
        tell(conn, &entry, unit, offered_until, now).await?;
        served = served.saturating_add(1);
    }
    Ok(served)
}

pub(super) async fn holds_any<C: ConnectionTrait>(
    conn: &C,
    child_id: ChildId,
    date: NaiveDate,
    units: &[Uuid],
) -> anyhow::Result<bool> {
    Ok(booking::Entity::find()
        .filter(booking::Column::ChildId.eq(child_id))
        .filter(booking::Column::Date.eq(date))
        .filter(booking::Column::UnitId.is_in(units.to_vec()))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Requested.as_str(),
        ]))
        .one(conn)
        .await
        .context("Failed to read a child's day")?
        .is_some())
}

pub(super) async fn release<C: ConnectionTrait>(
    conn: &C,
    units: &[Uuid],
    date: NaiveDate,
) -> anyhow::Result<()> {
    for unit_id in units {
        conn.execute(&sql::release_place(UnitId::from(*unit_id), date))
            .await
            .context("Failed to give a place back")?;
    }
    Ok(())
}

/// A guarded move of an entry: `false` when it was no longer `from`.
pub(super) async fn set_status<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    from: &str,
    to: &str,
    offered_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    Ok(waiting_entry::Entity::update_many()
        .col_expr(waiting_entry::Column::Status, Expr::value(to))
        .col_expr(
            waiting_entry::Column::OfferedUntil,
            Expr::value(offered_until),
        )
        .col_expr(waiting_entry::Column::UpdatedAt, Expr::value(now))
        .filter(waiting_entry::Column::Id.eq(id))
        .filter(waiting_entry::Column::Status.eq(from))
        .exec(conn)
        .await
        .context("Failed to move a waiting entry")?
        .rows_affected
        == 1)
}

/// « 14 h 05 » in Paris.
pub(super) fn paris_time(at: DateTime<Utc>) -> String {
    paris_now(at).format("%H h %M").to_string()
}

/// E-mails the family that its waiting child got the place (or that it is kept for them).
pub(super) async fn tell<C: ConnectionTrait>(
    conn: &C,
    entry: &waiting_entry::Model,
    unit: &UnitPlaces,
    offered_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let first_name = child::Entity::find_by_id(entry.child_id)
        .one(conn)
        .await?
        .map(|c| c.first_name)
        .unwrap_or_default();
    let what = match offered_until {
        None => format!(
            "Une place s'est libérée : la réservation {} ({}) le {} est confirmée. Elle est dans «\u{a0}Mon planning\u{a0}».",
            portail_domain::format::de(&first_name),
            unit.label,
            date_fr(entry.date)
        ),
        Some(until) => format!(
            "Une place s'est libérée pour {first_name} ({}) le {} : elle vous est gardée jusqu'au {} à {}. Réservez-la dans «\u{a0}Mon planning\u{a0}» ; sans réponse, elle passe à l'enfant suivant de la liste d'attente.",
            unit.label,
            date_fr(entry.date),
            date_fr(paris_now(until).date()),
            paris_time(until)
        ),
    };
    crate::family::email_family_at(conn, FamilyId::from(entry.family_id), now, |to| {
        crate::emails::waiting_list_served(to, &what)
    })
    .await
}

/// An offered place not taken (declined or lapsed): given back, and the next child served.
pub(super) async fn pass_on<C: ConnectionTrait>(
    conn: &C,
    catalog: &Catalog,
    entry: &waiting_entry::Model,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(rules) = WaitingRules::of(catalog, UnitId::from(entry.unit_id)) else {
        return Ok(());
    };
    let Some(unit) = rules.unit(UnitId::from(entry.unit_id)) else {
        return Ok(());
    };
    let freed: Vec<Uuid> = unit.places().map(|(id, _)| id).collect();
    release(conn, &freed, entry.date).await?;
    fill(conn, &mut HashSet::new(), &rules, entry.date, &freed, now).await?;
    Ok(())
}

/// Offers past their time lapse: each place passes to the next waiting child (each once,
/// whichever instance sees it first). Returns how many lapsed.
pub async fn lapse_offers(ctx: &Context) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let due = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::Status.eq(OFFERED))
        .filter(waiting_entry::Column::OfferedUntil.lt(now))
        .all(&ctx.db)
        .await
        .context("Failed to read lapsed offers")?;
    if due.is_empty() {
        return Ok(0);
    }
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let mut lapsed = 0_usize;
    for entry in due {
        let txn = crate::db::begin(&ctx.db).await?;
        let moved = set_status(&txn, entry.id, OFFERED, LAPSED, None, now).await?;
        if moved {
            pass_on(&txn, &catalog, &entry, now).await?;
            lapsed = lapsed.saturating_add(1);
        }
        Change::at(now)
            .mailed_if(moved)
            .commit(txn, &ctx.outbox, "a lapsed offer")
            .await?;
    }
    Ok(lapsed)
}

/// Moves the child's entry for the day from `from` to promoted (a kept place must still be
/// kept). `true` when there was one.
pub(super) async fn settle<C: ConnectionTrait>(
    conn: &C,
    (child_id, unit_id, date): (Uuid, Uuid, NaiveDate),
    from: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let mut update = waiting_entry::Entity::update_many()
        .col_expr(waiting_entry::Column::Status, Expr::value(PROMOTED))
        .col_expr(waiting_entry::Column::UpdatedAt, Expr::value(now))
        .filter(waiting_entry::Column::ChildId.eq(child_id))
        .filter(waiting_entry::Column::UnitId.eq(unit_id))
        .filter(waiting_entry::Column::Date.eq(date))
        .filter(waiting_entry::Column::Status.eq(from));
    if from == OFFERED {
        update = update.filter(waiting_entry::Column::OfferedUntil.gt(now));
    }
    Ok(update
        .exec(conn)
        .await
        .context("Failed to settle a waiting entry")?
        .rows_affected
        == 1)
}

/// The child books a day whose place is kept for it (`offer`): the booking takes that place
/// (`true`: its slots are already held for it).
pub(crate) async fn take_offer<C: ConnectionTrait>(
    conn: &C,
    child_id: ChildId,
    unit_id: UnitId,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    settle(conn, (child_id.uuid(), unit_id.uuid(), date), OFFERED, now).await
}

/// The child got the day by its own booking: its wait for it is over.
pub(crate) async fn close_wait<C: ConnectionTrait>(
    conn: &C,
    child_id: ChildId,
    unit_id: UnitId,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    settle(conn, (child_id.uuid(), unit_id.uuid(), date), WAITING, now).await?;
    Ok(())
}

/// Gives back the places of `unit_id` on `date` and serves the next waiting child (an offered
/// place the child could not take after all).
pub(crate) async fn give_back<C: ConnectionTrait>(
    conn: &C,
    full: &mut HashSet<(Uuid, NaiveDate)>,
    rules: &WaitingRules,
    unit_id: UnitId,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let Some(unit) = rules.unit(unit_id) else {
        return Ok(());
    };
    let freed: Vec<Uuid> = unit.places().map(|(id, _)| id).collect();
    release(conn, &freed, date).await?;
    fill(conn, full, rules, date, &freed, now).await?;
    Ok(())
}
