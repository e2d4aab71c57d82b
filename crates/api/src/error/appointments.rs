//! How the appointments' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_service::appointments::AppointmentError;

use super::ApiError;

impl From<AppointmentError> for ApiError {
    fn from(error: AppointmentError) -> Self {
        match error {
            AppointmentError::NotFound => ApiError::not_found(),
            AppointmentError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Ce guichet ne vous est pas confié.",
            ),
            AppointmentError::Full => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::SlotFull,
                ErrorCode::SlotFull.message_fr(),
            ),
            AppointmentError::Invalid(errors) => errors.into(),
            AppointmentError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
