//! Waiting lists of « Mon planning » (issue 13): a child joins the list of a full day; when a
//! place frees (a cancellation, staff raising the capacity, an offer declined or lapsed), the
//! first waiting child is served **in the transaction that frees it** — booked at once
//! (`auto`) or the place kept for them a few hours (`offer`) — never past the capacity (the
//! same guarded updates as a booking), and the family is e-mailed. First come, first served
//! (`rules::waiting_list`); a child whose unit needs a place still full (a « Journée » when
//! only the morning freed) lets the next one take it.

use std::collections::HashSet;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{
    BookingLine, BookingStatus, LineAction, WaitingListRequest, WaitingListResponse,
};
use portail_domain::format::date_fr;
use portail_domain::ids::{ChildId, FamilyId, UnitId};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::{RefusalCode, paris_now, units};
use portail_domain::rules::waiting_list::{self, WaitingListMode};
use portail_entity::{booking, child, slot, waiting_entry};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::catalog::Catalog;
use super::sql::{self, NewBooking};
use crate::Context;
use crate::change::Change;

pub const WAITING: &str = "waiting";
pub const OFFERED: &str = "offered";
pub const PROMOTED: &str = "promoted";
pub const LEFT: &str = "left";
pub const LAPSED: &str = "lapsed";

/// A unit of the service, as a promotion needs it.
#[derive(Debug, Clone)]
pub struct UnitPlaces {
    pub unit_id: Uuid,
    pub default_capacity: u32,
    /// The units whose places it takes too.
    pub covered: Vec<(Uuid, u32)>,
    /// The units a child cannot hold the same day.
    pub conflicting: Vec<Uuid>,
    /// « ALJA — Matin ».
    pub label: String,
}

impl UnitPlaces {
    fn places(&self) -> impl Iterator<Item = (Uuid, u32)> + '_ {
        std::iter::once((self.unit_id, self.default_capacity)).chain(self.covered.iter().copied())
    }
}

/// A service's waiting list: its mode and units (from the in-memory catalog).
#[derive(Debug, Clone)]
pub struct WaitingRules {
    pub mode: WaitingListMode,
    pub offer_hours: u32,
    pub units: Vec<UnitPlaces>,
}

impl WaitingRules {
    /// The rules of the service of `unit_id`, or `None` when it keeps no waiting list.
    pub fn of(catalog: &Catalog, unit_id: UnitId) -> Option<Self> {
        let unit = catalog.unit(unit_id.uuid())?;
        let service = catalog.service(unit.service)?;
        if service.waiting == WaitingListMode::Off {
            return None;
        }
        Some(Self {
            mode: service.waiting,
            offer_hours: service.offer_hours,
            units: catalog
                .units_of(unit.service)
                .map(|u| UnitPlaces {
                    unit_id: u.id,
                    default_capacity: u.default_capacity,
                    covered: u
                        .covers
                        .iter()
                        .filter_map(|id| catalog.unit(*id))
                        .map(|c| (c.id, c.default_capacity))
                        .collect(),
                    conflicting: u.overlaps.clone(),
                    label: format!("{} — {}", service.name, u.name),
                })
                .collect(),
        })
    }

    fn unit(&self, unit_id: UnitId) -> Option<&UnitPlaces> {
        self.units.iter().find(|u| u.unit_id == unit_id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WaitingError {
    #[error("the child is not the family's")]
    UnknownChild,
    #[error("no such unit")]
    UnknownUnit,
    #[error("the day cannot be waited for")]
    Refused(String),
    #[error("not on this waiting list")]
    NotWaiting,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for WaitingError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

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

async fn holds_any<C: ConnectionTrait>(
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

async fn release<C: ConnectionTrait>(
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
async fn set_status<C: ConnectionTrait>(
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
fn paris_time(at: DateTime<Utc>) -> String {
    paris_now(at).format("%H h %M").to_string()
}

/// E-mails the family that its waiting child got the place (or that it is kept for them).
async fn tell<C: ConnectionTrait>(
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
            "Une place s'est libérée : la réservation de {first_name} ({}) le {} est confirmée. Elle est dans «\u{a0}Mon planning\u{a0}».",
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

/// `now`, or just after the day's latest arrival when that is later (another instance's clock
/// ahead of this one's): read while the day is held, so arrivals are dated in the order they
/// held it.
async fn arrival_after_last<C: ConnectionTrait>(
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
async fn rank_of<C: ConnectionTrait>(
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
    let facts = super::facts::family_facts(ctx, family_id, None)
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
    super::catalog::check_line(&catalog, &line, child.birth_date, now, false).map_err(refuse)?;
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

/// An offered place not taken (declined or lapsed): given back, and the next child served.
async fn pass_on<C: ConnectionTrait>(
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
async fn settle<C: ConnectionTrait>(
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
