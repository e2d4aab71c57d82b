//! The commission's side (staff of the crèche): the requests sent, filtered; decisions in bulk
//! (to the commission, a place offered from a date with an answer deadline, refused with a
//! reason, waiting list), each answered on its own; the waiting list's order, which staff may
//! change with a reason (audited). Agents who do not manage the crèche are refused.

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    DecidePreRegistrationsRequest, DecisionOutcome, PreRegistrationDecision, PreRegistrationQuery,
    PreRegistrationStatus, ReorderWaitingListRequest, StaffPreRegistration,
};
use portail_domain::format::date_fr;
use portail_domain::rules::planning::age_in_months;
use portail_domain::rules::preregistration::{
    self as rules, DaySchedule, PreRegistrationAction, weekly_minutes,
};
use portail_entity::{guardian, preregistration as row};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Changes, Facts, PreRegistrationError, apply_move, request_of, status_of};
use crate::Context;
use crate::change::{Audit, Change};
use crate::family::Actor;
use crate::planning::staff::Actor as StaffActor;
use portail_domain::ids::FamilyId;

fn require_creche(actor: &StaffActor) -> Result<(), PreRegistrationError> {
    if actor.scope.allows(ServiceCode::Creche) {
        Ok(())
    } else {
        Err(PreRegistrationError::OutOfScope)
    }
}

fn schedule_of(r: &row::Model) -> [Option<DaySchedule>; 5] {
    request_of(r).schedule.map(|d| {
        d.map(|d| DaySchedule {
            arrival: d.arrival,
            departure: d.departure,
        })
    })
}

/// The requests sent (never drafts), the waiting list first in its order, then by arrival.
pub async fn list(
    ctx: &Context,
    actor: &StaffActor,
    query: &PreRegistrationQuery,
) -> Result<Vec<StaffPreRegistration>, PreRegistrationError> {
    require_creche(actor)?;
    query.validate().map_err(PreRegistrationError::Invalid)?;
    super::lapse_offers(ctx).await?;
    let mut select = row::Entity::find()
        .filter(row::Column::Status.ne(PreRegistrationStatus::Draft.as_str()))
        .order_by_asc(row::Column::SentOn)
        .order_by_asc(row::Column::CreatedAt);
    if let Some(status) = query.status {
        select = select.filter(row::Column::Status.eq(status.as_str()));
    }
    if let Some(from) = query.start_from {
        select = select.filter(row::Column::WishedStart.gte(from));
    }
    if let Some(to) = query.start_to {
        select = select.filter(row::Column::WishedStart.lte(to));
    }
    let rows = select
        .all(&ctx.db)
        .await
        .context("Failed to read pre-registrations")?;
    let facts = Facts::load(&ctx.db, &rows).await?;
    let mut names = std::collections::HashMap::new();
    let families: Vec<Uuid> = rows.iter().map(|r| r.family_id).collect();
    for chunk in families.chunks(500) {
        for g in guardian::Entity::find()
            .filter(guardian::Column::FamilyId.is_in(chunk.to_vec()))
            .filter(guardian::Column::Rank.eq(1))
            .all(&ctx.db)
            .await
            .context("Failed to read guardians")?
        {
            names.insert(g.family_id, format!("{} {}", g.last_name, g.first_name));
        }
    }
    let mut items: Vec<StaffPreRegistration> = rows
        .iter()
        .filter_map(|r| {
            let schedule = schedule_of(r);
            let age = match r.child_id {
                Some(id) => facts
                    .birth_dates
                    .get(&id)
                    .copied()
                    .flatten()
                    .map_or(0, |b| age_in_months(b, r.wished_start).max(0)),
                None => 0,
            };
            let age = u32::try_from(age).unwrap_or(0);
            let minutes = weekly_minutes(&schedule);
            let keep = query.max_age_months.is_none_or(|m| age <= m)
                && query.weekday.is_none_or(|w| {
                    w >= 1
                        && schedule
                            .get(usize::from(w).saturating_sub(1))
                            .is_some_and(Option::is_some)
                })
                && query
                    .max_weekly_hours
                    .is_none_or(|h| minutes <= h.saturating_mul(60));
            keep.then(|| {
                anyhow::Ok(StaffPreRegistration {
                    preregistration: facts.response(r)?,
                    family_id: r.family_id,
                    family_name: names.get(&r.family_id).cloned().unwrap_or_default(),
                    age_at_start_months: age,
                    weekly_minutes: minutes,
                })
            })
        })
        .collect::<anyhow::Result<_>>()?;
    items.sort_by_key(|i| i.preregistration.rank.unwrap_or(u32::MAX));
    Ok(items)
}

/// The decision's action, what it says to the family, and the columns it changes.
fn decision(
    request: &DecidePreRegistrationsRequest,
    child: &str,
) -> (PreRegistrationAction, String, Changes) {
    let reason = request.reason.trim();
    let of_child = portail_domain::format::de(child);
    match request.decision {
        PreRegistrationDecision::ToCommission => (
            PreRegistrationAction::ToCommission,
            format!("La préinscription en crèche {of_child} passe en commission."),
            Changes::default(),
        ),
        PreRegistrationDecision::Offer => {
            let from = request.offered_from.unwrap_or_default();
            let by = request.answer_by.unwrap_or_default();
            (
                PreRegistrationAction::Offer,
                format!(
                    "Une place en crèche est proposée pour {child} à partir du {}. Répondez avant le {} au soir dans «\u{a0}Mes préinscriptions\u{a0}» ; sans réponse, la place est proposée à une autre famille.",
                    date_fr(from),
                    date_fr(by)
                ),
                Changes {
                    offer: Some((from, by)),
                    reason: (!reason.is_empty()).then(|| reason.to_owned()),
                    ..Changes::default()
                },
            )
        }
        PreRegistrationDecision::Refuse => (
            PreRegistrationAction::Refuse,
            format!("La préinscription en crèche {of_child} n'a pas pu être retenue : {reason}"),
            Changes {
                reason: Some(reason.to_owned()),
                ..Changes::default()
            },
        ),
        PreRegistrationDecision::Wait => (
            PreRegistrationAction::Wait,
            format!(
                "La préinscription en crèche {of_child} est inscrite en liste d'attente : une place vous sera proposée dès qu'elle se libère, dans l'ordre d'arrivée."
            ),
            Changes {
                joins_waiting_list: true,
                reason: (!reason.is_empty()).then(|| reason.to_owned()),
                ..Changes::default()
            },
        ),
    }
}

/// Applies one decision to each request, each in its own transaction: a request that cannot
/// take it (already decided, cancelled meanwhile, unknown) is left as it is and said so.
pub async fn decide(
    ctx: &Context,
    actor: &StaffActor,
    request: &DecidePreRegistrationsRequest,
) -> Result<Vec<DecisionOutcome>, PreRegistrationError> {
    require_creche(actor)?;
    request
        .validate(ctx.clock.today())
        .map_err(PreRegistrationError::Invalid)?;
    super::lapse_offers(ctx).await?;
    let mut ids = request.ids.clone();
    ids.dedup();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let stored = row::Entity::find_by_id(id)
            .one(&ctx.db)
            .await?
            .filter(|r| r.status != PreRegistrationStatus::Draft.as_str());
        let Some(stored) = stored else {
            out.push(DecisionOutcome {
                id,
                applied: false,
                status: None,
                message: Some("Pas de préinscription envoyée de ce nom.".to_owned()),
            });
            continue;
        };
        let facts = Facts::load(&ctx.db, std::slice::from_ref(&stored)).await?;
        let (action, what, changes) = decision(request, &facts.child_label(&stored));
        let from = status_of(&stored)?;
        let Some(to) = rules::transition(from, action) else {
            out.push(DecisionOutcome {
                id,
                applied: false,
                status: Some(from),
                message: Some(format!(
                    "Elle est «\u{a0}{}\u{a0}» : «\u{a0}{}\u{a0}» ne s'applique pas.",
                    from.label_fr(),
                    request.decision.label_fr()
                )),
            });
            continue;
        };
        let txn = crate::db::begin(&ctx.db).await?;
        let moved = apply_move(
            ctx,
            &txn,
            &stored,
            to,
            &changes,
            &what,
            Actor::Staff(actor.staff_id),
        )
        .await?;
        if moved {
            Audit::by(
                actor.staff_id,
                portail_domain::audit::action::DECIDE_PREREGISTRATION,
            )
            .family(stored.family_id)
            .target(stored.id)
            .detail(format!("{};{}", from.as_str(), to.as_str()))
            .write(&txn, ctx.clock.now())
            .await?;
        }
        Change::at(ctx.clock.now())
            .mailed()
            .commit(txn, &ctx.outbox, "a decision")
            .await?;
        out.push(DecisionOutcome {
            id,
            applied: moved,
            status: Some(if moved { to } else { from }),
            message: (!moved).then(|| "Elle vient de changer : rechargez la liste.".to_owned()),
        });
    }
    Ok(out)
}

/// Puts a request of the waiting list at `rank` (the others keep their order around it), with
/// a reason written in the audit log; the family is told its new rank.
pub async fn reorder(
    ctx: &Context,
    actor: &StaffActor,
    request: &ReorderWaitingListRequest,
) -> Result<(), PreRegistrationError> {
    require_creche(actor)?;
    request.validate().map_err(PreRegistrationError::Invalid)?;
    let stored = row::Entity::find_by_id(request.id)
        .one(&ctx.db)
        .await?
        .ok_or(PreRegistrationError::NotFound)?;
    if status_of(&stored)? != PreRegistrationStatus::WaitingList {
        return Err(PreRegistrationError::Conflict(
            "Seule une demande en liste d'attente prend un rang.".to_owned(),
        ));
    }
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let placed = row::Entity::update_many()
        .col_expr(
            row::Column::WaitingPlacedAt,
            Expr::value(Some(i32::try_from(request.rank).unwrap_or(i32::MAX))),
        )
        .col_expr(row::Column::UpdatedAt, Expr::value(now))
        .filter(row::Column::Id.eq(stored.id))
        .filter(row::Column::Status.eq(PreRegistrationStatus::WaitingList.as_str()))
        .exec(&txn)
        .await?;
    if placed.rows_affected == 0 {
        return Err(PreRegistrationError::Conflict(
            "Cette demande vient de changer : rechargez la liste.".to_owned(),
        ));
    }
    let rank = super::ranks(&txn)
        .await?
        .get(&stored.id)
        .copied()
        .unwrap_or(request.rank);
    Audit::by(
        actor.staff_id,
        portail_domain::audit::action::REORDER_WAITING_LIST,
    )
    .family(stored.family_id)
    .target(stored.id)
    .detail(format!("{rank};{}", request.reason.trim()))
    .write(&txn, now)
    .await?;
    let facts = Facts::load(&txn, std::slice::from_ref(&stored)).await?;
    super::record(
        ctx,
        &txn,
        FamilyId::from(stored.family_id),
        &format!(
            "La préinscription en crèche {} est maintenant au rang {rank} de la liste d'attente.",
            portail_domain::format::de(&facts.child_label(&stored))
        ),
        Actor::Staff(actor.staff_id),
    )
    .await?;
    Change::at(ctx.clock.now())
        .mailed()
        .commit(txn, &ctx.outbox, "a waiting-list order")
        .await?;
    Ok(())
}
