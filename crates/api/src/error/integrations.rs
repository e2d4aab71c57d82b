//! How the integrations use-cases' errors are told to the caller (problem+json).

use portail_service::integrations::IntegrationError;

use super::ApiError;

impl From<IntegrationError> for ApiError {
    fn from(error: IntegrationError) -> Self {
        match error {
            IntegrationError::NotFound => ApiError::not_found(),
            IntegrationError::Invalid(errors) => errors.into(),
            IntegrationError::Unexpected(error) => ApiError::Unexpected(error),
        }
    }
}
