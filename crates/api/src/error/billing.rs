//! How the billing use-cases' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_service::billing::BillingError;

use super::ApiError;

impl From<BillingError> for ApiError {
    fn from(error: BillingError) -> Self {
        match error {
            BillingError::NotFound => ApiError::not_found(),
            BillingError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Ce service ne vous est pas confié.",
            ),
            BillingError::Incomplete(problems) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BillingIncomplete,
                format!(
                    "La facturation ne peut pas être émise : {}",
                    problems.join(" ")
                ),
            ),
            BillingError::MonthNotEnded(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::MonthNotEnded, detail)
            }
            BillingError::YearNotEnded(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::YearNotEnded, detail)
            }
            BillingError::Conflict(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, detail)
            }
            BillingError::Invalid(errors) => errors.into(),
            BillingError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
