//! What a month grid needs from the database, read in **one** statement: the child (its birth
//! date, and that it belongs to the caller's family), the family's dossier status, the month's
//! slots and the child's bookings. Three statements cost three hops to SQLite's connection
//! thread; on the benchmark machine those hops were the largest part of a grid read
//! (BENCHMARKS.md).
//!
//! The three reads are one `UNION ALL` whose first column says which one a row comes from.
//! The bookings come first so that PostgreSQL types every column from the first two branches
//! (a bare `NULL` is then typed after them); SQLite does not care.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{BookingStatus, DossierStatus};
use portail_entity::{booking, child, family, slot};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait as _, JoinType, Query, SelectStatement, UnionType,
};
use sea_orm::{ConnectionTrait, EntityName as _, Order};
use uuid::Uuid;

use crate::Context;

const BOOKING: i32 = 0;
const SLOT: i32 = 1;
const CHILD: i32 = 2;

/// A day's places, as the slot row has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    pub capacity: u32,
    pub taken: u32,
}

/// The child's latest booking of a day and unit (a declined wish may be followed by a new one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayBooking {
    pub status: BookingStatus,
    pub decline_reason: Option<String>,
}

#[derive(Debug, Default)]
pub struct GridRows {
    pub status: Option<DossierStatus>,
    pub birth_date: Option<NaiveDate>,
    pub slots: HashMap<(Uuid, NaiveDate), Places>,
    pub bookings: HashMap<(Uuid, NaiveDate), DayBooking>,
}

fn null() -> Expr {
    Expr::cust("NULL")
}

fn kind(k: i32) -> Expr {
    Expr::cust(k.to_string())
}

fn statement(
    family_id: Uuid,
    child_id: Uuid,
    unit_ids: &[Uuid],
    first: NaiveDate,
    last: NaiveDate,
) -> SelectStatement {
    let (f, c) = (Alias::new("f"), Alias::new("c"));
    let child_row = Query::select()
        .expr(kind(CHILD))
        .expr(null())
        .column((c.clone(), child::Column::BirthDate))
        .exprs([null(), null()])
        .column((f.clone(), family::Column::DossierStatus))
        .exprs([null(), null()])
        .from_as(child::Entity.table_ref(), c.clone())
        .join_as(
            JoinType::InnerJoin,
            family::Entity.table_ref(),
            f.clone(),
            Expr::col((f.clone(), family::Column::Id)).equals((c.clone(), child::Column::FamilyId)),
        )
        .and_where(Expr::col((c.clone(), child::Column::Id)).eq(child_id))
        .and_where(Expr::col((c, child::Column::FamilyId)).eq(family_id))
        .to_owned();
    let slot_rows = Query::select()
        .expr(kind(SLOT))
        .columns([
            slot::Column::UnitId,
            slot::Column::Date,
            slot::Column::Capacity,
            slot::Column::Taken,
        ])
        .exprs([null(), null(), null()])
        .from(slot::Entity.table_ref())
        .and_where(Expr::col(slot::Column::UnitId).is_in(unit_ids.iter().copied()))
        .and_where(Expr::col(slot::Column::Date).between(first, last))
        .to_owned();
    Query::select()
        .expr_as(kind(BOOKING), Alias::new("kind"))
        .columns([booking::Column::UnitId, booking::Column::Date])
        .exprs([null(), null()])
        .columns([
            booking::Column::Status,
            booking::Column::DeclineReason,
            booking::Column::UpdatedAt,
        ])
        .from(booking::Entity.table_ref())
        // The family too: the caller's own bookings only, and the (family, date) index.
        .and_where(Expr::col(booking::Column::FamilyId).eq(family_id))
        .and_where(Expr::col(booking::Column::ChildId).eq(child_id))
        .and_where(Expr::col(booking::Column::UnitId).is_in(unit_ids.iter().copied()))
        .and_where(Expr::col(booking::Column::Date).between(first, last))
        .and_where(Expr::col(booking::Column::Status).ne(BookingStatus::Cancelled.as_str()))
        .union(UnionType::All, slot_rows)
        .union(UnionType::All, child_row)
        .order_by(Alias::new("kind"), Order::Asc)
        .order_by(booking::Column::UpdatedAt, Order::Asc)
        .to_owned()
}

/// `status` stays `None` when the child is not in the family.
pub async fn read(
    ctx: &Context,
    family_id: Uuid,
    child_id: Uuid,
    unit_ids: &[Uuid],
    (first, last): (NaiveDate, NaiveDate),
) -> anyhow::Result<GridRows> {
    let rows = ctx
        .db
        .query_all(&statement(family_id, child_id, unit_ids, first, last))
        .await
        .context("Failed to read a month grid")?;
    let mut grid = GridRows::default();
    for row in &rows {
        match row.try_get_by_index::<i32>(0)? {
            CHILD => {
                grid.birth_date = row.try_get_by_index(2)?;
                let status: String = row.try_get_by_index(5)?;
                grid.status =
                    Some(DossierStatus::parse(&status).unwrap_or(DossierStatus::Incomplete));
            }
            SLOT => {
                let count = |i: usize| -> anyhow::Result<u32> {
                    Ok(u32::try_from(row.try_get_by_index::<i32>(i)?).unwrap_or(0))
                };
                grid.slots.insert(
                    (row.try_get_by_index(1)?, row.try_get_by_index(2)?),
                    Places {
                        capacity: count(3)?,
                        taken: count(4)?,
                    },
                );
            }
            _ => {
                let status: String = row.try_get_by_index(5)?;
                let Some(status) = BookingStatus::parse(&status) else {
                    continue;
                };
                // Ordered by `updated_at`: a later row of the same day replaces an earlier one.
                grid.bookings.insert(
                    (row.try_get_by_index(1)?, row.try_get_by_index(2)?),
                    DayBooking {
                        status,
                        decline_reason: row.try_get_by_index(6)?,
                    },
                );
            }
        }
    }
    Ok(grid)
}
