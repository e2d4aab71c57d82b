//! The day locks of a batch: every slot the batch may change exists, and on PostgreSQL they
//! are locked in one order (unit, then date), so two batches never wait on each other in a
//! cycle.

use std::collections::BTreeSet;

use anyhow::Context as _;
use portail_domain::api::LineAction;
use portail_domain::rules::planning::BookingMode;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction};

use crate::planning::sql;

use super::*;
use portail_domain::ids::UnitId;

/// Makes sure every slot the batch may change exists, and on PostgreSQL locks them all, in
/// one order (unit, then date): two batches over overlapping days then queue behind each
/// other instead of deadlocking.
pub(super) async fn lock_days<'a>(
    txn: &DatabaseTransaction,
    submissions: impl Iterator<Item = &'a Submission>,
) -> anyhow::Result<()> {
    let mut days = BTreeSet::new();
    let mut capacities = std::collections::HashMap::new();
    for submission in submissions {
        for prepared in submission.lines.iter().filter(|p| p.refusal.is_none()) {
            let touches_places = match prepared.line.action {
                LineAction::Book => {
                    prepared.mode == BookingMode::Instant || submission.staff.is_some()
                }
                LineAction::Cancel => true,
            };
            if touches_places {
                for (unit_id, capacity) in prepared.places() {
                    let day = (unit_id, prepared.line.date);
                    days.insert(day);
                    capacities.entry(day).or_insert(capacity);
                }
            }
        }
    }
    if days.is_empty() {
        return Ok(());
    }
    for (unit_id, date) in &days {
        let capacity = capacities.get(&(*unit_id, *date)).copied().unwrap_or(0);
        txn.execute(&sql::ensure_slot(UnitId::from(*unit_id), *date, capacity))
            .await
            .context("Failed to create a slot")?;
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute(&sql::lock_slots(days.iter().copied()))
            .await
            .context("Failed to lock the days' slots")?;
    }
    Ok(())
}
