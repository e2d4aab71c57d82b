//! The staff's side of the planning: services' rules, periods, units and capacities; the
//! attendance sheet; the request queue; bookings made for a family.

use anyhow::Context as _;
use chrono::{Datelike as _, Duration, NaiveDate};
use portail_domain::ServiceCode;
use portail_domain::api::{
    AttendanceEntry, AttendanceResponse, BookingRequestItem, BookingStatus, CapacityResponse,
    DecideBookingRequestsResponse, PeriodRequest, PeriodResponse, RequestDecision,
    RequestDecisionLine, RequestDecisionResult, ServiceRulesDto, UnitRequest, UnitResponse,
};
use portail_domain::rules::planning;
use portail_entity::{
    booking, child, child_pickup, contact_person, family_account, guardian, period, service, slot,
    unit,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::catalog::{dates_to, rules_dto, weekdays_to};
use super::sql;
use crate::family::audit;
use crate::mailer::OutgoingEmail;
use crate::{Context, outbox};

async fn service_id(ctx: &Context, code: ServiceCode) -> anyhow::Result<Option<Uuid>> {
    Ok(service::Entity::find()
        .filter(service::Column::Code.eq(code.as_str()))
        .one(&ctx.db)
        .await?
        .map(|s| s.id))
}

pub async fn rules(ctx: &Context, code: ServiceCode) -> anyhow::Result<Option<ServiceRulesDto>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog.service(code).map(|s| rules_dto(&s.rules)))
}

pub async fn set_rules(
    ctx: &Context,
    staff_id: Uuid,
    code: ServiceCode,
    dto: &ServiceRulesDto,
) -> anyhow::Result<bool> {
    let Some(row) = service::Entity::find()
        .filter(service::Column::Code.eq(code.as_str()))
        .one(&ctx.db)
        .await?
    else {
        return Ok(false);
    };
    let mut row: service::ActiveModel = row.into();
    row.booking_mode = Set(dto.mode.as_str().to_owned());
    row.cutoff_days = Set(dto.cutoff_days.and_then(|d| i32::try_from(d).ok()));
    row.cutoff_time = Set(dto.cutoff_time.map(|t| t.format("%H:%M:%S").to_string()));
    row.cutoff_working_days = Set(dto.cutoff_working_days);
    row.weekday_rule = Set(dto.weekday_rule.map(|w| w.as_str().to_owned()));
    row.min_age_months = Set(dto.min_age_months.and_then(|m| i32::try_from(m).ok()));
    row.max_age_months = Set(dto.max_age_months.and_then(|m| i32::try_from(m).ok()));
    row.updated_at = Set(ctx.clock.now());
    row.update(&ctx.db)
        .await
        .context("Failed to update a service's rules")?;
    audit::record(
        &ctx.db,
        staff_id,
        "set_service_rules",
        None,
        None,
        Some(code.as_str().to_owned()),
        ctx.clock.now(),
    )
    .await?;
    ctx.planning.catalog.invalidate().await;
    Ok(true)
}

pub async fn list_periods(
    ctx: &Context,
    code: Option<ServiceCode>,
) -> anyhow::Result<Vec<PeriodResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog
        .periods
        .iter()
        .filter(|p| code.is_none_or(|c| p.service == c))
        .map(|p| catalog.period_response(p))
        .collect())
}

/// Saves a period (a new one when `id` is None). `None` when the service or period is unknown.
pub async fn save_period(
    ctx: &Context,
    staff_id: Uuid,
    id: Option<Uuid>,
    request: &PeriodRequest,
) -> anyhow::Result<Option<PeriodResponse>> {
    let Some(service_id) = service_id(ctx, request.service).await? else {
        return Ok(None);
    };
    let row = period::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        service_id: Set(service_id),
        name: Set(request.name.trim().to_owned()),
        starts_on: Set(request.starts_on),
        ends_on: Set(request.ends_on),
        booking_opens_at: Set(planning::paris_instant(request.booking_opens_at)),
        booking_closes_at: Set(planning::paris_instant(request.booking_closes_at)),
        open_weekdays: Set(weekdays_to(&request.open_weekdays)),
        closed_dates: Set(dates_to(&request.closed_dates)),
        created_at: Set(ctx.clock.now()),
    };
    let saved = match id {
        Some(id) => {
            if period::Entity::find_by_id(id).one(&ctx.db).await?.is_none() {
                return Ok(None);
            }
            let mut row = row;
            row.created_at = sea_orm::ActiveValue::NotSet;
            row.update(&ctx.db).await?
        }
        None => row.insert(&ctx.db).await?,
    };
    audit::record(
        &ctx.db,
        staff_id,
        "save_period",
        None,
        Some(saved.id),
        Some(saved.name.clone()),
        ctx.clock.now(),
    )
    .await?;
    ctx.planning.catalog.invalidate().await;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog
        .periods
        .iter()
        .find(|p| p.id == saved.id)
        .map(|p| catalog.period_response(p)))
}

pub async fn list_units(
    ctx: &Context,
    code: Option<ServiceCode>,
) -> anyhow::Result<Vec<UnitResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog
        .units
        .iter()
        .filter(|u| code.is_none_or(|c| u.service == c))
        .map(|u| catalog.unit_response(u))
        .collect())
}

pub async fn save_unit(
    ctx: &Context,
    staff_id: Uuid,
    id: Option<Uuid>,
    request: &UnitRequest,
) -> anyhow::Result<Option<UnitResponse>> {
    let Some(service_id) = service_id(ctx, request.service).await? else {
        return Ok(None);
    };
    let row = unit::ActiveModel {
        id: Set(id.unwrap_or_else(Uuid::now_v7)),
        service_id: Set(service_id),
        name: Set(request.name.trim().to_owned()),
        default_capacity: Set(i32::try_from(request.default_capacity).unwrap_or(i32::MAX)),
        price_cents: Set(request.price_cents),
        position: Set(request.position),
    };
    let saved = match id {
        Some(id) => {
            if unit::Entity::find_by_id(id).one(&ctx.db).await?.is_none() {
                return Ok(None);
            }
            row.update(&ctx.db).await?
        }
        None => row.insert(&ctx.db).await?,
    };
    audit::record(
        &ctx.db,
        staff_id,
        "save_unit",
        None,
        Some(saved.id),
        Some(saved.name.clone()),
        ctx.clock.now(),
    )
    .await?;
    ctx.planning.catalog.invalidate().await;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    Ok(catalog.unit(saved.id).map(|u| catalog.unit_response(u)))
}

#[derive(Debug, thiserror::Error)]
pub enum CapacityError {
    #[error("no such unit")]
    UnknownUnit,
    #[error("{taken} places are already taken")]
    BelowTaken { taken: u32 },
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Sets one day's capacity of a unit; never below the places already taken.
pub async fn set_capacity(
    ctx: &Context,
    staff_id: Uuid,
    unit_id: Uuid,
    date: NaiveDate,
    capacity: u32,
) -> Result<CapacityResponse, CapacityError> {
    use sea_orm::sea_query::ExprTrait as _;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let unit = catalog.unit(unit_id).ok_or(CapacityError::UnknownUnit)?;
    let capacity_i = i32::try_from(capacity).unwrap_or(i32::MAX);
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    txn.execute(&sql::ensure_slot(unit_id, date, unit.default_capacity))
        .await
        .context("Failed to create a slot")?;
    // Guarded like a booking: the capacity cannot go under what is taken, whatever runs meanwhile.
    let updated = slot::Entity::update_many()
        .col_expr(slot::Column::Capacity, Expr::value(capacity_i))
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .filter(Expr::col(slot::Column::Taken).lte(Expr::col(slot::Column::Forced).add(capacity_i)))
        .exec(&txn)
        .await
        .context("Failed to set a capacity")?;
    let row = slot::Entity::find()
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .one(&txn)
        .await
        .context("Failed to read a slot")?
        .context("the slot just ensured")?;
    if updated.rows_affected == 0 {
        return Err(CapacityError::BelowTaken {
            taken: u32::try_from(row.taken - row.forced).unwrap_or(0),
        });
    }
    audit::record(
        &txn,
        staff_id,
        "set_capacity",
        None,
        Some(unit_id),
        Some(format!("{date}: {capacity}")),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await.context("Failed to commit a capacity")?;
    Ok(CapacityResponse {
        unit_id,
        date,
        capacity,
        taken: u32::try_from(row.taken - row.forced).unwrap_or(0),
    })
}

/// Who comes on a day, for a unit: the children booked, their flags and who may pick them up.
pub async fn attendance(
    ctx: &Context,
    staff_id: Uuid,
    unit_id: Uuid,
    date: NaiveDate,
    medical: bool,
) -> anyhow::Result<Option<AttendanceResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let Some(unit) = catalog.unit(unit_id) else {
        return Ok(None);
    };
    let slot = slot::Entity::find()
        .filter(slot::Column::UnitId.eq(unit_id))
        .filter(slot::Column::Date.eq(date))
        .one(&ctx.db)
        .await?;
    let rows = booking::Entity::find()
        .filter(booking::Column::UnitId.eq(unit_id))
        .filter(booking::Column::Date.eq(date))
        .filter(booking::Column::Status.eq(BookingStatus::Booked.as_str()))
        .all(&ctx.db)
        .await
        .context("Failed to read a day's bookings")?;
    let child_ids: Vec<Uuid> = rows.iter().map(|b| b.child_id).collect();
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
        .filter_map(|b| {
            let c = children.iter().find(|c| c.id == b.child_id)?;
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
                status: BookingStatus::Booked,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.last_name.to_lowercase(), a.first_name.to_lowercase())
            .cmp(&(b.last_name.to_lowercase(), b.first_name.to_lowercase()))
    });
    audit::record(
        &ctx.db,
        staff_id,
        "view_attendance",
        None,
        Some(unit_id),
        Some(date.to_string()),
        ctx.clock.now(),
    )
    .await?;
    Ok(Some(AttendanceResponse {
        service: unit.service,
        unit_id,
        unit_name: unit.name.clone(),
        date,
        capacity: slot.as_ref().map_or(unit.default_capacity, |s| {
            u32::try_from(s.capacity).unwrap_or(0)
        }),
        taken: slot
            .as_ref()
            .map_or(0, |s| u32::try_from(s.taken).unwrap_or(0)),
        entries,
    }))
}

/// The attendance sheet as CSV (semicolons and a BOM, as French spreadsheets expect).
pub fn attendance_csv(sheet: &AttendanceResponse) -> String {
    let escape = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
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

/// Pending wishes of a service (a week's, when given), oldest day first.
pub async fn requests(
    ctx: &Context,
    code: ServiceCode,
    week_of: Option<NaiveDate>,
) -> anyhow::Result<Vec<BookingRequestItem>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let unit_ids: Vec<Uuid> = catalog.units_of(code).map(|u| u.id).collect();
    let mut select = booking::Entity::find()
        .filter(booking::Column::UnitId.is_in(unit_ids))
        .filter(booking::Column::Status.eq(BookingStatus::Requested.as_str()));
    if let Some(day) = week_of {
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        select = select.filter(booking::Column::Date.between(monday, monday + Duration::days(6)));
    }
    let rows = select
        .order_by_asc(booking::Column::Date)
        .order_by_asc(booking::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let children = child::Entity::find()
        .filter(child::Column::Id.is_in(rows.iter().map(|b| b.child_id).collect::<Vec<_>>()))
        .all(&ctx.db)
        .await?;
    let slots = slot::Entity::find()
        .filter(slot::Column::UnitId.is_in(rows.iter().map(|b| b.unit_id).collect::<Vec<_>>()))
        .all(&ctx.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            let unit = catalog.unit(b.unit_id)?;
            let c = children.iter().find(|c| c.id == b.child_id)?;
            let slot = slots
                .iter()
                .find(|s| s.unit_id == b.unit_id && s.date == b.date);
            let capacity = slot.map_or(unit.default_capacity, |s| {
                u32::try_from(s.capacity).unwrap_or(0)
            });
            let taken = slot.map_or(0, |s| u32::try_from(s.taken).unwrap_or(0));
            Some(BookingRequestItem {
                booking_id: b.id,
                family_id: b.family_id,
                child_id: b.child_id,
                child_name: format!("{} {}", c.first_name, c.last_name),
                unit_id: b.unit_id,
                unit_name: unit.name.clone(),
                date: b.date,
                places_left: capacity.saturating_sub(taken),
                requested_at: b.created_at,
            })
        })
        .collect())
}

/// Accepts or declines wishes; accepting takes a place (never beyond the capacity). Each
/// family is e-mailed the outcomes of its wishes.
pub async fn decide(
    ctx: &Context,
    staff_id: Uuid,
    decisions: &[RequestDecisionLine],
) -> anyhow::Result<DecideBookingRequestsResponse> {
    let now = ctx.clock.now();
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let mut results = Vec::with_capacity(decisions.len());
    let mut per_family: Vec<(Uuid, Vec<String>)> = Vec::new();
    for decision in decisions {
        let row = booking::Entity::find_by_id(decision.booking_id)
            .one(&txn)
            .await?;
        let Some(row) = row.filter(|b| b.status == BookingStatus::Requested.as_str()) else {
            results.push(RequestDecisionResult {
                booking_id: decision.booking_id,
                status: None,
                error: Some("Ce souhait n'est plus en attente.".to_owned()),
            });
            continue;
        };
        let Some(unit) = catalog.unit(row.unit_id) else {
            results.push(RequestDecisionResult {
                booking_id: row.id,
                status: None,
                error: Some("Prestation inconnue.".to_owned()),
            });
            continue;
        };
        let reason = decision
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        let outcome = match decision.decision {
            RequestDecision::Accept => {
                txn.execute(&sql::ensure_slot(
                    row.unit_id,
                    row.date,
                    unit.default_capacity,
                ))
                .await?;
                if txn
                    .execute(&sql::take_place(row.unit_id, row.date))
                    .await?
                    .rows_affected()
                    == 0
                {
                    results.push(RequestDecisionResult {
                        booking_id: row.id,
                        status: None,
                        error: Some("Complet : plus de place ce jour-là.".to_owned()),
                    });
                    continue;
                }
                txn.execute(&sql::move_booking(
                    row.id,
                    BookingStatus::Requested,
                    BookingStatus::Booked,
                    now,
                ))
                .await?;
                BookingStatus::Booked
            }
            RequestDecision::Decline => {
                let Some(reason) = reason.clone() else {
                    results.push(RequestDecisionResult {
                        booking_id: row.id,
                        status: None,
                        error: Some("Indiquez le motif du refus.".to_owned()),
                    });
                    continue;
                };
                booking::Entity::update_many()
                    .col_expr(
                        booking::Column::Status,
                        Expr::value(BookingStatus::Declined.as_str()),
                    )
                    .col_expr(booking::Column::DeclineReason, Expr::value(reason))
                    .col_expr(booking::Column::UpdatedAt, Expr::value(now))
                    .filter(booking::Column::Id.eq(row.id))
                    .exec(&txn)
                    .await?;
                BookingStatus::Declined
            }
        };
        booking::Entity::update_many()
            .col_expr(booking::Column::DecidedBy, Expr::value(staff_id))
            .filter(booking::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        let line = format!(
            "- {} : {} — {}{}",
            if outcome == BookingStatus::Booked {
                "Accepté"
            } else {
                "Refusé"
            },
            unit.name,
            portail_domain::format::date_fr(row.date),
            reason
                .filter(|_| outcome == BookingStatus::Declined)
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        );
        match per_family.iter_mut().find(|(f, _)| *f == row.family_id) {
            Some((_, lines)) => lines.push(line),
            None => per_family.push((row.family_id, vec![line])),
        }
        audit::record(
            &txn,
            staff_id,
            "decide_booking_request",
            Some(row.family_id),
            Some(row.id),
            Some(outcome.as_str().to_owned()),
            now,
        )
        .await?;
        results.push(RequestDecisionResult {
            booking_id: row.id,
            status: Some(outcome),
            error: None,
        });
    }
    let commune = crate::accounts::commune_name(&txn).await?;
    for (family_id, lines) in per_family {
        let to = family_account::Entity::find()
            .filter(family_account::Column::FamilyId.eq(family_id))
            .one(&txn)
            .await?;
        let first_name = guardian::Entity::find()
            .filter(guardian::Column::FamilyId.eq(family_id))
            .filter(guardian::Column::Rank.eq(1))
            .one(&txn)
            .await?
            .map(|g| g.first_name)
            .unwrap_or_default();
        if let Some(to) = to {
            let text = format!(
                "Bonjour {first_name},\n\nLa structure a répondu à vos souhaits de réservation :\n\n{}\n\nRetrouvez-les dans « Mon planning ».\n\nLe Portail Famille de la commune de {commune}\n",
                lines.join("\n")
            );
            outbox::enqueue(
                &txn,
                &OutgoingEmail {
                    to: to.email,
                    subject: "Réponse à vos souhaits de réservation — Portail Famille".to_owned(),
                    text,
                    html: None,
                },
                None,
                now,
            )
            .await?;
        }
    }
    txn.commit().await.context("Failed to commit decisions")?;
    ctx.outbox.wake();
    Ok(DecideBookingRequestsResponse { results })
}
