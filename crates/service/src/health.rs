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
