//! The booking writer: recaps are committed by a few writer tasks, each taking every recap
//! waiting in the queue into **one** transaction (group commit) and answering each caller
//! after the commit. On SQLite there is one writer (one write lock anyway) and its
//! transaction takes the lock up front (`BEGIN IMMEDIATE`); on PostgreSQL several writers run
//! side by side, row locks on the day's slot keeping capacity exact. Either way the capacity
//! check is a guarded update inside the transaction, never a read followed by a write.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{
    BookingBatchResponse, BookingLine, BookingLineResult, BookingStatus, LineAction, LineOutcome,
};
use portail_domain::rules::planning::{BookingMode, RefusalCode};
use portail_entity::{booking, idempotency_key};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter,
};
use tokio::sync::{Mutex, mpsc, oneshot};
use uuid::Uuid;

use super::sql::{self, NewBooking};
use crate::clock::Clock;
use crate::mailer::OutgoingEmail;
use crate::outbox::{self, OutboxSignal};

/// A line that passed (or failed) the rules checked before the writer.
#[derive(Debug, Clone)]
pub struct PreparedLine {
    pub line: BookingLine,
    pub refusal: Option<RefusalCode>,
    pub mode: BookingMode,
    pub default_capacity: u32,
    /// For the confirmation e-mail: « ALJA — Journée avec repas — Léa ».
    pub label: String,
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

type Reply = oneshot::Sender<anyhow::Result<BookingBatchResponse>>;

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
    queue: Arc<OnceLock<mpsc::Sender<Job>>>,
}

/// What one transaction has learnt, so that it does not ask the database twice: the slots it
/// has made sure exist, the slots it found full (a guarded update failed, and only a
/// cancellation in this same transaction can free a place: on SQLite the transaction holds
/// the write lock; on PostgreSQL a place freed meanwhile by another writer is simply seen by
/// the next transaction), and the idempotency keys to store, in one statement at the end.
#[derive(Default)]
struct TxnState {
    ensured: HashSet<(Uuid, NaiveDate)>,
    full: HashSet<(Uuid, NaiveDate)>,
    keys: Vec<idempotency_key::ActiveModel>,
}

impl TxnState {
    async fn flush(&mut self, txn: &DatabaseTransaction) -> anyhow::Result<()> {
        if self.keys.is_empty() {
            return Ok(());
        }
        idempotency_key::Entity::insert_many(std::mem::take(&mut self.keys))
            .on_conflict_do_nothing_on([
                idempotency_key::Column::FamilyId,
                idempotency_key::Column::Key,
            ])
            .exec(txn)
            .await
            .context("Failed to remember idempotency keys")?;
        Ok(())
    }
}

/// Recaps in one transaction at most.
const MAX_BATCH: usize = 64;

impl BookingWriter {
    pub fn new(db: DatabaseConnection, clock: Clock, outbox: OutboxSignal) -> Self {
        let writers = match db.get_database_backend() {
            sea_orm::DatabaseBackend::Sqlite => 1,
            _ => 4,
        };
        Self {
            db,
            clock,
            outbox,
            writers,
            queue: Arc::default(),
        }
    }

    fn sender(&self) -> mpsc::Sender<Job> {
        self.queue
            .get_or_init(|| {
                let (tx, rx) = mpsc::channel::<Job>(4096);
                let rx = Arc::new(Mutex::new(rx));
                for _ in 0..self.writers {
                    let me = self.clone();
                    let rx = rx.clone();
                    tokio::spawn(async move { me.run(rx).await });
                }
                tx
            })
            .clone()
    }

    /// Commits a recap; returns once it is durable.
    pub async fn submit(&self, submission: Submission) -> anyhow::Result<BookingBatchResponse> {
        let (reply, answer) = oneshot::channel();
        self.sender()
            .send(Job { submission, reply })
            .await
            .map_err(|_| anyhow::anyhow!("the booking writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the booking writer dropped a recap"))?
    }

    async fn run(self, rx: Arc<Mutex<mpsc::Receiver<Job>>>) {
        loop {
            let mut batch = Vec::new();
            {
                let mut rx = rx.lock().await;
                let Some(first) = rx.recv().await else {
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

    async fn commit_batch(&self, batch: Vec<Job>) {
        let now = self.clock.now();
        let together = async {
            let txn = crate::db::begin(&self.db)
                .await
                .context("Failed to begin a booking transaction")?;
            let mut state = TxnState::default();
            let mut answers = Vec::with_capacity(batch.len());
            for job in &batch {
                answers.push(apply(&txn, &mut state, &job.submission, now).await?);
            }
            state.flush(&txn).await?;
            txn.commit().await.context("Failed to commit bookings")?;
            Ok::<_, anyhow::Error>(answers)
        }
        .await;
        match together {
            Ok(answers) => {
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
                self.outbox.wake();
            }
            // One recap broke the transaction: commit the others one by one, so a bad one
            // does not take its neighbours down.
            Err(error) if batch.len() > 1 => {
                tracing::warn!(error = %format!("{error:#}"), size = batch.len(), "a booking batch failed; retrying its recaps one by one");
                for job in batch {
                    let alone = async {
                        let txn = crate::db::begin(&self.db).await?;
                        let mut state = TxnState::default();
                        let answer = apply(&txn, &mut state, &job.submission, now).await?;
                        state.flush(&txn).await?;
                        txn.commit().await?;
                        Ok::<_, anyhow::Error>(answer)
                    }
                    .await;
                    let _ = job.reply.send(alone);
                }
                self.outbox.wake();
            }
            Err(error) => {
                for job in batch {
                    let _ = job.reply.send(Err(anyhow::anyhow!("{error:#}")));
                }
            }
        }
    }
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

/// One recap, inside the writer's transaction.
async fn apply(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    now: DateTime<Utc>,
) -> anyhow::Result<BookingBatchResponse> {
    let mut results = Vec::with_capacity(submission.lines.len());
    for prepared in &submission.lines {
        let line = &prepared.line;
        if let Some(code) = prepared.refusal {
            results.push(refused(line, code));
            continue;
        }
        let result = match line.action {
            LineAction::Book => book(txn, state, submission, prepared, now).await?,
            LineAction::Cancel => cancel(txn, state, submission, prepared, now).await?,
        };
        results.push(result);
    }
    let accepted = u32::try_from(
        results
            .iter()
            .filter(|r| r.outcome != LineOutcome::Refused)
            .count(),
    )
    .unwrap_or(0);
    let response = BookingBatchResponse {
        refused: u32::try_from(results.len()).unwrap_or(0) - accepted,
        accepted,
        results,
    };
    if let Some((key, hash)) = &submission.idempotency {
        state.keys.push(idempotency_key::ActiveModel {
            family_id: Set(submission.family_id),
            key: Set(key.clone()),
            request_hash: Set(hash.clone()),
            response: Set(serde_json::to_string(&response)?),
            created_at: Set(now),
        });
    }
    if let (Some((to, first_name, commune)), true) = (&submission.email, accepted > 0) {
        let message = confirmation(to, first_name, commune, submission, &response);
        outbox::enqueue(txn, &message, None, now).await?;
    }
    Ok(response)
}

async fn book(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    prepared: &PreparedLine,
    now: DateTime<Utc>,
) -> anyhow::Result<BookingLineResult> {
    let line = &prepared.line;
    let status = match prepared.mode {
        BookingMode::Instant => BookingStatus::Booked,
        BookingMode::Request => BookingStatus::Requested,
    };
    let day = (line.unit_id, line.date);
    let forcing = matches!(submission.staff, Some((_, true)));
    if status == BookingStatus::Booked {
        if state.full.contains(&day) && !forcing {
            return Ok(refused(line, RefusalCode::Full));
        }
        if state.ensured.insert(day) {
            txn.execute(&sql::ensure_slot(
                line.unit_id,
                line.date,
                prepared.default_capacity,
            ))
            .await
            .context("Failed to create a slot")?;
        }
        let taken = txn
            .execute(&sql::take_place(line.unit_id, line.date))
            .await
            .context("Failed to take a place")?
            .rows_affected()
            == 1;
        if !taken {
            state.full.insert(day);
            match submission.staff {
                Some((_, true)) => {
                    txn.execute(&sql::force_place(line.unit_id, line.date))
                        .await
                        .context("Failed to force a place")?;
                }
                _ => return Ok(refused(line, RefusalCode::Full)),
            }
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
        if status == BookingStatus::Booked {
            txn.execute(&sql::release_place(line.unit_id, line.date))
                .await
                .context("Failed to give a place back")?;
        }
        return Ok(refused(line, RefusalCode::AlreadyBooked));
    }
    Ok(done(
        line,
        if status == BookingStatus::Booked {
            LineOutcome::Booked
        } else {
            LineOutcome::Requested
        },
    ))
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
    let from = BookingStatus::parse(&active.status).unwrap_or(BookingStatus::Booked);
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
    if from == BookingStatus::Booked {
        txn.execute(&sql::release_place(line.unit_id, line.date))
            .await
            .context("Failed to give a place back")?;
        state.full.remove(&(line.unit_id, line.date));
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
            LineOutcome::Requested => "Souhait enregistré (en attente de réponse)",
            LineOutcome::Cancelled => "Annulé",
            LineOutcome::Refused => continue,
        };
        changes.push(format!(
            "- {verb} : {} — {}",
            prepared.label,
            portail_domain::format::date_fr(prepared.line.date)
        ));
    }
    let refused = response.refused;
    let mut text = format!(
        "Bonjour {first_name},\n\nVos changements dans « Mon planning » sont enregistrés :\n\n{}\n\n",
        changes.join("\n")
    );
    if refused > 0 {
        text.push_str(&format!("{refused} ligne(s) n'ont pas pu être enregistrées : le détail est affiché dans votre planning.\n\n"));
    }
    text.push_str(&format!("Le Portail Famille de la commune de {commune}\n"));
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Vos réservations sont enregistrées — Portail Famille".to_owned(),
        text,
        html: None,
    }
}
