//! Jobs that must run once per period across every instance (the daily backup, the
//! retention job): the first instance to insert the period's row does the work.

use anyhow::Context as _;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};

/// Claims `job` for `period` (say « 2027-03-10 »): true for the one caller that inserted the
/// row, false for every other, whichever instance it runs on.
pub async fn claim(
    db: &DatabaseConnection,
    job: &str,
    period: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<bool> {
    let inserted = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "INSERT INTO job_run (job, period, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [Value::from(job), Value::from(period), Value::from(now)],
        ))
        .await
        .context("Failed to claim a job")?;
    Ok(inserted.rows_affected() == 1)
}

/// Writes what the claimed run did (shown to operators, kept with the claim).
pub async fn record_outcome(
    db: &DatabaseConnection,
    job: &str,
    period: &str,
    outcome: &str,
) -> anyhow::Result<()> {
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE job_run SET outcome = $1 WHERE job = $2 AND period = $3",
        [Value::from(outcome), Value::from(job), Value::from(period)],
    ))
    .await
    .context("Failed to record a job's outcome")?;
    Ok(())
}
