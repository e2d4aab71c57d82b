//! The audit log: every staff read of a family file or document and every staff decision.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::api::{AuditEventListResponse, AuditEventQuery, AuditEventResponse};
use portail_domain::audit::AuditAction;
use portail_domain::ids::StaffId;
use portail_domain::rules::pagination::Page;
use portail_entity::{audit_event, staff};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub async fn record<C: ConnectionTrait>(
    conn: &C,
    staff_id: StaffId,
    action: AuditAction,
    family_id: Option<Uuid>,
    target_id: Option<Uuid>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    record_returning_id(conn, staff_id, action, family_id, target_id, detail, now)
        .await
        .map(|_| ())
}

/// Completes a row written before its request ran (`record_returning_id`): its detail, now
/// that the answer is known.
pub async fn complete<C: ConnectionTrait>(
    conn: &C,
    id: Uuid,
    detail: String,
) -> anyhow::Result<()> {
    use sea_orm::sea_query::Expr;
    let updated = audit_event::Entity::update_many()
        .col_expr(audit_event::Column::Detail, Expr::value(detail))
        .filter(audit_event::Column::Id.eq(id))
        .exec(conn)
        .await
        .context("Failed to complete an audit row")?;
    anyhow::ensure!(updated.rows_affected == 1, "the audit row {id} is gone");
    Ok(())
}

/// Writes a row and returns its id (a row written before its request runs, completed after).
pub async fn record_returning_id<C: ConnectionTrait>(
    conn: &C,
    staff_id: StaffId,
    action: AuditAction,
    family_id: Option<Uuid>,
    target_id: Option<Uuid>,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> anyhow::Result<Uuid> {
    let id = Uuid::now_v7();
    audit_event::ActiveModel {
        id: Set(id),
        staff_id: Set(staff_id.uuid()),
        action: Set(action.as_str().to_owned()),
        family_id: Set(family_id),
        target_id: Set(target_id),
        detail: Set(detail),
        created_at: Set(now),
    }
    .insert(conn)
    .await
    .context("Failed to write the audit log")?;
    Ok(id)
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
                .unwrap_or_else(|| {
                    if row.staff_id.is_nil() {
                        "Le portail (conservation des données)".to_owned()
                    } else {
                        String::new()
                    }
                }),
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
