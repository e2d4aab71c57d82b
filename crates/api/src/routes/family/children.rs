use actix_web::{HttpResponse, delete, get, post, put, web};
use portail_domain::api::{ChildListResponse, ChildRequest, ChildResponse};
use portail_service::family::children::{self};
use uuid::Uuid;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;
use portail_domain::ids::ChildId;

fn not_this_familys(child_id: Uuid) -> ApiError {
    tracing::info!(child.id = %child_id, "no such child for this family");
    ApiError::not_found()
}

/// « Mes enfants ».
#[utoipa::path(tag = "Dossier famille", security(("jeton" = [])), responses((status = 200, description = "Les enfants.", body = ChildListResponse)))]
#[get("/children")]
pub async fn list_children(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let items = children::list(&state.ctx.db, family.family_id).await?;
    let total = u64::try_from(items.len()).unwrap_or(0);
    Ok(HttpResponse::Ok().json(ChildListResponse { items, total }))
}

/// Ajouter un enfant (le prénom suffit pour l'enregistrer).
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])), request_body = ChildRequest,
    responses(
        (status = 201, description = "L'enfant ajouté.", body = ChildResponse),
        problem::InvalidFields,
    )
)]
#[post("/children")]
pub async fn create_child(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<ChildRequest>,
) -> Result<HttpResponse, ApiError> {
    let details = body.validate(state.ctx.clock.today())?;
    let child = children::create(&state.ctx, family.family_id, &details)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Created().json(child))
}

/// Un enfant de la famille.
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    params(("child_id" = Uuid, Path, description = "L'enfant")),
    responses(
        (status = 200, description = "L'enfant.", body = ChildResponse),
        problem::ChildUnknown,
    )
)]
#[get("/children/{child_id}")]
pub async fn get_child(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let child_id = path.into_inner();
    let child = children::get(&state.ctx.db, family.family_id, ChildId::from(child_id))
        .await?
        .ok_or_else(|| not_this_familys(child_id))?;
    Ok(HttpResponse::Ok().json(child))
}

/// Modifier un enfant.
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])), request_body = ChildRequest,
    params(("child_id" = Uuid, Path, description = "L'enfant")),
    responses(
        (status = 200, description = "L'enfant modifié.", body = ChildResponse),
        problem::ChildUnknown,
        problem::InvalidFields,
    )
)]
#[put("/children/{child_id}")]
pub async fn update_child(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
    body: Json<ChildRequest>,
) -> Result<HttpResponse, ApiError> {
    let child_id = path.into_inner();
    let details = body.validate(state.ctx.clock.today())?;
    let child = children::update(
        &state.ctx,
        family.family_id,
        ChildId::from(child_id),
        &details,
    )
    .await
    .map_err(ApiError::from)?
    .ok_or_else(|| not_this_familys(child_id))?;
    Ok(HttpResponse::Ok().json(child))
}

/// Retirer un enfant (et ses pièces).
#[utoipa::path(
    tag = "Dossier famille", security(("jeton" = [])),
    params(("child_id" = Uuid, Path, description = "L'enfant")),
    responses(
        (status = 204, description = "Retiré."),
        problem::ChildUnknown,
    )
)]
#[delete("/children/{child_id}")]
pub async fn delete_child(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let child_id = path.into_inner();
    if children::delete(&state.ctx, family.family_id, ChildId::from(child_id)).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(not_this_familys(child_id))
    }
}
