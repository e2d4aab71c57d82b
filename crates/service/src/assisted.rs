//! « Aide aux démarches » (issue 13), the town hall's counter: an agent creates a family's
//! account with the parent (the data-protection text read to them, « Accepter » ticked on
//! their behalf and recorded as such), with or without an e-mail address; and an agent acts
//! for a family for 30 minutes at most (a session of the agent's own, bound to the family,
//! ended early by « Terminer »). Every request made while acting is written in the audit log
//! with both identities (the API's caller middleware); the family's password, account and
//! sessions stay out of reach. Design: docs/assisted.md.

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{AssistedFamilyRequest, DossierStatus, PreRegistrationStatus};
use portail_domain::audit::action;
use portail_domain::auth::AccountKind;
use portail_domain::ids::{FamilyId, StaffId};
use portail_entity::{
    booking, family, family_account, guardian, preregistration, service, session, unit,
    waiting_entry,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use crate::accounts::email_tokens::{self, Purpose};
use crate::accounts::session_cache::OpenSession;
use crate::change::{Audit, Change};
use crate::planning::staff::Actor;
use crate::{Context, emails, outbox};

/// How long an agent may act for a family in one go.
pub const ACTING_LIFETIME: Duration = Duration::minutes(30);

#[derive(Debug, thiserror::Error)]
pub enum AssistedError {
    #[error("invalid fields")]
    Invalid(portail_domain::parse::FieldErrors),
    #[error("an account already has this address")]
    EmailTaken,
    #[error("no such family")]
    NotFound,
    #[error("the family does not concern the agent's services")]
    OutOfScope,
    #[error("the family has an account already")]
    HasAccount,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AssistedError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

/// A family created at the counter.
#[derive(Debug, Clone, Copy)]
pub struct Created {
    pub family_id: Uuid,
    /// An e-mail went to the parent to choose their password.
    pub invitation_sent: bool,
}

/// Creates the family, its account holder and — with an address — its account, whose
/// password only the parent will choose (an e-mailed link valid 7 days; until then the
/// account holds the hash of a random secret nobody knows).
pub async fn create_family(
    ctx: &Context,
    staff_id: StaffId,
    request: &AssistedFamilyRequest,
) -> Result<Created, AssistedError> {
    let today = ctx.clock.today();
    let registration = request.validate(today).map_err(AssistedError::Invalid)?;
    let unusable = match &registration.email {
        Some(_) => Some(
            ctx.hasher
                .hash(&crate::accounts::staff::generate_password())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        None => None,
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let family_id = Uuid::now_v7();
    family::ActiveModel {
        id: Set(family_id),
        dossier_status: Set(DossierStatus::Incomplete.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        last_activity_at: Set(Some(now)),
        consent_accepted_by: Set(Some(staff_id.uuid())),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("Failed to insert a family")?;
    crate::accounts::register::insert_holder(
        &txn,
        FamilyId::from(family_id),
        &registration.person,
        now,
    )
    .await?;
    let mut invitation_sent = false;
    if let (Some(email), Some(hash)) = (&registration.email, unusable) {
        open_account(
            ctx,
            &txn,
            FamilyId::from(family_id),
            email.as_str(),
            hash,
            registration.person.first_name.as_str(),
            now,
        )
        .await?;
        invitation_sent = true;
    }
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::CREATE_FAMILY_ASSISTED)
                .family(family_id)
                .detail(registration.email.as_ref().map(|e| e.as_str().to_owned())),
        )
        .mailed_if(invitation_sent)
        .commit(txn, &ctx.outbox, "an assisted registration")
        .await?;
    tracing::info!(family.id = %family_id, staff.id = %staff_id, invitation_sent, "family created at the counter");
    Ok(Created {
        family_id,
        invitation_sent,
    })
}

/// The family's account with `email` and the hash of a secret nobody knows, and the link for
/// the parent to choose their password (7 days), by e-mail through the outbox.
#[allow(clippy::too_many_arguments)]
async fn open_account<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    family_id: FamilyId,
    email: &str,
    unusable_hash: String,
    first_name: &str,
    now: DateTime<Utc>,
) -> Result<(), AssistedError> {
    let account_id = Uuid::now_v7();
    let inserted = family_account::ActiveModel {
        id: Set(account_id),
        family_id: Set(family_id.uuid()),
        email: Set(email.to_owned()),
        password_hash: Set(unusable_hash),
        email_verified_at: Set(None),
        verification_sent_at: Set(Some(now)),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await;
    if let Err(error) = inserted {
        if crate::db::is_unique_violation(&error) {
            return Err(AssistedError::EmailTaken);
        }
        return Err(anyhow::Error::new(error)
            .context("Failed to insert a family account")
            .into());
    }
    let token = email_tokens::issue(
        conn,
        Purpose::FamilyInvitation,
        AccountKind::Family,
        account_id,
        now,
    )
    .await?;
    let link = ctx.link(&format!("/mot-de-passe/nouveau#jeton={token}"));
    let commune = crate::accounts::commune_name(conn).await?;
    let message = emails::family_invitation(
        &emails::Recipient {
            to: email,
            first_name,
            commune: &commune,
        },
        &link,
    );
    outbox::enqueue(conn, &message, Some(&link), now).await?;
    Ok(())
}

/// An address for a family created at the counter without one: its account is created (the
/// hash of a random secret nobody knows) and the parent receives the link to choose their
/// password (7 days). A family that has an account changes its address in « Mon compte ».
pub async fn add_email(
    ctx: &Context,
    staff_id: StaffId,
    family_id: FamilyId,
    email: &str,
) -> Result<(), AssistedError> {
    let email = portail_domain::parse::Email::parse(email).map_err(|e| {
        let errors = portail_domain::parse::FieldErrors::one("email", e);
        AssistedError::Invalid(errors)
    })?;
    let holder_first_name = guardian::Entity::find()
        .filter(guardian::Column::FamilyId.eq(family_id))
        .filter(guardian::Column::Rank.eq(1))
        .one(&ctx.db)
        .await?
        .map(|g| g.first_name)
        .ok_or(AssistedError::NotFound)?;
    if family_account::Entity::find()
        .filter(family_account::Column::FamilyId.eq(family_id))
        .one(&ctx.db)
        .await?
        .is_some()
    {
        return Err(AssistedError::HasAccount);
    }
    let hash = ctx
        .hasher
        .hash(&crate::accounts::staff::generate_password())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    open_account(
        ctx,
        &txn,
        family_id,
        email.as_str(),
        hash,
        &holder_first_name,
        now,
    )
    .await?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::ADD_FAMILY_EMAIL)
                .family(family_id)
                .detail(email.as_str().to_owned()),
        )
        .mailed()
        .commit(txn, &ctx.outbox, "an address")
        .await?;
    Ok(())
}

/// Whether the family concerns the agent: an administrator, the agent who created it at the
/// counter, or an agent of a service where the family books, waits or pre-registers.
pub async fn concerns(ctx: &Context, actor: &Actor, family_id: FamilyId) -> anyhow::Result<bool> {
    let Some(row) = family::Entity::find_by_id(family_id).one(&ctx.db).await? else {
        return Ok(false);
    };
    if actor.scope.allows_all() || row.consent_accepted_by == Some(actor.staff_id.uuid()) {
        return Ok(true);
    }
    let services = service::Entity::find().all(&ctx.db).await?;
    let allowed: Vec<Uuid> = services
        .iter()
        .filter(|s| ServiceCode::parse(&s.code).is_some_and(|c| actor.scope.allows(c)))
        .map(|s| s.id)
        .collect();
    if allowed.is_empty() {
        return Ok(false);
    }
    let units: Vec<Uuid> = unit::Entity::find()
        .filter(unit::Column::ServiceId.is_in(allowed.clone()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let books = booking::Entity::find()
        .filter(booking::Column::FamilyId.eq(family_id))
        .filter(booking::Column::UnitId.is_in(units.clone()))
        .count(&ctx.db)
        .await?
        > 0;
    let waits = waiting_entry::Entity::find()
        .filter(waiting_entry::Column::FamilyId.eq(family_id))
        .filter(waiting_entry::Column::UnitId.is_in(units))
        .count(&ctx.db)
        .await?
        > 0;
    let preregisters = actor.scope.allows(ServiceCode::Creche)
        && preregistration::Entity::find()
            .filter(preregistration::Column::FamilyId.eq(family_id))
            .filter(preregistration::Column::Status.ne(PreRegistrationStatus::Draft.as_str()))
            .count(&ctx.db)
            .await?
            > 0;
    Ok(books || waits || preregisters)
}

/// An acting session just opened.
#[derive(Debug, Clone)]
pub struct Acting {
    pub session_id: Uuid,
    pub family_id: Uuid,
    pub family_label: String,
    pub expires_at: DateTime<Utc>,
}

/// Opens a 30-minute session of the agent bound to the family (audited). The family's own
/// sessions are untouched: the parent may be logged in at the same time.
pub async fn start_acting(
    ctx: &Context,
    actor: &Actor,
    family_id: FamilyId,
) -> Result<Acting, AssistedError> {
    if family::Entity::find_by_id(family_id)
        .one(&ctx.db)
        .await?
        .is_none()
    {
        return Err(AssistedError::NotFound);
    }
    if !concerns(ctx, actor, family_id).await? {
        return Err(AssistedError::OutOfScope);
    }
    let now = ctx.clock.now();
    let expires_at = crate::clock::after(now, ACTING_LIFETIME);
    let session_id = Uuid::now_v7();
    let txn = crate::db::begin(&ctx.db).await?;
    session::ActiveModel {
        id: Set(session_id),
        account_kind: Set(AccountKind::Staff.as_str().to_owned()),
        account_id: Set(actor.staff_id.uuid()),
        remember: Set(false),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_seen_at: Set(now),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        acting_family_id: Set(Some(family_id.uuid())),
    }
    .insert(&txn)
    .await
    .context("Failed to open an acting session")?;
    Change::at(now)
        .audit(
            Audit::by(actor.staff_id, action::START_ACTING)
                .family(family_id)
                .target(session_id),
        )
        .commit(txn, &ctx.outbox, "an acting session")
        .await?;
    ctx.sessions.remember(
        session_id,
        OpenSession {
            kind: AccountKind::Staff,
            account_id: actor.staff_id.uuid(),
            family_id: Some(family_id.uuid()),
            created_at: now,
            expires_at,
        },
    );
    Ok(Acting {
        session_id,
        family_id: family_id.uuid(),
        family_label: family_label(ctx, family_id).await?,
        expires_at,
    })
}

/// « Famille DURAND » from the account holder.
pub async fn family_label(ctx: &Context, family_id: FamilyId) -> anyhow::Result<String> {
    let holder = guardian::Entity::find()
        .filter(guardian::Column::FamilyId.eq(family_id))
        .filter(guardian::Column::Rank.eq(1))
        .one(&ctx.db)
        .await
        .context("Failed to read the account holder")?;
    Ok(holder.map_or_else(
        || "Famille".to_owned(),
        |h| format!("{} {}", h.first_name, h.last_name.to_uppercase()),
    ))
}

/// « Terminer »: ends one acting session (`Some`) or every acting session of the agent.
pub async fn stop_acting(
    ctx: &Context,
    staff_id: StaffId,
    session_id: Option<Uuid>,
) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let mut select = session::Entity::find()
        .filter(session::Column::AccountKind.eq(AccountKind::Staff.as_str()))
        .filter(session::Column::AccountId.eq(staff_id))
        .filter(session::Column::ActingFamilyId.is_not_null())
        .filter(session::Column::RevokedAt.is_null());
    if let Some(id) = session_id {
        select = select.filter(session::Column::Id.eq(id));
    }
    let open = select
        .all(&ctx.db)
        .await
        .context("Failed to read acting sessions")?;
    let txn = crate::db::begin(&ctx.db).await?;
    for s in &open {
        ctx.sessions.revoke(s.id);
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(now))
            .col_expr(
                session::Column::RevokedReason,
                Expr::value("acting_stopped"),
            )
            .filter(session::Column::Id.eq(s.id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .context("Failed to end an acting session")?;
        Audit::by(staff_id, action::STOP_ACTING)
            .family(s.acting_family_id)
            .target(s.id)
            .write(&txn, now)
            .await?;
    }
    txn.commit()
        .await
        .context("Failed to commit the end of acting")?;
    Ok(open.len())
}

/// Records one request made while acting (both identities: the agent, the family).
/// Writes the request in the audit log **before** it runs (the answer is not known yet:
/// `crate::family::audit::complete` adds it): a request whose row cannot be written is not
/// run. Returns the row's id.
pub async fn record_request(
    ctx: &Context,
    staff_id: StaffId,
    family_id: FamilyId,
    detail: String,
) -> anyhow::Result<Uuid> {
    crate::family::audit::record_returning_id(
        &ctx.db,
        staff_id,
        action::ACTING_REQUEST,
        Some(family_id.uuid()),
        None,
        Some(detail),
        ctx.clock.now(),
    )
    .await
}
