//! Confirming the e-mail address of a family account, and sending the link again.

use anyhow::Context as _;
use chrono::Duration;
use portail_domain::auth::AccountKind;
use portail_domain::parse::Email;
use portail_entity::family_account;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::email_tokens::{self, Purpose};
use crate::change::Change;
use crate::emails::{self, Recipient};
use crate::{Context, outbox};

/// A link may be sent again once a minute at most.
pub const RESEND_INTERVAL: Duration = Duration::seconds(60);

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the link is unknown, used or expired")]
    InvalidOrExpired,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[tracing::instrument(skip_all)]
pub async fn verify_email(ctx: &Context, token: &str) -> Result<(), TokenError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(row) = email_tokens::consume(
        &txn,
        &[Purpose::VerifyEmail],
        AccountKind::Family,
        token,
        now,
    )
    .await?
    else {
        return Err(TokenError::InvalidOrExpired);
    };
    family_account::Entity::update_many()
        .col_expr(family_account::Column::EmailVerifiedAt, Expr::value(now))
        .col_expr(family_account::Column::UpdatedAt, Expr::value(now))
        .filter(family_account::Column::Id.eq(row.account_id))
        .filter(family_account::Column::EmailVerifiedAt.is_null())
        .exec(&txn)
        .await
        .context("Failed to confirm an e-mail address")?;
    txn.commit().await.context("Failed to commit")?;
    tracing::info!(account.id = %row.account_id, "e-mail address confirmed");
    Ok(())
}

/// Sends a new confirmation link if the address has an unconfirmed account and the last link
/// is more than a minute old. Says nothing either way.
#[tracing::instrument(skip_all)]
pub async fn resend(ctx: &Context, raw_email: &str) -> anyhow::Result<()> {
    let Ok(email) = Email::parse(raw_email) else {
        return Ok(());
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(account) = super::find_by_email(&txn, AccountKind::Family, email.as_str()).await?
    else {
        return Ok(());
    };
    if account.email_verified || !account.active {
        return Ok(());
    }
    let last =
        email_tokens::last_issued_at(&txn, Purpose::VerifyEmail, AccountKind::Family, account.id)
            .await?;
    if last.is_some_and(|at| now.signed_duration_since(at) < RESEND_INTERVAL) {
        tracing::info!(account.id = %account.id, "confirmation re-send refused: too soon");
        return Ok(());
    }
    email_tokens::revoke_all(
        &txn,
        Purpose::VerifyEmail,
        AccountKind::Family,
        account.id,
        now,
    )
    .await?;
    let token = email_tokens::issue(
        &txn,
        Purpose::VerifyEmail,
        AccountKind::Family,
        account.id,
        now,
    )
    .await?;
    let link = ctx.link(&format!("/confirmer-email#jeton={token}"));
    let first_name = super::first_name(&txn, &account).await?;
    let commune = super::commune_name(&txn).await?;
    let message = emails::verify_email(
        &Recipient {
            to: &account.email,
            first_name: &first_name,
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(&txn, &message, Some(&link), now).await?;
    family_account::Entity::update_many()
        .col_expr(family_account::Column::VerificationSentAt, Expr::value(now))
        .filter(family_account::Column::Id.eq(account.id))
        .exec(&txn)
        .await
        .context("Failed to record a re-send")?;
    Change::at(now)
        .mailed()
        .commit(txn, &ctx.outbox, "a re-sent confirmation")
        .await?;
    Ok(())
}
