//! « Mon compte »: the holder's details, a new e-mail address (confirmed by a link first), the
//! data export, and the deletion request.

use anyhow::Context as _;
use portail_domain::api::{ChangeEmailRequest, DataExport, UpdateAccountRequest};
use portail_domain::auth::AccountKind;
use portail_domain::dossier::DossierEventKind;
use portail_domain::ids::FamilyId;
use portail_domain::parse::{
    AddressLine, CityName, Civility, Email, FieldErrors, InvalidValue, PersonName, Phone,
    PostalCode, optional_text, parse_guardian_birth_date,
};
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

fn optional_phone(raw: &str) -> Result<Option<String>, InvalidValue> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Phone::parse(raw).map(|p| Some(p.into_inner()))
    }
}

/// Updates the account holder (`guardian` rank 1).
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn update_holder(
    ctx: &Context,
    family_id: FamilyId,
    form: &UpdateAccountRequest,
) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    let civility = e.check("civility", Civility::parse(&form.civility));
    let last_name = e.check("last_name", PersonName::parse(&form.last_name));
    let first_name = e.check("first_name", PersonName::parse(&form.first_name));
    let birth_date = e.check(
        "birth_date",
        parse_guardian_birth_date(&form.birth_date, ctx.clock.today()),
    );
    let line1 = e.check("address_line1", AddressLine::parse(&form.address_line1));
    let line2 = e.check(
        "address_line2",
        optional_text(&form.address_line2, AddressLine::MAX_LEN),
    );
    let postal_code = e.check("postal_code", PostalCode::parse(&form.postal_code));
    let city = e.check("city", CityName::parse(&form.city));
    let mobile = e.check("mobile_phone", optional_phone(&form.mobile_phone));
    let home = e.check("home_phone", optional_phone(&form.home_phone));
    if matches!((&mobile, &home), (Some(None), Some(None))) {
        e.push(
            "mobile_phone",
            InvalidValue::new(
                "required",
                "Indiquez au moins un numéro de téléphone (portable ou fixe).",
            ),
        );
    }
    let profession = e.check("profession", optional_text(&form.profession, 100));
    let employer = e.check("employer", optional_text(&form.employer, 100));
    let work_phone = e.check("work_phone", optional_phone(&form.work_phone));
    let (
        Some(civility),
        Some(last_name),
        Some(first_name),
        Some(birth_date),
        Some(line1),
        Some(line2),
        Some(postal_code),
        Some(city),
        Some(mobile),
        Some(home),
        Some(profession),
        Some(employer),
        Some(work_phone),
    ) = (
        civility,
        last_name,
        first_name,
        birth_date,
        line1,
        line2,
        postal_code,
        city,
        mobile,
        home,
        profession,
        employer,
        work_phone,
    )
    else {
        return Err(e);
    };
    if !e.is_empty() {
        return Err(e);
    }
    let now = ctx.clock.now();
    let write = async {
        let txn = crate::db::begin(&ctx.db).await?;
        guardian::Entity::update_many()
            .col_expr(guardian::Column::Civility, Expr::value(civility.as_str()))
            .col_expr(
                guardian::Column::LastName,
                Expr::value(last_name.into_inner()),
            )
            .col_expr(
                guardian::Column::FirstName,
                Expr::value(first_name.into_inner()),
            )
            .col_expr(guardian::Column::BirthDate, Expr::value(birth_date))
            .col_expr(
                guardian::Column::AddressLine1,
                Expr::value(line1.into_inner()),
            )
            .col_expr(guardian::Column::AddressLine2, Expr::value(line2))
            .col_expr(
                guardian::Column::PostalCode,
                Expr::value(postal_code.into_inner()),
            )
            .col_expr(guardian::Column::City, Expr::value(city.into_inner()))
            .col_expr(guardian::Column::MobilePhone, Expr::value(mobile))
            .col_expr(guardian::Column::HomePhone, Expr::value(home))
            .col_expr(guardian::Column::Profession, Expr::value(profession))
            .col_expr(guardian::Column::Employer, Expr::value(employer))
            .col_expr(guardian::Column::WorkPhone, Expr::value(work_phone))
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
        let mut e = FieldErrors::default();
        e.push(
            "form",
            InvalidValue::new(
                "unexpected",
                "L'enregistrement a échoué. Réessayez dans un instant.",
            ),
        );
        e
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
    let mut e = FieldErrors::default();
    let new_email = e.check("new_email", Email::parse(&form.new_email));
    let account = crate::accounts::find_by_id(&ctx.db, AccountKind::Family, account_id)
        .await?
        .context("the caller's account")?;
    let Some(new_email) = new_email else {
        return Err(ChangeEmailError::Invalid(e));
    };
    if new_email.as_str() == account.email {
        e.push(
            "new_email",
            InvalidValue::new("unchanged", "C'est déjà l'adresse de votre compte."),
        );
        return Err(ChangeEmailError::Invalid(e));
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
            e.push(
                "current_password",
                InvalidValue::new("wrong_password", "Le mot de passe actuel n'est pas le bon."),
            );
            return Err(ChangeEmailError::Invalid(e));
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
