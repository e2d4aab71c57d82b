//! Creating a family account (the five-step form), without revealing whether the address is
//! already taken: the answer is the same, and the owner of an existing account gets an e-mail.

use anyhow::Context as _;
use portail_domain::api::{DossierStatus, Registration};
use portail_domain::auth::AccountKind;
use portail_entity::{family, family_account, guardian};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use secrecy::SecretString;
use uuid::Uuid;

use super::email_tokens::{self, Purpose};
use crate::emails::{self, Recipient};
use crate::password::PasswordError;
use crate::{Context, outbox};

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

#[tracing::instrument(skip_all)]
pub async fn register(ctx: &Context, registration: Registration) -> Result<(), RegisterError> {
    // Hash first, whatever happens next: both outcomes cost the same time.
    let password_hash = ctx
        .hasher
        .hash(&SecretString::from(
            registration.password.expose().to_owned(),
        ))
        .await?;
    let now = ctx.clock.now();
    let commune = super::commune_name(&ctx.db).await?;
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;

    if let Some(existing) =
        super::find_by_email(&txn, AccountKind::Family, registration.email.as_str()).await?
    {
        let first_name = super::first_name(&txn, &existing).await?;
        let email = emails::account_already_exists(
            &Recipient {
                to: &existing.email,
                first_name: &first_name,
                commune: &commune,
            },
            &ctx.link("/"),
            &ctx.link(super::forgot_path(AccountKind::Family)),
        );
        outbox::enqueue(&txn, &email, None, now).await?;
        txn.commit().await.context("Failed to commit")?;
        ctx.outbox.wake();
        tracing::info!("registration attempted with an address that has an account");
        return Ok(());
    }

    let family_id = Uuid::now_v7();
    let account_id = Uuid::now_v7();
    family::ActiveModel {
        id: Set(family_id),
        dossier_status: Set(DossierStatus::Incomplete.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        last_activity_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("Failed to insert a family")?;
    let inserted = family_account::ActiveModel {
        id: Set(account_id),
        family_id: Set(family_id),
        email: Set(registration.email.as_str().to_owned()),
        password_hash: Set(password_hash),
        email_verified_at: Set(None),
        verification_sent_at: Set(Some(now)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    if let Err(error) = inserted {
        if crate::db::is_unique_violation(&error) {
            // Another registration with this address won the race: same answer as above.
            txn.rollback().await.ok();
            return Ok(());
        }
        return Err(anyhow::Error::new(error)
            .context("Failed to insert a family account")
            .into());
    }
    guardian::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        rank: Set(1),
        civility: Set(registration.civility.as_str().to_owned()),
        last_name: Set(registration.last_name.as_str().to_owned()),
        first_name: Set(registration.first_name.as_str().to_owned()),
        birth_date: Set(Some(registration.birth_date)),
        address_line1: Set(registration.address_line1.as_str().to_owned()),
        address_line2: Set(registration.address_line2.clone()),
        postal_code: Set(registration.postal_code.as_str().to_owned()),
        city: Set(registration.city.as_str().to_owned()),
        mobile_phone: Set(registration
            .mobile_phone
            .as_ref()
            .map(|p| p.as_str().to_owned())),
        home_phone: Set(registration
            .home_phone
            .as_ref()
            .map(|p| p.as_str().to_owned())),
        email: Set(None),
        profession: Set(registration.profession.clone()),
        employer: Set(registration.employer.clone()),
        work_phone: Set(registration
            .work_phone
            .as_ref()
            .map(|p| p.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .context("Failed to insert the account holder")?;

    let token = email_tokens::issue(
        &txn,
        Purpose::VerifyEmail,
        AccountKind::Family,
        account_id,
        now,
    )
    .await?;
    let link = ctx.link(&format!("/confirmer-email#jeton={token}"));
    let email = emails::verify_email(
        &Recipient {
            to: registration.email.as_str(),
            first_name: registration.first_name.as_str(),
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(&txn, &email, Some(&link), now).await?;
    txn.commit()
        .await
        .context("Failed to commit a registration")?;
    ctx.outbox.wake();
    tracing::info!(family.id = %family_id, "family account created, awaiting e-mail confirmation");
    Ok(())
}
