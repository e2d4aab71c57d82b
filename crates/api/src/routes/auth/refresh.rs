use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::api::{Problem, SessionResponse};
use portail_domain::auth::AccountKind;
use portail_service::accounts::sessions::{self, RefreshError};

use crate::auth::cookies;
use crate::error::ApiError;
use crate::error::responses as problem;
use crate::state::AppState;

/// Renouveler le jeton d'accès avec le cookie de session (familles).
///
/// Le cookie est remplacé à chaque appel ; présenter un ancien cookie ferme la session.
#[utoipa::path(
    tag = "Comptes famille",
    responses(
        (status = 200, description = "Nouveau jeton d'accès ; nouveau cookie.", body = SessionResponse),
        problem::NoSession,
        (status = 409, description = "Renouvelée au même instant par un autre onglet : réessayer (`refresh_conflict`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_session(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    refresh(&req, &state, AccountKind::Family).await
}

/// Shared by both realms.
pub async fn refresh(
    req: &HttpRequest,
    state: &AppState,
    kind: AccountKind,
) -> Result<HttpResponse, ApiError> {
    let Some(presented) = cookies::presented(req, kind) else {
        return Err(ApiError::from(RefreshError::Invalid));
    };
    match sessions::refresh(&state.ctx, kind, &presented).await {
        Ok(issued) => super::session_response(state, &issued),
        Err(RefreshError::Invalid) => {
            let error = ApiError::from(RefreshError::Invalid);
            let mut response = actix_web::ResponseError::error_response(&error);
            let secure = state.config.secure_cookies();
            response
                .add_removal_cookie(&cookies::removal(kind, secure))
                .ok();
            response
                .add_removal_cookie(&cookies::hint_removal(kind, secure))
                .ok();
            Ok(response)
        }
        Err(error) => Err(ApiError::from(error)),
    }
}
