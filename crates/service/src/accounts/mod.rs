//! Family and staff accounts: registration, e-mail confirmation, login, sessions, passwords.
//!
//! Family and staff accounts live in two tables but follow the same rules; [`AccountRef`]
//! lets one function serve both realms.

pub mod email_tokens;
pub mod login;
pub mod password;
pub mod profile;
pub mod register;
pub mod session_cache;
pub mod sessions;
pub mod staff;
pub mod verification;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::auth::AccountKind;
use portail_entity::{commune, family_account, guardian, staff as staff_entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The parts of a family or staff account that the shared rules need.
#[derive(Debug, Clone)]
pub struct AccountRef {
    pub kind: AccountKind,
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub active: bool,
    pub email_verified: bool,
    pub family_id: Option<Uuid>,
    pub role: Option<portail_domain::auth::StaffRole>,
}

impl From<family_account::Model> for AccountRef {
    fn from(row: family_account::Model) -> Self {
        Self {
            kind: AccountKind::Family,
            id: row.id,
            email: row.email,
            password_hash: row.password_hash,
            active: row.active,
            email_verified: row.email_verified_at.is_some(),
            family_id: Some(row.family_id),
            role: None,
        }
    }
}

impl From<staff_entity::Model> for AccountRef {
    fn from(row: staff_entity::Model) -> Self {
        Self {
            kind: AccountKind::Staff,
            id: row.id,
            email: row.email,
            password_hash: row.password_hash,
            active: row.active,
            // Staff addresses are given by an administrator and proved by the invitation.
            email_verified: true,
            family_id: None,
            role: portail_domain::auth::StaffRole::parse(&row.role),
        }
    }
}

pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    kind: AccountKind,
    email: &str,
) -> anyhow::Result<Option<AccountRef>> {
    Ok(match kind {
        AccountKind::Family => family_account::Entity::find()
            .filter(family_account::Column::Email.eq(email))
            .one(conn)
            .await
            .context("Failed to look up a family account")?
            .map(AccountRef::from),
        AccountKind::Staff => staff_entity::Entity::find()
            .filter(staff_entity::Column::Email.eq(email))
            .one(conn)
            .await
            .context("Failed to look up a staff account")?
            .map(AccountRef::from),
    })
}

pub async fn find_by_id<C: ConnectionTrait>(
    conn: &C,
    kind: AccountKind,
    id: Uuid,
) -> anyhow::Result<Option<AccountRef>> {
    Ok(match kind {
        AccountKind::Family => family_account::Entity::find_by_id(id)
            .one(conn)
            .await
            .context("Failed to read a family account")?
            .map(AccountRef::from),
        AccountKind::Staff => staff_entity::Entity::find_by_id(id)
            .one(conn)
            .await
            .context("Failed to read a staff account")?
            .map(AccountRef::from),
    })
}

pub async fn set_password_hash<C: ConnectionTrait>(
    conn: &C,
    kind: AccountKind,
    id: Uuid,
    hash: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    match kind {
        AccountKind::Family => {
            family_account::Entity::update_many()
                .col_expr(family_account::Column::PasswordHash, Expr::value(hash))
                .col_expr(family_account::Column::UpdatedAt, Expr::value(now))
                .filter(family_account::Column::Id.eq(id))
                .exec(conn)
                .await
        }
        AccountKind::Staff => {
            staff_entity::Entity::update_many()
                .col_expr(staff_entity::Column::PasswordHash, Expr::value(hash))
                .col_expr(staff_entity::Column::UpdatedAt, Expr::value(now))
                .filter(staff_entity::Column::Id.eq(id))
                .exec(conn)
                .await
        }
    }
    .context("Failed to store a new password hash")?;
    Ok(())
}

/// How to greet the account's owner in an e-mail.
pub async fn first_name<C: ConnectionTrait>(
    conn: &C,
    account: &AccountRef,
) -> anyhow::Result<String> {
    match (account.kind, account.family_id) {
        (AccountKind::Family, Some(family_id)) => Ok(guardian::Entity::find()
            .filter(guardian::Column::FamilyId.eq(family_id))
            .filter(guardian::Column::Rank.eq(1))
            .one(conn)
            .await
            .context("Failed to read the account holder")?
            .map(|g| g.first_name)
            .unwrap_or_default()),
        _ => Ok(staff_entity::Entity::find_by_id(account.id)
            .one(conn)
            .await
            .context("Failed to read a staff account")?
            .map(|s| s.display_name)
            .unwrap_or_default()),
    }
}

/// The commune's name for e-mails (« votre commune » before it is configured).
pub async fn commune_name<C: ConnectionTrait>(conn: &C) -> anyhow::Result<String> {
    Ok(commune::Entity::find_by_id(1)
        .one(conn)
        .await
        .context("Failed to read the commune")?
        .map_or_else(|| "votre commune".to_owned(), |c| c.name))
}

/// Where the web app's pages for each realm live.
pub fn login_path(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "/",
        AccountKind::Staff => "/admin",
    }
}

pub fn reset_path(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "/mot-de-passe/nouveau",
        AccountKind::Staff => "/admin/mot-de-passe",
    }
}

pub fn forgot_path(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Family => "/mot-de-passe-oublie",
        AccountKind::Staff => "/admin/mot-de-passe-oublie",
    }
}
