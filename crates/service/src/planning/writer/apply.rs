//! Applying a recap's lines inside the batch's transaction: booking (a guarded update of the
//! day's slot, never a read then a write), cancelling, the webhook events and the
//! confirmation e-mail.

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use portail_domain::api::{
    BookingBatchResponse, BookingLine, BookingLineResult, BookingStatus, LineAction, LineOutcome,
};
use portail_domain::rules::planning::{BookingMode, RefusalCode};
use portail_entity::booking;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use crate::events::{BookingData, booking_event};
use crate::mailer::OutgoingEmail;
use crate::outbox::{self};
use crate::planning::sql::{self, NewBooking};
use portail_domain::rules::webhooks::WebhookEvent;

use super::*;
use crate::change::Audit;
use portail_domain::ids::{ChildId, UnitId};

pub(super) fn refused(line: &BookingLine, code: RefusalCode) -> BookingLineResult {
    BookingLineResult {
        line: line.clone(),
        outcome: LineOutcome::Refused,
        code: Some(code),
        reason: Some(code.label_fr().to_owned()),
    }
}

pub(super) fn done(line: &BookingLine, outcome: LineOutcome) -> BookingLineResult {
    BookingLineResult {
        line: line.clone(),
        outcome,
        code: None,
        reason: None,
    }
}

/// One recap, inside the writer's transaction. `Err` only for what breaks the transaction;
/// a recap that is not applied (key in use or reused) is an `Ok(Err(..))` that changed nothing.
pub(super) async fn apply(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<BookingBatchResponse, WriteError>> {
    if let Some(answer) = known(state, submission)? {
        return Ok(answer);
    }
    let mut slots: Vec<Option<BookingLineResult>> = vec![None; submission.lines.len()];
    let mut audit = Vec::new();
    // Cancellations first: a recap that swaps a day for a half-day frees the day before it
    // books the half-day (overlapping units), and frees places for the other lines.
    let order = (0..submission.lines.len())
        .filter(|&i| submission.lines[i].line.action == LineAction::Cancel)
        .chain(
            (0..submission.lines.len())
                .filter(|&i| submission.lines[i].line.action == LineAction::Book),
        );
    for i in order.collect::<Vec<_>>() {
        let prepared = &submission.lines[i];
        let line = &prepared.line;
        if let Some(code) = prepared.refusal {
            slots[i] = Some(refused(line, code));
            continue;
        }
        let (result, forced) = match line.action {
            LineAction::Book => book(txn, state, submission, prepared, now).await?,
            LineAction::Cancel => (cancel(txn, state, submission, prepared, now).await?, false),
        };
        if result.outcome != LineOutcome::Refused {
            audit.push((
                line.child_id,
                portail_domain::audit::staff_booking_detail(
                    line.action == LineAction::Book,
                    line.date,
                    forced,
                    &prepared.label,
                ),
            ));
        }
        slots[i] = Some(result);
    }
    let results: Vec<BookingLineResult> = slots.into_iter().flatten().collect();
    let total = results.len();
    let accepted = results
        .iter()
        .filter(|r| r.outcome != LineOutcome::Refused)
        .count();
    let response = BookingBatchResponse {
        accepted: u32::try_from(accepted).context("a recap's size")?,
        refused: u32::try_from(total.saturating_sub(accepted)).context("a recap's size")?,
        results,
    };
    if let Some((key, hash)) = &submission.idempotency {
        state.keys.new.insert(
            (submission.family_id, key.clone()),
            (hash.clone(), response.clone()),
        );
    }
    if let Some(ActingStaff { staff_id, .. }) = submission.staff {
        // The audit row commits with the booking it records.
        for (child_id, detail) in audit {
            Audit::by(staff_id, portail_domain::audit::action::STAFF_BOOKING)
                .family(submission.family_id)
                .target(child_id)
                .detail(detail)
                .write(txn, now)
                .await?;
        }
    }
    if let (Some((to, first_name, commune)), true) = (&submission.email, accepted > 0) {
        let message = confirmation(to, first_name, commune, submission, &response);
        outbox::enqueue(txn, &message, None, now).await?;
    }
    Ok(Ok(response))
}

/// Does the child already hold, that day, a unit that overlaps this line's? On PostgreSQL
/// the child's row is locked first, so two recaps of one child on overlapping units (which
/// need not share a slot) are checked one after the other.
pub(super) async fn holds_overlapping(
    txn: &DatabaseTransaction,
    prepared: &PreparedLine,
) -> anyhow::Result<bool> {
    if prepared.conflicting.is_empty() {
        return Ok(false);
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute(&sql::lock_child(ChildId::from(prepared.line.child_id)))
            .await
            .context("Failed to lock a child's day")?;
    }
    let held = booking::Entity::find()
        .filter(booking::Column::ChildId.eq(prepared.line.child_id))
        .filter(booking::Column::Date.eq(prepared.line.date))
        .filter(booking::Column::UnitId.is_in(prepared.conflicting.clone()))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Requested.as_str(),
        ]))
        .one(txn)
        .await
        .context("Failed to read a child's day")?;
    Ok(held.is_some())
}

/// Gives back one place on each of these units' slots of `date`.
pub(super) async fn release_all(
    txn: &DatabaseTransaction,
    units: &[Uuid],
    date: NaiveDate,
) -> anyhow::Result<()> {
    for unit_id in units {
        txn.execute(&sql::release_place(UnitId::from(*unit_id), date))
            .await
            .context("Failed to give a place back")?;
    }
    Ok(())
}

pub(super) async fn book(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    prepared: &PreparedLine,
    now: DateTime<Utc>,
) -> anyhow::Result<(BookingLineResult, bool)> {
    let line = &prepared.line;
    let status = match prepared.mode {
        BookingMode::Instant => BookingStatus::Booked,
        BookingMode::Request => BookingStatus::Requested,
    };
    if holds_overlapping(txn, prepared).await? {
        return Ok((refused(line, RefusalCode::OverlappingUnit), false));
    }
    let forcing = submission.staff.is_some_and(|s| s.force);
    let mut forced = false;
    // The slots a booked place is taken in: the unit's, and those of the units it covers.
    let mut holding: Vec<Uuid> = Vec::new();
    // A place kept for this child (waiting list in `offer` mode) is already held for it.
    let offered = match &prepared.waiting {
        Some(rules)
            if rules.mode == portail_domain::rules::waiting_list::WaitingListMode::Offer =>
        {
            crate::planning::waiting::take_offer(
                txn,
                ChildId::from(line.child_id),
                UnitId::from(line.unit_id),
                line.date,
                now,
            )
            .await?
        }
        _ => false,
    };
    if offered {
        holding = prepared.places().map(|(id, _)| id).collect();
    } else if status == BookingStatus::Booked {
        for (unit_id, _) in prepared.places() {
            let day = (unit_id, line.date);
            // The slots exist and are locked: see `lock_days`.
            let taken = !state.full.contains(&day)
                && txn
                    .execute(&sql::take_place(UnitId::from(unit_id), line.date))
                    .await
                    .context("Failed to take a place")?
                    .rows_affected()
                    == 1;
            if !taken {
                state.full.insert(day);
                if !forcing {
                    release_all(txn, &holding, line.date).await?;
                    return Ok((refused(line, RefusalCode::Full), false));
                }
                txn.execute(&sql::force_place(UnitId::from(unit_id), line.date))
                    .await
                    .context("Failed to force a place")?;
                forced = true;
            }
            holding.push(unit_id);
        }
    }
    let new = NewBooking {
        id: Uuid::now_v7(),
        family_id: submission.family_id,
        child_id: line.child_id,
        unit_id: line.unit_id,
        date: line.date,
        status,
        booked_by: submission.staff.map(|s| s.staff_id.uuid()),
        now,
    };
    let inserted = txn
        .execute(&sql::insert_booking(&new))
        .await
        .context("Failed to insert a booking")?
        .rows_affected()
        == 1;
    if !inserted {
        match (&prepared.waiting, offered) {
            (Some(rules), true) => {
                crate::planning::waiting::give_back(
                    txn,
                    &mut state.full,
                    rules,
                    UnitId::from(line.unit_id),
                    line.date,
                    now,
                )
                .await?;
            }
            _ => {
                release_all(txn, &holding, line.date).await?;
                for unit_id in &holding {
                    state.full.remove(&(*unit_id, line.date));
                }
            }
        }
        return Ok((refused(line, RefusalCode::AlreadyBooked), false));
    }
    // A child who books a day it waits for is off the list. In `auto` mode a family cannot
    // meet a free place while children wait (the freed place went to them), so only staff
    // bookings and `offer` mode need the statement; a stale entry is closed by the next
    // promotion anyway (its booking refuses a second one).
    if let Some(rules) = &prepared.waiting
        && !offered
        && (submission.staff.is_some()
            || rules.mode == portail_domain::rules::waiting_list::WaitingListMode::Offer)
    {
        crate::planning::waiting::close_wait(
            txn,
            ChildId::from(line.child_id),
            UnitId::from(line.unit_id),
            line.date,
            now,
        )
        .await?;
    }
    let outcome = if status == BookingStatus::Booked {
        LineOutcome::Booked
    } else {
        LineOutcome::Requested
    };
    state.events.push(booking_event(
        WebhookEvent::BookingCreated,
        BookingData {
            id: new.id,
            family_id: new.family_id,
            child_id: new.child_id,
            unit_id: new.unit_id,
            date: new.date,
            status,
        },
    ));
    Ok((done(line, outcome), forced))
}

pub(super) async fn cancel(
    txn: &DatabaseTransaction,
    state: &mut TxnState,
    submission: &Submission,
    prepared: &PreparedLine,
    now: DateTime<Utc>,
) -> anyhow::Result<BookingLineResult> {
    let line = &prepared.line;
    let active = booking::Entity::find()
        .filter(booking::Column::FamilyId.eq(submission.family_id))
        .filter(booking::Column::ChildId.eq(line.child_id))
        .filter(booking::Column::UnitId.eq(line.unit_id))
        .filter(booking::Column::Date.eq(line.date))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Requested.as_str(),
        ]))
        .one(txn)
        .await
        .context("Failed to find a booking to cancel")?;
    let Some(active) = active else {
        return Ok(refused(line, RefusalCode::NotBooked));
    };
    let from =
        portail_domain::string_enum::stored("booking status", &active.status, BookingStatus::parse)
            .map_err(anyhow::Error::from)?;
    let moved = txn
        .execute(&sql::move_booking(
            active.id,
            from,
            BookingStatus::Cancelled,
            now,
        ))
        .await
        .context("Failed to cancel a booking")?
        .rows_affected()
        == 1;
    if !moved {
        return Ok(refused(line, RefusalCode::NotBooked));
    }
    state.events.push(booking_event(
        WebhookEvent::BookingCancelled,
        BookingData {
            id: active.id,
            family_id: active.family_id,
            child_id: active.child_id,
            unit_id: active.unit_id,
            date: active.date,
            status: BookingStatus::Cancelled,
        },
    ));
    if from == BookingStatus::Booked {
        for (unit_id, _) in prepared.places() {
            txn.execute(&sql::release_place(UnitId::from(unit_id), line.date))
                .await
                .context("Failed to give a place back")?;
            state.full.remove(&(unit_id, line.date));
        }
        // The place freed goes to the first waiting child, in this transaction.
        if let Some(rules) = &prepared.waiting {
            let freed: Vec<Uuid> = prepared.places().map(|(id, _)| id).collect();
            crate::planning::waiting::fill(txn, &mut state.full, rules, line.date, &freed, now)
                .await?;
        }
    }
    Ok(done(line, LineOutcome::Cancelled))
}

pub(super) fn confirmation(
    to: &str,
    first_name: &str,
    commune: &str,
    submission: &Submission,
    response: &BookingBatchResponse,
) -> OutgoingEmail {
    let mut changes = Vec::new();
    for (prepared, result) in submission.lines.iter().zip(&response.results) {
        let verb = match result.outcome {
            LineOutcome::Booked => "Réservé",
            LineOutcome::Requested => "Souhait envoyé (en attente de réponse)",
            LineOutcome::Cancelled => "Annulé",
            LineOutcome::Refused => continue,
        };
        changes.push(format!(
            "- {verb} : {} — {}",
            prepared.label,
            portail_domain::format::date_fr(prepared.line.date)
        ));
    }
    use portail_domain::format::of_place;
    let refused = response.refused;
    // Crèche wishes are sent, not booked: the e-mail says which it is.
    let only_wishes = response
        .results
        .iter()
        .filter(|r| r.outcome != LineOutcome::Refused)
        .all(|r| r.outcome == LineOutcome::Requested);
    let (heading, subject) = if only_wishes {
        (
            "Vos souhaits de réservation sont envoyés à la structure, qui vous répondra par e-mail",
            "Vos souhaits sont envoyés — Portail Famille",
        )
    } else {
        (
            "Vos changements dans «\u{a0}Mon planning\u{a0}» sont enregistrés",
            "Vos réservations sont enregistrées — Portail Famille",
        )
    };
    let mut text = format!(
        "Bonjour {first_name},\n\n{heading} :\n\n{}\n\n",
        changes.join("\n")
    );
    if refused > 0 {
        let lines = format!(
            "{} {}",
            portail_domain::format::count(refused as u64, "ligne", "lignes"),
            portail_domain::format::agree(
                refused as u64,
                "n'a pas pu être enregistrée",
                "n'ont pas pu être enregistrées"
            )
        );
        text.push_str(&format!(
            "{lines} : le détail est affiché dans «\u{a0}Mon planning\u{a0}».\n\n"
        ));
    }
    text.push_str(&format!(
        "Le Portail Famille de la commune {}\n",
        of_place(commune)
    ));
    OutgoingEmail {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text,
        html: None,
    }
}
