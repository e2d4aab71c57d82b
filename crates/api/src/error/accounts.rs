//! How the accounts use-cases' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_domain::api::FieldError;
use portail_service::accounts::sessions::RefreshError;
use portail_service::accounts::staff::DeactivateError;

use portail_service::accounts::password::ChangePasswordError;
use portail_service::accounts::password::ResetPasswordError;
use portail_service::accounts::register::RegisterError;
use portail_service::accounts::staff::CreateStaffError;
use portail_service::accounts::verification::TokenError;
use portail_service::family::account::ChangeEmailError;
use portail_service::family::account::ConfirmEmailChangeError;

use super::ApiError;

impl ApiError {
    /// An e-mailed link that is unknown, used or expired: 404, as the thing it named is gone (a
    /// well-formed request, so not a 400).
    pub fn invalid_token() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::InvalidToken,
            ErrorCode::InvalidToken.message_fr(),
        )
    }
}

impl From<RefreshError> for ApiError {
    fn from(error: RefreshError) -> Self {
        match error {
            RefreshError::Invalid => ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Votre session a expiré ou a été fermée. Reconnectez-vous.",
            ),
            RefreshError::Conflict => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::RefreshConflict,
                ErrorCode::RefreshConflict.message_fr(),
            ),
            RefreshError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl ApiError {
    pub fn locked(retry_after: chrono::Duration) -> Self {
        let seconds = u64::try_from(retry_after.num_seconds().max(1)).unwrap_or(1);
        let minutes = seconds.div_ceil(60);
        let wait = if seconds < 60 {
            portail_domain::format::count(seconds, "seconde", "secondes")
        } else {
            portail_domain::format::count(minutes, "minute", "minutes")
        };
        let detail =
            format!("Trop de tentatives de connexion pour cette adresse. Réessayez dans {wait}.");
        ApiError::Known {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: ErrorCode::RateLimited,
            detail,
            errors: Vec::new(),
            retry_after_secs: Some(seconds),
        }
    }
}

impl From<DeactivateError> for ApiError {
    fn from(error: DeactivateError) -> Self {
        match error {
            DeactivateError::NotFound => ApiError::not_found(),
            DeactivateError::LastAdministrator => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::LastAdministrator,
                ErrorCode::LastAdministrator.message_fr(),
            ),
            DeactivateError::Yourself => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.",
            ),
            // The acting administrator always takes the webhooks over: these cannot happen here.
            DeactivateError::WebhooksNeedAnOwner(_) | DeactivateError::NewOwnerNotAdmin => {
                ApiError::Unexpected(anyhow::anyhow!("{error}"))
            }
            DeactivateError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<ResetPasswordError> for ApiError {
    fn from(e: ResetPasswordError) -> Self {
        match e {
            ResetPasswordError::InvalidOrExpired => ApiError::invalid_token(),
            ResetPasswordError::Invalid(errors) => errors.into(),
            ResetPasswordError::Password(e) => e.into(),
            ResetPasswordError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::Password(e) => ApiError::from(e),
            RegisterError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::InvalidOrExpired => ApiError::invalid_token(),
            TokenError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<ChangePasswordError> for ApiError {
    fn from(e: ChangePasswordError) -> Self {
        match e {
            ChangePasswordError::WrongCurrentPassword => ApiError::Known {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: ErrorCode::ValidationFailed,
                detail: ErrorCode::ValidationFailed.message_fr().to_owned(),
                errors: vec![FieldError {
                    field: "current_password".to_owned(),
                    code: "wrong_password".to_owned(),
                    message: "Le mot de passe actuel n'est pas le bon.".to_owned(),
                }],
                retry_after_secs: None,
            },
            ChangePasswordError::Locked { retry_after } => ApiError::locked(retry_after),
            ChangePasswordError::Invalid(errors) => errors.into(),
            ChangePasswordError::Password(e) => e.into(),
            ChangePasswordError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<ChangeEmailError> for ApiError {
    fn from(e: ChangeEmailError) -> Self {
        match e {
            ChangeEmailError::Invalid(errors) => errors.into(),
            ChangeEmailError::Locked { retry_after } => ApiError::locked(retry_after),
            ChangeEmailError::Password(e) => e.into(),
            ChangeEmailError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<ConfirmEmailChangeError> for ApiError {
    fn from(e: ConfirmEmailChangeError) -> Self {
        match e {
            ConfirmEmailChangeError::InvalidOrExpired => ApiError::invalid_token(),
            ConfirmEmailChangeError::Taken => ApiError::new(
                StatusCode::CONFLICT,
                portail_domain::ErrorCode::Conflict,
                "Un autre compte utilise déjà cette adresse e-mail.",
            ),
            ConfirmEmailChangeError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<CreateStaffError> for ApiError {
    fn from(e: CreateStaffError) -> Self {
        match e {
            CreateStaffError::EmailTaken => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Un compte du personnel utilise déjà cette adresse e-mail.",
            ),
            CreateStaffError::Password(e) => e.into(),
            CreateStaffError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
