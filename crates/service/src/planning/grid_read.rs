//! What a month grid needs from the database, read in **one** statement: the child (its birth
//! date, and that it belongs to the caller's family), the family's dossier status, the month's
//! slots and the child's bookings. Three statements cost three hops to SQLite's connection
//! thread; on the benchmark machine those hops were the largest part of a grid read
//! (BENCHMARKS.md).
//!
//! The three reads are one `UNION ALL` whose first column says which one a row comes from.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{BookingStatus, DossierStatus};
use portail_domain::ids::{ChildId, FamilyId};
use sea_orm::{ConnectionTrait, Statement, Value};
use uuid::Uuid;

use crate::Context;

/// A day's places, as the slot row has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    pub capacity: u32,
    pub taken: u32,
}

/// The child's booking of a day and unit that the grid shows (a declined wish may be
/// followed by a new one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayBooking {
    pub status: BookingStatus,
    pub decline_reason: Option<String>,
}

impl DayBooking {
    /// Rows come ordered by `updated_at`. The active row (booked or requested: at most one a
    /// day, by the `booking_active` index) wins whatever the clocks say, since a wish is only
    /// declined while it is the active one; among declined wishes, the latest.
    fn outranks(&self, kept: &Self) -> bool {
        let active =
            |b: &Self| matches!(b.status, BookingStatus::Booked | BookingStatus::Requested);
        active(self) || !active(kept)
    }
}

/// The child's place in a day's waiting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWaiting {
    pub rank: u32,
    /// A place is kept for the child until then (`offer` mode).
    pub offered_until: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Default)]
pub struct GridRows {
    pub status: Option<DossierStatus>,
    pub birth_date: Option<NaiveDate>,
    pub slots: HashMap<(Uuid, NaiveDate), Places>,
    pub bookings: HashMap<(Uuid, NaiveDate), DayBooking>,
    pub waiting: HashMap<(Uuid, NaiveDate), DayWaiting>,
}

const BOOKING: i32 = 0;
const SLOT: i32 = 1;
const CHILD: i32 = 2;
const WAITING: i32 = 3;

/// One text for both databases, so that each connection prepares it once (sqlx keeps
/// prepared statements per connection): building it with sea-query on every read cost a
/// tenth of a grid's CPU. Placeholders are `$N` on both (sqlx binds SQLite's `$N` by number).
/// The bookings come first so that PostgreSQL types every column from the first two
/// branches (its bare `NULL`s are then typed after them); the bookings also filter on the
/// family: the caller's own rows only, through the `(family_id, date)` index.
const STATEMENT: &str = "\
SELECT 0 AS kind, b.unit_id, b.date, NULL AS capacity, NULL AS taken, b.status, b.decline_reason, b.updated_at \
FROM booking b \
WHERE b.family_id = $1 AND b.child_id = $2 AND b.date BETWEEN $4 AND $5 AND b.status <> 'cancelled' \
AND b.unit_id IN (SELECT u.id FROM unit u WHERE u.service_id = $3) \
UNION ALL \
SELECT 1, s.unit_id, s.date, s.capacity, s.taken, NULL, NULL, NULL \
FROM slot s \
WHERE s.unit_id IN (SELECT u.id FROM unit u WHERE u.service_id = $3) AND s.date BETWEEN $4 AND $5 \
UNION ALL \
SELECT 2, NULL, c.birth_date, NULL, NULL, f.dossier_status, NULL, NULL \
FROM child c JOIN family f ON f.id = c.family_id \
WHERE c.id = $2 AND c.family_id = $1 \
UNION ALL \
SELECT 3, w.unit_id, w.date, CAST((SELECT COUNT(*) FROM waiting_entry o \
WHERE o.unit_id = w.unit_id AND o.date = w.date AND o.status IN ('waiting', 'offered') \
AND (o.joined_at < w.joined_at OR (o.joined_at = w.joined_at AND o.id <= w.id))) AS INTEGER), \
NULL, w.status, NULL, w.offered_until \
FROM waiting_entry w \
WHERE w.family_id = $1 AND w.child_id = $2 AND w.date BETWEEN $4 AND $5 \
AND w.status IN ('waiting', 'offered') \
AND w.unit_id IN (SELECT u.id FROM unit u WHERE u.service_id = $3) \
ORDER BY kind, updated_at";

/// `status` stays `None` when the child is not in the family.
pub async fn read(
    ctx: &Context,
    family_id: FamilyId,
    child_id: ChildId,
    service_id: Uuid,
    (first, last): (NaiveDate, NaiveDate),
) -> anyhow::Result<GridRows> {
    let statement = Statement::from_sql_and_values(
        ctx.db.get_database_backend(),
        STATEMENT,
        [
            Value::from(family_id),
            child_id.into(),
            service_id.into(),
            first.into(),
            last.into(),
        ],
    );
    let rows = ctx
        .db
        .query_all_raw(statement)
        .await
        .context("Failed to read a month grid")?;
    let mut grid = GridRows::default();
    for row in &rows {
        match row.try_get_by_index::<i32>(0)? {
            CHILD => {
                grid.birth_date = row.try_get_by_index(2)?;
                let status: String = row.try_get_by_index(5)?;
                grid.status = Some(portail_domain::string_enum::stored(
                    "dossier status",
                    &status,
                    DossierStatus::parse,
                )?);
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
            WAITING => {
                let rank: i32 = row.try_get_by_index(3)?;
                let status: String = row.try_get_by_index(5)?;
                grid.waiting.insert(
                    (row.try_get_by_index(1)?, row.try_get_by_index(2)?),
                    DayWaiting {
                        rank: u32::try_from(rank).unwrap_or(1),
                        offered_until: if status == "offered" {
                            row.try_get_by_index(7)?
                        } else {
                            None
                        },
                    },
                );
            }
            BOOKING => {
                let status: String = row.try_get_by_index(5)?;
                let Some(status) = BookingStatus::parse(&status) else {
                    continue;
                };
                let day = DayBooking {
                    status,
                    decline_reason: row.try_get_by_index(6)?,
                };
                match grid
                    .bookings
                    .entry((row.try_get_by_index(1)?, row.try_get_by_index(2)?))
                {
                    Entry::Occupied(mut kept) => {
                        if day.outranks(kept.get()) {
                            kept.insert(day);
                        }
                    }
                    Entry::Vacant(free) => {
                        free.insert(day);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_leaves_out_cancelled_bookings_by_their_stored_name() {
        let cancelled = format!("b.status <> '{}'", BookingStatus::Cancelled.as_str());
        assert!(STATEMENT.contains(&cancelled), "{STATEMENT}");
    }

    #[test]
    fn each_branch_is_marked_with_the_kind_the_reader_expects() {
        for branch in [
            format!("SELECT {BOOKING} AS kind, b.unit_id"),
            format!("SELECT {SLOT}, s.unit_id"),
            format!("SELECT {CHILD}, NULL, c.birth_date"),
            format!("SELECT {WAITING}, w.unit_id"),
        ] {
            assert!(STATEMENT.contains(&branch), "{branch}");
        }
    }

    #[test]
    fn the_active_booking_of_a_day_wins_over_declined_wishes_whatever_their_times() {
        let row = |status| DayBooking {
            status,
            decline_reason: None,
        };
        let (booked, requested, declined) = (
            row(BookingStatus::Booked),
            row(BookingStatus::Requested),
            row(BookingStatus::Declined),
        );
        assert!(requested.outranks(&declined));
        assert!(booked.outranks(&declined));
        assert!(!declined.outranks(&requested), "a declined row read later");
        assert!(declined.outranks(&declined.clone()), "the latest decline");
    }
}
