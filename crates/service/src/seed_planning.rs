//! The demo's planning: ALJA periods (one open now, next summer's opening later), the school
//! canteen for the school year (cut-off D-2 at 10:00), the crèche's occasional care (wishes on
//! Mondays for the next week). Small capacities, so « complet » is easy to see.

use chrono::{Datelike as _, NaiveDate, NaiveTime};
use portail_domain::ServiceCode;
use portail_domain::api::{PeriodRequest, UnitRequest};
use portail_domain::ids::StaffId;
use portail_entity::period;
use sea_orm::{EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::Context;
use crate::planning::staff;

fn at(date: NaiveDate, hour: u32) -> chrono::NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// The year the current school year started in (from August: this year's).
pub fn school_year_start(today: NaiveDate) -> i32 {
    if today.month() >= 8 {
        today.year()
    } else {
        today.year().saturating_sub(1)
    }
}

/// Creates the demo planning unless periods exist already. Returns how many periods it made.
pub async fn seed(ctx: &Context, staff_id: StaffId) -> anyhow::Result<usize> {
    if period::Entity::find().count(&ctx.db).await? > 0 {
        return Ok(0);
    }
    let today = ctx.clock.today();
    // The day covers the morning and the afternoon: it takes one place of each, and a child
    // holds either the day or a half-day (crates/domain/src/rules/planning/units.rs).
    let units = [
        (
            ServiceCode::Alja,
            "Journée avec repas",
            4,
            Some(1250),
            Some((8, 0, 18, 0)),
        ),
        (
            ServiceCode::Alja,
            "Matin",
            6,
            Some(600),
            Some((8, 0, 12, 0)),
        ),
        (
            ServiceCode::Alja,
            "Après-midi",
            6,
            Some(600),
            Some((13, 30, 18, 0)),
        ),
        (ServiceCode::Restauration, "Repas", 5, Some(385), None),
        (
            ServiceCode::Creche,
            "Matin 8h–12h",
            3,
            None,
            Some((8, 0, 12, 0)),
        ),
        (
            ServiceCode::Creche,
            "Après-midi 13h30–17h30",
            3,
            None,
            Some((13, 30, 17, 30)),
        ),
    ];
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
    let mut unit_ids = Vec::new();
    for (position, (service, name, capacity, price, hours)) in units.into_iter().enumerate() {
        let request = UnitRequest {
            service,
            name: name.to_owned(),
            default_capacity: capacity,
            price_cents: price,
            position: i32::try_from(position).unwrap_or(0),
            starts_at: hours.and_then(|(h, m, _, _)| hm(h, m)),
            ends_at: hours.and_then(|(_, _, h, m)| hm(h, m)),
        };
        let saved = staff::save_unit(ctx, &seeder(staff_id.uuid()), None, &request)
            .await
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
        unit_ids.push((name, saved.id));
    }
    let school_start_year = school_year_start(today);
    let school_start = NaiveDate::from_ymd_opt(school_start_year, 9, 1).unwrap_or(today);
    let school_end =
        NaiveDate::from_ymd_opt(school_start_year.saturating_add(1), 7, 4).unwrap_or(today);
    let next_summer = school_start_year.saturating_add(1);
    tariffs(ctx, staff_id, &unit_ids, school_start).await?;
    let weekdays = [true, true, true, true, true, false, false];
    let periods = [
        PeriodRequest {
            service: ServiceCode::Alja,
            name: "Mercredis et petites vacances".to_owned(),
            starts_on: today,
            ends_on: crate::clock::days_after(today, 120),
            booking_opens_at: at(crate::clock::days_before(today, 7), 9),
            booking_closes_at: at(crate::clock::days_after(today, 110), 18),
            open_weekdays: weekdays,
            closed_dates: Vec::new(),
        },
        PeriodRequest {
            service: ServiceCode::Alja,
            name: format!("Vacances d'été {next_summer}"),
            starts_on: NaiveDate::from_ymd_opt(next_summer, 7, 6).unwrap_or(today),
            ends_on: NaiveDate::from_ymd_opt(next_summer, 8, 28).unwrap_or(today),
            booking_opens_at: at(
                NaiveDate::from_ymd_opt(next_summer, 5, 3).unwrap_or(today),
                9,
            ),
            booking_closes_at: at(
                NaiveDate::from_ymd_opt(next_summer, 6, 30).unwrap_or(today),
                18,
            ),
            open_weekdays: weekdays,
            closed_dates: Vec::new(),
        },
        PeriodRequest {
            service: ServiceCode::Restauration,
            name: format!(
                "Année scolaire {}-{}",
                school_start_year,
                school_start_year.saturating_add(1)
            ),
            starts_on: school_start,
            ends_on: school_end,
            booking_opens_at: at(crate::clock::days_before(school_start, 30), 8),
            booking_closes_at: at(school_end, 0),
            // No canteen on Wednesdays.
            open_weekdays: [true, true, false, true, true, false, false],
            closed_dates: Vec::new(),
        },
        PeriodRequest {
            service: ServiceCode::Creche,
            name: format!(
                "Accueil occasionnel {}-{}",
                school_start_year,
                school_start_year.saturating_add(1)
            ),
            starts_on: school_start,
            ends_on: school_end,
            booking_opens_at: at(crate::clock::days_before(school_start, 30), 8),
            booking_closes_at: at(school_end, 0),
            open_weekdays: weekdays,
            closed_dates: Vec::new(),
        },
    ];
    let count = periods.len();
    for request in &periods {
        staff::save_period(ctx, &seeder(staff_id.uuid()), None, request)
            .await
            .map_err(|e| anyhow::anyhow!("{e:#}"))?;
    }
    announcements(ctx, staff_id, today, next_summer, school_end).await?;
    Ok(count)
}

/// The demo's tariffs from the start of the school year (by quotient familial, a
/// non-resident price, 10 % off from the second child, the canteen's meal without booking),
/// and the crèche's PSU parameters of 2026 (the floor is an example: the CNAF publishes it
/// each January).
async fn tariffs(
    ctx: &Context,
    staff_id: StaffId,
    units: &[(&str, Uuid)],
    from: NaiveDate,
) -> anyhow::Result<()> {
    use portail_domain::api::{BracketBody, SiblingBody, SiblingKind, TariffRequest};
    let prices: [(&str, [i64; 4], i64, Option<i64>); 4] = [
        ("Journée avec repas", [650, 900, 1150, 1250], 1600, None),
        ("Matin", [320, 450, 570, 620], 800, None),
        ("Après-midi", [320, 450, 570, 620], 800, None),
        ("Repas", [210, 290, 350, 385], 460, Some(549)),
    ];
    for (name, brackets, non_resident, unbooked) in prices {
        let Some((_, unit_id)) = units.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let request = TariffRequest {
            unit_id: *unit_id,
            valid_from: from,
            valid_to: None,
            brackets: [Some(600), Some(1000), Some(1400), None]
                .into_iter()
                .zip(brackets)
                .map(|(up_to, price_cents)| BracketBody { up_to, price_cents })
                .collect(),
            non_resident_cents: Some(non_resident),
            sibling: Some(SiblingBody {
                kind: SiblingKind::PercentOff,
                value: 10,
            }),
            unbooked_cents: unbooked,
        };
        crate::billing::tariffs::save(ctx, &seeder(staff_id.uuid()), None, &request)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let psu = portail_domain::rules::billing::psu::PsuParameters {
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(from),
        floor_cents: 80_100,
        ceiling_cents: 850_000,
        rates_ppm: portail_domain::rules::billing::psu::RATES_2026_PPM,
    };
    crate::billing::set_psu_parameters(ctx, staff_id, &psu).await?;
    Ok(())
}

/// The note's two lines on « Mon planning »: the ALJA's summer opening until it opens, and
/// the crèche's Monday rule for the school year.
async fn announcements(
    ctx: &Context,
    staff_id: StaffId,
    today: NaiveDate,
    next_summer: i32,
    school_end: NaiveDate,
) -> anyhow::Result<()> {
    let opening = NaiveDate::from_ymd_opt(next_summer, 5, 3).unwrap_or(today);
    let lines = [
        (
            format!(
                "ALJA : ouverture des réservations et inscriptions pour les vacances d'été le {} à 9\u{a0}h.",
                portail_domain::format::date_fr(opening)
            ),
            opening,
        ),
        (
            "Multi-accueil la Souris Verte : les souhaits de réservation pour l'accueil occasionnel se saisissent ici, chaque lundi pour la semaine suivante uniquement.".to_owned(),
            school_end,
        ),
    ];
    for (text, ends_on) in lines {
        let request = portail_domain::api::AnnouncementRequest {
            tile: portail_domain::api::TileCode::MyPlanning,
            text,
            starts_on: today,
            ends_on: ends_on.max(today),
        };
        crate::announcements::save(ctx, staff_id, None, &request).await?;
    }
    Ok(())
}

/// The demo's administrator, who sets every service up.
fn seeder(staff_id: uuid::Uuid) -> staff::Actor {
    staff::Actor {
        staff_id: StaffId::from(staff_id),
        scope: portail_domain::auth::ServiceScope::All,
    }
}
