//! What the use-cases need besides their arguments, built once by the server.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use tokio::sync::OnceCell;

use crate::accounts::session_cache::SessionCache;
use crate::clock::Clock;
use crate::outbox::OutboxSignal;
use crate::password::{PasswordError, PasswordHasher};
use crate::planning::Planning;
use crate::storage::DocumentStore;

#[derive(Clone)]
pub struct Context {
    pub db: DatabaseConnection,
    pub hasher: PasswordHasher,
    pub clock: Clock,
    pub outbox: OutboxSignal,
    /// The address parents use (`https://portail.avermes.fr`), for the links in e-mails.
    pub public_url: String,
    /// Where uploaded documents are kept.
    pub documents: DocumentStore,
    /// The planning's catalog cache and booking writer.
    pub planning: Planning,
    /// Open sessions remembered for a few seconds, revocations tombstoned.
    pub sessions: Arc<SessionCache>,
    /// The online payment provider (off unless configured).
    pub payments: crate::billing::provider::Provider,
    dummy_hash: Arc<OnceCell<String>>,
}

impl Context {
    pub fn new(
        db: DatabaseConnection,
        hasher: PasswordHasher,
        clock: Clock,
        outbox: OutboxSignal,
        public_url: String,
        documents: DocumentStore,
    ) -> Self {
        Self {
            planning: Planning::new(
                db.clone(),
                clock.clone(),
                outbox.clone(),
                crate::planning::IDEMPOTENCY_TTL,
            ),
            db,
            hasher,
            clock,
            outbox,
            public_url,
            documents,
            sessions: Arc::default(),
            payments: crate::billing::provider::Provider::Off,
            dummy_hash: Arc::default(),
        }
    }

    /// The same context, with an online payment provider.
    pub fn with_payments(mut self, provider: crate::billing::provider::Provider) -> Self {
        self.payments = provider;
        self
    }

    /// The same context, with idempotency keys kept `ttl` (a setting).
    pub fn with_idempotency_ttl(mut self, ttl: chrono::Duration) -> Self {
        self.planning = Planning::new(
            self.db.clone(),
            self.clock.clone(),
            self.outbox.clone(),
            ttl,
        );
        self
    }

    /// A link into the web app.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// Spends one password verification on nothing, so that an unknown address costs as much
    /// time as a known one.
    pub async fn verify_against_dummy(&self, password: &SecretString) -> Result<(), PasswordError> {
        let hash = self
            .dummy_hash
            .get_or_try_init(|| async {
                self.hasher
                    .hash(&SecretString::from(crate::tokens::generate()))
                    .await
            })
            .await?;
        self.hasher.verify(password, hash).await.map(|_| ())
    }
}
