//! Logging in, for families and staff alike, with the per-address throttle of
//! `portail_domain::rules::login_throttle`.

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use portail_domain::auth::AccountKind;
use portail_domain::parse::Email;
use portail_domain::rules::login_throttle::{self, ThrottleState};
use portail_entity::login_throttle as throttle_row;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use secrecy::SecretString;

use super::AccountRef;
use super::sessions::{self, IssuedSession};
use crate::password::PasswordError;
use crate::{Context, tokens};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong e-mail address or password")]
    InvalidCredentials,
    #[error("too many failures for this address")]
    Locked { retry_after: Duration },
    #[error("the e-mail address is not confirmed yet")]
    EmailNotVerified,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Checks the address and password, and opens a session.
///
/// The same work is done whether the address has an account or not (one password
/// verification, one throttle update), and the answer is the same, so that nobody can learn
/// which addresses are registered.
#[tracing::instrument(skip_all, fields(realm = kind.as_str()))]
pub async fn login(
    ctx: &Context,
    kind: AccountKind,
    raw_email: &str,
    password: &SecretString,
    remember: bool,
) -> Result<IssuedSession, LoginError> {
    let account = verify_credentials(ctx, kind, raw_email, password).await?;
    if !account.email_verified {
        return Err(LoginError::EmailNotVerified);
    }
    Ok(sessions::open_now(ctx, &account, remember).await?)
}

/// The account whose address and password these are, counting failures against the address.
pub async fn verify_credentials(
    ctx: &Context,
    kind: AccountKind,
    raw_email: &str,
    password: &SecretString,
) -> Result<AccountRef, LoginError> {
    let normalized = Email::parse(raw_email).map_or_else(
        |_| raw_email.trim().to_lowercase(),
        |e| e.as_str().to_owned(),
    );
    let key = throttle_key(kind, &normalized);
    let now = ctx.clock.now();
    let state = load(&ctx.db, &key).await?;
    if let Err(wait) = login_throttle::check(state.as_ref(), now) {
        return Err(LoginError::Locked { retry_after: wait });
    }
    let account = super::find_by_email(&ctx.db, kind, &normalized).await?;
    let matches = match &account {
        Some(account) if account.active && account.password_hash.starts_with("$argon2") => {
            ctx.hasher.verify(password, &account.password_hash).await?
        }
        // Unknown address, disabled account, or a staff member who has not chosen a password
        // yet: spend the same time, and fail.
        _ => {
            ctx.verify_against_dummy(password).await?;
            false
        }
    };
    match account {
        Some(account) if matches => {
            clear(&ctx.db, &key).await?;
            Ok(account)
        }
        _ => {
            let next = record_failure(&ctx.db, &key, state.as_ref(), now).await?;
            tracing::info!(
                failures = next.failures,
                locked = next.locked_until.is_some(),
                "login failed"
            );
            Err(LoginError::InvalidCredentials)
        }
    }
}

/// The throttle is keyed by a digest of the address: unknown addresses are throttled too,
/// without being stored in clear.
fn throttle_key(kind: AccountKind, normalized_email: &str) -> String {
    format!("{}:{}", kind.as_str(), tokens::digest(normalized_email))
}

async fn load<C: ConnectionTrait>(conn: &C, key: &str) -> anyhow::Result<Option<ThrottleState>> {
    let row = throttle_row::Entity::find_by_id(key.to_owned())
        .one(conn)
        .await
        .context("Failed to read the login throttle")?;
    Ok(row.map(|r| ThrottleState {
        failures: u32::try_from(r.failures).unwrap_or(0),
        window_started_at: r.window_started_at,
        locked_until: r.locked_until,
    }))
}

/// Counts one more failure (and locks the address when it is one too many).
async fn record_failure<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    state: Option<&ThrottleState>,
    now: DateTime<Utc>,
) -> anyhow::Result<ThrottleState> {
    let next = login_throttle::after_failure(state, now);
    let written = if state.is_some() {
        row(key, &next).update(conn).await.map(|_| ())
    } else {
        row(key, &next).insert(conn).await.map(|_| ())
    };
    match written {
        Ok(()) => Ok(next),
        // A concurrent failure created the row first: count ours on top of it.
        Err(error) if crate::db::is_unique_violation(&error) => {
            let current = load(conn, key).await?;
            let next = login_throttle::after_failure(current.as_ref(), now);
            row(key, &next)
                .update(conn)
                .await
                .context("Failed to record a login failure")?;
            Ok(next)
        }
        Err(error) => Err(anyhow::Error::new(error).context("Failed to record a login failure")),
    }
}

fn row(key: &str, state: &ThrottleState) -> throttle_row::ActiveModel {
    throttle_row::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(i32::try_from(state.failures).unwrap_or(i32::MAX)),
        window_started_at: Set(state.window_started_at),
        locked_until: Set(state.locked_until),
    }
}

async fn clear<C: ConnectionTrait>(conn: &C, key: &str) -> anyhow::Result<()> {
    throttle_row::Entity::delete_by_id(key.to_owned())
        .exec(conn)
        .await
        .context("Failed to clear the login throttle")?;
    Ok(())
}
