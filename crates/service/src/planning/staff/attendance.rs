use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{AttendanceEntry, AttendanceMarkCode, AttendanceResponse, BookingStatus};
use portail_domain::ids::{ChildId, UnitId};
use portail_entity::{attendance_mark, booking, child, child_pickup, contact_person, slot};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{Actor, StaffError};
use crate::Context;
use crate::change::{Audit, Change};

/// Who comes on a day, for a unit: the children booked, their flags and who may pick them up.
/// `medical`: may the actor read children's medical details (allergies, PAI)?
pub async fn attendance(
    ctx: &Context,
    actor: &Actor,
    unit_id: UnitId,
    date: NaiveDate,
    medical: bool,
) -> Result<AttendanceResponse, StaffError> {
    let unit = super::units::require_unit(ctx, actor, unit_id).await?;
    let slot = slot::Entity::find()
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .one(&ctx.db)
        .await?;
    // The children of the units that cover this one are there too (a « Journée » child is on
    // the « Matin » sheet): their places were taken on this unit's slot.
    let present: Vec<Uuid> = std::iter::once(unit_id.uuid())
        .chain(unit.covered_by.iter().copied())
        .collect();
    let rows = booking::Entity::find()
        .filter(booking::Column::UnitId.is_in(present))
        .filter(booking::Column::Date.eq(date))
        .filter(booking::Column::Status.eq(BookingStatus::Booked.as_str()))
        .all(&ctx.db)
        .await
        .context("Failed to read a day's bookings")?;
    let marks = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::UnitId.eq(unit_id))
        .filter(attendance_mark::Column::Date.eq(date))
        .all(&ctx.db)
        .await
        .context("Failed to read a day's attendance marks")?;
    let mut child_ids: Vec<Uuid> = rows.iter().map(|b| b.child_id).collect();
    // Children marked present without a booking are on the sheet too.
    let unbooked: Vec<Uuid> = marks
        .iter()
        .map(|m| m.child_id)
        .filter(|id| !child_ids.contains(id))
        .collect();
    child_ids.extend(unbooked.iter().copied());
    let children = child::Entity::find()
        .filter(child::Column::Id.is_in(child_ids.clone()))
        .all(&ctx.db)
        .await?;
    let pickups = child_pickup::Entity::find()
        .filter(child_pickup::Column::ChildId.is_in(child_ids))
        .all(&ctx.db)
        .await?;
    let contacts = contact_person::Entity::find()
        .filter(
            contact_person::Column::Id
                .is_in(pickups.iter().map(|p| p.contact_id).collect::<Vec<_>>()),
        )
        .all(&ctx.db)
        .await?;
    let mut entries: Vec<AttendanceEntry> = rows
        .iter()
        .map(|b| (b.child_id, true))
        .chain(unbooked.iter().map(|id| (*id, false)))
        .filter_map(|(child_id, booked)| {
            let c = children.iter().find(|c| c.id == child_id)?;
            let pickup_persons = pickups
                .iter()
                .filter(|p| p.child_id == c.id)
                .filter_map(|p| contacts.iter().find(|x| x.id == p.contact_id))
                .map(|x| format!("{} {} ({})", x.first_name, x.last_name, x.phone))
                .collect();
            Some(AttendanceEntry {
                child_id: c.id,
                family_id: c.family_id,
                last_name: c.last_name.clone(),
                first_name: c.first_name.clone(),
                birth_date: c.birth_date,
                allergies: if medical {
                    c.allergies.clone()
                } else {
                    String::new()
                },
                has_pai: if medical { c.has_pai } else { None },
                // What the team must know: a particular diet, in words.
                diet: c
                    .diet
                    .as_deref()
                    .and_then(portail_domain::dossier::Diet::parse)
                    .filter(|d| *d != portail_domain::dossier::Diet::Standard)
                    .map(|d| d.label_fr().to_owned()),
                pickup_persons,
                status: if booked {
                    BookingStatus::Booked
                } else {
                    BookingStatus::Cancelled
                },
                booked,
                mark: marks
                    .iter()
                    .find(|m| m.child_id == child_id)
                    .and_then(|m| AttendanceMarkCode::parse(&m.mark)),
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.last_name.to_lowercase(), a.first_name.to_lowercase())
            .cmp(&(b.last_name.to_lowercase(), b.first_name.to_lowercase()))
    });
    Audit::by(
        actor.staff_id,
        portail_domain::audit::action::VIEW_ATTENDANCE,
    )
    .target(unit_id)
    .detail(date.to_string())
    .write(&ctx.db, ctx.clock.now())
    .await?;
    Ok(AttendanceResponse {
        service: unit.service,
        unit_id: unit_id.uuid(),
        unit_name: unit.name.clone(),
        date,
        capacity: slot.as_ref().map_or(unit.default_capacity, |s| {
            u32::try_from(s.capacity).unwrap_or(0)
        }),
        taken: slot
            .as_ref()
            .map_or(0, |s| u32::try_from(s.taken).unwrap_or(0)),
        entries,
    })
}

/// Marks a child present, absent, or absent with a medical certificate on a day and unit.
/// A child present without a booking is billed at the « taken without booking » price; an
/// absence is charged, an excused one is not. Only up to today (not a day still to come), and
/// only a child known to the portal; the actor must hold the unit's service.
pub async fn mark(
    ctx: &Context,
    actor: &Actor,
    unit_id: UnitId,
    date: NaiveDate,
    child_id: ChildId,
    mark: AttendanceMarkCode,
) -> Result<(), StaffError> {
    super::units::require_unit(ctx, actor, unit_id).await?;
    if date > ctx.clock.today() {
        return Err(StaffError::Future);
    }
    let known = child::Entity::find_by_id(child_id).one(&ctx.db).await?;
    let Some(known) = known else {
        return Err(StaffError::NotFound);
    };
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let existing = attendance_mark::Entity::find()
        .filter(attendance_mark::Column::ChildId.eq(child_id))
        .filter(attendance_mark::Column::UnitId.eq(unit_id))
        .filter(attendance_mark::Column::Date.eq(date))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row: attendance_mark::ActiveModel = row.into();
            row.mark = Set(mark.as_str().to_owned());
            row.marked_by = Set(actor.staff_id.uuid());
            row.marked_at = Set(now);
            row.update(&txn).await?;
        }
        None => {
            attendance_mark::ActiveModel {
                id: Set(Uuid::now_v7()),
                child_id: Set(child_id.uuid()),
                unit_id: Set(unit_id.uuid()),
                date: Set(date),
                mark: Set(mark.as_str().to_owned()),
                marked_by: Set(actor.staff_id.uuid()),
                marked_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
    }
    Change::at(now)
        .audit(
            Audit::by(
                actor.staff_id,
                portail_domain::audit::action::MARK_ATTENDANCE,
            )
            .family(known.family_id)
            .target(child_id)
            .detail(format!("{date};{}", mark.as_str())),
        )
        .commit(txn, &ctx.outbox, "an attendance mark")
        .await?;
    Ok(())
}

/// The attendance sheet as CSV (semicolons and a BOM, as French spreadsheets expect).
pub fn attendance_csv(sheet: &AttendanceResponse) -> String {
    // Allergies and names are typed by families: formula-safe cells (`crate::csv`).
    let escape = |v: &str| crate::csv::text(v);
    let mut out =
        String::from("\u{feff}Nom;Prénom;Naissance;Allergies;PAI;Régime;Personnes autorisées\r\n");
    for e in &sheet.entries {
        let pai = match e.has_pai {
            Some(true) => "oui",
            Some(false) => "non",
            None => "",
        };
        let row = [
            escape(&e.last_name),
            escape(&e.first_name),
            escape(
                &e.birth_date
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
            ),
            escape(&e.allergies),
            escape(pai),
            escape(e.diet.as_deref().unwrap_or_default()),
            escape(&e.pickup_persons.join(", ")),
        ];
        out.push_str(&row.join(";"));
        out.push_str("\r\n");
    }
    out
}
