//! Changing a password (knowing the current one), and resetting a forgotten one by e-mail.
//! Either way every session of the account ends: old access and refresh tokens fail at once.

use anyhow::Context as _;
use chrono::Duration;
use portail_domain::auth::AccountKind;
use portail_domain::parse::{Email, FieldErrors};
use portail_entity::family_account;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;
use uuid::Uuid;

use super::AccountRef;
use super::email_tokens::{self, Purpose};
use super::login::{self, LoginError};
use super::sessions::{self, IssuedSession};
use crate::change::Change;
use crate::emails::{self, Recipient};
use crate::password::PasswordError;
use crate::{Context, outbox};

/// A reset link may be requested once a minute at most per account.
pub const RESET_REQUEST_INTERVAL: Duration = Duration::seconds(60);

#[derive(Debug, thiserror::Error)]
pub enum ChangePasswordError {
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("too many failures")]
    Locked { retry_after: Duration },
    #[error("invalid new password")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum ResetPasswordError {
    #[error("the link is unknown, used or expired")]
    InvalidOrExpired,
    #[error("invalid new password")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Changes the password and replaces every session of the account by a new one for the caller.
#[tracing::instrument(skip_all, fields(account.id = %account_id))]
pub async fn change(
    ctx: &Context,
    kind: AccountKind,
    account_id: Uuid,
    current: &SecretString,
    new: &str,
    confirmation: &str,
    remember: bool,
) -> Result<IssuedSession, ChangePasswordError> {
    let account = super::find_by_id(&ctx.db, kind, account_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the caller's account is gone"))?;
    let password = portail_domain::parse::new_password(&account.email, new, confirmation)
        .map_err(ChangePasswordError::Invalid)?;
    match login::verify_credentials(ctx, kind, &account.email, current).await {
        Ok(_) => {}
        Err(LoginError::Locked { retry_after }) => {
            return Err(ChangePasswordError::Locked { retry_after });
        }
        Err(LoginError::InvalidCredentials | LoginError::EmailNotVerified) => {
            return Err(ChangePasswordError::WrongCurrentPassword);
        }
        Err(LoginError::Password(e)) => return Err(e.into()),
        Err(LoginError::Unexpected(e)) => return Err(e.into()),
    }
    let hash = ctx
        .hasher
        .hash(&SecretString::from(password.expose().to_owned()))
        .await?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    super::set_password_hash(&txn, kind, account.id, &hash, now).await?;
    sessions::revoke_all(
        &ctx.sessions,
        &txn,
        kind,
        account.id,
        "password_changed",
        now,
    )
    .await?;
    email_tokens::revoke_all(&txn, Purpose::ResetPassword, kind, account.id, now).await?;
    notify_change(ctx, &txn, &account, now).await?;
    let issued = sessions::open(&txn, &account, remember, now).await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a password change")
        .await?;
    tracing::info!("password changed; other sessions revoked");
    Ok(issued)
}

/// Sends a reset link when the address has an active account (at most once a minute). Says
/// nothing either way.
#[tracing::instrument(skip_all, fields(realm = kind.as_str()))]
pub async fn request_reset(
    ctx: &Context,
    kind: AccountKind,
    raw_email: &str,
) -> anyhow::Result<()> {
    let Ok(email) = Email::parse(raw_email) else {
        return Ok(());
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(account) = super::find_by_email(&txn, kind, email.as_str()).await? else {
        return Ok(());
    };
    if !account.active {
        return Ok(());
    }
    let last = email_tokens::last_issued_at(&txn, Purpose::ResetPassword, kind, account.id).await?;
    if last.is_some_and(|at| now.signed_duration_since(at) < RESET_REQUEST_INTERVAL) {
        return Ok(());
    }
    email_tokens::revoke_all(&txn, Purpose::ResetPassword, kind, account.id, now).await?;
    let token = email_tokens::issue(&txn, Purpose::ResetPassword, kind, account.id, now).await?;
    let link = ctx.link(&format!("{}#jeton={token}", super::reset_path(kind)));
    let first_name = super::first_name(&txn, &account).await?;
    let commune = super::commune_name(&txn).await?;
    let message = emails::reset_password(
        &Recipient {
            to: &account.email,
            first_name: &first_name,
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(&txn, &message, Some(&link), now).await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a reset request")
        .await?;
    Ok(())
}

/// Sets a new password from an e-mailed link (reset, or a staff invitation), ending every
/// session. The link also proves the address: a family account becomes confirmed.
#[tracing::instrument(skip_all, fields(realm = kind.as_str()))]
pub async fn reset(
    ctx: &Context,
    kind: AccountKind,
    token: &str,
    new: &str,
    confirmation: &str,
) -> Result<(), ResetPasswordError> {
    let now = ctx.clock.now();
    // Check the password before spending the token, so a typo does not burn the link.
    let purposes: &[Purpose] = match kind {
        AccountKind::Family => &[Purpose::ResetPassword, Purpose::FamilyInvitation],
        AccountKind::Staff => &[Purpose::ResetPassword, Purpose::StaffInvitation],
    };
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(row) = email_tokens::consume(&txn, purposes, kind, token, now).await? else {
        return Err(ResetPasswordError::InvalidOrExpired);
    };
    let account = super::find_by_id(&txn, kind, row.account_id)
        .await?
        .ok_or(ResetPasswordError::InvalidOrExpired)?;
    // On a validation error the transaction is dropped: the token stays usable.
    let password = portail_domain::parse::new_password(&account.email, new, confirmation)
        .map_err(ResetPasswordError::Invalid)?;
    let hash = ctx
        .hasher
        .hash(&SecretString::from(password.expose().to_owned()))
        .await?;
    super::set_password_hash(&txn, kind, account.id, &hash, now).await?;
    sessions::revoke_all(&ctx.sessions, &txn, kind, account.id, "password_reset", now).await?;
    email_tokens::revoke_all(&txn, Purpose::ResetPassword, kind, account.id, now).await?;
    if kind == AccountKind::Family {
        family_account::Entity::update_many()
            .col_expr(family_account::Column::EmailVerifiedAt, Expr::value(now))
            .filter(family_account::Column::Id.eq(account.id))
            .filter(family_account::Column::EmailVerifiedAt.is_null())
            .exec(&txn)
            .await
            .context("Failed to confirm the address by reset")?;
    }
    if row.purpose == Purpose::ResetPassword.as_str() {
        notify_change(ctx, &txn, &account, now).await?;
    }
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a password reset")
        .await?;
    tracing::info!(account.id = %account.id, "password set from an e-mailed link; sessions revoked");
    Ok(())
}

async fn notify_change<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    account: &AccountRef,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let first_name = super::first_name(conn, account).await?;
    let commune = super::commune_name(conn).await?;
    let message = emails::password_changed(
        &Recipient {
            to: &account.email,
            first_name: &first_name,
            commune: &commune,
        },
        &ctx.link(super::forgot_path(account.kind)),
    );
    outbox::enqueue(conn, &message, None, now).await
}
