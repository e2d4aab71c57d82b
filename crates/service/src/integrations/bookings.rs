//! Bookings for integrators: in the order of their last change, a page at a time, with an
//! opaque cursor (the last row's change time and id), so a sync never skips nor repeats a
//! row even when many change in the same instant.

use anyhow::Context as _;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use portail_domain::ServiceCode;
use portail_domain::api::{BookingRecord, BookingRecordPage, BookingRecordQuery, BookingStatus};
use portail_domain::auth::ServiceScope;
use portail_domain::parse::{FieldErrors, InvalidValue};
use portail_entity::{booking, service, unit};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::IntegrationError;
use crate::Context;

fn encode(at: DateTime<Utc>, id: Uuid) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}|{id}",
        at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
    ))
}

fn decode(cursor: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (at, id) = text.split_once('|')?;
    Some((
        DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
        Uuid::parse_str(id).ok()?,
    ))
}

/// The units of the services the caller may see, with each one's service.
pub(crate) async fn units_in_scope(
    ctx: &Context,
    scope: &ServiceScope,
    only: Option<ServiceCode>,
) -> anyhow::Result<Vec<(Uuid, ServiceCode)>> {
    let services = service::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read services")?;
    let units = unit::Entity::find()
        .all(&ctx.db)
        .await
        .context("Failed to read units")?;
    Ok(units
        .into_iter()
        .filter_map(|u| {
            let code = services
                .iter()
                .find(|s| s.id == u.service_id)
                .and_then(|s| ServiceCode::parse(&s.code))?;
            (scope.allows(code) && only.is_none_or(|o| o == code)).then_some((u.id, code))
        })
        .collect())
}

/// A page of bookings changed since `updated_since` (or since the cursor).
pub async fn list(
    ctx: &Context,
    scope: &ServiceScope,
    query: &BookingRecordQuery,
) -> Result<BookingRecordPage, IntegrationError> {
    let limit = query.limit().map_err(IntegrationError::Invalid)?;
    let after = match query.cursor.as_deref() {
        None => None,
        Some(raw) => Some(decode(raw).ok_or_else(|| {
            let e = FieldErrors::one(
                "cursor",
                InvalidValue::new(
                    "invalid_value",
                    "Ce curseur n'est pas un de ceux que l'API renvoie.",
                ),
            );
            IntegrationError::Invalid(e)
        })?),
    };
    if let Some(service) = query.service
        && !scope.allows(service)
    {
        return Err(IntegrationError::NotFound);
    }
    let units = units_in_scope(ctx, scope, query.service).await?;
    let mut select = booking::Entity::find()
        .filter(booking::Column::UnitId.is_in(units.iter().map(|(id, _)| *id)));
    if let Some(since) = query.updated_since {
        select = select.filter(booking::Column::UpdatedAt.gte(since));
    }
    if let Some((at, id)) = after {
        // A row value, walked along the (updated_at, id) index.
        select = select.filter(
            Expr::tuple([
                Expr::col(booking::Column::UpdatedAt),
                Expr::col(booking::Column::Id),
            ])
            .gt(Expr::tuple([Expr::value(at), Expr::value(id)])),
        );
    }
    let rows = select
        .order_by_asc(booking::Column::UpdatedAt)
        .order_by_asc(booking::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await
        .context("Failed to list bookings")?;
    let full = u64::try_from(rows.len()).unwrap_or(u64::MAX) == limit;
    let next_cursor = rows
        .last()
        .filter(|_| full)
        .map(|last| encode(last.updated_at, last.id));
    let items = rows
        .into_iter()
        .filter_map(|b| {
            let service = units.iter().find(|(id, _)| *id == b.unit_id)?.1;
            Some(BookingRecord {
                id: b.id,
                family_id: b.family_id,
                child_id: b.child_id,
                unit_id: b.unit_id,
                service,
                date: b.date,
                status: BookingStatus::parse(&b.status)?,
                created_at: b.created_at,
                updated_at: b.updated_at,
            })
        })
        .collect();
    Ok(BookingRecordPage { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_garbage_is_refused() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T10:00:00.123456789Z")
            .expect("a date")
            .with_timezone(&Utc);
        let id = Uuid::now_v7();
        assert_eq!(decode(&encode(at, id)), Some((at, id)));
        assert_eq!(decode("nope"), None);
        assert_eq!(decode(""), None);
    }
}
