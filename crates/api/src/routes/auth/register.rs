use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{MessageResponse, PasswordCheckRequest, RegisterFamilyRequest};
use portail_service::accounts::register::{self};

use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Vérifier un mot de passe en quittant la première étape de l'inscription : assez long et
/// pas trop facile à deviner (le même contrôle qu'à l'envoi du formulaire). Rien n'est
/// enregistré.
#[utoipa::path(
    tag = "Comptes famille",
    request_body = PasswordCheckRequest,
    responses(
        (status = 204, description = "Le mot de passe convient."),
        problem::InvalidFields,
        problem::TooManyFromThisAddress,
    )
)]
#[post("/auth/password-check")]
pub async fn check_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasswordCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    body.validate()?;
    Ok(HttpResponse::NoContent().finish())
}

/// Créer un compte famille (le formulaire en cinq étapes).
///
/// Répond 202 avec le même message que l'adresse ait déjà un compte ou non ; dans le premier
/// cas, son titulaire reçoit un e-mail. Le compte doit ensuite être confirmé par le lien envoyé
/// par e-mail (valable 48 heures).
#[utoipa::path(
    tag = "Comptes famille",
    request_body = RegisterFamilyRequest,
    responses(
        (status = 202, description = "Demande enregistrée ; un e-mail est envoyé.", body = MessageResponse),
        problem::InvalidFields,
        problem::TooManyFromThisAddress,
    )
)]
#[post("/auth/register")]
pub async fn register_family(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RegisterFamilyRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    let registration = body.validate(state.ctx.clock.today())?;
    register::register(&state.ctx, registration)
        .await
        .map_err(ApiError::from)?;
    Ok(super::accepted(super::REGISTERED))
}
