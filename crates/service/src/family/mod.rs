//! The family file: « Mon compte », « Mon foyer », « Mes enfants », « Mes documents », the
//! dossier's status and history, and the staff's review of it.
//!
//! Every function that a family calls takes the caller's `family_id` and filters by it: a
//! resource of another family is simply not found.

pub mod account;
pub mod audit;
pub mod children;
pub mod documents;
pub mod dossier;
pub mod household;
pub mod inspect;
pub mod review;
pub mod to_do;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::api::DossierStatus;
use portail_domain::dossier::DossierEventKind;
use portail_domain::ids::{FamilyId, StaffId};
use portail_entity::{dossier_event, family};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use uuid::Uuid;

/// Who did something to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Family(FamilyId),
    Staff(StaffId),
    System,
}

impl Actor {
    fn kind(self) -> &'static str {
        match self {
            Self::Family(_) => "family",
            Self::Staff(_) => "staff",
            Self::System => "system",
        }
    }

    fn id(self) -> Option<Uuid> {
        match self {
            Self::Family(id) => Some(id.uuid()),
            Self::Staff(id) => Some(id.uuid()),
            Self::System => None,
        }
    }
}

pub(crate) async fn record_event<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    kind: DossierEventKind,
    status_after: DossierStatus,
    message: Option<String>,
    actor: Actor,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    dossier_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id.uuid()),
        kind: Set(kind.as_str().to_owned()),
        status_after: Set(status_after.as_str().to_owned()),
        message: Set(message),
        actor_kind: Set(actor.kind().to_owned()),
        actor_id: Set(actor.id()),
        created_at: Set(now),
    }
    .insert(conn)
    .await
    .context("Failed to record a dossier event")?;
    Ok(())
}

/// E-mails the family's account (through the outbox, in the caller's transaction). A family
/// created at the counter without an address has no account yet: nothing is sent.
pub(crate) async fn email_family<C: ConnectionTrait>(
    ctx: &crate::Context,
    conn: &C,
    family_id: FamilyId,
    build: impl FnOnce(&crate::emails::Recipient<'_>) -> crate::mailer::OutgoingEmail,
) -> anyhow::Result<()> {
    email_family_at(conn, family_id, ctx.clock.now(), build).await
}

/// [`email_family`] for a caller that has the time but not the context (the booking writer).
pub(crate) async fn email_family_at<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    now: DateTime<Utc>,
    build: impl FnOnce(&crate::emails::Recipient<'_>) -> crate::mailer::OutgoingEmail,
) -> anyhow::Result<()> {
    let Some(account) = portail_entity::family_account::Entity::find()
        .filter(portail_entity::family_account::Column::FamilyId.eq(family_id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let account_ref = crate::accounts::AccountRef::from(account);
    let first_name = crate::accounts::first_name(conn, &account_ref).await?;
    let commune = crate::accounts::commune_name(conn).await?;
    let message = build(&crate::emails::Recipient {
        to: &account_ref.email,
        first_name: &first_name,
        commune: &commune,
    });
    crate::outbox::enqueue(conn, &message, None, now).await?;
    Ok(())
}

/// Remembers that the family did something (for the retention job).
pub(crate) async fn touch<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    family::Entity::update_many()
        .col_expr(family::Column::LastActivityAt, Expr::value(now))
        .col_expr(family::Column::UpdatedAt, Expr::value(now))
        .filter(family::Column::Id.eq(family_id))
        .exec(conn)
        .await
        .context("Failed to touch a family")?;
    Ok(())
}

pub(crate) async fn family_row<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<Option<family::Model>> {
    family::Entity::find_by_id(family_id)
        .one(conn)
        .await
        .context("Failed to read a family")
}

/// The family's dossier status as stored: an unknown code is an error, never a default.
pub(crate) fn status_of(row: &family::Model) -> anyhow::Result<DossierStatus> {
    Ok(portail_domain::string_enum::stored(
        "dossier status",
        &row.dossier_status,
        DossierStatus::parse,
    )?)
}
