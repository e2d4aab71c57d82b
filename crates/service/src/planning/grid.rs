//! The month grid of « Mon planning »: for one child, one service and one month, the state of
//! every day and unit, and whether it can be booked or cancelled now (and why not).

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{
    BookingResponse, BookingStatus, CellState, PlanningCell, PlanningDay, PlanningResponse,
    UnitSummary,
};
use portail_domain::ids::{ChildId, FamilyId, UnitId};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::{
    self, Action, BookingMode, RefusalCode, WeekdayRule, calendar, units,
};
use portail_domain::rules::waiting_list::WaitingListMode;
use portail_entity::booking;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::grid_read::{self, DayBooking};
use crate::Context;

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
    family_id: FamilyId,
    child_id: ChildId,
    service: ServiceCode,
    month: &str,
) -> Result<PlanningResponse, GridError> {
    let (first, last) = calendar::month_bounds(month).ok_or(GridError::BadMonth)?;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let entry = catalog.service(service).ok_or(GridError::UnknownService)?;
    let units: Vec<_> = catalog.units_of(service).collect();
    if units.is_empty() {
        return Err(GridError::UnknownService);
    }
    let rows = grid_read::read(ctx, family_id, child_id, entry.id, (first, last)).await?;
    let status = rows.status.ok_or(GridError::UnknownChild)?;
    let validated = can_book(status);
    let now = ctx.clock.now();
    let left = |unit_id: Uuid, default: u32, date: NaiveDate| {
        let places = rows.slots.get(&(unit_id, date));
        let capacity = places.map_or(default, |p| p.capacity);
        capacity.saturating_sub(places.map_or(0, |p| p.taken))
    };
    let default_of = |id: Uuid| catalog.unit(id).map_or(0, |u| u.default_capacity);
    let days = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|date| {
            let period = catalog.period_for(service, date).map(|p| &p.rules);
            // The rules depend on the day, not on the unit: evaluated once per day.
            let rules = DayRules::new(now, &entry.rules, period, date, rows.birth_date);
            let cells = units
                .iter()
                .map(|unit| {
                    let places = units::places_left(
                        left(unit.id, unit.default_capacity, date),
                        unit.covers.iter().map(|c| left(*c, default_of(*c), date)),
                    );
                    let overlap = unit.overlaps.iter().any(|c| {
                        rows.bookings.get(&(*c, date)).is_some_and(|b| {
                            matches!(b.status, BookingStatus::Booked | BookingStatus::Requested)
                        })
                    });
                    let existing = rows.bookings.get(&(unit.id, date));
                    let mut cell = cell(
                        UnitId::from(unit.id),
                        &rules,
                        entry.rules.mode,
                        validated,
                        places,
                        existing,
                        overlap,
                    );
                    waiting_cell(
                        &mut cell,
                        entry.waiting,
                        rows.waiting.get(&(unit.id, date)),
                        now,
                    );
                    cell
                })
                .collect();
            PlanningDay { date, cells }
        })
        .collect();
    // What each line will cost this family, from the tariffs in force on the month's first
    // day; the unit's indicative price where there is no tariff.
    let estimated =
        crate::billing::estimate::prices(ctx, &catalog, family_id, child_id, &units, first).await?;
    Ok(PlanningResponse {
        child_id: child_id.uuid(),
        service,
        mode: entry.rules.mode,
        month: month.to_owned(),
        units: units
            .iter()
            .map(|u| UnitSummary {
                id: u.id,
                name: u.name.clone(),
                price_cents: estimated.get(&u.id).copied().or(u.price_cents),
                overlaps: u.overlaps.clone(),
            })
            .collect(),
        days,
        notice: (entry.rules.weekday_rule == Some(WeekdayRule::MondayForNextWeek))
            .then(|| planning::wishes_notice(now)),
        blocked: crate::billing::payments::blocked(ctx, &catalog, family_id)
            .await?
            .then(|| RefusalCode::UnpaidInvoices.label_fr().to_owned()),
    })
}

/// A day's verdicts, shared by its units.
enum DayRules {
    OutOfPeriod,
    Closed,
    Open {
        book: Result<(), RefusalCode>,
        cancel: Result<(), RefusalCode>,
        /// Why booking, then cancelling, is refused, with its dates (`planning::explain`).
        book_reason: Option<String>,
        cancel_reason: Option<String>,
    },
}

impl DayRules {
    fn new(
        now: chrono::DateTime<chrono::Utc>,
        rules: &planning::ServiceRules,
        period: Option<&planning::PeriodRules>,
        date: NaiveDate,
        birth: Option<NaiveDate>,
    ) -> Self {
        let Some(period) = period.filter(|p| p.covers(date)) else {
            return Self::OutOfPeriod;
        };
        if !period.is_open(date) {
            return Self::Closed;
        }
        let book = planning::check(now, rules, Some(period), date, birth, Action::Book);
        let cancel = planning::check(now, rules, Some(period), date, birth, Action::Cancel);
        // Once per day, shared by its units; a past day just says so (no date to compute).
        let past = date < planning::paris_now(now).date();
        let explain = |code: RefusalCode| {
            if past && matches!(code, RefusalCode::CutoffPassed | RefusalCode::WindowClosed) {
                "Ce jour est passé.".to_owned()
            } else {
                planning::explain(code, rules, Some(period), date)
            }
        };
        Self::Open {
            book_reason: book.err().map(explain),
            cancel_reason: cancel.err().map(explain),
            book,
            cancel,
        }
    }
}

fn cell(
    unit_id: UnitId,
    rules: &DayRules,
    mode: BookingMode,
    validated: bool,
    places_left: u32,
    existing: Option<&DayBooking>,
    // The child holds an overlapping unit that day.
    overlap: bool,
) -> PlanningCell {
    let base = |state: CellState| PlanningCell {
        unit_id: unit_id.uuid(),
        state,
        places_left: Some(places_left),
        can_book: false,
        can_cancel: false,
        reason: None,
        can_wait: false,
        waiting_rank: None,
    };
    let (book, cancel, book_reason, cancel_reason) = match rules {
        DayRules::OutOfPeriod => {
            return PlanningCell {
                places_left: None,
                reason: Some(RefusalCode::OutsidePeriod.label_fr().to_owned()),
                ..base(CellState::OutOfPeriod)
            };
        }
        DayRules::Closed => {
            return PlanningCell {
                places_left: None,
                reason: Some(RefusalCode::DayClosed.label_fr().to_owned()),
                ..base(CellState::Closed)
            };
        }
        DayRules::Open {
            book,
            cancel,
            book_reason,
            cancel_reason,
        } => (*book, *cancel, book_reason.clone(), cancel_reason.clone()),
    };
    let status = existing.map(|b| b.status);
    if let Some(status @ (BookingStatus::Booked | BookingStatus::Requested)) = status {
        let state = if status == BookingStatus::Booked {
            CellState::Booked
        } else {
            CellState::Requested
        };
        return PlanningCell {
            can_cancel: cancel.is_ok(),
            reason: cancel_reason,
            ..base(state)
        };
    }
    let declined = status == Some(BookingStatus::Declined);
    let decline_reason = existing.and_then(|b| b.decline_reason.clone());
    if overlap && book.is_ok() {
        return PlanningCell {
            reason: Some(RefusalCode::OverlappingUnit.label_fr().to_owned()),
            ..base(CellState::NotBookable)
        };
    }
    match book {
        Err(RefusalCode::CutoffPassed) if !declined => PlanningCell {
            reason: book_reason,
            ..base(CellState::CutoffPassed)
        },
        Err(code) => PlanningCell {
            reason: Some(
                decline_reason
                    .or(book_reason)
                    .unwrap_or_else(|| code.label_fr().to_owned()),
            ),
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
        Ok(()) if mode == BookingMode::Instant && places_left == 0 => PlanningCell {
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

/// A full day of a service that keeps a waiting list: the child may join it; a child on it
/// sees its rank (and, in `offer` mode, the place kept for it until a time: booking takes it).
fn waiting_cell(
    cell: &mut PlanningCell,
    mode: WaitingListMode,
    waiting: Option<&grid_read::DayWaiting>,
    now: chrono::DateTime<chrono::Utc>,
) {
    if mode == WaitingListMode::Off
        || matches!(cell.state, CellState::Booked | CellState::Requested)
    {
        return;
    }
    match waiting {
        Some(w) => {
            let kept = w.offered_until.filter(|until| *until > now);
            // The rules allow booking the day; only its places were missing.
            let rules_allow = matches!(
                cell.state,
                CellState::Full | CellState::Free | CellState::Declined
            );
            cell.state = CellState::Waiting;
            cell.waiting_rank = Some(w.rank);
            cell.can_book = kept.is_some() && rules_allow;
            cell.reason = Some(match kept {
                Some(until) => {
                    let local = planning::paris_now(until);
                    format!(
                        "Une place vous est gardée jusqu'au {} à {} : réservez-la.",
                        portail_domain::format::date_fr(local.date()),
                        local.format("%H h %M")
                    )
                }
                None => format!("Liste d'attente : rang {}.", w.rank),
            });
        }
        None if cell.state == CellState::Full => {
            cell.can_wait = true;
            cell.reason =
                Some("Complet : vous pouvez inscrire l'enfant en liste d'attente.".to_owned());
        }
        None => {}
    }
}

/// The family's bookings from `from` on, across children and services (« Mes réservations »).
pub async fn upcoming(
    ctx: &Context,
    family_id: FamilyId,
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
