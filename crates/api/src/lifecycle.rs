//! The server's life: serving, then draining after SIGTERM (the requests in flight finish, new
//! ones get a 503 with `Retry-After`, `/health/ready` says no), then stopped. The middleware
//! that counts the requests in flight is `crate::observe`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Default)]
pub struct Lifecycle {
    draining: AtomicBool,
    in_flight: AtomicUsize,
}

impl Lifecycle {
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// From now on, new requests are refused; those in flight go on.
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no request is in flight, or `bound` has passed; true when all finished.
    pub async fn drained(&self, bound: Duration) -> bool {
        let deadline = Instant::now() + bound;
        while self.in_flight() > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

/// A request in flight, counted until it is dropped.
pub(crate) struct InFlight(Arc<Lifecycle>);

impl InFlight {
    pub(crate) fn enter(lifecycle: Arc<Lifecycle>) -> Self {
        lifecycle.in_flight.fetch_add(1, Ordering::SeqCst);
        Self(lifecycle)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
