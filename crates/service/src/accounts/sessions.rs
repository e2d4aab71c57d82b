//! Sessions: one per login, each with a chain of single-use refresh tokens.
//!
//! A refresh token is exchanged for the next one at every use. Presenting one that was already
//! exchanged means it was copied: the whole session is revoked, so the thief's and the owner's
//! tokens both stop working. The only exception is a reuse within a few seconds of the
//! exchange, which is what two tabs refreshing at once look like: that request is refused
//! (`Conflict`, the tab retries with the new cookie) and the session survives.

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use portail_domain::auth::{AccountKind, StaffRole};
use portail_domain::ids::FamilyId;
use portail_entity::{family_account, refresh_token, session};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::AccountRef;
use super::session_cache::{OpenSession, SessionCache};
use crate::{Context, tokens};

/// « Se souvenir de moi »: 30 days. Otherwise the cookie dies with the browser, and the server
/// forgets the session after 12 hours in any case.
pub const REMEMBERED_LIFETIME: Duration = Duration::days(30);
pub const BROWSER_LIFETIME: Duration = Duration::hours(12);
/// Two tabs refreshing at once present the same token within this delay.
pub const CONCURRENT_REFRESH_GRACE: Duration = Duration::seconds(10);

/// A session just opened or refreshed: what the API turns into an access token and a cookie.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub session_id: Uuid,
    pub kind: AccountKind,
    pub account_id: Uuid,
    pub family_id: Option<Uuid>,
    pub role: Option<StaffRole>,
    pub remember: bool,
    pub expires_at: DateTime<Utc>,
    /// In clear, for the cookie only.
    pub refresh_token: String,
}

/// The caller of a request, once its access token's session is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveSession {
    pub session_id: Uuid,
    pub kind: AccountKind,
    pub account_id: Uuid,
    /// The family the session acts for, read from the server's own records (never from the
    /// access token): the family account's, or the one an agent acts for.
    pub family_id: Option<Uuid>,
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("unknown, expired or revoked refresh token")]
    Invalid,
    #[error("the refresh token was just exchanged by a concurrent request")]
    Conflict,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub async fn open<C: ConnectionTrait>(
    conn: &C,
    account: &AccountRef,
    remember: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<IssuedSession> {
    let session_id = Uuid::now_v7();
    let expires_at = crate::clock::after(
        now,
        if remember {
            REMEMBERED_LIFETIME
        } else {
            BROWSER_LIFETIME
        },
    );
    session::ActiveModel {
        id: Set(session_id),
        account_kind: Set(account.kind.as_str().to_owned()),
        account_id: Set(account.id),
        remember: Set(remember),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_seen_at: Set(now),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        acting_family_id: Set(None),
    }
    .insert(conn)
    .await
    .context("Failed to open a session")?;
    let refresh_token = new_refresh_token(conn, session_id, expires_at, now).await?;
    if let Some(family_id) = account.family_id {
        touch_family(conn, FamilyId::from(family_id), now).await?;
    }
    Ok(IssuedSession {
        session_id,
        kind: account.kind,
        account_id: account.id,
        family_id: account.family_id,
        role: account.role,
        remember,
        expires_at,
        refresh_token,
    })
}

/// The family was here: its last activity (what the retention of inactive families reads).
async fn touch_family<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    portail_entity::family::Entity::update_many()
        .col_expr(
            portail_entity::family::Column::LastActivityAt,
            Expr::value(now),
        )
        .filter(portail_entity::family::Column::Id.eq(family_id))
        .exec(conn)
        .await
        .context("Failed to record a family's activity")?;
    Ok(())
}

async fn new_refresh_token<C: ConnectionTrait>(
    conn: &C,
    session_id: Uuid,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let token = tokens::generate();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        token_hash: Set(tokens::digest(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(conn)
    .await
    .context("Failed to store a refresh token")?;
    Ok(token)
}

/// Exchanges a refresh token for the next one (and a new access token, made by the API).
#[tracing::instrument(skip_all, fields(realm = kind.as_str()))]
pub async fn refresh(
    ctx: &Context,
    kind: AccountKind,
    presented: &str,
) -> Result<IssuedSession, RefreshError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(presented)))
        .one(&txn)
        .await
        .context("Failed to look up a refresh token")?
    else {
        return Err(RefreshError::Invalid);
    };
    let Some(session) = session::Entity::find_by_id(token.session_id)
        .one(&txn)
        .await
        .context("Failed to read a session")?
    else {
        return Err(RefreshError::Invalid);
    };
    if session.account_kind != kind.as_str()
        || session.revoked_at.is_some()
        || session.expires_at <= now
    {
        return Err(RefreshError::Invalid);
    }
    if let Some(used_at) = token.used_at {
        let error = reused(&ctx.sessions, &txn, &session, used_at, now).await?;
        txn.commit()
            .await
            .context("Failed to commit a revocation")?;
        return Err(error);
    }
    // Guarded: of two requests racing with the same token, one exchanges it.
    let exchanged = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .context("Failed to use a refresh token")?;
    if exchanged.rows_affected != 1 {
        return Err(RefreshError::Conflict);
    }
    let Some(account) = super::find_by_id(&txn, kind, session.account_id).await? else {
        return Err(RefreshError::Invalid);
    };
    if !account.active {
        return Err(RefreshError::Invalid);
    }
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(session.id))
        .exec(&txn)
        .await
        .context("Failed to touch a session")?;
    let refresh_token = new_refresh_token(&txn, session.id, session.expires_at, now).await?;
    if let Some(family_id) = account.family_id {
        touch_family(&txn, FamilyId::from(family_id), now).await?;
    }
    txn.commit().await.context("Failed to commit a refresh")?;
    Ok(IssuedSession {
        session_id: session.id,
        kind,
        account_id: account.id,
        family_id: account.family_id,
        role: account.role,
        remember: session.remember,
        expires_at: session.expires_at,
        refresh_token,
    })
}

/// A token presented again after it was exchanged.
async fn reused<C: ConnectionTrait>(
    cache: &SessionCache,
    conn: &C,
    session: &session::Model,
    used_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> anyhow::Result<RefreshError> {
    if now.signed_duration_since(used_at) <= CONCURRENT_REFRESH_GRACE {
        return Ok(RefreshError::Conflict);
    }
    tracing::warn!(session.id = %session.id, account.id = %session.account_id, "a rotated refresh token was used again: revoking the session");
    revoke(cache, conn, session.id, "refresh_token_reuse", now).await?;
    Ok(RefreshError::Invalid)
}

/// Ends a session (tombstoned in `cache` first: see [`SessionCache`]).
pub async fn revoke<C: ConnectionTrait>(
    cache: &SessionCache,
    conn: &C,
    session_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    cache.revoke(session_id);
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .context("Failed to revoke a session")?;
    Ok(())
}

/// Ends every session of an account (password changed or reset).
pub async fn revoke_all<C: ConnectionTrait>(
    cache: &SessionCache,
    conn: &C,
    kind: AccountKind,
    account_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    cache.revoke_all(kind, account_id, now);
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::AccountKind.eq(kind.as_str()))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .context("Failed to revoke the sessions of an account")?;
    Ok(())
}

/// Logout from the refresh cookie (the access token may have expired).
pub async fn revoke_by_refresh_token(
    ctx: &Context,
    kind: AccountKind,
    presented: &str,
) -> anyhow::Result<()> {
    let token = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(tokens::digest(presented)))
        .one(&ctx.db)
        .await
        .context("Failed to look up a refresh token")?;
    let Some(token) = token else {
        return Ok(());
    };
    let session = session::Entity::find_by_id(token.session_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a session")?;
    if let Some(session) = session.filter(|s| s.account_kind == kind.as_str()) {
        revoke(
            &ctx.sessions,
            &ctx.db,
            session.id,
            "logout",
            ctx.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// Is the session behind an access token still open? A family's is remembered a few seconds
/// ([`SessionCache`]); a staff member's is read, with the account's `active`, every time.
pub async fn check_live(
    ctx: &Context,
    session_id: Uuid,
    kind: AccountKind,
    account_id: Uuid,
) -> anyhow::Result<Option<LiveSession>> {
    let now = ctx.clock.now();
    // Staff sessions are read every time (staff requests are few): a logout or a
    // deactivation on any instance ends them at once everywhere, not after the cache's TTL.
    let cached = match kind {
        AccountKind::Family => ctx.sessions.get(session_id),
        AccountKind::Staff => None,
    };
    let open = match cached {
        Some(open) => Some(open),
        None => {
            let row = session::Entity::find_by_id(session_id)
                .one(&ctx.db)
                .await
                .context("Failed to read a session")?;
            let row = match row {
                Some(s) if s.account_kind == AccountKind::Staff.as_str() => {
                    let active = portail_entity::staff::Entity::find_by_id(s.account_id)
                        .one(&ctx.db)
                        .await
                        .context("Failed to read a staff account")?
                        .is_some_and(|staff| staff.active);
                    active.then_some(s)
                }
                other => other,
            };
            match row.filter(|s| s.revoked_at.is_none()) {
                None => None,
                Some(s) => match AccountKind::parse(&s.account_kind) {
                    None => None,
                    Some(session_kind) => {
                        let family_id = match (session_kind, s.acting_family_id) {
                            (_, Some(acting)) => Some(acting),
                            (AccountKind::Family, None) => {
                                family_account::Entity::find_by_id(s.account_id)
                                    .one(&ctx.db)
                                    .await
                                    .context("Failed to read a session's family")?
                                    .map(|a| a.family_id)
                            }
                            (AccountKind::Staff, None) => None,
                        };
                        let open = OpenSession {
                            kind: session_kind,
                            account_id: s.account_id,
                            family_id,
                            created_at: s.created_at,
                            expires_at: s.expires_at,
                        };
                        ctx.sessions.remember(s.id, open).then_some(open)
                    }
                },
            }
        }
    };
    Ok(open
        .filter(|s| s.expires_at > now && s.kind == kind && s.account_id == account_id)
        .map(|s| LiveSession {
            session_id,
            kind,
            account_id: s.account_id,
            family_id: s.family_id,
        }))
}

/// Opens a session in its own transaction (after a successful login).
pub async fn open_now(
    ctx: &Context,
    account: &AccountRef,
    remember: bool,
) -> anyhow::Result<IssuedSession> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let issued = open(&txn, account, remember, now).await?;
    txn.commit()
        .await
        .context("Failed to commit a new session")?;
    // Its first requests need not read it back.
    ctx.sessions.remember(
        issued.session_id,
        OpenSession {
            kind: issued.kind,
            account_id: issued.account_id,
            family_id: issued.family_id,
            created_at: now,
            expires_at: issued.expires_at,
        },
    );
    Ok(issued)
}

/// Whether a session was opened with « Se souvenir de moi » (a password change keeps that).
pub async fn is_remembered(ctx: &Context, session_id: Uuid) -> anyhow::Result<bool> {
    Ok(session::Entity::find_by_id(session_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a session")?
        .is_some_and(|s| s.remember))
}
