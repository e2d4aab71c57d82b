//! The family's side: the list, drafts (and declaring an unborn child's birth), sending
//! (checked by `rules::preregistration`, the documents asked provided, one open request a
//! child), cancelling, answering an offer.

use anyhow::Context as _;
use portail_domain::api::{PreRegistrationRequest, PreRegistrationResponse, PreRegistrationStatus};
use portail_domain::format::date_fr;
use portail_domain::ids::{ChildId, FamilyId};
use portail_domain::rules::preregistration::{self, PreRegistrationAction};
use portail_entity::{child, preregistration as row};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{Changes, Facts, PreRegistrationError, apply_move, request_of, response_of, status_of};
use crate::Context;
use crate::change::Change;
use crate::family::Actor;

/// The family's requests, the latest first (offers past their deadline lapsed first).
pub async fn list(
    ctx: &Context,
    family_id: FamilyId,
) -> anyhow::Result<Vec<PreRegistrationResponse>> {
    super::lapse_offers(ctx).await?;
    let rows = row::Entity::find()
        .filter(row::Column::FamilyId.eq(family_id))
        .order_by_desc(row::Column::CreatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to read pre-registrations")?;
    let facts = Facts::load(&ctx.db, &rows).await?;
    rows.iter()
        .map(|r| facts.response(r))
        .collect::<anyhow::Result<_>>()
}

/// What sending needs, for the form to say it before: the documents the crèche asks for,
/// and why the family cannot send yet (its file is not validated), if it cannot.
pub async fn sending_needs(
    ctx: &Context,
    family_id: FamilyId,
) -> anyhow::Result<(Vec<portail_domain::dossier::DocumentType>, Option<String>)> {
    let asked = super::asked_documents(&ctx.db).await?;
    Ok((
        asked.into_iter().map(|(t, _)| t).collect(),
        cannot_send(ctx, family_id).await?,
    ))
}

/// Why the family cannot send a pre-registration now (`rules::preregistration`), if so.
async fn cannot_send(ctx: &Context, family_id: FamilyId) -> anyhow::Result<Option<String>> {
    let family = crate::family::family_row(&ctx.db, family_id)
        .await?
        .context("the caller's family exists")?;
    Ok(portail_domain::rules::preregistration::cannot_send_because(
        crate::family::status_of(&family)?,
    ))
}

/// The child, which must be the family's.
async fn birth_date_of(
    ctx: &Context,
    family_id: FamilyId,
    request: &PreRegistrationRequest,
) -> Result<Option<chrono::NaiveDate>, PreRegistrationError> {
    let Some(child_id) = request.child_id else {
        return Ok(None);
    };
    let found = child::Entity::find_by_id(child_id)
        .one(&ctx.db)
        .await?
        .filter(|c| c.family_id == family_id);
    match found {
        Some(c) => Ok(c.birth_date),
        None => Err(not_in_family("child_id")),
    }
}

/// Saves a draft (`id` none: a new one). Only a draft can be changed.
pub async fn save(
    ctx: &Context,
    family_id: FamilyId,
    id: Option<Uuid>,
    request: &PreRegistrationRequest,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    request
        .validate_shape()
        .map_err(PreRegistrationError::Invalid)?;
    birth_date_of(ctx, family_id, request).await?;
    let now = ctx.clock.now();
    let schedule = serde_json::to_string(&request.schedule).context("a schedule as JSON")?;
    let mut model: row::ActiveModel = match id {
        Some(id) => {
            let stored = find(ctx, family_id, id).await?;
            if stored.status != PreRegistrationStatus::Draft.as_str() {
                return declare_birth(ctx, family_id, stored, request).await;
            }
            stored.into()
        }
        None => row::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id.uuid()),
            status: Set(PreRegistrationStatus::Draft.as_str().to_owned()),
            sent_on: Set(None),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.child_id = Set(request.child_id);
    model.expected_on = Set(request.expected_on);
    model.wished_start = Set(request.wished_start);
    model.schedule = Set(schedule);
    model.weeks_per_year = Set(i32::try_from(request.weeks_per_year).unwrap_or(0));
    model.comment = Set(request.comment.trim().to_owned());
    model.updated_at = Set(now);
    let saved = if id.is_some() {
        model.update(&ctx.db).await?
    } else {
        model.insert(&ctx.db).await?
    };
    response_of(ctx, saved.id).await
}

/// A request sent for an unborn child becomes the request of the child, born and added to
/// « Mes enfants »: the same request with `child_id` instead of `expected_on`, nothing else
/// changed. Any other change of a sent request is refused.
async fn declare_birth(
    ctx: &Context,
    family_id: FamilyId,
    stored: row::Model,
    request: &PreRegistrationRequest,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let kept = request_of(&stored);
    let is_birth = stored.child_id.is_none()
        && request.child_id.is_some()
        && preregistration::is_open(status_of(&stored)?)
        && request.wished_start == kept.wished_start
        && request.schedule == kept.schedule
        && request.weeks_per_year == kept.weeks_per_year
        && request.comment.trim() == kept.comment;
    if !is_birth {
        return Err(PreRegistrationError::Conflict(
            "Une préinscription envoyée ne se modifie plus : annulez-la et déposez-en une autre (seule la naissance d'un enfant à naître s'y déclare).".to_owned(),
        ));
    }
    let Some(child_id) = request.child_id else {
        return Err(PreRegistrationError::NotFound);
    };
    let born = child::Entity::find_by_id(child_id)
        .one(&ctx.db)
        .await?
        .filter(|c| c.family_id == family_id)
        .ok_or_else(|| not_in_family("child_id"))?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    crate::family::touch(&txn, family_id, now).await?;
    refuse_second_open(&txn, family_id, ChildId::from(child_id), stored.id).await?;
    let linked = row::Entity::update_many()
        .col_expr(
            row::Column::ChildId,
            sea_orm::sea_query::Expr::value(Some(child_id)),
        )
        .col_expr(
            row::Column::ExpectedOn,
            sea_orm::sea_query::Expr::value(Option::<chrono::NaiveDate>::None),
        )
        .col_expr(row::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .filter(row::Column::Id.eq(stored.id))
        .filter(row::Column::ChildId.is_null())
        .filter(row::Column::Status.eq(stored.status.as_str()))
        .exec(&txn)
        .await?;
    if linked.rows_affected == 0 {
        return Err(PreRegistrationError::Conflict(
            "Cette préinscription vient de changer : rechargez la page.".to_owned(),
        ));
    }
    super::record(
        ctx,
        &txn,
        family_id,
        &format!(
            "Naissance déclarée : la préinscription en crèche est désormais celle {}.",
            portail_domain::format::de(&born.first_name)
        ),
        Actor::Family(family_id),
    )
    .await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a birth")
        .await?;
    response_of(ctx, stored.id).await
}

fn not_in_family(field: &str) -> PreRegistrationError {
    let e = portail_domain::parse::FieldErrors::one(
        field,
        portail_domain::parse::InvalidValue::new(
            "invalid_value",
            "Cet enfant n'est pas dans votre dossier.",
        ),
    );
    PreRegistrationError::Invalid(e)
}

/// One open request a child: another one sent and not ended (than `except`) is a conflict.
async fn refuse_second_open<C: sea_orm::ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    child_id: ChildId,
    except: Uuid,
) -> Result<(), PreRegistrationError> {
    let open = row::Entity::find()
        .filter(row::Column::FamilyId.eq(family_id))
        .filter(row::Column::ChildId.eq(child_id))
        .filter(row::Column::Id.ne(except))
        .all(conn)
        .await?
        .iter()
        .map(status_of)
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .any(|s| s != PreRegistrationStatus::Draft && preregistration::is_open(s));
    if open {
        return Err(PreRegistrationError::Conflict(
            "Cet enfant a déjà une préinscription en cours.".to_owned(),
        ));
    }
    Ok(())
}

async fn find(
    ctx: &Context,
    family_id: FamilyId,
    id: Uuid,
) -> Result<row::Model, PreRegistrationError> {
    row::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|r| r.family_id == family_id)
        .ok_or(PreRegistrationError::NotFound)
}

/// Sends a draft: the rules must hold, and the child must have no other open request.
pub async fn submit(
    ctx: &Context,
    family_id: FamilyId,
    id: Uuid,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let stored = find(ctx, family_id, id).await?;
    if let Some(reason) = cannot_send(ctx, family_id).await? {
        return Err(PreRegistrationError::DossierNotValidated(reason));
    }
    let request = request_of(&stored);
    let birth_date = birth_date_of(ctx, family_id, &request).await?;
    let mut errors = request
        .check_for_sending(birth_date, ctx.clock.today())
        .err()
        .unwrap_or_default();
    let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
    let missing: Vec<&str> = facts
        .documents(&stored)
        .iter()
        .filter(|d| !d.provided)
        .map(|d| d.document_type.label_fr())
        .collect();
    if !missing.is_empty() {
        errors.push(
            "documents",
            portail_domain::parse::InvalidValue::new(
                "required",
                format!(
                    "Déposez dans «\u{a0}Mes documents\u{a0}» : {}.",
                    missing.join(", ")
                ),
            ),
        );
    }
    errors
        .into_result(())
        .map_err(PreRegistrationError::Invalid)?;
    let what = format!(
        "Préinscription en crèche {} déposée, pour une entrée souhaitée le {}. La crèche l'étudie et vous répond ici.",
        portail_domain::format::de(&facts.child_label(&stored)),
        date_fr(stored.wished_start)
    );
    move_to(
        ctx,
        family_id,
        stored,
        PreRegistrationAction::Send,
        Changes {
            sent_on: Some(ctx.clock.today()),
            ..Changes::default()
        },
        what,
    )
    .await
}

/// The family withdraws its request.
pub async fn cancel(
    ctx: &Context,
    family_id: FamilyId,
    id: Uuid,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let stored = find(ctx, family_id, id).await?;
    let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
    let what = format!(
        "Préinscription en crèche {} annulée à votre demande.",
        portail_domain::format::de(&facts.child_label(&stored))
    );
    move_to(
        ctx,
        family_id,
        stored,
        PreRegistrationAction::Cancel,
        Changes::default(),
        what,
    )
    .await
}

/// The family answers a place offered: accepted, or declined (back on the waiting list). An
/// offer past its deadline has lapsed: 409.
pub async fn answer(
    ctx: &Context,
    family_id: FamilyId,
    id: Uuid,
    accept: bool,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    super::lapse_offers(ctx).await?;
    let stored = find(ctx, family_id, id).await?;
    let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
    let child = facts.child_label(&stored);
    let (action, what, changes) = if accept {
        (
            PreRegistrationAction::Accept,
            format!(
                "Vous avez accepté la place proposée pour {child} à la crèche à partir du {}. La crèche vous contacte pour l'entrée.",
                stored.offered_from.map(date_fr).unwrap_or_default()
            ),
            Changes::default(),
        )
    } else {
        (
            PreRegistrationAction::DeclineOrLapse,
            format!(
                "Vous avez refusé la place proposée pour {child} : la demande revient en liste d'attente."
            ),
            Changes {
                joins_waiting_list: true,
                ..Changes::default()
            },
        )
    };
    move_to(ctx, family_id, stored, action, changes, what).await
}

async fn move_to(
    ctx: &Context,
    family_id: FamilyId,
    stored: row::Model,
    action: PreRegistrationAction,
    changes: Changes,
    what: String,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let from = status_of(&stored)?;
    let to = preregistration::transition(from, action).ok_or_else(|| {
        PreRegistrationError::Conflict(format!(
            "Cette préinscription est «\u{a0}{}\u{a0}» : ce n'est plus possible.",
            from.label_fr()
        ))
    })?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    // The family's row first: two requests for the same child sent at once queue here.
    crate::family::touch(&txn, family_id, now).await?;
    if action == PreRegistrationAction::Send
        && let Some(child_id) = stored.child_id
    {
        refuse_second_open(&txn, family_id, ChildId::from(child_id), stored.id).await?;
    }
    if !apply_move(
        ctx,
        &txn,
        &stored,
        to,
        &changes,
        &what,
        Actor::Family(family_id),
    )
    .await?
    {
        return Err(PreRegistrationError::Conflict(
            "Cette préinscription vient de changer : rechargez la page.".to_owned(),
        ));
    }
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a pre-registration")
        .await?;
    response_of(ctx, stored.id).await
}
