//! « Intégrations » (administrators: API keys, webhooks) and the family's calendar feed
//! (« Mon calendrier », in the registration bundle).

use gloo_net::http::Method;
use portail_domain::api::{
    ApiKeyListResponse, ApiKeyResponse, CalendarFeedResponse, CreateApiKeyRequest,
    CreateWebhookRequest, CreatedApiKeyResponse, CreatedWebhookResponse,
    WebhookDeliveryListResponse, WebhookDeliveryResponse, WebhookListResponse,
};
use uuid::Uuid;

use super::{ApiError, Session};

pub async fn list_api_keys(session: Session) -> Result<ApiKeyListResponse, ApiError> {
    session.get("/api/v1/staff/api-keys").await
}

pub async fn create_api_key(
    session: Session,
    request: &CreateApiKeyRequest,
) -> Result<CreatedApiKeyResponse, ApiError> {
    session.post("/api/v1/staff/api-keys", request).await
}

pub async fn revoke_api_key(session: Session, id: Uuid) -> Result<ApiKeyResponse, ApiError> {
    session
        .call::<(), _>(
            Method::DELETE,
            &format!("/api/v1/staff/api-keys/{id}"),
            None,
        )
        .await
}

pub async fn list_webhooks(session: Session) -> Result<WebhookListResponse, ApiError> {
    session.get("/api/v1/staff/webhooks").await
}

pub async fn create_webhook(
    session: Session,
    request: &CreateWebhookRequest,
) -> Result<CreatedWebhookResponse, ApiError> {
    session.post("/api/v1/staff/webhooks", request).await
}

pub async fn delete_webhook(session: Session, id: Uuid) -> Result<(), ApiError> {
    session
        .send_only::<()>(
            Method::DELETE,
            &format!("/api/v1/staff/webhooks/{id}"),
            None,
        )
        .await
}

pub async fn list_webhook_deliveries(
    session: Session,
    id: Uuid,
) -> Result<WebhookDeliveryListResponse, ApiError> {
    session
        .get(&format!(
            "/api/v1/staff/webhooks/{id}/deliveries?per_page=20"
        ))
        .await
}

pub async fn redeliver_webhook(
    session: Session,
    webhook: Uuid,
    delivery: Uuid,
) -> Result<WebhookDeliveryResponse, ApiError> {
    session
        .post(
            &format!("/api/v1/staff/webhooks/{webhook}/deliveries/{delivery}/redeliver"),
            &(),
        )
        .await
}

pub async fn get_calendar_feed(session: Session) -> Result<CalendarFeedResponse, ApiError> {
    session.get("/api/v1/calendar-feed").await
}

/// Turns the feed on, or gives it a new address.
pub async fn enable_calendar_feed(session: Session) -> Result<CalendarFeedResponse, ApiError> {
    session.post("/api/v1/calendar-feed", &()).await
}

pub async fn disable_calendar_feed(session: Session) -> Result<CalendarFeedResponse, ApiError> {
    session
        .call::<(), _>(Method::DELETE, "/api/v1/calendar-feed", None)
        .await
}
