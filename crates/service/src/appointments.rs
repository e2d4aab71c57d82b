//! Appointments for « aide aux démarches » (issue 24, point 5; rules:
//! `portail_domain::rules::appointments`): staff open slots, anyone takes one from the public
//! page (or staff for a caller), a confirmation and a reminder the day before are e-mailed
//! when an address is given, staff keep the day's agenda.
//!
//! A slot is never given twice: its `taken` count is raised by one conditional update
//! (`taken < capacity`) in the transaction that writes the appointment — PostgreSQL re-reads
//! the row under its lock, SQLite writes one transaction at a time — so of two callers for the
//! last place, one gets a row and the other nothing (`Full`).

use chrono::{Duration, NaiveDate, NaiveTime};
use portail_domain::api::{
    AgendaResponse, AgendaSlot, AppointmentConfirmation, AppointmentItem, AppointmentRequest,
    AppointmentSlot, AppointmentSlotList, OpenSlotsRequest,
};
use portail_domain::format::date_fr;
use portail_domain::parse::{FieldErrors, InvalidValue};
use portail_domain::rules::appointments::{
    self as rules, AppointmentDesk, AppointmentStatus, time_fr,
};
use portail_domain::string_enum::stored;
use portail_entity::{appointment, appointment_slot as slot};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::Context;
use crate::planning::staff::Actor;

#[derive(Debug, thiserror::Error)]
pub enum AppointmentError {
    #[error("no such slot or appointment")]
    NotFound,
    #[error("this desk is not run by this staff member")]
    OutOfScope,
    #[error("the slot is full")]
    Full,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AppointmentError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<FieldErrors> for AppointmentError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

/// The town hall's wall clock, which slots are written in.
fn paris_now(ctx: &Context) -> chrono::NaiveDateTime {
    ctx.clock
        .now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .naive_local()
}

fn require(actor: &Actor, desk: AppointmentDesk) -> Result<(), AppointmentError> {
    if desk.run_by(&actor.scope) {
        Ok(())
    } else {
        Err(AppointmentError::OutOfScope)
    }
}

fn start_of(row: &slot::Model) -> anyhow::Result<NaiveTime> {
    rules::parse_time(&row.starts_at)
        .map_err(|_| anyhow::anyhow!("a stored slot start is not HH:MM: {}", row.starts_at))
}

fn slot_body(row: &slot::Model) -> anyhow::Result<AppointmentSlot> {
    let start = start_of(row)?;
    let end = start
        .overflowing_add_signed(Duration::minutes(i64::from(row.length_minutes)))
        .0;
    Ok(AppointmentSlot {
        id: row.id,
        desk: stored("appointment desk", &row.desk, AppointmentDesk::parse)?,
        date: row.date,
        start: start.format("%H:%M").to_string(),
        end: end.format("%H:%M").to_string(),
        capacity: u32::try_from(row.capacity).unwrap_or(0),
        places_left: u32::try_from(row.capacity.saturating_sub(row.taken)).unwrap_or(0),
    })
}

/// Opens the slots of `request` (those already open at the same start are kept as they are);
/// answers the slots of that day.
pub async fn open_slots(
    ctx: &Context,
    actor: &Actor,
    request: &OpenSlotsRequest,
) -> Result<AppointmentSlotList, AppointmentError> {
    require(actor, request.desk)?;
    let starts = rules::opening(
        request.date,
        &request.from,
        &request.to,
        request.length_minutes,
        request.capacity,
        ctx.clock.today(),
    )?;
    let txn = ctx.db.begin().await?;
    let existing: Vec<String> = day_slots(&txn, request.desk, request.date)
        .await?
        .into_iter()
        .map(|s| s.starts_at)
        .collect();
    let now = ctx.clock.now();
    for start in starts {
        let starts_at = start.format("%H:%M").to_string();
        if existing.contains(&starts_at) {
            continue;
        }
        slot::ActiveModel {
            id: Set(Uuid::now_v7()),
            desk: Set(request.desk.as_str().to_owned()),
            date: Set(request.date),
            starts_at: Set(starts_at),
            length_minutes: Set(i32::try_from(request.length_minutes).unwrap_or(30)),
            capacity: Set(i32::try_from(request.capacity).unwrap_or(1)),
            taken: Set(0),
            created_by: Set(actor.staff_id.uuid()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let items = day_slots(&txn, request.desk, request.date)
        .await?
        .iter()
        .map(slot_body)
        .collect::<anyhow::Result<_>>()?;
    txn.commit().await?;
    Ok(AppointmentSlotList { items })
}

async fn day_slots<C: ConnectionTrait>(
    conn: &C,
    desk: AppointmentDesk,
    date: NaiveDate,
) -> Result<Vec<slot::Model>, AppointmentError> {
    Ok(slot::Entity::find()
        .filter(slot::Column::Desk.eq(desk.as_str()))
        .filter(slot::Column::Date.eq(date))
        .order_by_asc(slot::Column::StartsAt)
        .all(conn)
        .await?)
}

/// The slots of `desk` anyone can still take: to come within 60 days, with a place left.
pub async fn free_slots(
    ctx: &Context,
    desk: AppointmentDesk,
) -> Result<AppointmentSlotList, AppointmentError> {
    let now = paris_now(ctx);
    let today = now.date();
    let rows = slot::Entity::find()
        .filter(slot::Column::Desk.eq(desk.as_str()))
        .filter(
            slot::Column::Date.between(today, crate::clock::days_after(today, rules::PUBLIC_DAYS)),
        )
        .filter(Expr::col(slot::Column::Taken).lt(Expr::col(slot::Column::Capacity)))
        .order_by_asc(slot::Column::Date)
        .order_by_asc(slot::Column::StartsAt)
        .all(&ctx.db)
        .await?;
    let mut items = Vec::new();
    for row in &rows {
        if rules::still_to_come(row.date, start_of(row)?, now) {
            items.push(slot_body(row)?);
        }
    }
    Ok(AppointmentSlotList { items })
}

/// Takes a place in `request.slot_id`: from the public page (`by` none) or by a staff member
/// who runs the desk, for a caller. E-mails the confirmation when an address is given.
pub async fn book(
    ctx: &Context,
    by: Option<&Actor>,
    request: &AppointmentRequest,
) -> Result<AppointmentConfirmation, AppointmentError> {
    let details = request.validate()?;
    let now = ctx.clock.now();
    let txn = ctx.db.begin().await?;
    // The place is taken first: the transaction's first statement is its write (SQLite then
    // waits for the writer before it, instead of failing to upgrade a read).
    match take_place(&txn, request.slot_id).await {
        Ok(()) => {}
        Err(AppointmentError::Full) => {
            let exists = slot::Entity::find_by_id(request.slot_id)
                .one(&txn)
                .await?
                .is_some();
            return Err(if exists {
                AppointmentError::Full
            } else {
                AppointmentError::NotFound
            });
        }
        Err(other) => return Err(other),
    }
    let row = slot::Entity::find_by_id(request.slot_id)
        .one(&txn)
        .await?
        .ok_or(AppointmentError::NotFound)?;
    let body = slot_body(&row)?;
    if let Some(actor) = by {
        require(actor, body.desk)?;
    }
    if !rules::still_to_come(row.date, start_of(&row)?, paris_now(ctx)) {
        return Err(FieldErrors::one(
            "slot_id",
            InvalidValue::new(
                "in_the_past",
                "Ce créneau est passé : choisissez-en un autre.",
            ),
        )
        .into());
    }
    let id = Uuid::now_v7();
    appointment::ActiveModel {
        id: Set(id),
        slot_id: Set(row.id),
        name: Set(details.name.clone()),
        phone: Set(details.phone.clone()),
        email: Set(details.email.clone()),
        reason: Set(details.reason.clone()),
        status: Set(AppointmentStatus::Booked.as_str().to_owned()),
        booked_by: Set(by.map(|a| a.staff_id.uuid())),
        created_at: Set(now),
        reminder_sent_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let message = format!(
        "Rendez-vous le {} à {} en mairie ({}).",
        date_fr(row.date),
        time_fr(start_of(&row)?),
        body.desk.label_fr()
    );
    if let Some(email) = &details.email {
        queue_email(ctx, &txn, email, &details.reason, &row, false).await?;
    }
    txn.commit().await?;
    if details.email.is_some() {
        ctx.outbox.wake();
    }
    Ok(AppointmentConfirmation {
        id,
        // Read after the place was taken, in the same transaction: it counts this one.
        slot: body,
        name: details.name,
        message,
    })
}

/// Raises the slot's count while a place is left, or `Full`.
async fn take_place<C: ConnectionTrait>(conn: &C, slot_id: Uuid) -> Result<(), AppointmentError> {
    let taken = slot::Entity::update_many()
        .col_expr(slot::Column::Taken, Expr::col(slot::Column::Taken).add(1))
        .filter(slot::Column::Id.eq(slot_id))
        .filter(Expr::col(slot::Column::Taken).lt(Expr::col(slot::Column::Capacity)))
        .exec(conn)
        .await?;
    if taken.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppointmentError::Full)
    }
}

async fn queue_email<C: ConnectionTrait>(
    ctx: &Context,
    conn: &C,
    to: &str,
    reason: &str,
    row: &slot::Model,
    reminder: bool,
) -> Result<(), AppointmentError> {
    let commune = crate::accounts::commune_name(conn).await?;
    let desk = stored("appointment desk", &row.desk, AppointmentDesk::parse)
        .map_err(anyhow::Error::from)?;
    let when = format!("le {} à {}", date_fr(row.date), time_fr(start_of(row)?));
    let email = crate::emails::appointment(
        &crate::emails::Recipient {
            to,
            first_name: "",
            commune: &commune,
        },
        &when,
        desk.label_fr(),
        reason,
        reminder,
    );
    crate::outbox::enqueue(conn, &email, None, ctx.clock.now()).await?;
    Ok(())
}

/// The day's agenda of a desk: every slot and its appointments.
pub async fn agenda(
    ctx: &Context,
    actor: &Actor,
    desk: AppointmentDesk,
    date: NaiveDate,
) -> Result<AgendaResponse, AppointmentError> {
    require(actor, desk)?;
    let slots = day_slots(&ctx.db, desk, date).await?;
    let ids: Vec<Uuid> = slots.iter().map(|s| s.id).collect();
    let booked = appointment::Entity::find()
        .filter(appointment::Column::SlotId.is_in(ids))
        .order_by_asc(appointment::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let mut out = Vec::new();
    for s in &slots {
        let appointments = booked
            .iter()
            .filter(|a| a.slot_id == s.id)
            .map(item)
            .collect::<anyhow::Result<_>>()?;
        out.push(AgendaSlot {
            slot: slot_body(s)?,
            appointments,
        });
    }
    Ok(AgendaResponse {
        desk,
        date,
        slots: out,
    })
}

fn item(a: &appointment::Model) -> anyhow::Result<AppointmentItem> {
    Ok(AppointmentItem {
        id: a.id,
        name: a.name.clone(),
        phone: a.phone.clone(),
        email: a.email.clone(),
        reason: a.reason.clone(),
        status: stored("appointment status", &a.status, AppointmentStatus::parse)?,
        by_staff: a.booked_by.is_some(),
    })
}

/// « Venu », « Absent », or cancelled (its place freed; booked again only while one is left).
pub async fn set_status(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    status: AppointmentStatus,
) -> Result<AppointmentItem, AppointmentError> {
    let txn = ctx.db.begin().await?;
    let found = appointment::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppointmentError::NotFound)?;
    let row = slot::Entity::find_by_id(found.slot_id)
        .one(&txn)
        .await?
        .ok_or(AppointmentError::NotFound)?;
    let desk = stored("appointment desk", &row.desk, AppointmentDesk::parse)
        .map_err(anyhow::Error::from)?;
    require(actor, desk)?;
    let before = stored(
        "appointment status",
        &found.status,
        AppointmentStatus::parse,
    )
    .map_err(anyhow::Error::from)?;
    match (before.holds_a_place(), status.holds_a_place()) {
        (true, false) => {
            slot::Entity::update_many()
                .col_expr(slot::Column::Taken, Expr::col(slot::Column::Taken).sub(1))
                .filter(slot::Column::Id.eq(row.id))
                .filter(slot::Column::Taken.gt(0))
                .exec(&txn)
                .await?;
        }
        (false, true) => take_place(&txn, row.id).await?,
        _ => {}
    }
    let mut active: appointment::ActiveModel = found.into();
    active.status = Set(status.as_str().to_owned());
    let saved = active.update(&txn).await?;
    txn.commit().await?;
    Ok(item(&saved)?)
}

/// E-mails tomorrow's appointments their reminder, once each (a conditional update claims
/// it: of several instances, one sends). Returns how many were queued.
pub async fn send_reminders(ctx: &Context) -> Result<usize, AppointmentError> {
    let tomorrow = crate::clock::days_after(ctx.clock.today(), 1);
    let slots = slot::Entity::find()
        .filter(slot::Column::Date.eq(tomorrow))
        .filter(slot::Column::Taken.gt(0))
        .all(&ctx.db)
        .await?;
    let mut sent = 0_usize;
    for row in &slots {
        let due = appointment::Entity::find()
            .filter(appointment::Column::SlotId.eq(row.id))
            .filter(appointment::Column::Status.eq(AppointmentStatus::Booked.as_str()))
            .filter(appointment::Column::Email.is_not_null())
            .filter(appointment::Column::ReminderSentAt.is_null())
            .all(&ctx.db)
            .await?;
        for a in due {
            let txn = ctx.db.begin().await?;
            let claimed = appointment::Entity::update_many()
                .col_expr(
                    appointment::Column::ReminderSentAt,
                    Expr::value(ctx.clock.now()),
                )
                .filter(appointment::Column::Id.eq(a.id))
                .filter(appointment::Column::ReminderSentAt.is_null())
                .exec(&txn)
                .await?;
            if claimed.rows_affected == 1
                && let Some(email) = &a.email
            {
                queue_email(ctx, &txn, email, &a.reason, row, true).await?;
                sent = sent.saturating_add(1);
            }
            txn.commit().await?;
        }
    }
    if sent > 0 {
        ctx.outbox.wake();
    }
    Ok(sent)
}
