//! What every handler can reach: built once at startup, shared by all workers.

use std::sync::Arc;

use portail_service::mailer::Mailer;
use portail_service::password::PasswordHasher;
use sea_orm::DatabaseConnection;

use crate::configuration::Config;

pub struct AppState {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    pub hasher: PasswordHasher,
    pub config: Arc<Config>,
}
