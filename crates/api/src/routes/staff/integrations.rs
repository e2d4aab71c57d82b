//! « Intégrations » (administrators): API keys, and webhook subscriptions with their
//! delivery log (docs/integrators.md).

use actix_web::{HttpResponse, delete, get, post, web};
use portail_domain::api::{
    ApiKeyListResponse, ApiKeyResponse, CreateApiKeyRequest, CreateWebhookRequest,
    CreatedApiKeyResponse, CreatedWebhookResponse, Problem, WebhookDeliveryListResponse,
    WebhookDeliveryResponse, WebhookListResponse,
};
use portail_service::integrations::{api_keys, webhooks};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::AdminUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Les clés d'API, révoquées comprises (des plus récentes aux plus anciennes).
#[utoipa::path(tag = "Intégrations", security(("jeton" = [])), responses((status = 200, description = "Les clés, sans leur secret.", body = ApiKeyListResponse)))]
#[get("/staff/api-keys")]
pub async fn list_api_keys(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(ApiKeyListResponse {
        items: api_keys::list(&state.ctx).await?,
    }))
}

/// Créer une clé d'API : son secret est dans la réponse, et nulle part ailleurs, jamais plus.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])), request_body = CreateApiKeyRequest,
    responses((status = 201, description = "La clé et son secret, à copier maintenant.", body = CreatedApiKeyResponse))
)]
#[post("/staff/api-keys")]
pub async fn create_api_key(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validate(state.ctx.clock.today())?;
    let (key, secret) = api_keys::create(&state.ctx, &state.api_keys, admin.staff_id, &new).await?;
    Ok(HttpResponse::Created().json(CreatedApiKeyResponse { key, secret }))
}

/// Révoquer une clé : refusée dès l'appel suivant, sur toutes les instances.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])),
    params(("key_id" = Uuid, Path, description = "La clé")),
    responses((status = 200, description = "La clé, révoquée.", body = ApiKeyResponse), (status = 404, description = "Pas de clé de ce nom.", body = Problem, content_type = "application/problem+json"))
)]
#[delete("/staff/api-keys/{key_id}")]
pub async fn revoke_api_key(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(api_keys::revoke(&state.ctx, admin.staff_id, path.into_inner()).await?))
}

/// Les abonnements aux événements, avec le nombre d'envois par état.
#[utoipa::path(tag = "Intégrations", security(("jeton" = [])), responses((status = 200, description = "Les abonnements.", body = WebhookListResponse)))]
#[get("/staff/webhooks")]
pub async fn list_webhooks(
    _admin: AdminUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(WebhookListResponse {
        items: webhooks::list(&state.ctx).await?,
    }))
}

/// Abonner une adresse `https://` à des événements : son secret de signature est dans la
/// réponse, une seule fois.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])), request_body = CreateWebhookRequest,
    responses((status = 201, description = "L'abonnement et son secret de signature.", body = CreatedWebhookResponse))
)]
#[post("/staff/webhooks")]
pub async fn create_webhook(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    body: Json<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.validate(state.webhooks.allow_private)?;
    webhooks::check_destination(&new.url, state.webhooks.allow_private).await?;
    let (webhook, secret) = webhooks::create(&state.ctx, admin.staff_id, &new).await?;
    Ok(HttpResponse::Created().json(CreatedWebhookResponse { webhook, secret }))
}

/// Supprimer un abonnement : plus rien ne lui est envoyé, ses envois en attente compris.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])),
    params(("webhook_id" = Uuid, Path, description = "L'abonnement")),
    responses((status = 204, description = "Supprimé."), problem::WebhookUnknown)
)]
#[delete("/staff/webhooks/{webhook_id}")]
pub async fn delete_webhook(
    AdminUser(admin): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete(&state.ctx, admin.staff_id, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Les pages du journal des envois.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DeliveriesQuery {
    /// À partir de 1.
    #[param(minimum = 1, maximum = 100_000)]
    page: Option<u64>,
    /// 50 par défaut.
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Le journal des envois d'un abonnement (état, tentatives, dernière erreur), des plus récents
/// aux plus anciens.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])),
    params(("webhook_id" = Uuid, Path, description = "L'abonnement"), DeliveriesQuery),
    responses((status = 200, description = "Les envois.", body = WebhookDeliveryListResponse), problem::WebhookUnknown)
)]
#[get("/staff/webhooks/{webhook_id}/deliveries")]
pub async fn list_webhook_deliveries(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<DeliveriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = portail_domain::rules::pagination::page(query.page, query.per_page)?;
    Ok(HttpResponse::Ok().json(webhooks::deliveries(&state.ctx, path.into_inner(), page).await?))
}

/// « Renvoyer » : le même événement (même identifiant, même corps) repart, avec 24 heures de
/// tentatives.
#[utoipa::path(
    tag = "Intégrations", security(("jeton" = [])),
    params(("webhook_id" = Uuid, Path, description = "L'abonnement"), ("delivery_id" = Uuid, Path, description = "L'envoi à refaire")),
    responses((status = 202, description = "L'envoi, en attente.", body = WebhookDeliveryResponse), (status = 404, description = "Pas d'envoi de ce nom pour cet abonnement.", body = Problem, content_type = "application/problem+json"))
)]
#[post("/staff/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook(
    _admin: AdminUser,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (webhook_id, delivery_id) = path.into_inner();
    Ok(HttpResponse::Accepted()
        .json(webhooks::redeliver(&state.ctx, webhook_id, delivery_id).await?))
}
