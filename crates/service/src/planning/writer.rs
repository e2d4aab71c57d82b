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

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{
    BookingBatchResponse, BookingLine, BookingLineResult, BookingStatus, LineAction, LineOutcome,
};
use portail_domain::rules::planning::{BookingMode, RefusalCode};
use portail_entity::{booking, idempotency_key};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Statement,
};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::sql::{self, NewBooking};
use crate::clock::Clock;
use crate::integrations::webhooks::{BookingData, booking_event};
use crate::mailer::OutgoingEmail;
use crate::outbox::{self, OutboxSignal};
use portail_domain::rules::webhooks::WebhookEvent;

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
    pub waiting: Option<Arc<super::waiting::WaitingRules>>,
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
    /// A staff member acting for the family; `true` forces past the capacity.
    pub staff: Option<(Uuid, bool)>,
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
    events: Vec<crate::integrations::webhooks::Event>,
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
            crate::integrations::webhooks::emit(&txn, &state.events, now).await?;
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

/// Makes sure every slot the batch may change exists, and on PostgreSQL locks them all, in
/// one order (unit, then date): two batches over overlapping days then queue behind each
/// other instead of deadlocking.
async fn lock_days<'a>(
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
        txn.execute(&sql::ensure_slot(*unit_id, *date, capacity))
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

fn refused(line: &BookingLine, code: RefusalCode) -> BookingLineResult {
    BookingLineResult {
        line: line.clone(),
        outcome: LineOutcome::Refused,
        code: Some(code),
        reason: Some(code.label_fr().to_owned()),
    }
}

fn done(line: &BookingLine, outcome: LineOutcome) -> BookingLineResult {
    BookingLineResult {
        line: line.clone(),
        outcome,
        code: None,
        reason: None,
    }
}

/// Reads what is stored for the batch's idempotency keys, in one statement, after taking
/// their advisory locks on PostgreSQL (a key locked by another transaction, on any instance,
/// is answered « in progress »). Holding the lock, or SQLite's write lock, no other
/// transaction can store the key before this one commits: the answers are inserted at the
/// end, in one statement ([`store_keys`]). Expired keys are deleted here, as the purge would.
async fn read_keys(
    txn: &DatabaseTransaction,
    jobs: &[&Job],
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> anyhow::Result<Keys> {
    let mut keys = Keys::default();
    let ids: HashSet<KeyId> = jobs
        .iter()
        .filter_map(|j| {
            j.submission
                .idempotency
                .as_ref()
                .map(|(key, _)| (j.submission.family_id, key.clone()))
        })
        .collect();
    if ids.is_empty() {
        return Ok(keys);
    }
    let backend = txn.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        for (family_id, key) in &ids {
            let locked = txn
                .query_one_raw(Statement::from_sql_and_values(
                    backend,
                    "SELECT pg_try_advisory_xact_lock($1)",
                    [key_lock(*family_id, key).into()],
                ))
                .await
                .context("Failed to lock an idempotency key")?
                .map(|row| row.try_get_by_index::<bool>(0))
                .transpose()
                .context("Failed to read an advisory lock")?;
            if locked != Some(true) {
                keys.busy.insert((*family_id, key.clone()));
            }
        }
    }
    let mut expired = Vec::new();
    for row in idempotency_key::Entity::find()
        .filter(sql::keys_condition(ids.iter()))
        .all(txn)
        .await
        .context("Failed to read idempotency keys")?
    {
        let id = (row.family_id, row.key);
        if crate::clock::after(row.created_at, ttl) < now {
            expired.push(id);
        } else {
            keys.stored.insert(id, (row.request_hash, row.response));
        }
    }
    if !expired.is_empty() {
        idempotency_key::Entity::delete_many()
            .filter(sql::keys_condition(expired.iter()))
            .exec(txn)
            .await
            .context("Failed to forget expired idempotency keys")?;
    }
    Ok(keys)
}

/// Inserts the answers of the recaps applied in this transaction, with their keys.
async fn store_keys(
    txn: &DatabaseTransaction,
    keys: &Keys,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if keys.new.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(keys.new.len());
    for ((family_id, key), (hash, response)) in &keys.new {
        rows.push(idempotency_key::ActiveModel {
            family_id: sea_orm::ActiveValue::Set(*family_id),
            key: sea_orm::ActiveValue::Set(key.clone()),
            request_hash: sea_orm::ActiveValue::Set(hash.clone()),
            response: sea_orm::ActiveValue::Set(serde_json::to_string(response)?),
            created_at: sea_orm::ActiveValue::Set(now),
        });
    }
    // A plain insert: a key stored meanwhile would be a broken guarantee, and fails the batch
    // (its recaps are then tried one by one, and the retry finds the key).
    idempotency_key::Entity::insert_many(rows)
        .exec(txn)
        .await
        .context("Failed to store idempotency keys")?;
    Ok(())
}

/// What the batch knows of a recap's key: `None` when the recap is to be applied.
fn known(
    state: &TxnState,
    submission: &Submission,
) -> anyhow::Result<Option<Result<BookingBatchResponse, WriteError>>> {
    let Some((key, hash)) = &submission.idempotency else {
        return Ok(None);
    };
    let id = (submission.family_id, key.clone());
    if state.keys.busy.contains(&id) {
        return Ok(Some(Err(WriteError::InProgress)));
    }
    if let Some((stored_hash, response)) = state.keys.stored.get(&id) {
        if stored_hash != hash {
            return Ok(Some(Err(WriteError::KeyReused)));
        }
        let answer = serde_json::from_str(response).context("a stored answer")?;
        return Ok(Some(Ok(answer)));
    }
    if let Some((first_hash, answer)) = state.keys.new.get(&id) {
        // The same key twice in one batch (a retry queued behind its first try).
        return Ok(Some(if first_hash == hash {
            Ok(answer.clone())
        } else {
            Err(WriteError::KeyReused)
        }));
    }
    Ok(None)
}

/// The advisory lock of a family's key: 64 bits of its SHA-256.
fn key_lock(family_id: Uuid, key: &str) -> i64 {
    use sha2::{Digest as _, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(family_id.as_bytes());
    hasher.update(key.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// One recap, inside the writer's transaction. `Err` only for what breaks the transaction;
/// a recap that is not applied (key in use or reused) is an `Ok(Err(..))` that changed nothing.
async fn apply(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<BookingBatchResponse, WriteError>> {
    if let Some(answer) = known(state, submission)? {
        return Ok(answer);
    }
    let mut slots: Vec<Option<BookingLineResult>> = vec![None; submission.lines.len()];
    let mut audit = Vec::new();
    // Cancellations first: a recap that swaps a day for a half-day frees the day before it
    // books the half-day (overlapping units), and frees places for the other lines.
    let order = (0..submission.lines.len())
        .filter(|&i| submission.lines[i].line.action == LineAction::Cancel)
        .chain(
            (0..submission.lines.len())
                .filter(|&i| submission.lines[i].line.action == LineAction::Book),
        );
    for i in order.collect::<Vec<_>>() {
        let prepared = &submission.lines[i];
        let line = &prepared.line;
        if let Some(code) = prepared.refusal {
            slots[i] = Some(refused(line, code));
            continue;
        }
        let (result, forced) = match line.action {
            LineAction::Book => book(txn, state, submission, prepared, now).await?,
            LineAction::Cancel => (cancel(txn, state, submission, prepared, now).await?, false),
        };
        if result.outcome != LineOutcome::Refused {
            audit.push((
                line.child_id,
                portail_domain::audit::staff_booking_detail(
                    line.action == LineAction::Book,
                    line.date,
                    forced,
                    &prepared.label,
                ),
            ));
        }
        slots[i] = Some(result);
    }
    let results: Vec<BookingLineResult> = slots.into_iter().flatten().collect();
    let total = results.len();
    let accepted = results
        .iter()
        .filter(|r| r.outcome != LineOutcome::Refused)
        .count();
    let response = BookingBatchResponse {
        accepted: u32::try_from(accepted).context("a recap's size")?,
        refused: u32::try_from(total.saturating_sub(accepted)).context("a recap's size")?,
        results,
    };
    if let Some((key, hash)) = &submission.idempotency {
        state.keys.new.insert(
            (submission.family_id, key.clone()),
            (hash.clone(), response.clone()),
        );
    }
    if let Some((staff_id, _)) = submission.staff {
        // The audit row commits with the booking it records.
        for (child_id, detail) in audit {
            crate::family::audit::record(
                txn,
                staff_id,
                portail_domain::audit::action::STAFF_BOOKING,
                Some(submission.family_id),
                Some(child_id),
                Some(detail),
                now,
            )
            .await?;
        }
    }
    if let (Some((to, first_name, commune)), true) = (&submission.email, accepted > 0) {
        let message = confirmation(to, first_name, commune, submission, &response);
        outbox::enqueue(txn, &message, None, now).await?;
    }
    Ok(Ok(response))
}

/// Does the child already hold, that day, a unit that overlaps this line's? On PostgreSQL
/// the child's row is locked first, so two recaps of one child on overlapping units (which
/// need not share a slot) are checked one after the other.
async fn holds_overlapping(
    txn: &DatabaseTransaction,
    prepared: &PreparedLine,
) -> anyhow::Result<bool> {
    if prepared.conflicting.is_empty() {
        return Ok(false);
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute(&sql::lock_child(prepared.line.child_id))
            .await
            .context("Failed to lock a child's day")?;
    }
    let held = booking::Entity::find()
        .filter(booking::Column::ChildId.eq(prepared.line.child_id))
        .filter(booking::Column::Date.eq(prepared.line.date))
        .filter(booking::Column::UnitId.is_in(prepared.conflicting.clone()))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Requested.as_str(),
        ]))
        .one(txn)
        .await
        .context("Failed to read a child's day")?;
    Ok(held.is_some())
}

/// Gives back one place on each of these units' slots of `date`.
async fn release_all(
    txn: &DatabaseTransaction,
    units: &[Uuid],
    date: NaiveDate,
) -> anyhow::Result<()> {
    for unit_id in units {
        txn.execute(&sql::release_place(*unit_id, date))
            .await
            .context("Failed to give a place back")?;
    }
    Ok(())
}

async fn book(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    prepared: &PreparedLine,
    now: DateTime<Utc>,
) -> anyhow::Result<(BookingLineResult, bool)> {
    let line = &prepared.line;
    let status = match prepared.mode {
        BookingMode::Instant => BookingStatus::Booked,
        BookingMode::Request => BookingStatus::Requested,
    };
    if holds_overlapping(txn, prepared).await? {
        return Ok((refused(line, RefusalCode::OverlappingUnit), false));
    }
    let forcing = matches!(submission.staff, Some((_, true)));
    let mut forced = false;
    // The slots a booked place is taken in: the unit's, and those of the units it covers.
    let mut holding: Vec<Uuid> = Vec::new();
    // A place kept for this child (waiting list in `offer` mode) is already held for it.
    let offered = match &prepared.waiting {
        Some(rules)
            if rules.mode == portail_domain::rules::waiting_list::WaitingListMode::Offer =>
        {
            super::waiting::take_offer(txn, line.child_id, line.unit_id, line.date, now).await?
        }
        _ => false,
    };
    if offered {
        holding = prepared.places().map(|(id, _)| id).collect();
    } else if status == BookingStatus::Booked {
        for (unit_id, _) in prepared.places() {
            let day = (unit_id, line.date);
            // The slots exist and are locked: see `lock_days`.
            let taken = !state.full.contains(&day)
                && txn
                    .execute(&sql::take_place(unit_id, line.date))
                    .await
                    .context("Failed to take a place")?
                    .rows_affected()
                    == 1;
            if !taken {
                state.full.insert(day);
                if !forcing {
                    release_all(txn, &holding, line.date).await?;
                    return Ok((refused(line, RefusalCode::Full), false));
                }
                txn.execute(&sql::force_place(unit_id, line.date))
                    .await
                    .context("Failed to force a place")?;
                forced = true;
            }
            holding.push(unit_id);
        }
    }
    let new = NewBooking {
        id: Uuid::now_v7(),
        family_id: submission.family_id,
        child_id: line.child_id,
        unit_id: line.unit_id,
        date: line.date,
        status,
        booked_by: submission.staff.map(|(id, _)| id),
        now,
    };
    let inserted = txn
        .execute(&sql::insert_booking(&new))
        .await
        .context("Failed to insert a booking")?
        .rows_affected()
        == 1;
    if !inserted {
        match (&prepared.waiting, offered) {
            (Some(rules), true) => {
                super::waiting::give_back(
                    txn,
                    &mut state.full,
                    rules,
                    line.unit_id,
                    line.date,
                    now,
                )
                .await?;
            }
            _ => {
                release_all(txn, &holding, line.date).await?;
                for unit_id in &holding {
                    state.full.remove(&(*unit_id, line.date));
                }
            }
        }
        return Ok((refused(line, RefusalCode::AlreadyBooked), false));
    }
    // A child who books a day it waits for is off the list. In `auto` mode a family cannot
    // meet a free place while children wait (the freed place went to them), so only staff
    // bookings and `offer` mode need the statement; a stale entry is closed by the next
    // promotion anyway (its booking refuses a second one).
    if let Some(rules) = &prepared.waiting
        && !offered
        && (submission.staff.is_some()
            || rules.mode == portail_domain::rules::waiting_list::WaitingListMode::Offer)
    {
        super::waiting::close_wait(txn, line.child_id, line.unit_id, line.date, now).await?;
    }
    let outcome = if status == BookingStatus::Booked {
        LineOutcome::Booked
    } else {
        LineOutcome::Requested
    };
    state.events.push(booking_event(
        WebhookEvent::BookingCreated,
        BookingData {
            id: new.id,
            family_id: new.family_id,
            child_id: new.child_id,
            unit_id: new.unit_id,
            date: new.date,
            status,
        },
    ));
    Ok((done(line, outcome), forced))
}

async fn cancel(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    prepared: &PreparedLine,
    now: DateTime<Utc>,
) -> anyhow::Result<BookingLineResult> {
    let line = &prepared.line;
    let active = booking::Entity::find()
        .filter(booking::Column::FamilyId.eq(submission.family_id))
        .filter(booking::Column::ChildId.eq(line.child_id))
        .filter(booking::Column::UnitId.eq(line.unit_id))
        .filter(booking::Column::Date.eq(line.date))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Requested.as_str(),
        ]))
        .one(txn)
        .await
        .context("Failed to find a booking to cancel")?;
    let Some(active) = active else {
        return Ok(refused(line, RefusalCode::NotBooked));
    };
    let from =
        portail_domain::string_enum::stored("booking status", &active.status, BookingStatus::parse)
            .map_err(anyhow::Error::from)?;
    let moved = txn
        .execute(&sql::move_booking(
            active.id,
            from,
            BookingStatus::Cancelled,
            now,
        ))
        .await
        .context("Failed to cancel a booking")?
        .rows_affected()
        == 1;
    if !moved {
        return Ok(refused(line, RefusalCode::NotBooked));
    }
    state.events.push(booking_event(
        WebhookEvent::BookingCancelled,
        BookingData {
            id: active.id,
            family_id: active.family_id,
            child_id: active.child_id,
            unit_id: active.unit_id,
            date: active.date,
            status: BookingStatus::Cancelled,
        },
    ));
    if from == BookingStatus::Booked {
        for (unit_id, _) in prepared.places() {
            txn.execute(&sql::release_place(unit_id, line.date))
                .await
                .context("Failed to give a place back")?;
            state.full.remove(&(unit_id, line.date));
        }
        // The place freed goes to the first waiting child, in this transaction.
        if let Some(rules) = &prepared.waiting {
            let freed: Vec<Uuid> = prepared.places().map(|(id, _)| id).collect();
            super::waiting::fill(txn, &mut state.full, rules, line.date, &freed, now).await?;
        }
    }
    Ok(done(line, LineOutcome::Cancelled))
}

fn confirmation(
    to: &str,
    first_name: &str,
    commune: &str,
    submission: &Submission,
    response: &BookingBatchResponse,
) -> OutgoingEmail {
    let mut changes = Vec::new();
    for (prepared, result) in submission.lines.iter().zip(&response.results) {
        let verb = match result.outcome {
            LineOutcome::Booked => "Réservé",
            LineOutcome::Requested => "Souhait envoyé (en attente de réponse)",
            LineOutcome::Cancelled => "Annulé",
            LineOutcome::Refused => continue,
        };
        changes.push(format!(
            "- {verb} : {} — {}",
            prepared.label,
            portail_domain::format::date_fr(prepared.line.date)
        ));
    }
    use portail_domain::format::of_place;
    let refused = response.refused;
    // Crèche wishes are sent, not booked: the e-mail says which it is.
    let only_wishes = response
        .results
        .iter()
        .filter(|r| r.outcome != LineOutcome::Refused)
        .all(|r| r.outcome == LineOutcome::Requested);
    let (heading, subject) = if only_wishes {
        (
            "Vos souhaits de réservation sont envoyés à la structure, qui vous répondra par e-mail",
            "Vos souhaits sont envoyés — Portail Famille",
        )
    } else {
        (
            "Vos changements dans «\u{a0}Mon planning\u{a0}» sont enregistrés",
            "Vos réservations sont enregistrées — Portail Famille",
        )
    };
    let mut text = format!(
        "Bonjour {first_name},\n\n{heading} :\n\n{}\n\n",
        changes.join("\n")
    );
    if refused > 0 {
        let lines = if refused == 1 {
            "1 ligne n'a pas pu être enregistrée".to_owned()
        } else {
            format!("{refused} lignes n'ont pas pu être enregistrées")
        };
        text.push_str(&format!(
            "{lines} : le détail est affiché dans «\u{a0}Mon planning\u{a0}».\n\n"
        ));
    }
    text.push_str(&format!(
        "Le Portail Famille de la commune {}\n",
        of_place(commune)
    ));
    OutgoingEmail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html: None,
    }
}
