//! Mon planning: the month grid, recaps committed line by line with capacity that holds under
//! any concurrency, cancellations, and the staff's configuration, attendance and requests.

pub mod answers;
pub mod catalog;
pub mod facts;
pub mod grid;
mod grid_read;
pub mod pattern;
mod sql;
pub mod staff;
pub mod submit;
pub mod waiting;
pub mod writer;

use anyhow::Context as _;
use sea_orm::{ConnectionTrait as _, DatabaseConnection};

use crate::clock::Clock;
use crate::outbox::OutboxSignal;

/// How long an idempotency key is remembered, unless the settings say otherwise.
pub const IDEMPOTENCY_TTL: chrono::Duration = chrono::Duration::hours(24);

/// The planning's shared parts, built once by the server.
#[derive(Clone)]
pub struct Planning {
    pub catalog: catalog::CatalogCache,
    pub writer: writer::BookingWriter,
}

impl Planning {
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        outbox: OutboxSignal,
        idempotency_ttl: chrono::Duration,
    ) -> Self {
        Self {
            catalog: catalog::CatalogCache::default(),
            writer: writer::BookingWriter::new(db, clock, outbox, idempotency_ttl),
        }
    }

    /// How long an idempotency key is remembered (a setting; the writer applies it).
    pub fn idempotency_ttl(&self) -> chrono::Duration {
        self.writer.idempotency_ttl()
    }
}

/// Forgets the idempotency keys older than `ttl`; returns how many. Safe to run on every
/// instance at once (a plain delete).
pub async fn purge_idempotency_keys(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    ttl: chrono::Duration,
) -> anyhow::Result<u64> {
    Ok(db
        .execute(&sql::purge_keys(crate::clock::before(now, ttl)))
        .await
        .context("Failed to purge idempotency keys")?
        .rows_affected())
}
