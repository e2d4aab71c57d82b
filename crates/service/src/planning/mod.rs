//! Mon planning: the month grid, recaps committed line by line with capacity that holds under
//! any concurrency, cancellations, and the staff's configuration, attendance and requests.

pub mod catalog;
pub mod facts;
pub mod grid;
mod grid_read;
mod sql;
pub mod staff;
pub mod submit;
pub mod writer;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::clock::Clock;
use crate::outbox::OutboxSignal;

/// The planning's shared parts, built once by the server.
#[derive(Clone)]
pub struct Planning {
    pub catalog: catalog::CatalogCache,
    pub writer: writer::BookingWriter,
    /// Recaps being committed right now, by (family, idempotency key).
    in_flight: Arc<Mutex<HashSet<(Uuid, String)>>>,
}

impl Planning {
    pub fn new(db: DatabaseConnection, clock: Clock, outbox: OutboxSignal) -> Self {
        Self {
            catalog: catalog::CatalogCache::default(),
            writer: writer::BookingWriter::new(db, clock, outbox),
            in_flight: Arc::default(),
        }
    }

    /// Marks a key as being committed; `false` if it already is.
    fn start(&self, family_id: Uuid, key: &str) -> bool {
        self.in_flight
            .lock()
            .map(|mut set| set.insert((family_id, key.to_owned())))
            .unwrap_or(false)
    }

    fn finish(&self, family_id: Uuid, key: &str) {
        if let Ok(mut set) = self.in_flight.lock() {
            set.remove(&(family_id, key.to_owned()));
        }
    }
}
