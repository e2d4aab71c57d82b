//! How to reach each service, and the announcements staff attach to the dashboard's tiles:
//! what the commune tells families outside their file. Administrators edit both.

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AnnouncementListResponse, AnnouncementRequest, AnnouncementResponse, ServiceContactRequest,
    TileCode,
};
use portail_domain::audit::action;
use portail_domain::ids::StaffId;
use portail_entity::{announcement, service};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::Context;
use crate::change::{Audit, Change};

/// Sets a service's phone, e-mail and hours (already validated). `false`: no such service.
pub async fn set_service_contact(
    ctx: &Context,
    staff_id: StaffId,
    code: ServiceCode,
    contact: &ServiceContactRequest,
) -> anyhow::Result<bool> {
    let txn = crate::db::begin(&ctx.db).await?;
    let Some(row) = service::Entity::find()
        .filter(service::Column::Code.eq(code.as_str()))
        .one(&txn)
        .await
        .context("Failed to read the service")?
    else {
        return Ok(false);
    };
    let mut row: service::ActiveModel = row.into();
    row.phone = Set(contact.phone.clone());
    row.email = Set(contact.email.clone());
    row.hours = Set(contact.hours.clone());
    row.accepts_messages = Set(contact.accepts_messages);
    row.updated_at = Set(ctx.clock.now());
    row.update(&txn)
        .await
        .context("Failed to update the service")?;
    Change::at(ctx.clock.now())
        .audit(Audit::by(staff_id, action::SET_SERVICE_CONTACT).detail(code.as_str().to_owned()))
        .commit(txn, &ctx.outbox, "the contact")
        .await?;
    Ok(true)
}

/// The announcements shown on `today`, tile by tile in the dashboard's order, oldest first.
pub async fn current(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> anyhow::Result<AnnouncementListResponse> {
    let rows = announcement::Entity::find()
        .filter(announcement::Column::StartsOn.lte(today))
        .filter(announcement::Column::EndsOn.gte(today))
        .order_by_asc(announcement::Column::CreatedAt)
        .all(db)
        .await
        .context("Failed to read the announcements")?;
    Ok(list_of(rows))
}

/// Every announcement, past and future (staff), latest last day first.
pub async fn all(db: &impl ConnectionTrait) -> anyhow::Result<AnnouncementListResponse> {
    let rows = announcement::Entity::find()
        .order_by_desc(announcement::Column::EndsOn)
        .order_by_asc(announcement::Column::CreatedAt)
        .all(db)
        .await
        .context("Failed to read the announcements")?;
    Ok(list_of(rows))
}

/// Creates (`id` absent) or replaces an announcement (already validated). `None`: unknown id.
pub async fn save(
    ctx: &Context,
    staff_id: StaffId,
    id: Option<Uuid>,
    request: &AnnouncementRequest,
) -> anyhow::Result<Option<AnnouncementResponse>> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let mut row = match id {
        Some(id) => match announcement::Entity::find_by_id(id)
            .one(&txn)
            .await
            .context("Failed to read the announcement")?
        {
            Some(row) => row.into(),
            None => return Ok(None),
        },
        None => announcement::ActiveModel {
            id: Set(Uuid::now_v7()),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.tile = Set(request.tile.as_str().to_owned());
    row.text = Set(request.text.clone());
    row.starts_on = Set(request.starts_on);
    row.ends_on = Set(request.ends_on);
    row.updated_at = Set(now);
    let saved = if id.is_some() {
        row.update(&txn).await
    } else {
        row.insert(&txn).await
    }
    .context("Failed to save the announcement")?;
    Change::at(now)
        .audit(
            Audit::by(staff_id, action::SAVE_ANNOUNCEMENT)
                .target(saved.id)
                .detail(saved.text.clone()),
        )
        .commit(txn, &ctx.outbox, "the announcement")
        .await?;
    Ok(response_of(saved))
}

/// Removes an announcement. `false`: unknown id.
pub async fn delete(ctx: &Context, staff_id: StaffId, id: Uuid) -> anyhow::Result<bool> {
    let txn = crate::db::begin(&ctx.db).await?;
    let Some(row) = announcement::Entity::find_by_id(id)
        .one(&txn)
        .await
        .context("Failed to read the announcement")?
    else {
        return Ok(false);
    };
    announcement::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .context("Failed to delete the announcement")?;
    Change::at(ctx.clock.now())
        .audit(
            Audit::by(staff_id, action::DELETE_ANNOUNCEMENT)
                .target(id)
                .detail(row.text),
        )
        .commit(txn, &ctx.outbox, "the removal")
        .await?;
    Ok(true)
}

fn list_of(rows: Vec<announcement::Model>) -> AnnouncementListResponse {
    let items: Vec<AnnouncementResponse> = rows.into_iter().filter_map(response_of).collect();
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    AnnouncementListResponse { items, total }
}

/// A row whose tile this version does not know is left out rather than failing the page.
fn response_of(row: announcement::Model) -> Option<AnnouncementResponse> {
    Some(AnnouncementResponse {
        id: row.id,
        announcement: AnnouncementRequest {
            tile: TileCode::parse(&row.tile)?,
            text: row.text,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
        },
    })
}
