//! `/api/v1/auth`: family accounts — registration, e-mail confirmation, sessions, passwords.
//! Every endpoint here is open to anonymous callers and limited per client address.

pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod password_reset;
pub(crate) mod refresh;
mod register;
mod verify_email;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_domain::api::{MessageResponse, SessionResponse};
use portail_service::accounts::login::LoginError;
use portail_service::accounts::sessions::IssuedSession;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{cookies, jwt};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register::register_family)
        .service(register::check_password)
        .service(verify_email::verify_email)
        .service(verify_email::resend_verification_email)
        .service(login::login)
        .service(refresh::refresh_session)
        .service(logout::logout)
        .service(password_reset::request_password_reset)
        .service(password_reset::reset_password);
}

/// The JSON access token and the refresh cookie of a session just opened or refreshed.
pub fn session_response(
    state: &AppState,
    issued: &IssuedSession,
) -> Result<HttpResponse, ApiError> {
    let access_token = state.jwt.issue(issued, state.ctx.clock.now())?;
    Ok(HttpResponse::Ok()
        .cookie(cookies::refresh_cookie(
            issued,
            state.config.secure_cookies(),
        ))
        .cookie(cookies::hint_cookie(issued, state.config.secure_cookies()))
        .json(SessionResponse {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: u64::try_from(jwt::ACCESS_TOKEN_SECONDS).unwrap_or(900),
        }))
}

/// The same answer whether or not an account has the address.
pub fn accepted(message: &str) -> HttpResponse {
    HttpResponse::Accepted().json(MessageResponse {
        message: message.to_owned(),
    })
}

/// The problem for a refused login, counted in `portail_login_failures_total`.
pub fn login_error(state: &AppState, account: &'static str, error: LoginError) -> ApiError {
    let reason = match &error {
        LoginError::InvalidCredentials => Some("invalid_credentials"),
        LoginError::Locked { .. } => Some("locked"),
        LoginError::EmailNotVerified => Some("email_not_verified"),
        LoginError::Password(_) | LoginError::Unexpected(_) => None,
    };
    if let Some(reason) = reason {
        state.metrics.login_failure(account, reason);
    }
    match error {
        LoginError::InvalidCredentials => ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            ErrorCode::InvalidCredentials.message_fr(),
        ),
        LoginError::Locked { retry_after } => ApiError::locked(retry_after),
        LoginError::EmailNotVerified => ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::EmailNotVerified,
            ErrorCode::EmailNotVerified.message_fr(),
        ),
        LoginError::Password(e) => e.into(),
        LoginError::Unexpected(e) => ApiError::Unexpected(e),
    }
}

pub const REGISTERED: &str = "Votre demande est enregistrée. Un e-mail va vous être envoyé : ouvrez le lien qu'il contient pour confirmer votre adresse (pensez à regarder dans les indésirables).";
pub const RESENT: &str = "Si un compte attend la confirmation de cette adresse, un nouveau lien vient de lui être envoyé.";
pub const RESET_REQUESTED: &str = "Si un compte existe avec cette adresse, un e-mail contenant un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Le lien est valable 1 heure.";
