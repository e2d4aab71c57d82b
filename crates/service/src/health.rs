//! Is the service able to do its work?

use portail_domain::api::{ComponentStatus, HealthResponse, HealthStatus};
use sea_orm::DatabaseConnection;

pub async fn check(db: &DatabaseConnection) -> HealthResponse {
    let database = match db.ping().await {
        Ok(()) => ComponentStatus::Reachable,
        Err(error) => {
            tracing::warn!(error = %error, "database ping failed");
            ComponentStatus::Unreachable
        }
    };
    let status = match database {
        ComponentStatus::Reachable => HealthStatus::Ok,
        ComponentStatus::Unreachable => HealthStatus::Degraded,
    };
    HealthResponse {
        status,
        database,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// What the metrics scrape reads from the database: the work waiting in the queues.
#[derive(Debug, Default, Clone, Copy)]
pub struct QueueGauges {
    /// E-mails not sent yet, and how long the oldest has waited.
    pub outbox_pending: u64,
    pub outbox_oldest_pending_seconds: f64,
    /// Webhook deliveries given up on, and those being retried after a failure.
    pub webhook_deliveries_failed: u64,
    pub webhook_deliveries_retrying: u64,
}

pub async fn queue_gauges(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<QueueGauges> {
    use anyhow::Context as _;
    use sea_orm::{ConnectionTrait as _, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT \
             (SELECT COUNT(*) FROM outbox_email WHERE sent_at IS NULL), \
             (SELECT MIN(created_at) FROM outbox_email WHERE sent_at IS NULL), \
             (SELECT COUNT(*) FROM webhook_delivery WHERE status = 'failed'), \
             (SELECT COUNT(*) FROM webhook_delivery WHERE status = 'pending' AND attempts > 0)",
        ))
        .await
        .context("Failed to read the queues")?
        .context("no row")?;
    let count = |i: usize| -> anyhow::Result<u64> {
        Ok(u64::try_from(row.try_get_by_index::<i64>(i)?).unwrap_or(0))
    };
    let oldest: Option<chrono::DateTime<chrono::Utc>> = row.try_get_by_index(1)?;
    Ok(QueueGauges {
        outbox_pending: count(0)?,
        outbox_oldest_pending_seconds: oldest.map_or(0.0, |at| {
            now.signed_duration_since(at).num_milliseconds().max(0) as f64 / 1000.0
        }),
        webhook_deliveries_failed: count(2)?,
        webhook_deliveries_retrying: count(3)?,
    })
}

/// Is every migration this program knows applied? (`/health/ready`.)
pub async fn migrations_current(db: &DatabaseConnection) -> bool {
    use migration::MigratorTrait as _;
    migration::Migrator::get_pending_migrations(db)
        .await
        .is_ok_and(|pending| pending.is_empty())
}

/// The pool's connections in use, idle, and its bound.
pub fn pool_usage(db: &DatabaseConnection) -> (u32, u32, u32) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(0);
            (
                pool.size().saturating_sub(idle),
                idle,
                pool.options().get_max_connections(),
            )
        }
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(0);
            (
                pool.size().saturating_sub(idle),
                idle,
                pool.options().get_max_connections(),
            )
        }
        _ => (0, 0, 0),
    }
}
