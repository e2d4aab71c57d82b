use actix_web::{HttpRequest, HttpResponse, post, web};
use portail_domain::auth::AccountKind;

use crate::auth::cookies;
use crate::error::ApiError;
use crate::state::AppState;

/// Se déconnecter (familles) : la session est fermée, ses jetons ne servent plus.
#[utoipa::path(
    tag = "Comptes famille",
    responses((status = 204, description = "Déconnecté ; le cookie est effacé."))
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    end_session(&req, &state, AccountKind::Family).await
}

/// Shared by both realms: ends the session of the cookie (and of the access token, if any).
pub async fn end_session(
    req: &HttpRequest,
    state: &AppState,
    kind: AccountKind,
) -> Result<HttpResponse, ApiError> {
    if let Some(presented) = cookies::presented(req, kind) {
        portail_service::accounts::sessions::revoke_by_refresh_token(&state.ctx, kind, &presented)
            .await?;
    }
    let session_id = match actix_web::HttpMessage::extensions(req).get::<crate::auth::Caller>() {
        Some(crate::auth::Caller::Family(f)) if kind == AccountKind::Family => Some(f.session_id),
        Some(crate::auth::Caller::Staff(s)) if kind == AccountKind::Staff => Some(s.session_id),
        _ => None,
    };
    if let Some(session_id) = session_id {
        portail_service::accounts::sessions::revoke(
            &state.ctx.sessions,
            &state.ctx.db,
            session_id,
            "logout",
            state.ctx.clock.now(),
        )
        .await?;
    }
    let mut response = HttpResponse::NoContent().finish();
    let secure = state.config.secure_cookies();
    response
        .add_removal_cookie(&cookies::removal(kind, secure))
        .ok();
    response
        .add_removal_cookie(&cookies::hint_removal(kind, secure))
        .ok();
    Ok(response)
}
