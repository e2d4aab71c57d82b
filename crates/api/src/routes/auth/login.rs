use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{LoginRequest, Problem, SessionResponse};
use portail_domain::auth::AccountKind;
use secrecy::SecretString;

use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::state::AppState;

/// Se connecter (familles).
///
/// Renvoie un jeton d'accès de 15 minutes et pose le cookie de session (`HttpOnly`), gardé
/// 30 jours avec « Se souvenir de moi », sinon jusqu'à la fermeture du navigateur. Après
/// plusieurs échecs, l'adresse est bloquée un moment (429 avec `Retry-After`).
#[utoipa::path(
    tag = "Comptes famille",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Connecté.", body = SessionResponse),
        problem::InvalidCredentials,
        (status = 403, description = "Adresse e-mail pas encore confirmée (`email_not_verified`).", body = Problem, content_type = "application/problem+json"),
        problem::TooManyAttempts,
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    let body = body.into_inner();
    let password = SecretString::from(body.password);
    let issued = portail_service::accounts::login::login(
        &state.ctx,
        AccountKind::Family,
        &body.email,
        &password,
        body.remember_me,
    )
    .await
    .map_err(|e| super::login_error(&state, "family", e))?;
    tracing::info!(session.id = %issued.session_id, family.id = ?issued.family_id, "family logged in");
    super::session_response(&state, &issued)
}
