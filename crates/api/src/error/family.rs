//! How the family use-cases' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_domain::api::FieldError;
use portail_service::assisted::AssistedError;
use portail_service::family::children::ChildError;
use portail_service::family::dossier::DossierError;
use portail_service::family::inspect::Refusal;

use portail_service::family::documents::ReviewError;
use portail_service::retention::EraseError;

use super::ApiError;

impl From<AssistedError> for ApiError {
    fn from(error: AssistedError) -> Self {
        match error {
            AssistedError::Invalid(errors) => errors.into(),
            AssistedError::EmailTaken => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Un compte existe déjà avec cette adresse : la famille se connecte avec elle (ou «\u{a0}Mot de passe oublié\u{a0}»).",
            ),
            AssistedError::NotFound => ApiError::not_found(),
            AssistedError::HasAccount => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "Cette famille a déjà une adresse : elle la change elle-même dans «\u{a0}Mon compte\u{a0}».",
            ),
            AssistedError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Cette famille ne concerne pas vos services : un administrateur, ou un agent d'un service où elle réserve, peut agir pour elle.",
            ),
            AssistedError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<ChildError> for ApiError {
    fn from(error: ChildError) -> Self {
        match error {
            ChildError::Invalid(errors) => errors.into(),
            ChildError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<DossierError> for ApiError {
    fn from(error: DossierError) -> Self {
        match error {
            DossierError::Incomplete(missing) => ApiError::Known {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: ErrorCode::DossierIncomplete,
                detail: ErrorCode::DossierIncomplete.message_fr().to_owned(),
                errors: missing
                    .into_iter()
                    .map(|m| FieldError {
                        field: m.section.path().trim_start_matches('/').to_owned(),
                        code: "missing".to_owned(),
                        message: m.label,
                    })
                    .collect(),
                retry_after_secs: None,
            },
            DossierError::Refused(refused) => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::InvalidTransition,
                refused.message_fr(),
            ),
            DossierError::NotFound => ApiError::not_found(),
            DossierError::Message(refused) => {
                portail_domain::parse::FieldErrors::one("message", refused).into()
            }
            DossierError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        let status = if refusal == Refusal::TooLarge {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let field = if refusal == Refusal::InvalidFilename {
            "filename"
        } else {
            "file"
        };
        ApiError::Known {
            status,
            code: if refusal == Refusal::TooLarge {
                ErrorCode::PayloadTooLarge
            } else {
                ErrorCode::ValidationFailed
            },
            detail: refusal.to_string(),
            errors: vec![FieldError {
                field: field.to_owned(),
                code: refusal.code().to_owned(),
                message: refusal.to_string(),
            }],
            retry_after_secs: None,
        }
    }
}

impl From<ReviewError> for ApiError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::NotFound => ApiError::not_found(),
            ReviewError::Reason(refused) => {
                portail_domain::parse::FieldErrors::one("reason", refused).into()
            }
            ReviewError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<EraseError> for ApiError {
    fn from(error: EraseError) -> Self {
        match error {
            EraseError::NotFound => ApiError::not_found(),
            EraseError::Blocked(blockers) => ApiError::new(
                actix_web::http::StatusCode::CONFLICT,
                portail_domain::ErrorCode::Conflict,
                format!(
                    "Les données de cette famille ne peuvent pas encore être supprimées : {}.",
                    blockers
                        .iter()
                        .map(|b| b.label_fr())
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ),
            ),
            EraseError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}
