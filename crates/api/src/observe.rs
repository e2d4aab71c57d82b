//! The middleware around every request: counted while in flight (the drain after SIGTERM
//! waits for them), refused with a 503 once draining has begun, and recorded for `/metrics`
//! by its route template, status and duration.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{ResponseError as _, web};

use crate::error::ApiError;
use crate::lifecycle::InFlight;
use crate::state::AppState;

/// Counts the request while it runs (for the drain), answers 503 once draining has begun
/// (except the health probes, which say so themselves), and records the request's route
/// template, status and duration.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let lifecycle = state.lifecycle.clone();
    if lifecycle.is_draining() && !req.path().starts_with("/health/") {
        let response = ApiError::shutting_down().error_response();
        record(&state, req.method().as_ref(), "draining", 503, 0.0);
        return Ok(req.into_response(response));
    }
    let _counted = InFlight::enter(lifecycle);
    let started = Instant::now();
    let method = req.method().to_string();
    let result = next.call(req).await;
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(response) => {
            let route = response
                .request()
                .match_pattern()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "other".to_owned());
            record(&state, &method, &route, response.status().as_u16(), seconds);
            Ok(response.map_into_boxed_body())
        }
        Err(error) => {
            let status = error.as_response_error().status_code().as_u16();
            record(&state, &method, "other", status, seconds);
            Err(error)
        }
    }
}

fn record(state: &AppState, method: &str, route: &str, status: u16, seconds: f64) {
    state.metrics.request(method, route, status, seconds);
}
