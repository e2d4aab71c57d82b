//! Webhooks: subscriptions, the events written in the transaction of the change (one row per
//! subscription, the outbox pattern of the e-mails), and the worker that delivers them —
//! signed as Stripe signs its webhooks, retried with a doubling wait for 24 hours, never to
//! the portal's own network unless the build is a test one (`Delivery::allow_private`).

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac as _};
use portail_domain::api::{
    NewWebhook, WebhookDeliveryListResponse, WebhookDeliveryResponse, WebhookResponse,
};
use portail_domain::audit::action;
use portail_domain::rules::pagination::Page;
use portail_domain::rules::webhooks::{self as rules, DeliveryStatus, WebhookEvent};
use portail_entity::{webhook, webhook_delivery};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use sha2::Sha256;
use uuid::Uuid;

use super::IntegrationError;
use crate::Context;
use crate::change::{Audit, Change};
use crate::events::{events_of, pending};
use portail_domain::ids::StaffId;

/// How long a worker holds a delivery while it sends it.
const LEASE: Duration = Duration::seconds(60);
const BATCH: u64 = 20;

/// Subscribes an address to events; the signing secret is returned here only.
/// The subscription's server, resolved now with the rule of each delivery: a name that leads
/// only to loopback or private addresses (`https://localhost/…`, an intranet name) is refused
/// at once rather than failing every delivery for a day; a name that resolves nowhere too.
/// Test builds that allow private addresses skip it. Each delivery resolves and checks again
/// (what a name points to may change).
pub async fn check_destination(url: &str, allow_private: bool) -> Result<(), IntegrationError> {
    if allow_private {
        return Ok(());
    }
    let refuse = |message: &str| {
        let errors = portail_domain::parse::FieldErrors::one(
            "url",
            portail_domain::parse::InvalidValue::new("private_address", message.to_owned()),
        );
        IntegrationError::Invalid(errors)
    };
    let parsed = rules::check_url(url, false).map_err(|e| {
        let errors = portail_domain::parse::FieldErrors::one("url", e);
        IntegrationError::Invalid(errors)
    })?;
    let Some(url::Host::Domain(name)) = parsed.host() else {
        // An address written as such was checked by `check_url`.
        return Ok(());
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    let found: Vec<SocketAddr> = match tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tokio::net::lookup_host((name, port)),
    )
    .await
    {
        Ok(Ok(found)) => found.collect(),
        _ => {
            return Err(refuse(
                "Ce nom de serveur est introuvable : vérifiez l'adresse.",
            ));
        }
    };
    if !found.iter().any(|a| rules::is_public_address(a.ip())) {
        return Err(refuse(
            "Ce nom ne mène qu'à des adresses privées (la machine du portail ou son réseau) : les webhooks ne partent que vers Internet.",
        ));
    }
    Ok(())
}

pub async fn create(
    ctx: &Context,
    admin_id: StaffId,
    new: &NewWebhook,
) -> Result<(WebhookResponse, String), IntegrationError> {
    let now = ctx.clock.now();
    let secret = format!("whsec_{}", crate::tokens::generate());
    let txn = crate::db::begin(&ctx.db).await?;
    let row = webhook::ActiveModel {
        id: Set(Uuid::now_v7()),
        url: Set(new.url.clone()),
        description: Set(new.description.clone()),
        events: Set(new
            .events
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join(",")),
        secret: Set(secret.clone()),
        created_by: Set(admin_id.uuid()),
        created_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(&txn)
    .await
    .context("Failed to store a webhook")?;
    Change::at(now)
        .audit(
            Audit::by(admin_id, action::CREATE_WEBHOOK)
                .target(row.id)
                .detail(row.url.clone()),
        )
        .commit(txn, &ctx.outbox, "a webhook")
        .await?;
    let response = respond(ctx, vec![row]).await?.pop().context("a webhook")?;
    Ok((response, secret))
}

async fn respond(ctx: &Context, rows: Vec<webhook::Model>) -> anyhow::Result<Vec<WebhookResponse>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let counts: Vec<(Uuid, String, i64)> = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::WebhookId)
        .column(webhook_delivery::Column::Status)
        .column_as(webhook_delivery::Column::Id.count(), "n")
        .filter(webhook_delivery::Column::WebhookId.is_in(ids))
        .group_by(webhook_delivery::Column::WebhookId)
        .group_by(webhook_delivery::Column::Status)
        .into_tuple()
        .all(&ctx.db)
        .await
        .context("Failed to count webhook deliveries")?;
    let count = |id: Uuid, status: DeliveryStatus| {
        counts
            .iter()
            .find(|(w, s, _)| *w == id && s == status.as_str())
            .map_or(0, |(_, _, n)| u64::try_from(*n).unwrap_or(0))
    };
    Ok(rows
        .into_iter()
        .map(|row| WebhookResponse {
            pending: count(row.id, DeliveryStatus::Pending),
            delivered: count(row.id, DeliveryStatus::Delivered),
            failed: count(row.id, DeliveryStatus::Failed),
            events: events_of(&row.events),
            id: row.id,
            url: row.url,
            description: row.description,
            created_at: row.created_at,
        })
        .collect())
}

/// The subscriptions, newest first.
pub async fn list(ctx: &Context) -> anyhow::Result<Vec<WebhookResponse>> {
    let rows = webhook::Entity::find()
        .filter(webhook::Column::DeletedAt.is_null())
        .order_by_desc(webhook::Column::CreatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to list webhooks")?;
    respond(ctx, rows).await
}

async fn live(ctx: &Context, id: Uuid) -> Result<webhook::Model, IntegrationError> {
    webhook::Entity::find_by_id(id)
        .filter(webhook::Column::DeletedAt.is_null())
        .one(&ctx.db)
        .await?
        .ok_or(IntegrationError::NotFound)
}

/// Ends a subscription: nothing more is sent to it, its pending deliveries included.
pub async fn delete(ctx: &Context, admin_id: StaffId, id: Uuid) -> Result<(), IntegrationError> {
    let row = live(ctx, id).await?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let ended = webhook::Entity::update_many()
        .col_expr(webhook::Column::DeletedAt, Expr::value(now))
        .filter(webhook::Column::Id.eq(id))
        .filter(webhook::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if ended {
        webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(DeliveryStatus::Failed.as_str()),
            )
            .col_expr(
                webhook_delivery::Column::LastError,
                Expr::value("Abonnement supprimé avant l'envoi."),
            )
            .filter(webhook_delivery::Column::WebhookId.eq(id))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&txn)
            .await?;
        Audit::by(admin_id, action::DELETE_WEBHOOK)
            .target(id)
            .detail(row.url)
            .write(&txn, now)
            .await?;
    }
    txn.commit()
        .await
        .context("Failed to commit a webhook's end")?;
    Ok(())
}

fn delivery_response(row: webhook_delivery::Model) -> anyhow::Result<WebhookDeliveryResponse> {
    let status =
        portail_domain::string_enum::stored("delivery status", &row.status, DeliveryStatus::parse)?;
    Ok(WebhookDeliveryResponse {
        id: row.id,
        event_id: row.event_id,
        event: portail_domain::string_enum::stored(
            "webhook event",
            &row.event_type,
            WebhookEvent::parse,
        )?,
        status,
        attempts: u32::try_from(row.attempts).unwrap_or(0),
        created_at: row.created_at,
        next_attempt_at: (status == DeliveryStatus::Pending).then_some(row.next_attempt_at),
        delivered_at: row.delivered_at,
        last_status: row.last_status.and_then(|s| u16::try_from(s).ok()),
        last_error: row.last_error,
    })
}

/// A subscription's deliveries, newest first.
pub async fn deliveries(
    ctx: &Context,
    webhook_id: Uuid,
    page: Page,
) -> Result<WebhookDeliveryListResponse, IntegrationError> {
    live(ctx, webhook_id).await?;
    let select =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(webhook_id));
    let total = select.clone().count(&ctx.db).await?;
    let items = select
        .order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(delivery_response)
        .collect::<anyhow::Result<_>>()?;
    Ok(WebhookDeliveryListResponse { items, total })
}

/// « Renvoyer »: the same event (same id and body) sent again, as a new delivery with its
/// own 24 hours of attempts.
pub async fn redeliver(
    ctx: &Context,
    webhook_id: Uuid,
    delivery_id: Uuid,
) -> Result<WebhookDeliveryResponse, IntegrationError> {
    live(ctx, webhook_id).await?;
    let original = webhook_delivery::Entity::find_by_id(delivery_id)
        .filter(webhook_delivery::Column::WebhookId.eq(webhook_id))
        .one(&ctx.db)
        .await?
        .ok_or(IntegrationError::NotFound)?;
    let now = ctx.clock.now();
    let row = pending(
        webhook_id,
        original.event_id,
        original.event_type,
        original.body,
        now,
    )
    .insert(&ctx.db)
    .await
    .context("Failed to queue a redelivery")?;
    Ok(delivery_response(row)?)
}

/// The `Portail-Signature` header: `t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}

/// A resolver that gives reqwest only public addresses: a name that resolves to the portal's
/// own network (loopback, private ranges, cloud metadata…) is refused, and the connection
/// goes to the address that was checked (no second lookup to rebind).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| rules::is_public_address(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!(
                    "{} ne mène qu'à des adresses privées : envoi refusé",
                    name.as_str()
                )
                .into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// How deliveries leave.
#[derive(Clone)]
pub struct Delivery {
    client: reqwest::Client,
    /// Test builds only: `http://localhost` and private addresses are allowed.
    pub allow_private: bool,
}

impl Delivery {
    pub fn new(allow_private: bool) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(rules::TIMEOUT_SECS))
            .connect_timeout(std::time::Duration::from_secs(5))
            // A redirect could lead anywhere, the portal's own network included.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent("PortailFamille-Webhooks/1");
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Self {
            client: builder
                .build()
                .context("Failed to build the webhooks' HTTP client")?,
            allow_private,
        })
    }

    async fn send(
        &self,
        url: &str,
        secret: &str,
        row: &webhook_delivery::Model,
        now: DateTime<Utc>,
    ) -> Result<u16, (Option<u16>, String)> {
        let checked = rules::check_url(url, self.allow_private).map_err(|e| (None, e.message))?;
        let response = self
            .client
            .post(checked)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                "Portail-Signature",
                signature(secret, now.timestamp(), &row.body),
            )
            .header("Portail-Event", row.event_type.as_str())
            .header("Portail-Delivery", row.id.to_string())
            .body(row.body.clone())
            .send()
            .await
            .map_err(|error| {
                let mut message = error.to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(inner) = source {
                    message = format!("{message} : {inner}");
                    source = inner.source();
                }
                (None, message)
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(status.as_u16())
        } else {
            Err((
                Some(status.as_u16()),
                format!("Le destinataire a répondu {status}."),
            ))
        }
    }
}

/// Sends every delivery that is due; returns how many were delivered. Every instance may run
/// it: a delivery is leased by a guarded update before it is sent.
pub async fn deliver_due(ctx: &Context, delivery: &Delivery) -> anyhow::Result<usize> {
    let now = ctx.clock.now();
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(BATCH)
        .all(&ctx.db)
        .await
        .context("Failed to read the due webhook deliveries")?;
    let mut delivered = 0_usize;
    for row in due {
        let leased = webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(crate::clock::after(now, LEASE)),
            )
            .filter(webhook_delivery::Column::Id.eq(row.id))
            .filter(webhook_delivery::Column::NextAttemptAt.eq(row.next_attempt_at))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&ctx.db)
            .await
            .context("Failed to lease a webhook delivery")?
            .rows_affected
            == 1;
        if !leased {
            continue;
        }
        let subscription = webhook::Entity::find_by_id(row.webhook_id)
            .one(&ctx.db)
            .await
            .context("Failed to read a webhook")?
            .filter(|w| w.deleted_at.is_none());
        let attempts = row.attempts.saturating_add(1);
        let outcome = match &subscription {
            Some(s) => delivery.send(&s.url, &s.secret, &row, now).await,
            None => Err((None, "Abonnement supprimé avant l'envoi.".to_owned())),
        };
        let mut update: webhook_delivery::ActiveModel = row.clone().into();
        update.attempts = Set(attempts);
        match outcome {
            Ok(status) => {
                delivered = delivered.saturating_add(1);
                update.status = Set(DeliveryStatus::Delivered.as_str().to_owned());
                update.delivered_at = Set(Some(ctx.clock.now()));
                update.last_status = Set(Some(i32::from(status)));
                update.last_error = Set(None);
                tracing::info!(delivery.id = %row.id, attempts, "webhook delivered");
            }
            Err((status, error)) => {
                let next = subscription
                    .as_ref()
                    .and_then(|_| rules::next_attempt(row.created_at, attempts, now));
                match next {
                    Some(next) => update.next_attempt_at = Set(next),
                    None => update.status = Set(DeliveryStatus::Failed.as_str().to_owned()),
                }
                update.last_status = Set(status.map(i32::from));
                tracing::warn!(delivery.id = %row.id, attempts, error = %error, "webhook not delivered");
                update.last_error = Set(Some(error));
            }
        }
        update
            .update(&ctx.db)
            .await
            .context("Failed to record a webhook attempt")?;
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_stripes_scheme() {
        // Checked against Python: hmac.new(b"whsec_test", b"1700000000.{}", sha256).hexdigest()
        assert_eq!(
            signature("whsec_test", 1_700_000_000, "{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }
}
