//! Password hashing with argon2id, off the async workers and bounded in number.
//!
//! One hash costs about 40 ms of a core and 19 MiB of memory (TOOLCHAIN.md): a burst of logins
//! must not starve the request workers nor exhaust memory, so hashes run on the blocking pool
//! behind a semaphore, and a caller that cannot get a slot quickly gets `Busy` (HTTP 503).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// OWASP's argon2id recommendation: m=19 MiB, t=2, p=1.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("too many password hashes in flight")]
    Busy,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Hashes and verifies passwords; cheap to clone, shared by the whole server.
#[derive(Clone)]
pub struct PasswordHasher {
    slots: Arc<Semaphore>,
    max_in_flight: usize,
    wait: Duration,
    verifications: Arc<AtomicU64>,
    queue: Arc<QueueStats>,
}

/// How long hash computations waited for a slot (for the metrics).
#[derive(Debug, Default)]
struct QueueStats {
    admitted: AtomicU64,
    waited_micros: AtomicU64,
    refused: AtomicU64,
}

/// A reading of the password-hash queue since start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueReading {
    /// Computations that got a slot.
    pub admitted: u64,
    /// Their total wait for it, in seconds.
    pub waited_seconds: f64,
    /// Computations refused after waiting the whole bound (answered 503).
    pub refused: u64,
    /// Computations running now.
    pub in_flight: u64,
}

impl PasswordHasher {
    /// `max_in_flight` bounds memory at about 19 MiB each.
    pub fn new(max_in_flight: usize, wait: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max_in_flight.max(1))),
            max_in_flight: max_in_flight.max(1),
            wait,
            verifications: Arc::default(),
            queue: Arc::default(),
        }
    }

    /// A sensible bound for this machine: two hashes per core, at most 16 (≈ 300 MiB).
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.saturating_mul(2).min(16), Duration::from_secs(5))
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, PasswordError> {
        let password = password.clone();
        self.run(move || {
            let hash = argon2()?
                .hash_password(password.expose_secret().as_bytes())
                .map_err(|e| anyhow::anyhow!("Failed to hash a password: {e}"))?;
            Ok(hash.to_string())
        })
        .await
    }

    /// `Ok(false)` for a wrong password; `Err` only when the hash itself is unusable.
    pub async fn verify(&self, password: &SecretString, hash: &str) -> Result<bool, PasswordError> {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let password = password.clone();
        let hash = hash.to_owned();
        self.run(move || {
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| anyhow::anyhow!("Failed to parse a stored password hash: {e}"))?;
            Ok(argon2()?
                .verify_password(password.expose_secret().as_bytes(), &parsed)
                .is_ok())
        })
        .await
    }

    /// How many verifications were asked for since start (for metrics and tests).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// The queue's figures since start.
    pub fn queue(&self) -> QueueReading {
        QueueReading {
            admitted: self.queue.admitted.load(Ordering::Relaxed),
            waited_seconds: self.queue.waited_micros.load(Ordering::Relaxed) as f64 / 1e6,
            refused: self.queue.refused.load(Ordering::Relaxed),
            in_flight: u64::try_from(
                self.max_in_flight
                    .saturating_sub(self.slots.available_permits()),
            )
            .unwrap_or(0),
        }
    }

    async fn run<T, F>(&self, work: F) -> Result<T, PasswordError>
    where
        F: FnOnce() -> anyhow::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let asked = std::time::Instant::now();
        let permit = match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await
        {
            Ok(Ok(permit)) => permit,
            _ => {
                self.queue.refused.fetch_add(1, Ordering::Relaxed);
                return Err(PasswordError::Busy);
            }
        };
        let waited = u64::try_from(asked.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.queue.admitted.fetch_add(1, Ordering::Relaxed);
        self.queue
            .waited_micros
            .fetch_add(waited, Ordering::Relaxed);
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| anyhow::anyhow!("Password hashing task failed: {e}"))?;
        Ok(result?)
    }
}

fn argon2() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|e| anyhow::anyhow!("Invalid argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let hasher = PasswordHasher::new(2, Duration::from_secs(5));
        let password = SecretString::from("correct horse battery staple");
        let hash = hasher.hash(&password).await.expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify(&password, &hash).await.expect("verify"));
        let wrong = SecretString::from("correct horse battery stapler");
        assert!(!hasher.verify(&wrong, &hash).await.expect("verify"));
    }

    #[tokio::test]
    async fn a_caller_that_cannot_get_a_slot_is_told_busy() {
        let hasher = PasswordHasher::new(1, Duration::from_millis(1));
        let held = hasher.slots.clone().acquire_owned().await.expect("permit");
        let result = hasher
            .hash(&SecretString::from("whatever long password"))
            .await;
        assert!(matches!(result, Err(PasswordError::Busy)));
        drop(held);
    }
}
