//! The booking writer: recaps are committed by a few writer tasks, each taking every recap
//! waiting in the queue into **one** transaction (group commit) and answering each caller
//! after the commit. On SQLite there is one writer (one write lock anyway) and its
//! transaction takes the lock up front (`BEGIN IMMEDIATE`); on PostgreSQL several writers run
//! side by side, row locks on the day's slot keeping capacity exact. Either way the capacity
//! check is a guarded update inside the transaction, never a read followed by a write.
//!
//! Across processes (several `portail serve` on one PostgreSQL):
//! - a batch locks the slots it touches **in one order** (unit, then date) before any line is
//!   applied, so two writers never wait on each other in a cycle; a deadlock or serialization
//!   failure that still happens (a child's wish rows, say) retries the whole batch;
//! - an idempotency key is claimed at the start of the transaction that applies its recap
//!   (on PostgreSQL by a transaction-scoped advisory lock, which answers « in progress » to a
//!   concurrent transaction on any instance; on SQLite by the write lock), read once for the
//!   whole batch, and stored with its answer by the same transaction: a later transaction
//!   with the same key replays the stored answer, or refuses another body;
//! - the writers start with the application and, at shutdown, commit what is queued and
//!   refuse what comes after: an acknowledged recap is committed, a refused one changed
//!   nothing (docs/planning.md).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{BookingBatchResponse, BookingLine};
use portail_domain::rules::planning::{BookingMode, RefusalCode};
use sea_orm::{DatabaseBackend, DatabaseConnection};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

mod apply;
mod idempotency;
mod locks;

use self::apply::*;
use self::idempotency::*;
use self::locks::*;
use crate::clock::Clock;
use crate::outbox::OutboxSignal;

/// A line that passed (or failed) the rules checked before the writer.
#[derive(Debug, Clone)]
pub struct PreparedLine {
    pub line: BookingLine,
    pub refusal: Option<RefusalCode>,
    pub mode: BookingMode,
    pub default_capacity: u32,
    /// The units whose places this one takes too, with their default capacities (a « Journée »
    /// covers « Matin » and « Après-midi »).
    pub covered: Vec<(Uuid, u32)>,
    /// The units a child cannot hold on the same day as this one.
    pub conflicting: Vec<Uuid>,
    /// For the confirmation e-mail: « ALJA — Journée avec repas — Léa ».
    pub label: String,
    /// The service's waiting list (none: it keeps none): a cancellation serves it, a booking
    /// takes a place kept for the child or ends its wait.
    pub waiting: Option<Arc<crate::planning::waiting::WaitingRules>>,
}

impl PreparedLine {
    /// The unit and the units it covers: every slot a booking of this line takes a place in.
    fn places(&self) -> impl Iterator<Item = (Uuid, u32)> + '_ {
        std::iter::once((self.line.unit_id, self.default_capacity))
            .chain(self.covered.iter().copied())
    }
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub family_id: Uuid,
    pub lines: Vec<PreparedLine>,
    /// `(key, request hash)`.
    pub idempotency: Option<(String, String)>,
    /// Where to send the confirmation e-mail, if there is something to confirm.
    pub email: Option<(String, String, String)>,
    /// A staff member acting for the family.
    pub staff: Option<ActingStaff>,
}

/// A staff member booking for a family (at the counter, or from the family's file): no
/// booking window, cut-off or weekday rule; `force` books past the capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActingStaff {
    pub staff_id: portail_domain::ids::StaffId,
    pub force: bool,
}

/// Why a recap was not applied.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("a recap with this key is being committed")]
    InProgress,
    #[error("this key was used for another recap")]
    KeyReused,
    #[error("the server is stopping")]
    ShuttingDown,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

type Reply = oneshot::Sender<Result<BookingBatchResponse, WriteError>>;

struct Job {
    submission: Submission,
    reply: Reply,
}

#[derive(Clone)]
pub struct BookingWriter {
    db: DatabaseConnection,
    clock: Clock,
    outbox: OutboxSignal,
    writers: usize,
    /// Keys older than this are forgotten: a recap sent again with one is a new recap.
    idempotency_ttl: chrono::Duration,
    queue: mpsc::Sender<Job>,
    receiver: Arc<Mutex<mpsc::Receiver<Job>>>,
    /// Set by [`BookingWriter::start`]; cleared by [`BookingWriter::shutdown`].
    open: Arc<AtomicBool>,
    /// Tells the writers to commit what is queued and stop.
    stop: Arc<tokio::sync::watch::Sender<bool>>,
    tasks: Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

/// What one transaction has learnt, so that it does not ask the database twice: the slots it
/// has made sure exist, the slots it found full (a guarded update failed, and only a
/// cancellation in this same transaction can free a place: on SQLite the transaction holds
/// the write lock; on PostgreSQL a place freed meanwhile by another writer is simply seen by
/// the next transaction), and the idempotency keys to store, in one statement at the end.
#[derive(Default)]
struct TxnState {
    full: HashSet<(Uuid, NaiveDate)>,
    /// The batch's webhook events, written in its transaction.
    events: Vec<crate::events::Event>,
    /// The batch's idempotency keys: what is stored, what is held by another transaction,
    /// and the answers of this transaction, inserted in one statement before it commits.
    keys: Keys,
}

type KeyId = (Uuid, String);

#[derive(Default)]
struct Keys {
    /// Stored (and not expired): request hash and answer.
    stored: std::collections::HashMap<KeyId, (String, String)>,
    /// PostgreSQL: another transaction holds the key's advisory lock.
    busy: HashSet<KeyId>,
    /// Applied in this transaction: request hash and answer.
    new: std::collections::HashMap<KeyId, (String, BookingBatchResponse)>,
}

/// Recaps in one transaction at most.
const MAX_BATCH: usize = 64;

impl BookingWriter {
    pub fn new(
        db: DatabaseConnection,
        clock: Clock,
        outbox: OutboxSignal,
        idempotency_ttl: chrono::Duration,
    ) -> Self {
        let writers = match db.get_database_backend() {
            DatabaseBackend::Sqlite => 1,
            _ => 4,
        };
        let (queue, receiver) = mpsc::channel::<Job>(4096);
        Self {
            db,
            clock,
            outbox,
            writers,
            idempotency_ttl,
            queue,
            receiver: Arc::new(Mutex::new(receiver)),
            open: Arc::default(),
            stop: Arc::new(tokio::sync::watch::channel(false).0),
            tasks: Arc::default(),
        }
    }

    pub fn idempotency_ttl(&self) -> chrono::Duration {
        self.idempotency_ttl
    }

    /// Starts the writer tasks (once; the application calls it at start-up).
    pub fn start(&self) {
        if self.open.swap(true, Ordering::SeqCst) {
            return;
        }
        let mut tasks = self
            .tasks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for _ in 0..self.writers {
            let me = self.clone();
            tasks.push(tokio::spawn(async move { me.run().await }));
        }
    }

    /// Refuses new recaps, commits every recap already queued, and waits for the writers.
    pub async fn shutdown(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.stop.send_replace(true);
        let tasks = std::mem::take(
            &mut *self
                .tasks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        for task in tasks {
            task.await.ok();
        }
        // A recap that slipped in after the writers' last look is answered « stopping »
        // (its reply is dropped): it changed nothing. Later ones cannot be sent at all.
        let mut rx = self.receiver.lock().await;
        rx.close();
        while rx.try_recv().is_ok() {}
        tracing::info!("booking writers stopped after committing their queue");
    }

    /// Commits a recap; returns once it is durable.
    pub async fn submit(&self, submission: Submission) -> Result<BookingBatchResponse, WriteError> {
        if !self.open.load(Ordering::SeqCst) {
            return Err(WriteError::ShuttingDown);
        }
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Job { submission, reply })
            .await
            .map_err(|_| WriteError::ShuttingDown)?;
        // A closed queue drops what is sent after it closed: that recap changed nothing.
        answer.await.map_err(|_| WriteError::ShuttingDown)?
    }

    async fn run(self) {
        let mut stop = self.stop.subscribe();
        loop {
            let mut batch = Vec::new();
            {
                let mut rx = self.receiver.lock().await;
                // Once stopping, take what is queued without waiting, and end when it is empty.
                let first = tokio::select! {
                    job = rx.recv() => job,
                    _ = stop.wait_for(|stopping| *stopping) => rx.try_recv().ok(),
                };
                let Some(first) = first else {
                    return;
                };
                batch.push(first);
                while batch.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
            }
            self.commit_batch(batch).await;
        }
    }

    /// One transaction for the whole batch, tried again on a deadlock or a serialization
    /// failure.
    async fn try_batch(
        &self,
        jobs: &[&Job],
        now: DateTime<Utc>,
    ) -> anyhow::Result<Vec<Result<BookingBatchResponse, WriteError>>> {
        crate::db::retry("a batch of recaps", || async {
            let txn = crate::db::begin(&self.db)
                .await
                .context("Failed to begin a booking transaction")?;
            let mut state = TxnState {
                keys: read_keys(&txn, jobs, now, self.idempotency_ttl).await?,
                ..TxnState::default()
            };
            lock_days(&txn, jobs.iter().map(|j| &j.submission)).await?;
            let mut answers = Vec::with_capacity(jobs.len());
            for job in jobs {
                answers.push(apply(&txn, &mut state, &job.submission, now).await?);
            }
            store_keys(&txn, &state.keys, now).await?;
            crate::events::emit(&txn, &state.events, now).await?;
            txn.commit().await.context("Failed to commit bookings")?;
            Ok::<_, anyhow::Error>(answers)
        })
        .await
    }

    async fn commit_batch(&self, batch: Vec<Job>) {
        let now = self.clock.now();
        let all: Vec<&Job> = batch.iter().collect();
        match self.try_batch(&all, now).await {
            Ok(answers) => {
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.reply.send(answer);
                }
                self.outbox.wake();
            }
            // One recap broke the transaction: commit the others one by one, so a bad one
            // does not take its neighbours down.
            Err(error) if batch.len() > 1 => {
                tracing::warn!(error = %format!("{error:#}"), size = batch.len(), "a booking batch failed; retrying its recaps one by one");
                for job in batch {
                    let alone = match self.try_batch(&[&job], now).await {
                        Ok(mut answers) => answers.pop().unwrap_or_else(|| {
                            Err(anyhow::anyhow!("a batch of one gave no answer").into())
                        }),
                        Err(error) => Err(error.into()),
                    };
                    let _ = job.reply.send(alone);
                }
                self.outbox.wake();
            }
            Err(error) => {
                for job in batch {
                    let _ = job.reply.send(Err(anyhow::anyhow!("{error:#}").into()));
                }
            }
        }
    }
}
