//! « Mon compte »: the holder's details, a new e-mail address (confirmed by a link first), the
//! data export, and the deletion request.

use anyhow::Context as _;
use portail_domain::api::{ChangeEmailRequest, DataExport, UpdateAccountRequest};
use portail_domain::auth::AccountKind;
use portail_domain::dossier::DossierEventKind;
use portail_domain::ids::FamilyId;
use portail_domain::parse::{FieldErrors, InvalidValue, Phone};
use portail_entity::{family, family_account, guardian};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use secrecy::SecretString;
use uuid::Uuid;

use super::{Actor, children, documents, household};
use crate::accounts::email_tokens::{self, Purpose};
use crate::accounts::login::{self, LoginError};
use crate::change::Change;
use crate::emails::{self, Recipient};
use crate::password::PasswordError;
use crate::{Context, outbox};

/// Updates the account holder (`guardian` rank 1).
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn update_holder(
    ctx: &Context,
    family_id: FamilyId,
    form: &UpdateAccountRequest,
) -> Result<(), FieldErrors> {
    let person = form.validate(ctx.clock.today())?;
    let now = ctx.clock.now();
    let write = async {
        let txn = crate::db::begin(&ctx.db).await?;
        guardian::Entity::update_many()
            .col_expr(
                guardian::Column::Civility,
                Expr::value(person.civility.as_str()),
            )
            .col_expr(
                guardian::Column::LastName,
                Expr::value(person.last_name.into_inner()),
            )
            .col_expr(
                guardian::Column::FirstName,
                Expr::value(person.first_name.into_inner()),
            )
            .col_expr(guardian::Column::BirthDate, Expr::value(person.birth_date))
            .col_expr(
                guardian::Column::AddressLine1,
                Expr::value(person.address_line1.into_inner()),
            )
            .col_expr(
                guardian::Column::AddressLine2,
                Expr::value(person.address_line2),
            )
            .col_expr(
                guardian::Column::PostalCode,
                Expr::value(person.postal_code.into_inner()),
            )
            .col_expr(
                guardian::Column::City,
                Expr::value(person.city.into_inner()),
            )
            .col_expr(
                guardian::Column::MobilePhone,
                Expr::value(person.mobile_phone.map(Phone::into_inner)),
            )
            .col_expr(
                guardian::Column::HomePhone,
                Expr::value(person.home_phone.map(Phone::into_inner)),
            )
            .col_expr(guardian::Column::Profession, Expr::value(person.profession))
            .col_expr(guardian::Column::Employer, Expr::value(person.employer))
            .col_expr(
                guardian::Column::WorkPhone,
                Expr::value(person.work_phone.map(Phone::into_inner)),
            )
            .col_expr(guardian::Column::UpdatedAt, Expr::value(now))
            .filter(guardian::Column::FamilyId.eq(family_id))
            .filter(guardian::Column::Rank.eq(1))
            .exec(&txn)
            .await?;
        super::touch(&txn, family_id, now)
            .await
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
        txn.commit().await
    };
    write.await.map_err(|error| {
        tracing::error!(error = ?error, "failed to update the account holder");
        FieldErrors::one(
            "form",
            InvalidValue::new(
                "unexpected",
                "L'enregistrement a échoué. Réessayez dans un instant.",
            ),
        )
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ChangeEmailError {
    #[error("invalid")]
    Invalid(FieldErrors),
    #[error("too many password failures")]
    Locked { retry_after: chrono::Duration },
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Sends a confirmation link to the new address; nothing changes until it is opened. The
/// answer is the same whether another account uses the address (that account's owner is not
/// revealed: the link then fails on confirmation).
#[tracing::instrument(skip_all, fields(account.id = %account_id))]
pub async fn request_email_change(
    ctx: &Context,
    account_id: Uuid,
    form: &ChangeEmailRequest,
) -> Result<(), ChangeEmailError> {
    let new_email = form.validate().map_err(ChangeEmailError::Invalid)?;
    let account = crate::accounts::find_by_id(&ctx.db, AccountKind::Family, account_id)
        .await?
        .context("the caller's account")?;
    if new_email.as_str() == account.email {
        return Err(ChangeEmailError::Invalid(FieldErrors::one(
            "new_email",
            InvalidValue::new("unchanged", "C'est déjà l'adresse de votre compte."),
        )));
    }
    match login::verify_credentials(
        ctx,
        AccountKind::Family,
        &account.email,
        &SecretString::from(form.current_password.clone()),
    )
    .await
    {
        Ok(_) => {}
        Err(LoginError::Locked { retry_after }) => {
            return Err(ChangeEmailError::Locked { retry_after });
        }
        Err(LoginError::Password(p)) => return Err(p.into()),
        Err(LoginError::Unexpected(u)) => return Err(u.into()),
        Err(_) => {
            return Err(ChangeEmailError::Invalid(FieldErrors::one(
                "current_password",
                InvalidValue::new("wrong_password", "Le mot de passe actuel n'est pas le bon."),
            )));
        }
    }
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    email_tokens::revoke_all(
        &txn,
        Purpose::ChangeEmail,
        AccountKind::Family,
        account.id,
        now,
    )
    .await?;
    let token = email_tokens::issue(
        &txn,
        Purpose::ChangeEmail,
        AccountKind::Family,
        account.id,
        now,
    )
    .await?;
    portail_entity::email_token::Entity::update_many()
        .col_expr(
            portail_entity::email_token::Column::NewEmail,
            Expr::value(new_email.as_str()),
        )
        .filter(portail_entity::email_token::Column::TokenHash.eq(crate::tokens::digest(&token)))
        .exec(&txn)
        .await
        .context("Failed to remember the new address")?;
    let link = ctx.link(&format!("/confirmer-nouvel-email#jeton={token}"));
    let first_name = crate::accounts::first_name(&txn, &account).await?;
    let commune = crate::accounts::commune_name(&txn).await?;
    outbox::enqueue(
        &txn,
        &emails::email_change(
            &Recipient {
                to: new_email.as_str(),
                first_name: &first_name,
                commune: &commune,
            },
            &link,
        ),
        Some(&link),
        now,
    )
    .await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "an e-mail change request")
        .await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmEmailChangeError {
    #[error("unknown, used or expired link")]
    InvalidOrExpired,
    #[error("the address is taken")]
    Taken,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub async fn confirm_email_change(
    ctx: &Context,
    token: &str,
) -> Result<(), ConfirmEmailChangeError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(row) = email_tokens::consume(
        &txn,
        &[Purpose::ChangeEmail],
        AccountKind::Family,
        token,
        now,
    )
    .await?
    else {
        return Err(ConfirmEmailChangeError::InvalidOrExpired);
    };
    let new_email = row
        .new_email
        .context("an e-mail change without its address")?;
    let updated = family_account::Entity::update_many()
        .col_expr(family_account::Column::Email, Expr::value(new_email))
        .col_expr(family_account::Column::EmailVerifiedAt, Expr::value(now))
        .col_expr(family_account::Column::UpdatedAt, Expr::value(now))
        .filter(family_account::Column::Id.eq(row.account_id))
        .exec(&txn)
        .await;
    match updated {
        Ok(_) => {}
        Err(error) if crate::db::is_unique_violation(&error) => {
            return Err(ConfirmEmailChangeError::Taken);
        }
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context("Failed to change an e-mail address")
                .into());
        }
    }
    txn.commit()
        .await
        .context("Failed to commit an e-mail change")?;
    Ok(())
}

/// « Télécharger mes données ».
pub async fn export(
    ctx: &Context,
    account_id: Uuid,
    family_id: FamilyId,
) -> anyhow::Result<DataExport> {
    let db = &ctx.db;
    let family = super::family_row(db, family_id)
        .await?
        .context("the caller's family")?;
    Ok(DataExport {
        exported_at: ctx.clock.now(),
        account: crate::accounts::profile::get(db, account_id)
            .await?
            .context("the caller's account")?,
        household: household::get(db, family_id).await?,
        children: children::list(db, family_id).await?,
        documents: documents::list(db, family_id).await?,
        dossier_history: super::dossier::history(db, family_id).await?,
        deletion_requested_at: family.deletion_requested_at,
        // Added by the caller from the planning floor (`planning::pattern::kept`).
        week_patterns: Vec::new(),
        conversations: crate::messages::export(ctx, family_id)
            .await
            .map_err(anyhow::Error::new)?,
    })
}

/// « Demander la suppression de mon compte »: recorded for staff, nothing deleted at once
/// (invoices and the legal retention period come first).
pub async fn request_deletion(ctx: &Context, family_id: FamilyId) -> anyhow::Result<()> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let family = super::family_row(&txn, family_id)
        .await?
        .context("the caller's family")?;
    if family.deletion_requested_at.is_none() {
        let status = super::status_of(&family)?;
        let mut row: family::ActiveModel = family.into();
        row.deletion_requested_at = Set(Some(now));
        row.update(&txn)
            .await
            .context("Failed to record a deletion request")?;
        super::record_event(
            &txn,
            family_id,
            DossierEventKind::DeletionRequested,
            status,
            None,
            Actor::Family(family_id),
            now,
        )
        .await?;
    }
    txn.commit()
        .await
        .context("Failed to commit a deletion request")?;
    Ok(())
}
