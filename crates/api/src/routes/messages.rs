//! « Écrire au service » (issue 24, point 2): a family's conversations with the services, and
//! the services' inbox. The family's routes take `AuthenticatedFamily` (an agent acting for
//! the family at the counter writes for it, and the message says so); the inbox's take
//! `ServiceManager`, whose services bound every list and every id. Closed to API keys.

use actix_web::{HttpResponse, get, post, put, web};
use portail_domain::api::{
    AttachmentQuery, ConversationList, ConversationQuery, ConversationResponse,
    ConversationStatusRequest, InboxCounts, MessageRequest, NewConversationRequest, Problem,
};
use portail_service::messages::{self, Viewer};
use uuid::Uuid;

use crate::auth::identity::FamilyCaller;
use crate::auth::{AuthenticatedFamily, ServiceManager};
use crate::error::ApiError;
use crate::json::Json;
use crate::routes::family::{read_limited, stored_file};
use crate::state::AppState;

fn family_viewer(family: &FamilyCaller) -> Viewer<'static> {
    Viewer::Family {
        family_id: family.family_id,
        acting: family.acting,
    }
}

/// Mes messages : les conversations de la famille avec les services, les plus récentes d'abord.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), params(ConversationQuery),
    responses(
        (status = 200, description = "Les conversations.", body = ConversationList),
        (status = 422, description = "Page hors limites.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conversations")]
pub async fn list_my_conversations(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<ConversationQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = messages::list(&state.ctx, &family_viewer(&family), &query).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Écrire à un service : une nouvelle conversation, son objet et son premier message.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), request_body = NewConversationRequest,
    responses(
        (status = 201, description = "La conversation.", body = ConversationResponse),
        (status = 409, description = "Ce service ne reçoit pas de messages (`messages_not_accepted`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Objet ou message vide ou trop long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/conversations")]
pub async fn start_conversation(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<NewConversationRequest>,
) -> Result<HttpResponse, ApiError> {
    let started = messages::start(&state.ctx, family.family_id, family.acting, &body).await?;
    Ok(HttpResponse::Created().json(started))
}

/// Une conversation et ses messages (la lire marque les réponses du service comme lues).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])),
    params(("conversation_id" = Uuid, Path, description = "La conversation")),
    responses(
        (status = 200, description = "La conversation.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom pour la famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conversations/{conversation_id}")]
pub async fn get_my_conversation(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let read = messages::read(&state.ctx, &family_viewer(&family), path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(read))
}

/// Répondre au service (une conversation close se rouvre).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), request_body = MessageRequest,
    params(("conversation_id" = Uuid, Path, description = "La conversation")),
    responses(
        (status = 201, description = "La conversation, avec ce message.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom pour la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Message vide ou trop long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/conversations/{conversation_id}/messages")]
pub async fn write_message(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<MessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let text = body.validate()?;
    let written =
        messages::reply(&state.ctx, &family_viewer(&family), path.into_inner(), text).await?;
    Ok(HttpResponse::Created().json(written))
}

/// Envoyer un fichier au service : PDF, JPEG ou PNG de 10 Mo au plus, reconnu d'après son
/// contenu ; le fichier est le corps de la requête.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), params(("conversation_id" = Uuid, Path, description = "La conversation"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le contenu du fichier."),
    responses(
        (status = 201, description = "La conversation, avec ce fichier.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom pour la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Plus de 10 Mo (`file_too_large`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fichier refusé (vide, d'un autre type, abîmé, avec du contenu actif), nom ou texte invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/conversations/{conversation_id}/attachments")]
pub async fn send_my_attachment(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<AttachmentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(payload).await?;
    let written = messages::attach(
        &state.ctx,
        &family_viewer(&family),
        path.into_inner(),
        &query,
        &bytes,
    )
    .await?;
    Ok(HttpResponse::Created().json(written))
}

/// Télécharger le fichier d'un message.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])),
    params(
        ("conversation_id" = Uuid, Path, description = "La conversation"),
        ("message_id" = Uuid, Path, description = "Le message"),
    ),
    responses(
        (status = 200, description = "Le fichier (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 404, description = "Pas de fichier de ce nom pour la famille.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conversations/{conversation_id}/messages/{message_id}/attachment")]
pub async fn download_my_attachment(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (conversation, message) = path.into_inner();
    let (info, bytes) =
        messages::attachment(&state.ctx, &family_viewer(&family), conversation, message).await?;
    Ok(stored_file(&info.filename, &info.content_type, bytes))
}

/// La boîte de réception : les conversations des services confiés à l'agent (tous pour un
/// administrateur), les plus récentes d'abord.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), params(ConversationQuery),
    responses(
        (status = 200, description = "Les conversations.", body = ConversationList),
        (status = 422, description = "Page hors limites.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/conversations")]
pub async fn list_inbox(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    query: web::Query<ConversationQuery>,
) -> Result<HttpResponse, ApiError> {
    let list = messages::list(&state.ctx, &Viewer::Staff(&actor), &query).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Par service confié : les conversations ouvertes et celles qui attendent d'être lues.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])),
    responses((status = 200, description = "Les compteurs.", body = InboxCounts))
)]
#[get("/staff/conversations/counts")]
pub async fn get_inbox_counts(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(messages::inbox_counts(&state.ctx, &actor).await?))
}

/// Une conversation d'un service confié (la lire marque les messages de la famille comme lus).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])),
    params(("conversation_id" = Uuid, Path, description = "La conversation")),
    responses(
        (status = 200, description = "La conversation.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom dans les services de l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/conversations/{conversation_id}")]
pub async fn get_conversation(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let read = messages::read(&state.ctx, &Viewer::Staff(&actor), path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(read))
}

/// Répondre à la famille : elle est prévenue par e-mail qu'un message l'attend (sans son contenu).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), request_body = MessageRequest,
    params(("conversation_id" = Uuid, Path, description = "La conversation")),
    responses(
        (status = 201, description = "La conversation, avec cette réponse.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom dans les services de l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Message vide ou trop long.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/conversations/{conversation_id}/messages")]
pub async fn answer_conversation(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<MessageRequest>,
) -> Result<HttpResponse, ApiError> {
    let text = body.validate()?;
    let written =
        messages::reply(&state.ctx, &Viewer::Staff(&actor), path.into_inner(), text).await?;
    Ok(HttpResponse::Created().json(written))
}

/// Répondre avec un fichier (PDF, JPEG ou PNG de 10 Mo au plus).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), params(("conversation_id" = Uuid, Path, description = "La conversation"), AttachmentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le contenu du fichier."),
    responses(
        (status = 201, description = "La conversation, avec ce fichier.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom dans les services de l'agent.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Plus de 10 Mo (`file_too_large`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fichier refusé, nom ou texte invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/conversations/{conversation_id}/attachments")]
pub async fn answer_with_attachment(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    query: web::Query<AttachmentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(payload).await?;
    let written = messages::attach(
        &state.ctx,
        &Viewer::Staff(&actor),
        path.into_inner(),
        &query,
        &bytes,
    )
    .await?;
    Ok(HttpResponse::Created().json(written))
}

/// Clore une conversation (plus rien à faire) ou la rouvrir.
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])), request_body = ConversationStatusRequest,
    params(("conversation_id" = Uuid, Path, description = "La conversation")),
    responses(
        (status = 200, description = "La conversation.", body = ConversationResponse),
        (status = 404, description = "Pas de conversation de ce nom dans les services de l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/staff/conversations/{conversation_id}/status")]
pub async fn set_conversation_status(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<ConversationStatusRequest>,
) -> Result<HttpResponse, ApiError> {
    let saved = messages::set_status(&state.ctx, &actor, path.into_inner(), body.status).await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Télécharger le fichier d'un message (services de l'agent).
#[utoipa::path(
    tag = "Messages", security(("jeton" = [])),
    params(
        ("conversation_id" = Uuid, Path, description = "La conversation"),
        ("message_id" = Uuid, Path, description = "Le message"),
    ),
    responses(
        (status = 200, description = "Le fichier (`Content-Disposition: attachment`).", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 404, description = "Pas de fichier de ce nom dans les services de l'agent.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/staff/conversations/{conversation_id}/messages/{message_id}/attachment")]
pub async fn download_conversation_attachment(
    ServiceManager(actor): ServiceManager,
    state: web::Data<AppState>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (conversation, message) = path.into_inner();
    let (info, bytes) =
        messages::attachment(&state.ctx, &Viewer::Staff(&actor), conversation, message).await?;
    Ok(stored_file(&info.filename, &info.content_type, bytes))
}
