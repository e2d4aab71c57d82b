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
use portail_domain::ids::{FamilyId, StaffId};

pub use super::identity::{Caller, FamilyCaller, StaffCaller};

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
                .ok_or_else(session_ended)?
                .trim();
            if token.starts_with("pf_") {
                let token = token.to_owned();
                return super::api_key::call(req, next, state, &token).await;
            }
            authenticate(&state, token).await?
        }
    };
    req.extensions_mut().insert(caller);
    let acting = match caller {
        Caller::Family(FamilyCaller {
            family_id,
            acting: Some(staff_id),
            ..
        }) if changes_something(req.method()) => Some((staff_id, family_id)),
        _ => None,
    };
    let Some((staff_id, family_id)) = acting else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // A request made while acting for a family, that changes something: in the audit log with
    // both identities before it runs, completed with its answer (refused or not). Reading
    // the family's pages is covered by the « a commencé à agir » row (one row per page read
    // would bury the actions).
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no application state")))?;
    let method = req.method().as_str().to_owned();
    let route = req.match_pattern().unwrap_or_else(|| "?".to_owned());
    let pending = portail_domain::audit::acting_request_detail(&method, &route, 0);
    let audit_id = portail_service::assisted::record_request(&state.ctx, staff_id, family_id, pending)
        .await
        .map_err(|error| {
            tracing::error!(error = ?error, staff.id = %staff_id, family.id = %family_id, "a request made while acting could not be audited: not run");
            super::audit_trail::unavailable()
        })?;
    let response = next.call(req).await?;
    let detail =
        portail_domain::audit::acting_request_detail(&method, &route, response.status().as_u16());
    super::audit_trail::complete(&state, audit_id, detail).await;
    Ok(response.map_into_boxed_body())
}

fn changes_something(method: &actix_web::http::Method) -> bool {
    !matches!(
        *method,
        actix_web::http::Method::GET
            | actix_web::http::Method::HEAD
            | actix_web::http::Method::OPTIONS
    )
}

async fn authenticate(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let now = state.ctx.clock.now();
    let claims = match state.jwt.verify(token, now) {
        Some(claims) => claims,
        // Signed with a key another instance has just made (a rotation): read the keys again.
        None if state.jwt.should_reload_for(token) => {
            state.jwt.reload(&state.ctx.db).await?;
            state.jwt.verify(token, now).ok_or_else(session_ended)?
        }
        None => return Err(session_ended()),
    };
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
    // The family comes from the server's session, not from the token alone: a token signed
    // with this server's secret (leaked) that names another family than its session's is
    // refused, so a leaked secret plus one account does not open every family.
    if claims.fam != live.family_id {
        tracing::warn!(session.id = %claims.sid, "an access token names another family than its session");
        return Err(session_ended());
    }
    match (claims.kind, live.family_id, claims.role) {
        (AccountKind::Family, Some(family_id), _) => Ok(Caller::Family(FamilyCaller {
            account_id: live.account_id,
            family_id: FamilyId::from(family_id),
            session_id: live.session_id,
            acting: None,
        })),
        // An agent's session bound to a family (signed by this server, so the family is the
        // one the session was opened for): the agent is the family, audited, for 30 minutes.
        (AccountKind::Staff, Some(family_id), Some(_)) => Ok(Caller::Family(FamilyCaller {
            account_id: Uuid::nil(),
            family_id: FamilyId::from(family_id),
            session_id: live.session_id,
            acting: Some(StaffId::from(live.account_id)),
        })),
        (AccountKind::Staff, _, Some(role)) => Ok(Caller::Staff(StaffCaller {
            staff_id: StaffId::from(live.account_id),
            role,
            session_id: live.session_id,
            key: None,
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

/// The family itself, never an agent acting for it: its password, account and sessions stay
/// the parent's (« aide aux démarches »).
#[derive(Debug, Clone, Copy)]
pub struct FamilyOwner(pub FamilyCaller);

impl FromRequest for FamilyOwner {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match caller_of(req) {
            Caller::Family(family) if family.acting.is_none() => Ok(Self(family)),
            Caller::Family(_) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Un agent qui agit pour la famille n'accède ni à son mot de passe, ni à son compte, ni à ses sessions.",
            )),
            Caller::Staff(_) => Err(forbidden()),
            Caller::Anonymous => Err(unauthenticated()),
        })
    }
}

/// The caller as resolved (for the routes any realm may call).
pub fn caller(req: &HttpRequest) -> Caller {
    caller_of(req)
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
