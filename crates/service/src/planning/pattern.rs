//! « Réserver chaque semaine »: a typical week over a range of dates. The preview reads the
//! child's month grids (what the parent would see, date by date, with the grid's reasons); the
//! submit sends every line through the booking writer as one recap (idempotent, atomic per
//! line), and reads its answer back the preview's way: a day already booked, or nothing to
//! cancel, is « unchanged », not refused.

use anyhow::Context as _;
use chrono::{Datelike as _, NaiveDate};
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, CellState, LineAction, LineOutcome, PatternLine,
    PatternOutcome, PlanningCell, SavedWeekPattern, WeekPatternRequest, WeekPatternResponse,
};
use portail_domain::ids::{ChildId, FamilyId};
use portail_domain::parse::{FieldErrors, InvalidValue};
use portail_domain::rules::planning::week_pattern::{self, Tally};
use portail_domain::rules::planning::{BookingMode, RefusalCode};

use super::grid::{self, GridError};
use super::submit::{self, SubmitError};
use crate::Context;

#[derive(Debug, thiserror::Error)]
pub enum PatternError {
    #[error("invalid pattern")]
    Invalid(FieldErrors),
    #[error("no such child in this family")]
    UnknownChild,
    #[error(transparent)]
    Submit(#[from] SubmitError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<GridError> for PatternError {
    fn from(error: GridError) -> Self {
        match error {
            GridError::UnknownChild => Self::UnknownChild,
            GridError::BadMonth | GridError::UnknownService => Self::Invalid(FieldErrors::one(
                "service",
                InvalidValue::new("invalid", "Ce service ne prend pas de réservations."),
            )),
            GridError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

/// The request with its dates: those given, or the service's open periods
/// (`rules::planning::bookable_range`).
async fn with_dates(
    ctx: &Context,
    request: &WeekPatternRequest,
) -> Result<WeekPatternRequest, PatternError> {
    let mut request = request.clone();
    if request.from.is_none() || request.to.is_none() {
        let catalog = ctx.planning.catalog.get(&ctx.db).await?;
        let range = portail_domain::rules::planning::bookable_range(
            catalog
                .periods
                .iter()
                .filter(|p| p.service == request.service)
                .map(|p| &p.rules),
            ctx.clock.now(),
        );
        if let Some((from, to)) = range {
            let from = request.from.unwrap_or(from);
            request.from = Some(from);
            request.to = Some(request.to.unwrap_or(to.max(from)));
        }
    }
    Ok(request)
}

/// The pattern's shape, and its units: each of the service, no two on a day overlapping.
/// Answers whether the service takes wishes (staff accept them) rather than bookings.
async fn check(ctx: &Context, request: &WeekPatternRequest) -> Result<bool, PatternError> {
    portail_domain::rules::planning::week_pattern::check(request).map_err(PatternError::Invalid)?;
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    let Some(service) = catalog.service(request.service) else {
        return Err(GridError::UnknownService.into());
    };
    let wish = service.rules.mode == BookingMode::Request;
    let mut errors = FieldErrors::default();
    for unit_id in week_pattern::units(request) {
        if catalog
            .unit(unit_id)
            .is_none_or(|u| u.service != request.service)
        {
            errors.push(
                "days",
                InvalidValue::new(
                    "unknown_unit",
                    format!(
                        "Une prestation choisie n'est pas proposée par ce service ({}).",
                        request.service.label_fr()
                    ),
                ),
            );
        }
    }
    for day in &request.days {
        for (i, a) in day.unit_ids.iter().enumerate() {
            for b in day.unit_ids.iter().skip(i.saturating_add(1)) {
                if let (Some(ua), Some(ub)) = (catalog.unit(*a), catalog.unit(*b))
                    && ua.overlaps.contains(b)
                {
                    errors.push(
                        "days",
                        InvalidValue::new(
                            "overlapping_units",
                            format!(
                                "«\u{a0}{}\u{a0}» et «\u{a0}{}\u{a0}» se chevauchent le {} : choisissez l'une ou l'autre.",
                                ua.name,
                                ub.name,
                                day.weekday.label_fr()
                            ),
                        ),
                    );
                }
            }
        }
    }
    errors.into_result(wish).map_err(PatternError::Invalid)
}

/// What sending the pattern now would do, date by date (nothing is recorded).
pub async fn preview(
    ctx: &Context,
    family_id: FamilyId,
    request: &WeekPatternRequest,
) -> Result<WeekPatternResponse, PatternError> {
    let request = &with_dates(ctx, request).await?;
    let wish = check(ctx, request).await?;
    let lines = week_pattern::expand(request);
    let grids = Grids::read(ctx, family_id, request).await?;
    let previewed = lines
        .iter()
        .map(|line| {
            let (outcome, reason) =
                foreseen(request.action, wish, grids.cell(line.date, line.unit_id));
            PatternLine {
                date: line.date,
                unit_id: line.unit_id,
                outcome,
                reason,
            }
        })
        .collect();
    Ok(answer(request, wish, false, previewed))
}

/// The child's month grids over the pattern's range, what the parent sees: each cell by its
/// day and unit.
struct Grids(std::collections::HashMap<(NaiveDate, uuid::Uuid), PlanningCell>);

impl Grids {
    async fn read(
        ctx: &Context,
        family_id: FamilyId,
        request: &WeekPatternRequest,
    ) -> Result<Self, PatternError> {
        let mut cells = std::collections::HashMap::new();
        let (Some(from), Some(to)) = (request.from, request.to) else {
            return Ok(Self(cells));
        };
        for month in months(from, to) {
            let grid = grid::planning(
                ctx,
                family_id,
                ChildId::from(request.child_id),
                request.service,
                &month,
            )
            .await?;
            for day in grid.days {
                for cell in day.cells {
                    cells.insert((day.date, cell.unit_id), cell);
                }
            }
        }
        Ok(Self(cells))
    }

    fn cell(&self, date: NaiveDate, unit: uuid::Uuid) -> Option<&PlanningCell> {
        self.0.get(&(date, unit))
    }

    /// The date already is what the pattern asks: held when booking, free when cancelling.
    fn already(&self, action: LineAction, date: NaiveDate, unit: uuid::Uuid) -> bool {
        let held = self.cell(date, unit).is_some_and(|c| held(c.state));
        match action {
            LineAction::Book => held,
            LineAction::Cancel => !held,
        }
    }
}

/// A booking, a wish or a place on the waiting list: the child holds (or awaits) the day.
fn held(state: CellState) -> bool {
    matches!(
        state,
        CellState::Booked | CellState::Requested | CellState::Waiting
    )
}

/// « Déjà réservé » or « Rien à annuler ».
fn already_reason(action: LineAction) -> String {
    match action {
        LineAction::Book => RefusalCode::AlreadyBooked.label_fr().to_owned(),
        LineAction::Cancel => RefusalCode::NotBooked.label_fr().to_owned(),
    }
}

/// What a line would become, read from its grid cell.
fn foreseen(
    action: LineAction,
    wish: bool,
    cell: Option<&PlanningCell>,
) -> (PatternOutcome, Option<String>) {
    let Some(cell) = cell else {
        return (
            PatternOutcome::Refused,
            Some(RefusalCode::OutsidePeriod.label_fr().to_owned()),
        );
    };
    let held = held(cell.state);
    let refused = || {
        (
            PatternOutcome::Refused,
            Some(
                cell.reason
                    .clone()
                    .unwrap_or_else(|| cell.state.label_fr().to_owned()),
            ),
        )
    };
    match action {
        LineAction::Book if held => (PatternOutcome::Unchanged, Some(already_reason(action))),
        LineAction::Book if cell.can_book && wish => (PatternOutcome::Requested, None),
        LineAction::Book if cell.can_book => (PatternOutcome::Booked, None),
        LineAction::Book => refused(),
        LineAction::Cancel if !held => (PatternOutcome::Unchanged, Some(already_reason(action))),
        LineAction::Cancel if cell.can_cancel => (PatternOutcome::Cancelled, None),
        LineAction::Cancel => refused(),
    }
}

/// Sends the pattern: every line through the booking writer as one recap, `key` making a
/// retry answer the same without changing anything.
pub async fn submit(
    ctx: &Context,
    family_id: FamilyId,
    request: &WeekPatternRequest,
    key: &str,
) -> Result<WeekPatternResponse, PatternError> {
    let request = &with_dates(ctx, request).await?;
    let wish = check(ctx, request).await?;
    let batch = BookingBatchRequest {
        lines: week_pattern::expand(request),
    };
    let answer_of_writer: BookingBatchResponse = submit::submit_bounded(
        ctx,
        family_id,
        &batch,
        Some(key),
        None,
        week_pattern::MAX_LINES,
    )
    .await?;
    // A refused line whose date already is what the pattern asks (booked, or free when
    // cancelling) is « unchanged », whichever rule the writer named first (a booked day past
    // its cut-off is refused as late before it is seen as booked): the preview's reading.
    let grids = Grids::read(ctx, family_id, request).await?;
    let lines = answer_of_writer
        .results
        .into_iter()
        .map(|r| {
            let (outcome, reason) = match r.outcome {
                LineOutcome::Booked => (PatternOutcome::Booked, None),
                LineOutcome::Requested => (PatternOutcome::Requested, None),
                LineOutcome::Cancelled => (PatternOutcome::Cancelled, None),
                LineOutcome::Refused
                    if grids.already(request.action, r.line.date, r.line.unit_id) =>
                {
                    (
                        PatternOutcome::Unchanged,
                        Some(already_reason(request.action)),
                    )
                }
                LineOutcome::Refused => (PatternOutcome::Refused, r.reason),
            };
            PatternLine {
                date: r.line.date,
                unit_id: r.line.unit_id,
                outcome,
                reason,
            }
        })
        .collect();
    if request.action == LineAction::Book {
        keep(ctx, request).await?;
    }
    Ok(answer(request, wish, true, lines))
}

/// Keeps the pattern as the child's « semaine type » for this service (the last one sent).
async fn keep(ctx: &Context, request: &WeekPatternRequest) -> anyhow::Result<()> {
    use portail_entity::week_pattern;
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{EntityTrait, Set};
    let row = week_pattern::ActiveModel {
        child_id: Set(request.child_id),
        service: Set(request.service.as_str().to_owned()),
        days: Set(serde_json::to_string(&request.days).context("a pattern's days")?),
        updated_at: Set(ctx.clock.now()),
    };
    week_pattern::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([week_pattern::Column::ChildId, week_pattern::Column::Service])
                .update_columns([week_pattern::Column::Days, week_pattern::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(&ctx.db)
        .await
        .context("Failed to keep a typical week")?;
    Ok(())
}

/// The family's kept typical weeks (« Ma semaine type »), a child and a service each.
pub async fn kept(ctx: &Context, family_id: FamilyId) -> anyhow::Result<Vec<SavedWeekPattern>> {
    use portail_entity::{child, week_pattern};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let children: Vec<uuid::Uuid> = child::Entity::find()
        .select_only()
        .column(child::Column::Id)
        .filter(child::Column::FamilyId.eq(family_id))
        .into_tuple()
        .all(&ctx.db)
        .await
        .context("Failed to read the family's children")?;
    week_pattern::Entity::find()
        .filter(week_pattern::Column::ChildId.is_in(children))
        .order_by_asc(week_pattern::Column::ChildId)
        .order_by_asc(week_pattern::Column::Service)
        .all(&ctx.db)
        .await
        .context("Failed to read the typical weeks")?
        .into_iter()
        .map(|row| {
            Ok(SavedWeekPattern {
                child_id: row.child_id,
                service: portail_domain::string_enum::stored(
                    "week pattern service",
                    &row.service,
                    portail_domain::ServiceCode::parse,
                )?,
                days: serde_json::from_str(&row.days).context("a kept pattern's days")?,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

fn answer(
    request: &WeekPatternRequest,
    wish: bool,
    sent: bool,
    lines: Vec<PatternLine>,
) -> WeekPatternResponse {
    let mut tally = Tally::default();
    for line in &lines {
        let slot = match line.outcome {
            PatternOutcome::Unchanged => &mut tally.unchanged,
            PatternOutcome::Refused => &mut tally.refused,
            _ => &mut tally.changed,
        };
        *slot = slot.saturating_add(1);
    }
    let per_day = request.days.iter().all(|d| d.unit_ids.len() <= 1);
    WeekPatternResponse {
        sent,
        from: request.from.unwrap_or_default(),
        to: request.to.unwrap_or_default(),
        summary: week_pattern::summary(request.action, wish, per_day, tally),
        changed: tally.changed,
        unchanged: tally.unchanged,
        refused: tally.refused,
        lines,
    }
}

/// The months (`AAAA-MM`) a range touches.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let mut first = from.with_day(1).unwrap_or(from);
    while first <= to {
        months.push(portail_domain::format::year_month(first));
        first = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(to.succ_opt().unwrap_or(to));
    }
    months
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_range_touches_each_of_its_months_once() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            super::months(d(2026, 12, 7), d(2027, 2, 1)),
            ["2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(super::months(d(2027, 3, 1), d(2027, 3, 31)), ["2027-03"]);
    }
}
