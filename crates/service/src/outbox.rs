//! The transactional outbox: an e-mail is a row written in the same transaction as the change
//! it tells about, and a background worker sends the rows over SMTP, retrying with backoff.
//! If the SMTP server is down nothing is lost: the mail leaves when it is back.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use portail_entity::outbox_email;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use crate::clock::Clock;
use crate::mailer::{Mailer, OutgoingEmail};

/// How long a worker holds a row while it sends it (another worker skips it meanwhile).
const LEASE: Duration = Duration::minutes(2);
const BATCH: u64 = 20;

/// Wakes the worker when a row is written, so a mail leaves at once rather than at the next
/// poll.
#[derive(Clone, Default)]
pub struct OutboxSignal(Arc<Notify>);

impl OutboxSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Writes an e-mail into the outbox, inside the caller's transaction.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    email: &OutgoingEmail,
    action_link: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    outbox_email::ActiveModel {
        id: Set(Uuid::now_v7()),
        to_address: Set(email.to.clone()),
        subject: Set(email.subject.clone()),
        text_body: Set(email.text.clone()),
        html_body: Set(email.html.clone()),
        action_link: Set(action_link.map(str::to_owned)),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
    }
    .insert(conn)
    .await
    .context("Failed to write an e-mail into the outbox")?;
    Ok(())
}

pub struct OutboxWorker {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub clock: Clock,
    pub signal: OutboxSignal,
    /// The longest wait between two attempts at one e-mail.
    pub max_backoff: StdDuration,
    /// How often the outbox is read even when nobody wakes the worker.
    pub poll_every: StdDuration,
}

impl OutboxWorker {
    /// Sends until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!("outbox worker started");
        loop {
            if let Err(error) = self.send_due().await {
                tracing::error!(error = ?error, "outbox worker failed to read the outbox");
            }
            tokio::select! {
                () = self.signal.0.notified() => {}
                () = tokio::time::sleep(self.poll_every) => {}
                _ = shutdown.changed() => {
                    tracing::info!("outbox worker stopped");
                    return;
                }
            }
        }
    }

    /// Sends every e-mail that is due; returns how many left.
    pub async fn send_due(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let due = outbox_email::Entity::find()
            .filter(outbox_email::Column::SentAt.is_null())
            .filter(outbox_email::Column::NextAttemptAt.lte(now))
            .order_by_asc(outbox_email::Column::CreatedAt)
            .limit(BATCH)
            .all(&self.db)
            .await
            .context("Failed to read the outbox")?;
        let mut sent = 0_usize;
        for row in due {
            if self.claim(&row, now).await? {
                sent = sent.saturating_add(usize::from(self.send_one(row, now).await?));
            }
        }
        Ok(sent)
    }

    /// Takes a lease on the row, unless another worker has.
    async fn claim(&self, row: &outbox_email::Model, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let result = outbox_email::Entity::update_many()
            .col_expr(
                outbox_email::Column::NextAttemptAt,
                Expr::value(crate::clock::after(now, LEASE)),
            )
            .filter(outbox_email::Column::Id.eq(row.id))
            .filter(outbox_email::Column::NextAttemptAt.eq(row.next_attempt_at))
            .filter(outbox_email::Column::SentAt.is_null())
            .exec(&self.db)
            .await
            .context("Failed to lease an outbox row")?;
        Ok(result.rows_affected == 1)
    }

    async fn send_one(&self, row: outbox_email::Model, now: DateTime<Utc>) -> anyhow::Result<bool> {
        let email = OutgoingEmail {
            to: row.to_address.clone(),
            subject: row.subject.clone(),
            text: row.text_body.clone(),
            html: row.html_body.clone(),
        };
        let attempts = row.attempts.saturating_add(1);
        let mut update: outbox_email::ActiveModel = row.clone().into();
        update.attempts = Set(attempts);
        let outcome = self.mailer.send(&email).await;
        let sent = outcome.is_ok();
        match outcome {
            Ok(()) => {
                update.sent_at = Set(Some(self.clock.now()));
                update.last_error = Set(None);
                tracing::info!(outbox.id = %row.id, attempts, "e-mail sent");
                if let (Mailer::Files { .. }, Some(link)) = (&self.mailer, &row.action_link) {
                    // Demo mode (no SMTP server): the link is in the .eml anyway.
                    tracing::info!(to = %row.to_address, subject = %row.subject, link = %link, "e-mail written to a file; its link");
                }
            }
            Err(error) => {
                let wait = backoff(attempts, self.max_backoff);
                update.next_attempt_at = Set(crate::clock::after(now, wait));
                update.last_error = Set(Some(format!("{error:#}")));
                tracing::warn!(outbox.id = %row.id, attempts, retry_in_s = wait.num_seconds(), error = %format!("{error:#}"), "e-mail not sent; will retry");
            }
        }
        update
            .update(&self.db)
            .await
            .context("Failed to record an outbox attempt")?;
        Ok(sent)
    }
}

/// 2, 4, 8… seconds after each failed attempt, up to `max`.
pub fn backoff(attempts: i32, max: StdDuration) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20)).unwrap_or(20);
    let secs = 2_i64.saturating_pow(exponent);
    let max_secs = i64::try_from(max.as_secs()).unwrap_or(i64::MAX).max(1);
    Duration::seconds(secs.min(max_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let max = StdDuration::from_secs(300);
        let waits: Vec<i64> = (1..=10).map(|a| backoff(a, max).num_seconds()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(backoff(5, StdDuration::from_secs(1)).num_seconds(), 1);
    }
}
