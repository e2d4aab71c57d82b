//! Staff accounts.

use chrono::Utc;
use portail_domain::auth::StaffRole;
use portail_domain::parse::Email;
use portail_entity::staff;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, DbErr, SqlErr};
use secrecy::SecretString;
use uuid::Uuid;

use crate::password::{PasswordError, PasswordHasher};

pub struct NewStaff {
    pub email: Email,
    pub display_name: String,
    pub role: StaffRole,
    pub password: SecretString,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("a staff account already uses this e-mail address")]
    EmailTaken,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[tracing::instrument(skip_all, fields(staff.role = new.role.as_str()))]
pub async fn create(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    new: NewStaff,
) -> Result<staff::Model, CreateStaffError> {
    let password_hash = hasher.hash(&new.password).await?;
    let now = Utc::now();
    let row = staff::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.as_str().to_owned()),
        display_name: Set(new.display_name),
        password_hash: Set(password_hash),
        role: Set(new.role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    };
    row.insert(db).await.map_err(|error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => CreateStaffError::EmailTaken,
        _ => CreateStaffError::Unexpected(
            anyhow::Error::new(error).context("Failed to insert a staff account"),
        ),
    })
}

/// Is this a unique-constraint violation? (One helper, used wherever a duplicate is expected.)
pub fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// A random password for an account created from the command line, shown once.
pub fn generate_password() -> SecretString {
    use rand::Rng as _;
    // No look-alike characters (0/O, 1/l/I): the password is read off a terminal.
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let password: String = (0..20)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    SecretString::from(password)
}
