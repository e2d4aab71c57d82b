//! Single-use tokens sent by e-mail. Only their SHA-256 is stored; consuming one is a guarded
//! update, so two concurrent uses cannot both succeed.

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use portail_domain::auth::AccountKind;
use portail_entity::email_token;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    StaffInvitation,
    ChangeEmail,
    /// A family created at the counter chooses its password (aide aux démarches).
    FamilyInvitation,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::StaffInvitation => "staff_invitation",
            Self::ChangeEmail => "change_email",
            Self::FamilyInvitation => "family_invitation",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            Self::VerifyEmail => Duration::hours(48),
            Self::ResetPassword => Duration::hours(1),
            Self::StaffInvitation => Duration::days(7),
            Self::ChangeEmail => Duration::hours(48),
            Self::FamilyInvitation => Duration::days(7),
        }
    }
}

/// Creates a token and returns it in clear, for the e-mail's link.
pub async fn issue<C: ConnectionTrait>(
    conn: &C,
    purpose: Purpose,
    kind: AccountKind,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let token = tokens::generate();
    email_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        purpose: Set(purpose.as_str().to_owned()),
        account_kind: Set(kind.as_str().to_owned()),
        account_id: Set(account_id),
        token_hash: Set(tokens::digest(&token)),
        new_email: Set(None),
        created_at: Set(now),
        expires_at: Set(crate::clock::after(now, purpose.lifetime())),
        used_at: Set(None),
    }
    .insert(conn)
    .await
    .context("Failed to store an e-mail token")?;
    Ok(token)
}

/// Uses a token once: `Some` when it exists, has one of `purposes`, belongs to `kind`, has not
/// expired and had not been used.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    purposes: &[Purpose],
    kind: AccountKind,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<email_token::Model>> {
    let Some(row) = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(tokens::digest(token.trim())))
        .one(conn)
        .await
        .context("Failed to look up an e-mail token")?
    else {
        return Ok(None);
    };
    let fits = purposes.iter().any(|p| p.as_str() == row.purpose)
        && row.account_kind == kind.as_str()
        && row.used_at.is_none()
        && row.expires_at > now;
    if !fits {
        return Ok(None);
    }
    let used = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::value(now))
        .filter(email_token::Column::Id.eq(row.id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .context("Failed to mark an e-mail token as used")?;
    Ok((used.rows_affected == 1).then_some(row))
}

/// Makes every unused token of this purpose for the account unusable (a newer one was sent,
/// or the password changed).
pub async fn revoke_all<C: ConnectionTrait>(
    conn: &C,
    purpose: Purpose,
    kind: AccountKind,
    account_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::value(now))
        .filter(email_token::Column::Purpose.eq(purpose.as_str()))
        .filter(email_token::Column::AccountKind.eq(kind.as_str()))
        .filter(email_token::Column::AccountId.eq(account_id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .context("Failed to revoke e-mail tokens")?;
    Ok(())
}

/// When the last token of this purpose was sent to the account (to rate-limit re-sends).
pub async fn last_issued_at<C: ConnectionTrait>(
    conn: &C,
    purpose: Purpose,
    kind: AccountKind,
    account_id: Uuid,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    use sea_orm::QueryOrder as _;
    Ok(email_token::Entity::find()
        .filter(email_token::Column::Purpose.eq(purpose.as_str()))
        .filter(email_token::Column::AccountKind.eq(kind.as_str()))
        .filter(email_token::Column::AccountId.eq(account_id))
        .order_by_desc(email_token::Column::CreatedAt)
        .one(conn)
        .await
        .context("Failed to read the last e-mail token")?
        .map(|row| row.created_at))
}
