//! The audit log: every staff read of a family file or document and every staff decision.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::api::{AuditEventListResponse, AuditEventQuery, AuditEventResponse};
use portail_domain::rules::pagination::Page;
use portail_entity::{audit_event, staff};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    staff_id: Uuid,
    action: &str,
    family_id: Option<Uuid>,
    target_id: Option<Uuid>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        staff_id: Set(staff_id),
        action: Set(action.to_owned()),
        family_id: Set(family_id),
        target_id: Set(target_id),
        detail: Set(detail),
        created_at: Set(now),
    }
    .insert(conn)
    .await
    .context("Failed to write the audit log")?;
    Ok(())
}

/// Newest first. `page`: checked by `portail_domain::rules::pagination::page`.
pub async fn list(
    db: &DatabaseConnection,
    query: &AuditEventQuery,
    page: Page,
) -> anyhow::Result<AuditEventListResponse> {
    let mut select = audit_event::Entity::find();
    if let Some(family_id) = query.family_id {
        select = select.filter(audit_event::Column::FamilyId.eq(family_id));
    }
    let total = select
        .clone()
        .count(db)
        .await
        .context("Failed to count audit events")?;
    let rows = select
        .order_by_desc(audit_event::Column::CreatedAt)
        .offset(page.offset)
        .limit(page.limit)
        .all(db)
        .await
        .context("Failed to read the audit log")?;
    let names: Vec<(Uuid, String)> = staff::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.display_name))
        .collect();
    let items = rows
        .into_iter()
        .map(|row| AuditEventResponse {
            id: row.id,
            staff_name: names
                .iter()
                .find(|(id, _)| *id == row.staff_id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            staff_id: row.staff_id,
            summary: portail_domain::audit::describe(&row.action, row.detail.as_deref()),
            action: row.action,
            family_id: row.family_id,
            target_id: row.target_id,
            detail: row.detail,
            at: row.created_at,
        })
        .collect();
    Ok(AuditEventListResponse { items, total })
}
