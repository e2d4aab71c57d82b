//! The family's private calendar feed: a secret address (256 random bits) the parent adds to
//! the phone's calendar; turned on, regenerated (the old address stops at once) or off by the
//! family. The feed lists the children's bookings (accepted wishes are bookings) from two
//! months back to a year ahead; a cancelled booking stays in it, marked cancelled, so the
//! calendar removes it.

use anyhow::Context as _;
use chrono::Duration;
use portail_domain::api::BookingStatus;
use portail_domain::ids::FamilyId;
use portail_domain::rules::ical::{self, CalendarEvent};
use portail_entity::{booking, child, family, service, unit};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::Context;

/// The feed's address for a secret.
pub fn url_of(ctx: &Context, token: &str) -> String {
    ctx.link(&format!("/api/v1/calendar/{token}.ics"))
}

/// The feed's secret, when it is on.
pub async fn token(ctx: &Context, family_id: FamilyId) -> anyhow::Result<Option<String>> {
    Ok(family::Entity::find_by_id(family_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a family")?
        .and_then(|f| f.calendar_token))
}

/// Turns the feed on with a new secret (the previous address, if any, stops working).
pub async fn enable(ctx: &Context, family_id: FamilyId) -> anyhow::Result<String> {
    let secret = crate::tokens::generate();
    set(ctx, family_id, Some(secret.clone())).await?;
    Ok(secret)
}

/// Turns the feed off: its address answers 404 from now on.
pub async fn disable(ctx: &Context, family_id: FamilyId) -> anyhow::Result<()> {
    set(ctx, family_id, None).await
}

async fn set(ctx: &Context, family_id: FamilyId, token: Option<String>) -> anyhow::Result<()> {
    family::Entity::update_many()
        .col_expr(family::Column::CalendarToken, Expr::value(token))
        .filter(family::Column::Id.eq(family_id))
        .exec(&ctx.db)
        .await
        .context("Failed to set a family's calendar feed")?;
    Ok(())
}

/// The calendar behind a secret, or `None` (unknown or turned off).
pub async fn feed(ctx: &Context, token: &str) -> anyhow::Result<Option<String>> {
    // A secret is 43 URL-safe characters: anything else is not looked up.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let Some(family) = family::Entity::find()
        .filter(family::Column::CalendarToken.eq(token))
        .one(&ctx.db)
        .await
        .context("Failed to find a calendar feed")?
    else {
        return Ok(None);
    };
    let today = ctx.clock.today();
    let from = today
        .checked_sub_signed(Duration::days(62))
        .unwrap_or(today);
    let to = today
        .checked_add_signed(Duration::days(400))
        .unwrap_or(today);
    let bookings = booking::Entity::find()
        .filter(booking::Column::FamilyId.eq(family.id))
        .filter(booking::Column::Date.between(from, to))
        .filter(booking::Column::Status.is_in([
            BookingStatus::Booked.as_str(),
            BookingStatus::Cancelled.as_str(),
        ]))
        .order_by_asc(booking::Column::Date)
        .all(&ctx.db)
        .await
        .context("Failed to read a family's bookings")?;
    let children = child::Entity::find()
        .filter(child::Column::FamilyId.eq(family.id))
        .all(&ctx.db)
        .await
        .context("Failed to read a family's children")?;
    let units = unit::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read units")?;
    let services = service::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read services")?;
    // A day cancelled then booked again: the active booking only.
    let active: std::collections::HashSet<(Uuid, Uuid, chrono::NaiveDate)> = bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Booked.as_str())
        .map(|b| (b.child_id, b.unit_id, b.date))
        .collect();
    let events: Vec<CalendarEvent> = bookings
        .iter()
        .filter(|b| {
            b.status == BookingStatus::Booked.as_str()
                || !active.contains(&(b.child_id, b.unit_id, b.date))
        })
        .map(|b| {
            let unit = units.iter().find(|u| u.id == b.unit_id);
            let service = unit.and_then(|u| services.iter().find(|s| s.id == u.service_id));
            let first_name = children
                .iter()
                .find(|c| c.id == b.child_id)
                .map(|c| c.first_name.as_str())
                .unwrap_or_default();
            let summary = [
                service.map(|s| s.name.as_str()).unwrap_or_default(),
                unit.map(|u| u.name.as_str()).unwrap_or_default(),
                first_name,
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
            CalendarEvent {
                id: b.id,
                date: b.date,
                hours: unit
                    .and_then(|u| {
                        crate::planning::catalog::hours_from(
                            u.starts_at.as_deref(),
                            u.ends_at.as_deref(),
                        )
                    })
                    .map(|h| (h.start(), h.end())),
                summary,
                cancelled: b.status == BookingStatus::Cancelled.as_str(),
            }
        })
        .collect();
    let host = url::Url::parse(&ctx.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "portail-famille".to_owned());
    let name = match crate::commune::name(&ctx.db).await? {
        Some(commune) => format!("Portail Famille — {commune}"),
        None => "Portail Famille".to_owned(),
    };
    Ok(Some(ical::calendar(&name, &host, ctx.clock.now(), &events)))
}
