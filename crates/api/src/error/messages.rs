//! How the messages' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_service::messages::MessageError;

use super::ApiError;

impl From<MessageError> for ApiError {
    fn from(error: MessageError) -> Self {
        match error {
            MessageError::NotFound => ApiError::not_found(),
            MessageError::NotAccepted => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::MessagesNotAccepted,
                ErrorCode::MessagesNotAccepted.message_fr(),
            ),
            MessageError::Invalid(errors) => errors.into(),
            MessageError::Refused(refusal) => refusal.into(),
            MessageError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
