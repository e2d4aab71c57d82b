//! The webhook events of a change, written in the change's own transaction (one delivery row
//! per subscription that asked for the event: the outbox pattern of the e-mails); they leave
//! once it commits, never if it rolls back. `integrations::webhooks` keeps the subscriptions
//! and the worker that delivers the rows. Ground floor: every feature that emits imports this.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use portail_domain::ids::FamilyId;
use portail_domain::rules::webhooks::{DeliveryStatus, WebhookEvent};
use portail_entity::{webhook, webhook_delivery};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Something that happened, for the subscriptions that asked for it.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: WebhookEvent,
    /// The resource, as the API shows it.
    pub data: serde_json::Value,
}

impl Event {
    pub fn new(kind: WebhookEvent, data: impl serde::Serialize) -> Self {
        Self {
            kind,
            data: serde_json::to_value(data).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A booking as its events carry it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BookingData {
    pub id: Uuid,
    pub family_id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub date: chrono::NaiveDate,
    pub status: portail_domain::api::BookingStatus,
}

/// `booking.created` or `booking.cancelled`.
pub fn booking_event(kind: WebhookEvent, data: BookingData) -> Event {
    Event::new(kind, data)
}

/// A family file's move (`dossier.validated`, `dossier.info_requested`): the family and its
/// new status; the message stays in the portal.
pub fn dossier_event(
    kind: WebhookEvent,
    family_id: FamilyId,
    status: portail_domain::api::DossierStatus,
) -> Event {
    Event::new(
        kind,
        serde_json::json!({ "family_id": family_id, "status": status }),
    )
}

pub(crate) fn events_of(raw: &str) -> Vec<WebhookEvent> {
    raw.split(',').filter_map(WebhookEvent::parse).collect()
}

/// A delivery of an event to a subscription, due now (its 24 hours of attempts start now).
pub(crate) fn pending(
    webhook_id: Uuid,
    event_id: Uuid,
    event_type: String,
    body: String,
    now: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        webhook_id: Set(webhook_id),
        event_id: Set(event_id),
        event_type: Set(event_type),
        body: Set(body),
        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        created_at: Set(now),
        next_attempt_at: Set(now),
        delivered_at: Set(None),
        last_status: Set(None),
        last_error: Set(None),
    }
}

/// Writes the events' deliveries in the caller's transaction: they leave once it commits,
/// and never if it rolls back. One read of the (small) subscription table.
pub async fn emit<C: ConnectionTrait>(
    conn: &C,
    events: &[Event],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    let subscriptions = webhook::Entity::find()
        .filter(webhook::Column::DeletedAt.is_null())
        .all(conn)
        .await
        .context("Failed to read the webhook subscriptions")?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::new();
    for event in events {
        let wanted: Vec<&webhook::Model> = subscriptions
            .iter()
            .filter(|s| events_of(&s.events).contains(&event.kind))
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let event_id = Uuid::now_v7();
        let body = serde_json::json!({
            "id": event_id,
            "type": event.kind.as_str(),
            "created_at": now,
            "data": event.data,
        })
        .to_string();
        for subscription in wanted {
            rows.push(pending(
                subscription.id,
                event_id,
                event.kind.as_str().to_owned(),
                body.clone(),
                now,
            ));
        }
    }
    for chunk in rows.chunks(200) {
        webhook_delivery::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await
            .context("Failed to write webhook deliveries")?;
    }
    Ok(())
}
