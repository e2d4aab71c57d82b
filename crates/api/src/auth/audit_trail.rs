//! The audit rows of requests made for someone else (an agent acting for a family, an
//! integrator's API key) are written **before** the request runs, then completed with its
//! answer. A request whose row cannot be written is not run (503); a completion that fails is
//! retried, and a row never completed still says the request was made (« réponse non
//! enregistrée »): nothing of the audit trail is best-effort. See docs/operations.md.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::web;
use portail_domain::ErrorCode;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// The answer when the audit row cannot be written: nothing was done.
pub fn unavailable() -> ApiError {
    ApiError::Known {
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: ErrorCode::ServiceUnavailable,
        detail: "Le journal d'audit ne peut pas être écrit pour le moment : la demande n'a pas été exécutée. Réessayez dans un instant.".to_owned(),
        errors: Vec::new(),
        retry_after_secs: Some(5),
    }
}

/// Writes the answer into the row written before the request; on failure, tries again in the
/// background (five times over about half a minute) rather than dropping it.
pub async fn complete(state: &web::Data<AppState>, id: Uuid, detail: String) {
    match portail_service::family::audit::complete(&state.ctx.db, id, detail.clone()).await {
        Ok(()) => {}
        Err(error) => {
            tracing::warn!(error = ?error, audit.id = %id, "an audit row could not be completed: retrying");
            let state = state.clone();
            tokio::spawn(async move {
                let mut wait = Duration::from_millis(200);
                for attempt in 1..=5 {
                    tokio::time::sleep(wait).await;
                    match portail_service::family::audit::complete(
                        &state.ctx.db,
                        id,
                        detail.clone(),
                    )
                    .await
                    {
                        Ok(()) => return,
                        Err(error) if attempt == 5 => {
                            tracing::error!(error = ?error, audit.id = %id, "an audit row stays without its answer (the request is recorded)");
                        }
                        Err(_) => wait = wait.saturating_mul(3),
                    }
                }
            });
        }
    }
}
