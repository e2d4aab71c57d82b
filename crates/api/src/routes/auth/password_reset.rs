use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{EmailRequest, MessageResponse, Problem, ResetPasswordRequest};
use portail_domain::auth::AccountKind;
use portail_service::accounts::password::{self};

use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// « Mot de passe oublié ? » : envoyer un lien de réinitialisation (valable 1 heure).
///
/// Même réponse que l'adresse ait un compte ou non.
#[utoipa::path(
    tag = "Comptes famille",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Un lien part si un compte a cette adresse.", body = MessageResponse),
        problem::TooManyFromThisAddress,
    )
)]
#[post("/auth/password-reset/request")]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    request(&req, &state, AccountKind::Family, &body.email).await
}

/// Choisir un nouveau mot de passe avec le lien reçu ; toutes les sessions sont fermées.
#[utoipa::path(
    tag = "Comptes famille",
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, description = "Mot de passe changé : se reconnecter.", body = MessageResponse),
        problem::LinkInvalid,
        (status = 422, description = "Nouveau mot de passe refusé (voir `errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    reset(&req, &state, AccountKind::Family, &body).await
}

/// Shared by both realms.
pub async fn request(
    req: &HttpRequest,
    state: &AppState,
    kind: AccountKind,
    email: &str,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(req)?;
    password::request_reset(&state.ctx, kind, email).await?;
    Ok(super::accepted(super::RESET_REQUESTED))
}

/// Shared by both realms.
pub async fn reset(
    req: &HttpRequest,
    state: &AppState,
    kind: AccountKind,
    body: &ResetPasswordRequest,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(req)?;
    password::reset(
        &state.ctx,
        kind,
        &body.token,
        &body.new_password,
        &body.new_password_confirmation,
    )
    .await
    .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(MessageResponse {
        message: "Votre mot de passe est changé. Connectez-vous avec le nouveau.".to_owned(),
    }))
}
