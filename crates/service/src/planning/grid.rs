//! The month grid of « Mon planning »: for one child, one service and one month, the state of
//! every day and unit, and whether it can be booked or cancelled now (and why not).

use anyhow::Context as _;
use chrono::{Datelike as _, NaiveDate};
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookingResponse, BookingStatus, CellState, PlanningCell, PlanningDay, PlanningResponse,
    UnitSummary,
};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::{self, Action, BookingMode, RefusalCode};
use portail_entity::{booking, slot};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::Context;

/// `2027-07` → its first and last days.
pub fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

#[derive(Debug, thiserror::Error)]
pub enum GridError {
    #[error("no such child in this family")]
    UnknownChild,
    #[error("the month is not AAAA-MM")]
    BadMonth,
    #[error("the service takes no bookings")]
    UnknownService,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub async fn planning(
    ctx: &Context,
    family_id: Uuid,
    child_id: Uuid,
    service: ServiceCode,
    month: &str,
) -> Result<PlanningResponse, GridError> {
    let (first, last) = month_bounds(month).ok_or(GridError::BadMonth)?;
    let facts = super::facts::family_facts(ctx, family_id, None)
        .await?
        .ok_or(GridError::UnknownChild)?;
    let birth = facts
        .children
        .iter()
        .find(|c| c.id == child_id)
        .ok_or(GridError::UnknownChild)?
        .birth_date;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let entry = catalog.service(service).ok_or(GridError::UnknownService)?;
    let units: Vec<_> = catalog.units_of(service).collect();
    if units.is_empty() {
        return Err(GridError::UnknownService);
    }
    let unit_ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
    let validated = can_book(facts.status);
    let slots = slot::Entity::find()
        .filter(slot::Column::UnitId.is_in(unit_ids.clone()))
        .filter(slot::Column::Date.between(first, last))
        .all(&ctx.db)
        .await
        .context("Failed to read slots")?;
    let bookings = booking::Entity::find()
        .filter(booking::Column::ChildId.eq(child_id))
        .filter(booking::Column::UnitId.is_in(unit_ids))
        .filter(booking::Column::Date.between(first, last))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .order_by_asc(booking::Column::UpdatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to read bookings")?;
    let now = ctx.clock.now();
    let mut days = Vec::new();
    for date in first.iter_days().take_while(|d| *d <= last) {
        let period = catalog.period_for(service, date).map(|p| &p.rules);
        let cells = units
            .iter()
            .map(|unit| {
                let slot = slots
                    .iter()
                    .find(|s| s.unit_id == unit.id && s.date == date);
                let capacity = slot.map_or(unit.default_capacity, |s| {
                    u32::try_from(s.capacity).unwrap_or(0)
                });
                let taken = slot.map_or(0, |s| u32::try_from(s.taken).unwrap_or(0));
                let places_left = capacity.saturating_sub(taken);
                // The latest booking of the day decides (a declined wish may be followed by a new one).
                let existing = bookings
                    .iter()
                    .rev()
                    .find(|b| b.unit_id == unit.id && b.date == date);
                cell(
                    unit.id,
                    now,
                    &entry.rules,
                    period,
                    date,
                    birth,
                    validated,
                    places_left,
                    existing,
                )
            })
            .collect();
        days.push(PlanningDay { date, cells });
    }
    Ok(PlanningResponse {
        child_id,
        service,
        mode: entry.rules.mode,
        month: month.to_owned(),
        units: units
            .iter()
            .map(|u| UnitSummary {
                id: u.id,
                name: u.name.clone(),
                price_cents: u.price_cents,
            })
            .collect(),
        days,
    })
}

#[expect(
    clippy::too_many_arguments,
    reason = "one cell depends on all of these"
)]
fn cell(
    unit_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
    rules: &planning::ServiceRules,
    period: Option<&planning::PeriodRules>,
    date: NaiveDate,
    birth: Option<NaiveDate>,
    validated: bool,
    places_left: u32,
    existing: Option<&booking::Model>,
) -> PlanningCell {
    let base = |state: CellState| PlanningCell {
        unit_id,
        state,
        places_left: Some(places_left),
        can_book: false,
        can_cancel: false,
        reason: None,
    };
    let Some(period) = period.filter(|p| p.covers(date)) else {
        return PlanningCell {
            places_left: None,
            reason: Some(RefusalCode::OutsidePeriod.label_fr().to_owned()),
            ..base(CellState::OutOfPeriod)
        };
    };
    if !period.is_open(date) {
        return PlanningCell {
            places_left: None,
            reason: Some(RefusalCode::DayClosed.label_fr().to_owned()),
            ..base(CellState::Closed)
        };
    }
    let status = existing.and_then(|b| BookingStatus::parse(&b.status));
    if let Some(status @ (BookingStatus::Booked | BookingStatus::Requested)) = status {
        let cancel = planning::check(now, rules, Some(period), date, birth, Action::Cancel);
        let state = if status == BookingStatus::Booked {
            CellState::Booked
        } else {
            CellState::Requested
        };
        return PlanningCell {
            can_cancel: cancel.is_ok(),
            reason: cancel.err().map(|c| c.label_fr().to_owned()),
            ..base(state)
        };
    }
    let declined = status == Some(BookingStatus::Declined);
    let decline_reason = existing.and_then(|b| b.decline_reason.clone());
    match planning::check(now, rules, Some(period), date, birth, Action::Book) {
        Err(RefusalCode::CutoffPassed) if !declined => PlanningCell {
            reason: Some(RefusalCode::CutoffPassed.label_fr().to_owned()),
            ..base(CellState::CutoffPassed)
        },
        Err(code) => PlanningCell {
            reason: Some(decline_reason.unwrap_or_else(|| code.label_fr().to_owned())),
            ..base(if declined {
                CellState::Declined
            } else {
                CellState::NotBookable
            })
        },
        Ok(()) if !validated => PlanningCell {
            reason: Some(RefusalCode::FamilyNotValidated.label_fr().to_owned()),
            ..base(if declined {
                CellState::Declined
            } else {
                CellState::NotBookable
            })
        },
        Ok(()) if rules.mode == BookingMode::Instant && places_left == 0 => PlanningCell {
            reason: Some(RefusalCode::Full.label_fr().to_owned()),
            ..base(CellState::Full)
        },
        Ok(()) => PlanningCell {
            can_book: true,
            reason: decline_reason,
            ..base(if declined {
                CellState::Declined
            } else {
                CellState::Free
            })
        },
    }
}

/// The family's bookings from `from` on, across children and services (« Mes réservations »).
pub async fn upcoming(
    ctx: &Context,
    family_id: Uuid,
    from: NaiveDate,
) -> anyhow::Result<Vec<BookingResponse>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let children = super::submit::children_of(ctx, family_id).await?;
    let rows = booking::Entity::find()
        .filter(booking::Column::FamilyId.eq(family_id))
        .filter(booking::Column::Date.gte(from))
        .filter(booking::Column::Status.ne(BookingStatus::Cancelled.as_str()))
        .order_by_asc(booking::Column::Date)
        .all(&ctx.db)
        .await
        .context("Failed to list bookings")?;
    Ok(rows
        .into_iter()
        .filter_map(|b| {
            let unit = catalog.unit(b.unit_id)?;
            Some(BookingResponse {
                id: b.id,
                child_id: b.child_id,
                child_first_name: children
                    .iter()
                    .find(|c| c.0 == b.child_id)
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
                service: unit.service,
                unit_id: b.unit_id,
                unit_name: unit.name.clone(),
                date: b.date,
                status: BookingStatus::parse(&b.status)?,
                decline_reason: b.decline_reason,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_bounds_handle_december_and_february() {
        assert_eq!(
            month_bounds("2027-12"),
            Some((
                NaiveDate::from_ymd_opt(2027, 12, 1).expect("d"),
                NaiveDate::from_ymd_opt(2027, 12, 31).expect("d")
            ))
        );
        assert_eq!(
            month_bounds("2028-02").map(|b| b.1),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        assert_eq!(month_bounds("2027-13"), None);
        assert_eq!(month_bounds("juillet"), None);
    }
}
