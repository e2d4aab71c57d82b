//! What the booking rules need to know about services, units and periods, kept in memory:
//! every grid read and every recap line consults it, and it changes only when staff edit
//! the configuration (which invalidates it; it is also re-read every 30 s, for other
//! instances' edits).

use std::collections::HashMap;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use chrono::{NaiveDate, NaiveTime};
use portail_domain::ServiceCode;
use portail_domain::api::{
    PeriodRequest, PeriodResponse, ServiceRulesDto, UnitRequest, UnitResponse,
};
use portail_domain::ids::UnitId;
use portail_domain::rules::planning::units::{self, TimeRange};
use portail_domain::rules::planning::{
    self, BookingMode, Cutoff, PeriodRules, ServiceRules, WeekdayRule,
};
use portail_entity::{period, service, unit};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use tokio::sync::RwLock;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct ServiceEntry {
    pub id: Uuid,
    pub code: ServiceCode,
    pub name: String,
    pub rules: ServiceRules,
    /// Whether its full days take a waiting list, and what a freed place does.
    pub waiting: portail_domain::rules::waiting_list::WaitingListMode,
    /// `offer`: how long a freed place is kept for the first waiting child.
    pub offer_hours: u32,
}

#[derive(Debug, Clone)]
pub struct UnitEntry {
    pub id: Uuid,
    pub service: ServiceCode,
    pub name: String,
    pub default_capacity: u32,
    pub price_cents: Option<i64>,
    pub position: i32,
    /// The local hours it covers, if staff set them.
    pub hours: Option<TimeRange>,
    /// The other units of its service a child cannot hold the same day (hours overlap).
    pub overlaps: Vec<Uuid>,
    /// The other units whose places it takes too (its hours contain theirs).
    pub covers: Vec<Uuid>,
    /// The other units that take its places (their hours contain its hours): their children
    /// are on its attendance sheet too.
    pub covered_by: Vec<Uuid>,
}

#[derive(Debug, Clone)]
pub struct PeriodEntry {
    pub id: Uuid,
    pub service: ServiceCode,
    pub name: String,
    pub rules: PeriodRules,
    pub opens_local: chrono::NaiveDateTime,
    pub closes_local: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub services: Vec<ServiceEntry>,
    pub units: Vec<UnitEntry>,
    pub periods: Vec<PeriodEntry>,
    /// New bookings are refused while a family's unpaid invoices past due exceed this
    /// (the commune's setting; `None`: never). Cached with the rest: no read per request.
    pub blocking_threshold_cents: Option<i64>,
    /// The units' tariffs, the crèche's PSU parameters and the commune's postal codes: the
    /// grid's estimated prices (the invoice run reads them afresh).
    pub tariffs: HashMap<Uuid, Vec<portail_domain::rules::billing::tariff::Tariff>>,
    pub psu: Vec<portail_domain::rules::billing::psu::PsuParameters>,
    pub postal_codes: Vec<String>,
}

impl Catalog {
    pub fn service(&self, code: ServiceCode) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| s.code == code)
    }

    pub fn unit(&self, id: Uuid) -> Option<&UnitEntry> {
        self.units.iter().find(|u| u.id == id)
    }

    pub fn units_of(&self, code: ServiceCode) -> impl Iterator<Item = &UnitEntry> {
        self.units.iter().filter(move |u| u.service == code)
    }

    /// The period of a service that covers a date (the first, if several do).
    pub fn period_for(&self, code: ServiceCode, date: NaiveDate) -> Option<&PeriodEntry> {
        self.periods
            .iter()
            .find(|p| p.service == code && p.rules.covers(date))
    }

    pub fn period_response(&self, entry: &PeriodEntry) -> PeriodResponse {
        let mut open = [false; 7];
        open.copy_from_slice(&entry.rules.open_weekdays);
        PeriodResponse {
            id: entry.id,
            period: PeriodRequest {
                service: entry.service,
                name: entry.name.clone(),
                starts_on: entry.rules.starts_on,
                ends_on: entry.rules.ends_on,
                booking_opens_at: entry.opens_local,
                booking_closes_at: entry.closes_local,
                open_weekdays: open,
                closed_dates: entry.rules.closed_dates.clone(),
            },
        }
    }

    pub fn unit_response(&self, entry: &UnitEntry) -> UnitResponse {
        UnitResponse {
            id: entry.id,
            unit: UnitRequest {
                service: entry.service,
                name: entry.name.clone(),
                default_capacity: entry.default_capacity,
                price_cents: entry.price_cents,
                position: entry.position,
                starts_at: entry.hours.map(TimeRange::start),
                ends_at: entry.hours.map(TimeRange::end),
            },
        }
    }
}

/// Works out, once per catalog read, which units of a service overlap, cover or are
/// covered by each other (the grid and every recap line read the result).
fn link_units(mut units: Vec<UnitEntry>) -> Vec<UnitEntry> {
    let hours: Vec<(Uuid, ServiceCode, Option<TimeRange>)> =
        units.iter().map(|u| (u.id, u.service, u.hours)).collect();
    for unit in &mut units {
        let (Some(mine), service) = (unit.hours, unit.service) else {
            continue;
        };
        for (id, _, other) in hours
            .iter()
            .filter(|(id, s, _)| *id != unit.id && *s == service)
        {
            let Some(other) = *other else { continue };
            if units::conflict(Some(mine), Some(other)) {
                unit.overlaps.push(*id);
            }
            if mine.covers(other) {
                unit.covers.push(*id);
            }
            if other.covers(mine) {
                unit.covered_by.push(*id);
            }
        }
    }
    units
}

/// A unit's stored hours (`HH:MM:SS`), when both are there and make a range.
pub fn hours_from(start: Option<&str>, end: Option<&str>) -> Option<TimeRange> {
    let parse = |t: &str| NaiveTime::parse_from_str(t, "%H:%M:%S").ok();
    TimeRange::new(parse(start?)?, parse(end?)?)
}

pub fn hours_to(time: Option<NaiveTime>) -> Option<String> {
    time.map(|t| t.format("%H:%M:%S").to_string())
}

pub fn rules_dto(entry: &ServiceEntry) -> ServiceRulesDto {
    let rules = &entry.rules;
    ServiceRulesDto {
        waiting_list: entry.waiting,
        offer_hours: entry.offer_hours,
        mode: rules.mode,
        cutoff_days: rules.cutoff.map(|c| c.days_before),
        cutoff_time: rules.cutoff.map(|c| c.at),
        cutoff_working_days: rules.cutoff.is_some_and(|c| c.working_days_only),
        weekday_rule: rules.weekday_rule,
        min_age_months: rules.min_age_months,
        max_age_months: rules.max_age_months,
    }
}

fn service_rules(row: &service::Model) -> anyhow::Result<ServiceRules> {
    let cutoff = match (
        row.cutoff_days,
        row.cutoff_time
            .as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M:%S").ok()),
    ) {
        (Some(days), Some(at)) => Some(Cutoff {
            days_before: u32::try_from(days).unwrap_or(0),
            at,
            working_days_only: row.cutoff_working_days,
        }),
        _ => None,
    };
    Ok(ServiceRules {
        mode: portail_domain::string_enum::stored(
            "booking mode",
            &row.booking_mode,
            BookingMode::parse,
        )?,
        cutoff,
        weekday_rule: row
            .weekday_rule
            .as_deref()
            .map(|raw| portail_domain::string_enum::stored("weekday rule", raw, WeekdayRule::parse))
            .transpose()?,
        min_age_months: row.min_age_months.and_then(|m| u32::try_from(m).ok()),
        max_age_months: row.max_age_months.and_then(|m| u32::try_from(m).ok()),
    })
}

pub fn weekdays_from(text: &str) -> [bool; 7] {
    let mut days = [false; 7];
    for (i, c) in text.chars().take(7).enumerate() {
        days[i] = c == '1';
    }
    days
}

pub fn weekdays_to(days: &[bool; 7]) -> String {
    days.iter().map(|d| if *d { '1' } else { '0' }).collect()
}

pub fn dates_from(text: &str) -> Vec<NaiveDate> {
    text.split(',')
        .filter_map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .collect()
}

pub fn dates_to(dates: &[NaiveDate]) -> String {
    dates
        .iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn load<C: ConnectionTrait>(conn: &C) -> anyhow::Result<Catalog> {
    let services: Vec<ServiceEntry> = service::Entity::find()
        .all(conn)
        .await
        .context("Failed to read services")?
        .iter()
        .map(|row| {
            anyhow::Ok(ServiceEntry {
                id: row.id,
                code: portail_domain::string_enum::stored(
                    "service code",
                    &row.code,
                    ServiceCode::parse,
                )?,
                name: row.name.clone(),
                rules: service_rules(row)?,
                waiting: portail_domain::string_enum::stored(
                    "waiting-list mode",
                    &row.waiting_list,
                    portail_domain::rules::waiting_list::WaitingListMode::parse,
                )?,
                offer_hours: u32::try_from(row.offer_hours).unwrap_or(24),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let code_of = |id: Uuid| services.iter().find(|s| s.id == id).map(|s| s.code);
    let units = unit::Entity::find()
        .order_by_asc(unit::Column::Position)
        .all(conn)
        .await
        .context("Failed to read units")?
        .into_iter()
        .filter_map(|u| {
            Some(UnitEntry {
                id: u.id,
                service: code_of(u.service_id)?,
                name: u.name,
                default_capacity: u32::try_from(u.default_capacity).unwrap_or(0),
                price_cents: u.price_cents,
                position: u.position,
                hours: hours_from(u.starts_at.as_deref(), u.ends_at.as_deref()),
                overlaps: Vec::new(),
                covers: Vec::new(),
                covered_by: Vec::new(),
            })
        })
        .collect();
    let units = link_units(units);
    let periods = period::Entity::find()
        .order_by_asc(period::Column::StartsOn)
        .all(conn)
        .await
        .context("Failed to read periods")?
        .into_iter()
        .filter_map(|p| {
            Some(PeriodEntry {
                id: p.id,
                service: code_of(p.service_id)?,
                name: p.name,
                opens_local: planning::paris_now(p.booking_opens_at),
                closes_local: planning::paris_now(p.booking_closes_at),
                rules: PeriodRules {
                    starts_on: p.starts_on,
                    ends_on: p.ends_on,
                    opens_at: p.booking_opens_at,
                    closes_at: p.booking_closes_at,
                    open_weekdays: weekdays_from(&p.open_weekdays),
                    closed_dates: dates_from(&p.closed_dates),
                },
            })
        })
        .collect();
    let commune = portail_entity::commune::Entity::find_by_id(1)
        .one(conn)
        .await
        .context("Failed to read the commune")?;
    let mut tariffs: HashMap<Uuid, Vec<portail_domain::rules::billing::tariff::Tariff>> =
        HashMap::new();
    for row in portail_entity::tariff::Entity::find()
        .all(conn)
        .await
        .context("Failed to read the tariffs")?
    {
        tariffs
            .entry(row.unit_id)
            .or_default()
            .push(crate::billing::tariff_rows::tariff_of(&row));
    }
    Ok(Catalog {
        services,
        units,
        periods,
        blocking_threshold_cents: commune.as_ref().and_then(|c| c.blocking_threshold_cents),
        postal_codes: commune
            .as_ref()
            .map(|c| crate::billing::settings::settings_of(c).postal_codes)
            .unwrap_or_default(),
        tariffs,
        psu: crate::billing::psu_parameters(conn).await?,
    })
}

/// The shared, cached catalog.
/// When the catalog was read, and what it was.
type Cached = Option<(Instant, Arc<Catalog>)>;

#[derive(Clone, Default)]
pub struct CatalogCache {
    inner: Arc<RwLock<Cached>>,
}

const MAX_AGE: Duration = Duration::from_secs(30);

impl CatalogCache {
    pub async fn get<C: ConnectionTrait>(&self, conn: &C) -> anyhow::Result<Arc<Catalog>> {
        if let Some((_, catalog)) = self
            .inner
            .read()
            .await
            .as_ref()
            .filter(|(at, _)| at.elapsed() < MAX_AGE)
        {
            return Ok(catalog.clone());
        }
        let catalog = Arc::new(load(conn).await?);
        *self.inner.write().await = Some((Instant::now(), catalog.clone()));
        Ok(catalog)
    }

    /// The catalog, read again when it does not know `unit_id` and is older than a second:
    /// a unit created on another instance is bookable at once, not after [`MAX_AGE`], and an
    /// unknown id cannot make every request read the catalog.
    pub async fn get_knowing<C: ConnectionTrait>(
        &self,
        conn: &C,
        unit_id: UnitId,
    ) -> anyhow::Result<Arc<Catalog>> {
        let catalog = self.get(conn).await?;
        if catalog.unit(unit_id.uuid()).is_some() {
            return Ok(catalog);
        }
        let stale = self
            .inner
            .read()
            .await
            .as_ref()
            .is_none_or(|(at, _)| at.elapsed() >= Duration::from_secs(1));
        if !stale {
            return Ok(catalog);
        }
        let catalog = Arc::new(load(conn).await?);
        *self.inner.write().await = Some((Instant::now(), catalog.clone()));
        Ok(catalog)
    }

    /// After a configuration change.
    pub async fn invalidate(&self) {
        *self.inner.write().await = None;
    }
}

/// Whether a line may be written on its day: the unit, its service's rules and the period
/// (staff bypass the window, the cut-off and the weekday rule, not the opening days). Shared
/// by the recap (`submit.rs`) and the waiting list (`waiting.rs`).
pub(crate) fn check_line(
    catalog: &Catalog,
    line: &portail_domain::api::BookingLine,
    birth: Option<NaiveDate>,
    now: chrono::DateTime<chrono::Utc>,
    by_staff: bool,
) -> Result<(), portail_domain::rules::planning::RefusalCode> {
    use portail_domain::api::LineAction;
    use portail_domain::rules::planning::{self, Action, RefusalCode};
    let unit = catalog.unit(line.unit_id).ok_or(RefusalCode::UnknownUnit)?;
    let service = catalog
        .service(unit.service)
        .ok_or(RefusalCode::UnknownUnit)?;
    let period = catalog
        .period_for(unit.service, line.date)
        .map(|p| &p.rules);
    let action = match line.action {
        LineAction::Book => Action::Book,
        LineAction::Cancel => Action::Cancel,
    };
    if by_staff {
        // Staff bypass the window, the cut-off and the weekday rule, not the opening days.
        let period = period
            .filter(|p| p.covers(line.date))
            .ok_or(RefusalCode::OutsidePeriod)?;
        return if period.is_open(line.date) {
            Ok(())
        } else {
            Err(RefusalCode::DayClosed)
        };
    }
    planning::check(now, &service.rules, period, line.date, birth, action)
}
