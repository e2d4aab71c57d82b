use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use portail_domain::ErrorCode;
use portail_domain::api::{ChangePasswordRequest, FieldError, Problem, SessionResponse};
use portail_domain::auth::AccountKind;
use portail_service::accounts::password::{self, ChangePasswordError};
use portail_service::accounts::sessions;
use secrecy::SecretString;

use crate::auth::FamilyOwner;
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;

/// Changer de mot de passe (le mot de passe actuel est demandé).
///
/// Toutes les sessions du compte sont fermées ; une nouvelle session est ouverte pour
/// l'appelant (nouveau jeton, nouveau cookie).
#[utoipa::path(
    tag = "Mon compte",
    security(("jeton" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Mot de passe changé ; la nouvelle session.", body = SessionResponse),
        (status = 422, description = "Mot de passe actuel faux, ou nouveau refusé (voir `errors`).", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop d'essais du mot de passe actuel.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/account/password")]
pub async fn change_password(
    FamilyOwner(family): FamilyOwner,
    state: web::Data<AppState>,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    change(
        &state,
        AccountKind::Family,
        family.account_id,
        family.session_id,
        &body,
    )
    .await
}

/// Shared by both realms.
pub async fn change(
    state: &AppState,
    kind: AccountKind,
    account_id: uuid::Uuid,
    session_id: uuid::Uuid,
    body: &ChangePasswordRequest,
) -> Result<HttpResponse, ApiError> {
    let remember = sessions::is_remembered(&state.ctx, session_id).await?;
    let current = SecretString::from(body.current_password.clone());
    let issued = password::change(
        &state.ctx,
        kind,
        account_id,
        &current,
        &body.new_password,
        &body.new_password_confirmation,
        remember,
    )
    .await
    .map_err(|e| match e {
        ChangePasswordError::WrongCurrentPassword => ApiError::Known {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::ValidationFailed,
            detail: ErrorCode::ValidationFailed.message_fr().to_owned(),
            errors: vec![FieldError {
                field: "current_password".to_owned(),
                code: "wrong_password".to_owned(),
                message: "Le mot de passe actuel n'est pas le bon.".to_owned(),
            }],
            retry_after_secs: None,
        },
        ChangePasswordError::Locked { retry_after } => crate::routes::auth::locked(retry_after),
        ChangePasswordError::Invalid(errors) => errors.into(),
        ChangePasswordError::Password(e) => e.into(),
        ChangePasswordError::Unexpected(e) => ApiError::Unexpected(e),
    })?;
    crate::routes::auth::session_response(state, &issued)
}
