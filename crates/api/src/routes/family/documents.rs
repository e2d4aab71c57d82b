use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, delete, get, post, web};
use futures_util::StreamExt as _;
use portail_domain::ErrorCode;
use portail_domain::api::{DocumentListResponse, DocumentResponse, Problem, UploadDocumentQuery};
use portail_service::family::documents::{self, Deletion, UploadError};
use portail_service::family::inspect::{MAX_BYTES, Refusal};
use uuid::Uuid;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::state::AppState;

/// « Mes documents ».
#[utoipa::path(tag = "Dossier famille", security(("jeton" = [])), responses((status = 200, description = "Les pièces, les plus récentes d'abord.", body = DocumentListResponse)))]
#[get("/documents")]
pub async fn list_documents(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = documents::list(&state.ctx.db, family.family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(DocumentListResponse { items, total }))
}

/// Reads the body without ever holding more than 10 Mo (+1 byte, to know it was more).
pub(crate) async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidBody,
                format!("Le fichier n'a pas été reçu en entier ({e})."),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Err(ApiError::from(Refusal::TooLarge));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Déposer une pièce : PDF, JPEG ou PNG de 10 Mo au plus, reconnu d'après son contenu.
///
/// Le fichier est le corps de la requête ; son type, l'enfant concerné et son nom sont passés
/// en paramètres. Un fichier refusé n'est pas conservé.
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    params(UploadDocumentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le contenu du fichier."),
    responses(
        (status = 201, description = "La pièce, en attente de vérification.", body = DocumentResponse),
        (status = 404, description = "L'enfant n'est pas de la famille.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Plus de 10 Mo (`file_too_large`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fichier refusé : vide, d'un autre type, abîmé, avec du contenu actif, ou nom invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/documents")]
pub async fn upload_document(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    query: web::Query<UploadDocumentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_limited(payload).await?;
    let document = documents::upload(&state.ctx, family.family_id, &query, &bytes).await.map_err(|e| match e {
        UploadError::Refused(refusal) => {
            tracing::info!(family.id = %family.family_id, reason = refusal.code(), "upload refused");
            ApiError::from(refusal)
        }
        UploadError::UnknownChild => ApiError::not_found(),
        UploadError::Unexpected(e) => ApiError::Unexpected(e),
    })?;
    Ok(HttpResponse::Created().json(document))
}

/// The file as an attachment, never shown inline nor sniffed by the browser.
pub fn file_response(document: &DocumentResponse, bytes: Vec<u8>) -> HttpResponse {
    stored_file(&document.filename, &document.content_type, bytes)
}

/// A stored file (a document, a message's attachment) as an attachment, never inline.
pub fn stored_file(filename: &str, content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename.to_owned())],
        })
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .body(bytes)
}

/// Télécharger une pièce de la famille.
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    params(("document_id" = Uuid, Path, description = "La pièce")),
    responses(
        (status = 200, description = "Le fichier (`Content-Disposition: attachment`), du type reconnu à son dépôt.", body = Vec<u8>, content_type = "application/octet-stream"),
        problem::FamilyDocumentUnknown,
    )
)]
#[get("/documents/{document_id}/content")]
pub async fn download_document(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (document, _, bytes) =
        documents::content(&state.ctx, Some(family.family_id.uuid()), path.into_inner())
            .await?
            .ok_or_else(ApiError::not_found)?;
    Ok(file_response(&document, bytes))
}

/// Retirer une pièce (sauf une pièce déjà acceptée).
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    params(("document_id" = Uuid, Path, description = "La pièce")),
    responses(
        (status = 204, description = "Retirée."),
        problem::FamilyDocumentUnknown,
        (status = 409, description = "Une pièce acceptée ne se retire pas.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/documents/{document_id}")]
pub async fn delete_document(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    match documents::delete(&state.ctx, family.family_id, path.into_inner()).await? {
        Deletion::Deleted => Ok(HttpResponse::NoContent().finish()),
        Deletion::NotFound => Err(ApiError::not_found()),
        Deletion::Accepted => Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::Conflict,
            "Cette pièce a été acceptée par la mairie : elle ne peut plus être retirée. Déposez-en une nouvelle si elle a changé.",
        )),
    }
}
