//! How the preregistrations use-cases' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_service::preregistrations::PreRegistrationError;

use super::ApiError;

impl From<PreRegistrationError> for ApiError {
    fn from(error: PreRegistrationError) -> Self {
        match error {
            PreRegistrationError::NotFound => ApiError::not_found(),
            PreRegistrationError::Invalid(errors) => errors.into(),
            PreRegistrationError::Conflict(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, detail)
            }
            PreRegistrationError::DossierNotValidated(detail) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::InvalidTransition, detail)
            }
            PreRegistrationError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "La crèche ne vous est pas confiée.",
            ),
            PreRegistrationError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
