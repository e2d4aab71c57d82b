//! Creating a family account (the five-step form), without revealing whether the address is
//! already taken: the answer is the same, and the owner of an existing account gets an e-mail.

use anyhow::Context as _;
use portail_domain::api::{DossierStatus, Registration};
use portail_domain::auth::AccountKind;
use portail_domain::ids::FamilyId;
use portail_entity::{family, family_account, guardian};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use secrecy::SecretString;
use uuid::Uuid;

use super::email_tokens::{self, Purpose};
use crate::change::Change;
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
        Change::at(now)
            .mailed()
            .commit(txn, &ctx.outbox, "a registration attempt")
            .await?;
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
    insert_holder(&txn, FamilyId::from(family_id), &registration.person, now).await?;

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
            first_name: registration.person.first_name.as_str(),
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(&txn, &email, Some(&link), now).await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a registration")
        .await?;
    tracing::info!(family.id = %family_id, "family account created, awaiting e-mail confirmation");
    Ok(())
}

/// The account holder (guardian of rank 1) as the wizard's steps 2 to 4 say them.
pub(crate) async fn insert_holder<C: sea_orm::ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    person: &portail_domain::api::Person,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let phone =
        |p: &Option<portail_domain::parse::Phone>| p.as_ref().map(|p| p.as_str().to_owned());
    guardian::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id.uuid()),
        rank: Set(1),
        civility: Set(person.civility.as_str().to_owned()),
        last_name: Set(person.last_name.as_str().to_owned()),
        first_name: Set(person.first_name.as_str().to_owned()),
        birth_date: Set(Some(person.birth_date)),
        address_line1: Set(person.address_line1.as_str().to_owned()),
        address_line2: Set(person.address_line2.clone()),
        postal_code: Set(person.postal_code.as_str().to_owned()),
        city: Set(person.city.as_str().to_owned()),
        mobile_phone: Set(phone(&person.mobile_phone)),
        home_phone: Set(phone(&person.home_phone)),
        email: Set(None),
        profession: Set(person.profession.clone()),
        employer: Set(person.employer.clone()),
        work_phone: Set(phone(&person.work_phone)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .context("Failed to insert the account holder")?;
    Ok(())
}
