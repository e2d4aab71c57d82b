//! Calls made with an integrator's API key (`Authorization: Bearer pf_live_…`).
//!
//! Which scope an operation needs is read from the OpenAPI document (each operation's
//! `cle_api` security requirement: `crate::route_table`), so the document and the check
//! cannot differ; an operation
//! without one is closed to keys (the family's own routes, sessions, passwords, staff
//! accounts, settings). The key is checked in the database on every call (revocation is
//! immediate on every instance), counted against its per-minute limit, and every call it makes
//! is written in the audit log with the operation and the answer's status.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage as _, ResponseError as _, web};
use portail_domain::ErrorCode;
use portail_domain::auth::StaffRole;
use portail_service::integrations::api_keys::{self, KeyCheck};

use super::identity::{Caller, StaffCaller};
use crate::error::ApiError;
use crate::state::AppState;
use portail_domain::ids::StaffId;

fn refused() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthorized,
        "Cette clé d'API est inconnue, révoquée ou expirée.",
    )
}

/// The call of a request that presents a key: checked, counted, answered, audited.
pub async fn call(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: web::Data<AppState>,
    token: &str,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let check = api_keys::authenticate(
        &state.ctx,
        &state.api_keys,
        token,
        state.config.api_key_rate_limit_per_minute,
    )
    .await
    .map_err(ApiError::Unexpected)?;
    let key = match check {
        KeyCheck::Valid(key) => key,
        KeyCheck::Refused => {
            tracing::info!("a call with an unknown, revoked or expired API key");
            return Err(refused().into());
        }
        KeyCheck::RateLimited { retry_after_secs } => {
            return Err(ApiError::rate_limited(retry_after_secs).into());
        }
    };
    let method = req.method().as_str().to_owned();
    let Some(template) = req.match_pattern() else {
        // No operation here: the API's own 404 or 405 answers.
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let needed = state.routes.requirement(&method, &template);
    let operation = needed.map(|r| r.operation.clone()).unwrap_or_default();
    let refusal = match needed.and_then(|r| r.scope) {
        None => Some(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Une clé d'API n'ouvre pas cette opération : elle est réservée aux familles ou au personnel connectés.",
        )),
        Some(scope) if !key.scopes.contains(&scope) => Some(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::MissingScope,
            format!(
                "Cette opération exige la permission «\u{a0}{scope}\u{a0}» ({}), que cette clé n'a pas.",
                scope.label_fr()
            ),
        )),
        Some(_) => None,
    };
    let detail = |status: u16| {
        portail_domain::audit::api_call_detail(&key.name, &operation, &method, &template, status)
    };
    let response = match refusal {
        Some(error) => {
            let response = req.into_response(error.error_response());
            api_keys::record_call(&state.ctx, &key, detail(response.status().as_u16()))
                .await
                .map_err(|error| {
                    tracing::error!(error = ?error, api_key.id = %key.id, "a refused API-key call could not be audited");
                    super::audit_trail::unavailable()
                })?;
            response
        }
        None => {
            // In the audit log before it runs (not run if the row cannot be written),
            // completed with its answer.
            let audit_id = api_keys::record_call(&state.ctx, &key, detail(0))
                .await
                .map_err(|error| {
                    tracing::error!(error = ?error, api_key.id = %key.id, "an API-key call could not be audited: not run");
                    super::audit_trail::unavailable()
                })?;
            req.extensions_mut().insert(Caller::Staff(StaffCaller {
                staff_id: StaffId::from(key.created_by),
                role: StaffRole::Admin,
                session_id: key.id,
                key: Some(key.id),
            }));
            let response = next.call(req).await?.map_into_boxed_body();
            super::audit_trail::complete(&state, audit_id, detail(response.status().as_u16()))
                .await;
            response
        }
    };
    Ok(response)
}
