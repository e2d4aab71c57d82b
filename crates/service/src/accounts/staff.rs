//! Staff accounts: created from the command line (with a password shown once) or by an
//! administrator (with an e-mailed invitation to choose the password).

use anyhow::Context as _;
use chrono::Utc;
use portail_domain::api::StaffResponse;
use portail_domain::auth::{AccountKind, StaffRole};
use portail_domain::parse::Email;
use portail_entity::staff;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait, QueryOrder};
use secrecy::SecretString;
use uuid::Uuid;

use super::email_tokens::{self, Purpose};
use crate::emails::{self, Recipient};
use crate::password::{PasswordError, PasswordHasher};
use crate::{Context, outbox};

/// A password hash that matches no password: the account exists but cannot log in until its
/// owner chooses a password from the invitation.
const NO_PASSWORD: &str = "!";

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

fn row(
    email: &Email,
    display_name: String,
    role: StaffRole,
    password_hash: String,
) -> staff::ActiveModel {
    let now = Utc::now();
    staff::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn insert_error(error: sea_orm::DbErr) -> CreateStaffError {
    if crate::db::is_unique_violation(&error) {
        CreateStaffError::EmailTaken
    } else {
        CreateStaffError::Unexpected(
            anyhow::Error::new(error).context("Failed to insert a staff account"),
        )
    }
}

/// From the command line: the password is given (and shown once by the caller).
#[tracing::instrument(skip_all, fields(staff.role = new.role.as_str()))]
pub async fn create(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    new: NewStaff,
) -> Result<staff::Model, CreateStaffError> {
    let password_hash = hasher.hash(&new.password).await?;
    row(&new.email, new.display_name, new.role, password_hash)
        .insert(db)
        .await
        .map_err(insert_error)
}

/// By an administrator: the new member receives a link to choose a password (valid 7 days).
#[tracing::instrument(skip_all, fields(staff.role = role.as_str()))]
pub async fn invite(
    ctx: &Context,
    email: &Email,
    display_name: String,
    role: StaffRole,
) -> Result<StaffResponse, CreateStaffError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let created = row(email, display_name, role, NO_PASSWORD.to_owned())
        .insert(&txn)
        .await
        .map_err(insert_error)?;
    let token = email_tokens::issue(
        &txn,
        Purpose::StaffInvitation,
        AccountKind::Staff,
        created.id,
        now,
    )
    .await?;
    let link = ctx.link(&format!("/admin/mot-de-passe#jeton={token}"));
    let commune = super::commune_name(&txn).await?;
    let message = emails::staff_invitation(
        &Recipient {
            to: &created.email,
            first_name: &created.display_name,
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(&txn, &message, Some(&link), now).await?;
    txn.commit()
        .await
        .context("Failed to commit an invitation")?;
    ctx.outbox.wake();
    Ok(response(created))
}

pub async fn list(db: &DatabaseConnection) -> anyhow::Result<Vec<StaffResponse>> {
    let rows = staff::Entity::find()
        .order_by_asc(staff::Column::DisplayName)
        .all(db)
        .await
        .context("Failed to list the staff")?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let services = crate::family::review::staff_services(db, row.id).await?;
        items.push(StaffResponse {
            services,
            ..response(row)
        });
    }
    Ok(items)
}

pub async fn get(db: &DatabaseConnection, id: Uuid) -> anyhow::Result<Option<StaffResponse>> {
    let Some(row) = staff::Entity::find_by_id(id)
        .one(db)
        .await
        .context("Failed to read a staff account")?
    else {
        return Ok(None);
    };
    let services = crate::family::review::staff_services(db, row.id).await?;
    Ok(Some(StaffResponse {
        services,
        ..response(row)
    }))
}

fn response(row: staff::Model) -> StaffResponse {
    StaffResponse {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: StaffRole::parse(&row.role).unwrap_or(StaffRole::Agent),
        active: row.active,
        services: Vec::new(),
    }
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
