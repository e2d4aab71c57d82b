use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{EmailRequest, MessageResponse, TokenRequest};
use portail_service::accounts::verification::{self};

use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Confirmer l'adresse e-mail d'un compte famille avec le jeton reçu par e-mail.
///
/// Le jeton ne sert qu'une fois et expire après 48 heures.
#[utoipa::path(
    tag = "Comptes famille",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Adresse confirmée : la famille peut se connecter.", body = MessageResponse),
        problem::LinkInvalid,
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    verification::verify_email(&state.ctx, &body.token)
        .await
        .map_err(ApiError::from)?;
    Ok(HttpResponse::Ok().json(MessageResponse {
        message: "Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter."
            .to_owned(),
    }))
}

/// Renvoyer le lien de confirmation (au plus une fois par minute).
///
/// Même réponse que l'adresse ait un compte en attente ou non.
#[utoipa::path(
    tag = "Comptes famille",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Un nouveau lien part si un compte attend la confirmation.", body = MessageResponse),
        problem::TooManyFromThisAddress,
    )
)]
#[post("/auth/verify-email/resend")]
pub async fn resend_verification_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    verification::resend(&state.ctx, &body.email).await?;
    Ok(super::accepted(super::RESENT))
}
