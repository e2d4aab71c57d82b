use actix_web::{HttpResponse, get, web};
use portail_domain::api::{AccountResponse, Problem};

use crate::auth::AuthenticatedFamily;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::state::AppState;

/// Le compte de la famille connectée : le titulaire et l'état du dossier.
#[utoipa::path(
    tag = "Mon compte",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Le compte.", body = AccountResponse),
        problem::NotLoggedIn,
        (status = 403, description = "Un jeton du personnel.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/account")]
pub async fn get_account(
    AuthenticatedFamily(family): AuthenticatedFamily,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let account = portail_service::accounts::profile::of_family(&state.ctx.db, family.family_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(account))
}
