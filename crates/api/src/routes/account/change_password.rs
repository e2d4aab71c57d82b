use actix_web::{HttpResponse, post, web};
use portail_domain::api::{ChangePasswordRequest, Problem, SessionResponse};
use portail_domain::auth::AccountKind;
use portail_service::accounts::password::{self};
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
    .map_err(ApiError::from)?;
    crate::routes::auth::session_response(state, &issued)
}
