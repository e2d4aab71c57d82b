//! Resolving the caller once per request (middleware), and the extractors built on it.
//!
//! No `Authorization` header: the caller is anonymous. A header that is malformed, or a token
//! that is invalid, expired or whose session has ended: 401 at once, never "anonymous".

use std::future::{Ready, ready};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, web};
use portail_domain::ErrorCode;
use portail_domain::auth::{AccountKind, StaffRole};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyCaller {
    pub account_id: Uuid,
    pub family_id: Uuid,
    pub session_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffCaller {
    pub staff_id: Uuid,
    pub role: StaffRole,
    pub session_id: Uuid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Anonymous,
    Family(FamilyCaller),
    Staff(StaffCaller),
}

fn session_ended() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        "Votre session a expiré ou a été fermée. Reconnectez-vous.",
    )
}

/// The middleware: puts a [`Caller`] in the request's extensions.
pub async fn resolve(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let caller = match req.headers().get(actix_web::http::header::AUTHORIZATION) {
        None => Caller::Anonymous,
        Some(value) => {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no application state")))?;
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(session_ended)?;
            authenticate(&state, token.trim()).await?
        }
    };
    req.extensions_mut().insert(caller);
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

async fn authenticate(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let now = state.ctx.clock.now();
    let claims = state.jwt.verify(token, now).ok_or_else(session_ended)?;
    let live = portail_service::accounts::sessions::check_live(
        &state.ctx,
        claims.sid,
        claims.kind,
        claims.sub,
    )
    .await?
    .ok_or_else(|| {
        tracing::info!(session.id = %claims.sid, "access token of an ended session");
        session_ended()
    })?;
    match (claims.kind, claims.fam, claims.role) {
        (AccountKind::Family, Some(family_id), _) => Ok(Caller::Family(FamilyCaller {
            account_id: live.account_id,
            family_id,
            session_id: live.session_id,
        })),
        (AccountKind::Staff, _, Some(role)) => Ok(Caller::Staff(StaffCaller {
            staff_id: live.account_id,
            role,
            session_id: live.session_id,
        })),
        _ => Err(session_ended()),
    }
}

fn caller_of(req: &HttpRequest) -> Caller {
    req.extensions()
        .get::<Caller>()
        .copied()
        .unwrap_or(Caller::Anonymous)
}

fn unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        ErrorCode::Unauthorized.message_fr(),
    )
}

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
        ErrorCode::Forbidden.message_fr(),
    )
}

/// A logged-in family (a staff token is refused with 403).
#[derive(Debug, Clone, Copy)]
pub struct AuthenticatedFamily(pub FamilyCaller);

impl FromRequest for AuthenticatedFamily {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match caller_of(req) {
            Caller::Family(family) => Ok(Self(family)),
            Caller::Staff(_) => Err(forbidden()),
            Caller::Anonymous => Err(unauthenticated()),
        })
    }
}

/// A logged-in staff member, admin or agent (a family token is refused with 403).
#[derive(Debug, Clone, Copy)]
pub struct StaffUser(pub StaffCaller);

impl FromRequest for StaffUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match caller_of(req) {
            Caller::Staff(staff) => Ok(Self(staff)),
            Caller::Family(_) => Err(forbidden()),
            Caller::Anonymous => Err(unauthenticated()),
        })
    }
}

/// A logged-in administrator.
#[derive(Debug, Clone, Copy)]
pub struct AdminUser(pub StaffCaller);

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        ready(match StaffUser::from_request(req, payload).into_inner() {
            Ok(StaffUser(staff)) if staff.role == StaffRole::Admin => Ok(Self(staff)),
            Ok(_) => Err(forbidden()),
            Err(error) => Err(error),
        })
    }
}
