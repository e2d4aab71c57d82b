use actix_web::{HttpResponse, get, put, web};
use portail_domain::api::Household;

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// « Mon foyer » de la famille connectée.
#[utoipa::path(
    tag = "Dossier famille",
    security(("jeton" = [])),
    responses((status = 200, description = "Le foyer (vide tant qu'il n'est pas rempli).", body = Household))
)]
#[get("/household")]
pub async fn get_household(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .json(portail_service::family::household::get(&state.ctx.db, family.family_id).await?))
}

/// Enregistrer « Mon foyer » (même incomplet : ce qui manque est listé par le dossier).
///
/// Les personnes gardent leur identifiant quand on le renvoie ; une personne absente est retirée.
#[utoipa::path(
    tag = "Dossier famille",
    security(("jeton" = [])),
    request_body = Household,
    responses(
        (status = 200, description = "Le foyer enregistré.", body = Household),
        problem::InvalidFields,
    )
)]
#[put("/household")]
pub async fn update_household(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
    body: Json<Household>,
) -> Result<HttpResponse, ApiError> {
    let household = body.validate(state.ctx.clock.today())?;
    Ok(HttpResponse::Ok().json(
        portail_service::family::household::update(&state.ctx, family.family_id, &household)
            .await?,
    ))
}
