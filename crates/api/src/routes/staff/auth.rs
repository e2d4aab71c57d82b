use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{
    ChangePasswordRequest, EmailRequest, LoginRequest, MessageResponse, Problem,
    ResetPasswordRequest, SessionResponse,
};
use portail_domain::auth::AccountKind;
use secrecy::SecretString;

use crate::auth::StaffUser;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::json::Json;
use crate::routes::{account, auth};
use crate::state::AppState;

/// Se connecter (personnel de la mairie), avec les mêmes règles que les familles.
///
/// Un domaine séparé : un jeton du personnel n'ouvre aucune route des familles, et
/// inversement ; leurs cookies de session ne se mélangent pas.
#[utoipa::path(
    tag = "Personnel",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Connecté.", body = SessionResponse),
        problem::InvalidCredentials,
        problem::TooManyAttempts,
    )
)]
#[post("/staff/auth/login")]
pub async fn staff_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    state.ip_limiter.check(&req)?;
    let body = body.into_inner();
    let password = SecretString::from(body.password);
    let issued = portail_service::accounts::login::login(
        &state.ctx,
        AccountKind::Staff,
        &body.email,
        &password,
        body.remember_me,
    )
    .await
    .map_err(|e| auth::login_error(&state, "staff", e))?;
    tracing::info!(session.id = %issued.session_id, staff.id = %issued.account_id, "staff logged in");
    auth::session_response(&state, &issued)
}

/// Renouveler le jeton d'accès du personnel avec son cookie de session.
#[utoipa::path(
    tag = "Personnel",
    responses(
        (status = 200, description = "Nouveau jeton d'accès ; nouveau cookie.", body = SessionResponse),
        problem::NoSession,
        (status = 409, description = "Renouvelée au même instant par un autre onglet (`refresh_conflict`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/auth/refresh")]
pub async fn refresh_staff_session(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    auth::refresh::refresh(&req, &state, AccountKind::Staff).await
}

/// Se déconnecter (personnel).
#[utoipa::path(tag = "Personnel", responses((status = 204, description = "Déconnecté ; le cookie est effacé.")))]
#[post("/staff/auth/logout")]
pub async fn staff_logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    auth::logout::end_session(&req, &state, AccountKind::Staff).await
}

/// Mot de passe oublié (personnel) : un lien valable 1 heure.
#[utoipa::path(
    tag = "Personnel",
    request_body = EmailRequest,
    responses((status = 202, description = "Un lien part si un compte du personnel a cette adresse.", body = MessageResponse))
)]
#[post("/staff/auth/password-reset/request")]
pub async fn request_staff_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    auth::password_reset::request(&req, &state, AccountKind::Staff, &body.email).await
}

/// Choisir son mot de passe (lien d'invitation ou de réinitialisation).
#[utoipa::path(
    tag = "Personnel",
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, description = "Mot de passe enregistré.", body = MessageResponse),
        problem::LinkInvalid,
        (status = 422, description = "Mot de passe refusé (voir `errors`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/auth/password-reset")]
pub async fn reset_staff_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    auth::password_reset::reset(&req, &state, AccountKind::Staff, &body).await
}

/// Changer son mot de passe (personnel).
#[utoipa::path(
    tag = "Personnel",
    security(("jeton" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Mot de passe changé ; la nouvelle session.", body = SessionResponse),
        (status = 422, description = "Mot de passe actuel faux, ou nouveau refusé.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/staff/me/password")]
pub async fn change_staff_password(
    StaffUser(staff): StaffUser,
    state: web::Data<AppState>,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    account::change_password::change(
        &state,
        AccountKind::Staff,
        staff.staff_id.uuid(),
        staff.session_id,
        &body,
    )
    .await
}
