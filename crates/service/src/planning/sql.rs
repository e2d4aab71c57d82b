//! The statements of the booking hot path, built with sea-query for both databases.
//! Capacity only moves through guarded updates; a child's second active booking of a day is
//! stopped by the partial unique index `booking_active`.

use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::BookingStatus;
use portail_domain::ids::{ChildId, StaffId, UnitId};
use portail_entity::{booking, child, idempotency_key, slot};
use sea_orm::EntityName as _;
use sea_orm::sea_query::{
    Condition, Expr, ExprTrait as _, InsertStatement, LockType, OnConflict, Order, Query,
    SelectStatement, UpdateStatement,
};
use uuid::Uuid;

/// Creates the day's slot with the unit's default capacity if it does not exist yet.
pub fn ensure_slot(unit_id: UnitId, date: NaiveDate, capacity: u32) -> InsertStatement {
    Query::insert()
        .into_table(slot::Entity.table_ref())
        .columns([
            slot::Column::Id,
            slot::Column::UnitId,
            slot::Column::Date,
            slot::Column::Capacity,
            slot::Column::Taken,
            slot::Column::Forced,
        ])
        .values_panic([
            Uuid::now_v7().into(),
            unit_id.into(),
            date.into(),
            i32::try_from(capacity).unwrap_or(i32::MAX).into(),
            0.into(),
            0.into(),
        ])
        .on_conflict(
            OnConflict::columns([slot::Column::UnitId, slot::Column::Date])
                .do_nothing()
                .to_owned(),
        )
        .to_owned()
}

/// Takes one place if one is left: affects one row, or none when the day is full.
pub fn take_place(unit_id: UnitId, date: NaiveDate) -> UpdateStatement {
    Query::update()
        .table(slot::Entity.table_ref())
        .value(slot::Column::Taken, Expr::col(slot::Column::Taken).add(1))
        .and_where(Expr::col(slot::Column::UnitId).eq(unit_id))
        .and_where(Expr::col(slot::Column::Date).eq(date))
        .and_where(Expr::col(slot::Column::Taken).lt(Expr::col(slot::Column::Capacity)))
        .to_owned()
}

/// Staff only, audited: one place beyond the capacity.
pub fn force_place(unit_id: UnitId, date: NaiveDate) -> UpdateStatement {
    Query::update()
        .table(slot::Entity.table_ref())
        .value(slot::Column::Taken, Expr::col(slot::Column::Taken).add(1))
        .value(slot::Column::Forced, Expr::col(slot::Column::Forced).add(1))
        .and_where(Expr::col(slot::Column::UnitId).eq(unit_id))
        .and_where(Expr::col(slot::Column::Date).eq(date))
        .to_owned()
}

/// Gives a place back (a forced place first).
pub fn release_place(unit_id: UnitId, date: NaiveDate) -> UpdateStatement {
    let over = Expr::col(slot::Column::Taken)
        .gt(Expr::col(slot::Column::Capacity))
        .and(Expr::col(slot::Column::Forced).gt(0));
    Query::update()
        .table(slot::Entity.table_ref())
        .value(slot::Column::Taken, Expr::col(slot::Column::Taken).sub(1))
        .value(
            slot::Column::Forced,
            Expr::case(over, Expr::col(slot::Column::Forced).sub(1))
                .finally(Expr::col(slot::Column::Forced)),
        )
        .and_where(Expr::col(slot::Column::UnitId).eq(unit_id))
        .and_where(Expr::col(slot::Column::Date).eq(date))
        .and_where(Expr::col(slot::Column::Taken).gt(0))
        .to_owned()
}

pub struct NewBooking {
    pub id: Uuid,
    pub family_id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub date: NaiveDate,
    pub status: BookingStatus,
    pub booked_by: Option<Uuid>,
    pub now: DateTime<Utc>,
}

/// Inserts a booking unless the child already has an active one that day (then no row).
pub fn insert_booking(b: &NewBooking) -> InsertStatement {
    // Written out as in the index (migration m20261128_000004): SQLite and PostgreSQL match a
    // partial index by its predicate, which bound parameters would hide.
    let active = Expr::cust("status IN ('booked', 'requested')");
    Query::insert()
        .into_table(booking::Entity.table_ref())
        .columns([
            booking::Column::Id,
            booking::Column::FamilyId,
            booking::Column::ChildId,
            booking::Column::UnitId,
            booking::Column::Date,
            booking::Column::Status,
            booking::Column::BookedBy,
            booking::Column::CreatedAt,
            booking::Column::UpdatedAt,
        ])
        .values_panic([
            b.id.into(),
            b.family_id.into(),
            b.child_id.into(),
            b.unit_id.into(),
            b.date.into(),
            b.status.as_str().into(),
            b.booked_by.into(),
            b.now.into(),
            b.now.into(),
        ])
        .on_conflict(
            OnConflict::columns([
                booking::Column::ChildId,
                booking::Column::UnitId,
                booking::Column::Date,
            ])
            .target_and_where(active)
            .do_nothing()
            .to_owned(),
        )
        .to_owned()
}

/// Moves one booking from `from` to `to`: affects one row only if it still is `from`.
pub fn move_booking(
    id: Uuid,
    from: BookingStatus,
    to: BookingStatus,
    now: DateTime<Utc>,
) -> UpdateStatement {
    Query::update()
        .table(booking::Entity.table_ref())
        .value(booking::Column::Status, to.as_str())
        .value(booking::Column::UpdatedAt, now)
        .and_where(Expr::col(booking::Column::Id).eq(id))
        .and_where(Expr::col(booking::Column::Status).eq(from.as_str()))
        .to_owned()
}

/// A staff decision on a wish: affects one row only if it is still a pending wish.
pub fn decide_booking(
    id: Uuid,
    to: BookingStatus,
    staff_id: StaffId,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> UpdateStatement {
    Query::update()
        .table(booking::Entity.table_ref())
        .value(booking::Column::Status, to.as_str())
        .value(booking::Column::DecidedBy, staff_id)
        .value(booking::Column::DeclineReason, reason.map(str::to_owned))
        .value(booking::Column::UpdatedAt, now)
        .and_where(Expr::col(booking::Column::Id).eq(id))
        .and_where(Expr::col(booking::Column::Status).eq(BookingStatus::Requested.as_str()))
        .to_owned()
}

/// Puts an accepted wish back to pending (no place was left), as it was before.
pub fn undecide_booking(id: Uuid, updated_at: DateTime<Utc>) -> UpdateStatement {
    Query::update()
        .table(booking::Entity.table_ref())
        .value(booking::Column::Status, BookingStatus::Requested.as_str())
        .value(booking::Column::DecidedBy, Option::<Uuid>::None)
        .value(booking::Column::UpdatedAt, updated_at)
        .and_where(Expr::col(booking::Column::Id).eq(id))
        .and_where(Expr::col(booking::Column::Status).eq(BookingStatus::Booked.as_str()))
        .to_owned()
}

/// Locks the slots of these days, in the order given (callers sort them).
pub fn lock_slots(days: impl Iterator<Item = (Uuid, NaiveDate)>) -> SelectStatement {
    let mut any = Condition::any();
    for (unit_id, date) in days {
        any = any.add(
            Expr::col(slot::Column::UnitId)
                .eq(unit_id)
                .and(Expr::col(slot::Column::Date).eq(date)),
        );
    }
    Query::select()
        .column(slot::Column::Id)
        .from(slot::Entity.table_ref())
        .cond_where(any)
        .order_by(slot::Column::UnitId, Order::Asc)
        .order_by(slot::Column::Date, Order::Asc)
        .lock(LockType::Update)
        .to_owned()
}

/// The rows of these (family, key) pairs.
pub fn keys_condition<'a>(ids: impl Iterator<Item = &'a (Uuid, String)>) -> Condition {
    let mut any = Condition::any();
    for (family_id, key) in ids {
        any = any.add(
            Expr::col(idempotency_key::Column::FamilyId)
                .eq(*family_id)
                .and(Expr::col(idempotency_key::Column::Key).eq(key.as_str())),
        );
    }
    any
}

/// Forgets idempotency keys stored before `before`.
pub fn purge_keys(before: DateTime<Utc>) -> sea_orm::sea_query::DeleteStatement {
    Query::delete()
        .from_table(idempotency_key::Entity.table_ref())
        .and_where(Expr::col(idempotency_key::Column::CreatedAt).lt(before))
        .to_owned()
}

/// Locks a child's row (PostgreSQL): two recaps of one child are checked for overlapping units
/// one after the other.
pub fn lock_child(child_id: ChildId) -> SelectStatement {
    Query::select()
        .column(child::Column::Id)
        .from(child::Entity.table_ref())
        .and_where(Expr::col(child::Column::Id).eq(child_id))
        .lock(LockType::Update)
        .to_owned()
}
