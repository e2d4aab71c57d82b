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
use crate::change::{Audit, Change};
use crate::emails::{self, Recipient};
use crate::password::{PasswordError, PasswordHasher};
use crate::{Context, outbox};
use portail_domain::ids::StaffId;

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
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "an invitation")
        .await?;
    Ok(response(created)?)
}

pub async fn list(db: &DatabaseConnection) -> anyhow::Result<Vec<StaffResponse>> {
    let rows = staff::Entity::find()
        .order_by_asc(staff::Column::DisplayName)
        .all(db)
        .await
        .context("Failed to list the staff")?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let services = crate::family::review::staff_services(db, StaffId::from(row.id)).await?;
        items.push(StaffResponse {
            services,
            ..response(row)?
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
    let services = crate::family::review::staff_services(db, StaffId::from(row.id)).await?;
    Ok(Some(StaffResponse {
        services,
        ..response(row)?
    }))
}

fn response(row: staff::Model) -> anyhow::Result<StaffResponse> {
    Ok(StaffResponse {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: portail_domain::string_enum::stored("staff role", &row.role, StaffRole::parse)?,
        active: row.active,
        services: Vec::new(),
    })
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

#[derive(Debug, thiserror::Error)]
pub enum DeactivateError {
    #[error("no such staff account")]
    NotFound,
    #[error("the last active administrator")]
    LastAdministrator,
    #[error("an administrator does not deactivate their own account")]
    Yourself,
    #[error("webhooks need another administrator to take them over: {0:?}")]
    WebhooksNeedAnOwner(Vec<String>),
    #[error("the one taking the webhooks over is not an active administrator")]
    NewOwnerNotAdmin,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Who deactivates: an administrator from the screens (who takes the webhooks over), or the
/// command line (for the last administrator locked out of the screens), which names the
/// administrator taking the webhooks over, if there are any.
pub enum Deactivator {
    Admin(Uuid),
    CommandLine { webhooks_to: Option<Uuid> },
}

/// Deactivates a staff account: its sessions end on every instance at once (staff sessions
/// are read from the database on every request), its API keys stop (they act under their
/// creator, checked on every call), its webhooks pass to another administrator. The last
/// active administrator cannot be deactivated; two administrators deactivating each other at
/// the same moment leave one (the active administrators are locked, then counted).
pub async fn deactivate(
    ctx: &Context,
    target: Uuid,
    by: Deactivator,
) -> Result<portail_domain::api::StaffDeactivationResponse, DeactivateError> {
    use portail_domain::api::{StaffDeactivationResponse, TakenOverWebhook};
    use portail_entity::{api_key, session, webhook};
    use sea_orm::sea_query::{Expr, LockType};
    use sea_orm::{
        ColumnTrait as _, ConnectionTrait as _, PaginatorTrait as _, QueryFilter as _,
        QuerySelect as _,
    };

    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let mut admins = staff::Entity::find()
        .filter(staff::Column::Role.eq(StaffRole::Admin.as_str()))
        .filter(staff::Column::Active.eq(true));
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        admins = admins.lock(LockType::Update);
    }
    let admins = admins
        .all(&txn)
        .await
        .context("Failed to read the administrators")?;
    let row = staff::Entity::find_by_id(target)
        .one(&txn)
        .await
        .context("Failed to read a staff account")?
        .ok_or(DeactivateError::NotFound)?;
    if let Deactivator::Admin(admin) = by
        && admin == target
    {
        return Err(DeactivateError::Yourself);
    }
    if row.active && row.role == StaffRole::Admin.as_str() && admins.len() <= 1 {
        return Err(DeactivateError::LastAdministrator);
    }
    let new_owner = match by {
        Deactivator::Admin(admin) => Some(admin),
        Deactivator::CommandLine { webhooks_to } => webhooks_to,
    };
    let owned = webhook::Entity::find()
        .filter(webhook::Column::CreatedBy.eq(target))
        .filter(webhook::Column::DeletedAt.is_null())
        .all(&txn)
        .await
        .context("Failed to read the webhooks")?;
    let owner = match (owned.is_empty(), new_owner) {
        (true, _) => None,
        (false, None) => {
            return Err(DeactivateError::WebhooksNeedAnOwner(
                owned.into_iter().map(|w| w.url).collect(),
            ));
        }
        (false, Some(owner)) => Some(
            admins
                .iter()
                .find(|a| a.id == owner && a.id != target)
                .ok_or(DeactivateError::NewOwnerNotAdmin)?
                .clone(),
        ),
    };
    if let Some(owner) = &owner {
        webhook::Entity::update_many()
            .col_expr(webhook::Column::CreatedBy, Expr::value(owner.id))
            .filter(webhook::Column::CreatedBy.eq(target))
            .filter(webhook::Column::DeletedAt.is_null())
            .exec(&txn)
            .await
            .context("Failed to hand the webhooks over")?;
    }
    let sessions_ended = session::Entity::find()
        .filter(session::Column::AccountKind.eq(AccountKind::Staff.as_str()))
        .filter(session::Column::AccountId.eq(target))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .count(&txn)
        .await
        .context("Failed to count the sessions")?;
    super::sessions::revoke_all(
        &ctx.sessions,
        &txn,
        AccountKind::Staff,
        target,
        "deactivated",
        now,
    )
    .await?;
    let api_keys_stopped = api_key::Entity::find()
        .filter(api_key::Column::CreatedBy.eq(target))
        .filter(api_key::Column::RevokedAt.is_null())
        .count(&txn)
        .await
        .context("Failed to count the API keys")?;
    staff::Entity::update_many()
        .col_expr(staff::Column::Active, Expr::value(false))
        .col_expr(staff::Column::UpdatedAt, Expr::value(now))
        .filter(staff::Column::Id.eq(target))
        .exec(&txn)
        .await
        .context("Failed to deactivate a staff account")?;
    let (actor, detail) = match by {
        Deactivator::Admin(admin) => (admin, row.email.clone()),
        Deactivator::CommandLine { .. } => (target, format!("{};cli", row.email)),
    };
    Change::at(now)
        .audit(
            Audit::by(
                StaffId::from(actor),
                portail_domain::audit::action::DEACTIVATE_STAFF,
            )
            .target(target)
            .detail(detail),
        )
        .commit(txn, &ctx.outbox, "a deactivation")
        .await?;
    let staff = StaffResponse {
        active: false,
        ..response(row)?
    };
    Ok(StaffDeactivationResponse {
        staff,
        sessions_ended,
        api_keys_stopped,
        webhooks_taken_over: if owner.is_some() {
            owned
                .into_iter()
                .map(|w| TakenOverWebhook {
                    id: w.id,
                    url: w.url,
                })
                .collect()
        } else {
            Vec::new()
        },
        webhooks_taken_over_by: owner.map(|o| o.display_name),
    })
}

/// Gives a deactivated account its access back (a new login; its old sessions stay ended).
pub async fn reactivate(
    ctx: &Context,
    target: Uuid,
    admin: Uuid,
) -> anyhow::Result<Option<StaffResponse>> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(row) = staff::Entity::find_by_id(target)
        .one(&txn)
        .await
        .context("Failed to read a staff account")?
    else {
        return Ok(None);
    };
    if !row.active {
        staff::Entity::update_many()
            .col_expr(staff::Column::Active, Expr::value(true))
            .col_expr(staff::Column::UpdatedAt, Expr::value(now))
            .filter(staff::Column::Id.eq(target))
            .exec(&txn)
            .await
            .context("Failed to reactivate a staff account")?;
        Audit::by(
            StaffId::from(admin),
            portail_domain::audit::action::REACTIVATE_STAFF,
        )
        .target(target)
        .detail(row.email.clone())
        .write(&txn, now)
        .await?;
    }
    txn.commit()
        .await
        .context("Failed to commit a reactivation")?;
    get(&ctx.db, target).await
}

/// The staff account with this address (for the command line).
pub async fn find_by_email(db: &DatabaseConnection, email: &Email) -> anyhow::Result<Option<Uuid>> {
    use sea_orm::{ColumnTrait as _, QueryFilter as _};
    Ok(staff::Entity::find()
        .filter(staff::Column::Email.eq(email.as_str()))
        .one(db)
        .await
        .context("Failed to read a staff account")?
        .map(|s| s.id))
}
