//! The dossier's status: what is missing, sending it, staff decisions, and the yearly
//! re-verification.

use anyhow::Context as _;
use chrono::{Datelike as _, NaiveDate};
use portail_domain::api::{DossierEvent, DossierResponse, DossierStatus, MissingItem};
use portail_domain::dossier::{DocumentType, DossierEventKind};
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::dossier::{
    self, ChildFacts, DossierAction, Requirement, TransitionRefused,
};
use portail_entity::{commune, document_requirement, dossier_event, family};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::{Actor, children, documents, household};
use crate::Context;
use crate::change::{Audit, Change};
use crate::emails;

/// The documents every family must provide (those tied to a service apply once the family uses
/// it: bookings and pre-registrations come with their own checks).
pub async fn requirements<C: ConnectionTrait>(conn: &C) -> anyhow::Result<Vec<Requirement>> {
    Ok(document_requirement::Entity::find()
        .filter(document_requirement::Column::ServiceId.is_null())
        .all(conn)
        .await
        .context("Failed to read document requirements")?
        .into_iter()
        .filter_map(|r| {
            Some(Requirement {
                document_type: DocumentType::parse(&r.document_type)?,
                per_child: r.per_child,
            })
        })
        .collect())
}

pub async fn missing<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<Vec<MissingItem>> {
    let household = household::get(conn, family_id).await?;
    let kids = children::list(conn, family_id).await?;
    let docs = documents::list(conn, family_id).await?;
    let facts: Vec<ChildFacts<'_>> = kids
        .iter()
        .map(|c| ChildFacts {
            id: c.id,
            details: &c.details,
        })
        .collect();
    Ok(dossier::missing_items(
        &household,
        &facts,
        &docs,
        &requirements(conn).await?,
    ))
}

pub async fn history<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<Vec<DossierEvent>> {
    Ok(dossier_event::Entity::find()
        .filter(dossier_event::Column::FamilyId.eq(family_id))
        .order_by_desc(dossier_event::Column::CreatedAt)
        .all(conn)
        .await
        .context("Failed to read a dossier's history")?
        .into_iter()
        .filter_map(|e| {
            Some(DossierEvent {
                kind: DossierEventKind::parse(&e.kind)?,
                status_after: DossierStatus::parse(&e.status_after)?,
                message: e.message,
                actor: e.actor_kind,
                at: e.created_at,
            })
        })
        .collect())
}

pub async fn overview<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<DossierResponse> {
    let family = super::family_row(conn, family_id)
        .await?
        .context("the caller's family")?;
    let status = super::status_of(&family)?;
    let missing = missing(conn, family_id).await?;
    let can_submit =
        missing.is_empty() && dossier::transition(status, DossierAction::Submit).is_ok();
    Ok(DossierResponse {
        status,
        status_label: status.label_fr().to_owned(),
        info_request_message: family
            .info_request_message
            .filter(|_| status == DossierStatus::InfoRequested),
        missing,
        can_submit,
        history: history(conn, family_id).await?,
        // Filled by the route (`family::to_do`), which has the context.
        to_do: Vec::new(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("the file is incomplete")]
    Incomplete(Vec<MissingItem>),
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    #[error("no such family")]
    NotFound,
    /// The message is missing, too long or has control characters (French reason).
    #[error("the message is refused: {0:?}")]
    Message(portail_domain::parse::InvalidValue),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// A digest of what the family declared: re-verification skips a new review when it is the
/// same as when the file was validated.
pub async fn fingerprint<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<String> {
    // A family created at the counter may have no account yet: the holder is what counts.
    let profile = crate::accounts::profile::of_family(conn, family_id).await?;
    let docs: Vec<(Uuid, String)> = documents::list(conn, family_id)
        .await?
        .into_iter()
        .map(|d| (d.id, d.sha256))
        .collect();
    let snapshot = serde_json::json!({
        "account": profile.map(|mut p| { p.dossier_status = DossierStatus::Incomplete; p }),
        "household": household::get(conn, family_id).await?,
        "children": children::list(conn, family_id).await?,
        "documents": docs,
    });
    Ok(Sha256::digest(snapshot.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

struct Moved {
    family_id: Uuid,
    status: DossierStatus,
}

/// Applies a move inside a transaction: status, dates, history.
async fn apply<C: ConnectionTrait>(
    conn: &C,
    family: family::Model,
    action: DossierAction,
    message: Option<String>,
    actor: Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Moved, DossierError> {
    let (status, kind) = dossier::transition(super::status_of(&family)?, action)?;
    let family_id = family.id;
    let mut row: family::ActiveModel = family.into();
    row.dossier_status = Set(status.as_str().to_owned());
    row.updated_at = Set(now);
    match status {
        DossierStatus::Submitted => {
            row.submitted_at = Set(Some(now));
            row.info_request_message = Set(None);
        }
        DossierStatus::Validated => {
            row.validated_at = Set(Some(now));
            row.info_request_message = Set(None);
            row.validated_fingerprint =
                Set(Some(fingerprint(conn, FamilyId::from(family_id)).await?));
        }
        DossierStatus::InfoRequested => row.info_request_message = Set(message.clone()),
        _ => {}
    }
    row.update(conn).await.context("Failed to move a dossier")?;
    super::record_event(
        conn,
        FamilyId::from(family_id),
        kind,
        status,
        message,
        actor,
        now,
    )
    .await?;
    Ok(Moved { family_id, status })
}

/// « Envoyer mon dossier ».
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn submit(ctx: &Context, family_id: FamilyId) -> Result<DossierResponse, DossierError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let family = super::family_row(&txn, family_id)
        .await?
        .ok_or(DossierError::NotFound)?;
    dossier::transition(super::status_of(&family)?, DossierAction::Submit)?;
    let missing = missing(&txn, family_id).await?;
    if !missing.is_empty() {
        return Err(DossierError::Incomplete(missing));
    }
    apply(
        &txn,
        family,
        DossierAction::Submit,
        None,
        Actor::Family(family_id),
        now,
    )
    .await?;
    let link = ctx.link("/espace");
    super::email_family(ctx, &txn, family_id, |to| {
        emails::dossier_submitted(to, &link)
    })
    .await?;
    super::touch(&txn, family_id, now).await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a submission")
        .await?;
    Ok(overview(&ctx.db, family_id).await?)
}

/// « Je confirme l'exactitude de mes informations »: back to validated when nothing changed
/// since the last validation, otherwise to staff review.
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn confirm_reverification(
    ctx: &Context,
    family_id: FamilyId,
) -> Result<DossierResponse, DossierError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let family = super::family_row(&txn, family_id)
        .await?
        .ok_or(DossierError::NotFound)?;
    let unchanged = family.validated_fingerprint.as_deref()
        == Some(fingerprint(&txn, family_id).await?.as_str());
    let moved = apply(
        &txn,
        family,
        DossierAction::ConfirmReverification {
            unchanged_since_validation: unchanged,
        },
        None,
        Actor::Family(family_id),
        now,
    )
    .await?;
    if moved.status == DossierStatus::Submitted {
        let missing = missing(&txn, family_id).await?;
        if !missing.is_empty() {
            return Err(DossierError::Incomplete(missing));
        }
    }
    super::touch(&txn, family_id, now).await?;
    txn.commit()
        .await
        .context("Failed to commit a confirmation")?;
    Ok(overview(&ctx.db, family_id).await?)
}

/// « Valider le dossier ».
#[tracing::instrument(skip_all, fields(family.id = %family_id, staff.id = %staff_id))]
pub async fn validate(
    ctx: &Context,
    staff_id: StaffId,
    family_id: FamilyId,
) -> Result<DossierStatus, DossierError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let family = super::family_row(&txn, family_id)
        .await?
        .ok_or(DossierError::NotFound)?;
    let moved = apply(
        &txn,
        family,
        DossierAction::Validate,
        None,
        Actor::Staff(staff_id),
        now,
    )
    .await?;
    let link = ctx.link("/espace");
    super::email_family(ctx, &txn, FamilyId::from(moved.family_id), |to| {
        emails::dossier_validated(to, &link)
    })
    .await?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, portail_domain::audit::action::VALIDATE_FAMILY).family(family_id),
        )
        .event(crate::events::dossier_event(
            portail_domain::rules::webhooks::WebhookEvent::DossierValidated,
            family_id,
            moved.status,
        ))
        .mailed()
        .commit(txn, &ctx.outbox, "a validation")
        .await?;
    Ok(moved.status)
}

/// The longest message of « Demander un complément » (the OpenAPI `maxLength`).
pub const MAX_MESSAGE_LEN: usize = 2000;

/// « Demander un complément »: the message is e-mailed and shown on the family's dashboard.
#[tracing::instrument(skip_all, fields(family.id = %family_id, staff.id = %staff_id))]
pub async fn request_info(
    ctx: &Context,
    staff_id: StaffId,
    family_id: FamilyId,
    message: &str,
) -> Result<DossierStatus, DossierError> {
    let message = portail_domain::parse::message_text(message, MAX_MESSAGE_LEN)
        .map_err(DossierError::Message)?
        .ok_or_else(|| {
            DossierError::Message(portail_domain::parse::InvalidValue::new(
                "required",
                "Écrivez le message qui sera envoyé à la famille.",
            ))
        })?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let family = super::family_row(&txn, family_id)
        .await?
        .ok_or(DossierError::NotFound)?;
    let moved = apply(
        &txn,
        family,
        DossierAction::RequestInfo,
        Some(message.clone()),
        Actor::Staff(staff_id),
        now,
    )
    .await?;
    let link = ctx.link("/espace");
    super::email_family(ctx, &txn, family_id, |to| {
        emails::dossier_info_requested(to, &message, &link)
    })
    .await?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, portail_domain::audit::action::REQUEST_FAMILY_INFO)
                .family(family_id)
                .detail(message.clone()),
        )
        .event(crate::events::dossier_event(
            portail_domain::rules::webhooks::WebhookEvent::DossierInfoRequested,
            family_id,
            moved.status,
        ))
        .mailed()
        .commit(txn, &ctx.outbox, "a request")
        .await?;
    Ok(moved.status)
}

/// This year's re-verification date (29 February falls back to the 28th).
pub fn reverification_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .or_else(|| NaiveDate::from_ymd_opt(year, month, day.saturating_sub(1)))
}

/// The yearly job: once the commune's date has come this year, every validated file becomes
/// « à vérifier » and its family is e-mailed. Running it again the same year does nothing.
/// Returns how many files moved.
#[tracing::instrument(skip_all, fields(today = %today))]
pub async fn run_reverification(ctx: &Context, today: NaiveDate) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(commune) = commune::Entity::find_by_id(1)
        .one(&txn)
        .await
        .context("Failed to read the commune")?
    else {
        return Ok(0);
    };
    let year = today.year();
    let month = u32::try_from(commune.reverification_month).unwrap_or(8);
    let day = u32::try_from(commune.reverification_day).unwrap_or(1);
    let due = reverification_date(year, month, day).is_some_and(|date| today >= date);
    if !due
        || commune
            .last_reverification_year
            .is_some_and(|done| done >= year)
    {
        return Ok(0);
    }
    // Claimed first, by a guarded update: another instance running the job at the same time
    // waits on this row, then finds the year taken and does nothing (no second e-mail).
    let claimed = commune::Entity::update_many()
        .col_expr(commune::Column::LastReverificationYear, Expr::value(year))
        .filter(commune::Column::Id.eq(1))
        .filter(
            sea_orm::Condition::any()
                .add(commune::Column::LastReverificationYear.is_null())
                .add(commune::Column::LastReverificationYear.lt(year)),
        )
        .exec(&txn)
        .await
        .context("Failed to claim the re-verification")?;
    if claimed.rows_affected == 0 {
        return Ok(0);
    }
    let validated = family::Entity::find()
        .filter(family::Column::DossierStatus.eq(DossierStatus::Validated.as_str()))
        .all(&txn)
        .await
        .context("Failed to read validated families")?;
    let count = validated.len();
    let link = ctx.link("/espace");
    for family in validated {
        let family_id = family.id;
        apply(
            &txn,
            family,
            DossierAction::StartReverification,
            None,
            Actor::System,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        super::email_family(ctx, &txn, FamilyId::from(family_id), |to| {
            emails::reverification_requested(to, &link)
        })
        .await?;
    }
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "the re-verification")
        .await?;
    tracing::info!(families = count, "yearly re-verification started");
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_29th_of_february_falls_back_to_the_28th() {
        assert_eq!(
            reverification_date(2027, 2, 29),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert_eq!(
            reverification_date(2028, 2, 29),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert_eq!(
            reverification_date(2027, 8, 1),
            NaiveDate::from_ymd_opt(2027, 8, 1)
        );
    }
}
