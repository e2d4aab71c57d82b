//! How the planning use-cases' errors are told to the caller (problem+json).

use actix_web::http::StatusCode;
use portail_domain::ErrorCode;
use portail_domain::api::FieldError;
use portail_service::planning::staff::StaffError;
use portail_service::planning::submit::{self, SubmitError};
use portail_service::planning::waiting::WaitingError;

use portail_service::planning::grid::GridError;
use portail_service::planning::pattern::PatternError;
use portail_service::planning::staff::StaffBookingError;

use super::ApiError;

impl From<StaffError> for ApiError {
    fn from(error: StaffError) -> Self {
        match error {
            StaffError::NotFound => ApiError::not_found(),
            StaffError::OutOfScope => ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Forbidden,
                "Ce service ne vous est pas confié.",
            ),
            StaffError::ServiceChange => ApiError::validation(vec![FieldError {
                field: "service".to_owned(),
                code: "immutable".to_owned(),
                message: "Une période ou une prestation reste dans son service : créez-en une nouvelle dans l'autre service.".to_owned(),
            }]),
            StaffError::BelowTaken { taken } => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                format!(
                    "{} {} déjà {} ce jour-là (hors places forcées) : la capacité ne peut pas descendre en dessous.",
                    portail_domain::format::count(taken, "place", "places"),
                    portail_domain::format::agree(taken, "est", "sont"),
                    portail_domain::format::agree(taken, "prise", "prises")
                ),
            ),
            StaffError::Future => ApiError::validation(vec![FieldError {
                field: "date".to_owned(),
                code: "out_of_range".to_owned(),
                message: "On ne note la présence que d'un jour passé ou d'aujourd'hui.".to_owned(),
            }]),
            StaffError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<WaitingError> for ApiError {
    fn from(error: WaitingError) -> Self {
        let field = |name: &str, message: &str| {
            ApiError::from(portail_domain::parse::FieldErrors::one(
                name,
                portail_domain::parse::InvalidValue::new("invalid_value", message),
            ))
        };
        match error {
            WaitingError::UnknownChild => {
                field("child_id", "Cet enfant n'est pas dans votre dossier.")
            }
            WaitingError::UnknownUnit => field("unit_id", "Cette prestation n'existe pas."),
            WaitingError::Refused(message) => ApiError::new(
                actix_web::http::StatusCode::CONFLICT,
                portail_domain::ErrorCode::Conflict,
                message,
            ),
            WaitingError::NotWaiting => ApiError::not_found(),
            WaitingError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<SubmitError> for ApiError {
    fn from(error: SubmitError) -> Self {
        match error {
            SubmitError::BadSize => ApiError::validation(vec![FieldError {
                field: "lines".to_owned(),
                code: "invalid_size".to_owned(),
                message: format!(
                    "Le récapitulatif doit compter entre 1 et {} lignes.",
                    submit::MAX_LINES
                ),
            }]),
            SubmitError::BadKey => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidParameter,
                "L'en-tête Idempotency-Key est obligatoire (100 caractères visibles au plus).",
            ),
            SubmitError::InProgress => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::IdempotencyInProgress,
                ErrorCode::IdempotencyInProgress.message_fr(),
            ),
            SubmitError::KeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::IdempotencyKeyReused,
                ErrorCode::IdempotencyKeyReused.message_fr(),
            ),
            SubmitError::ShuttingDown => ApiError::busy(),
            SubmitError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<PatternError> for ApiError {
    fn from(error: PatternError) -> Self {
        match error {
            PatternError::Invalid(errors) => errors.into(),
            PatternError::UnknownChild => ApiError::not_found(),
            PatternError::Submit(e) => e.into(),
            PatternError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<GridError> for ApiError {
    fn from(e: GridError) -> Self {
        match e {
            GridError::UnknownChild | GridError::UnknownService => ApiError::not_found(),
            GridError::BadMonth => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidParameter,
                "Le mois doit s'écrire AAAA-MM (par exemple 2027-07).",
            ),
            GridError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<StaffBookingError> for ApiError {
    fn from(e: StaffBookingError) -> Self {
        match e {
            StaffBookingError::Staff(e) => ApiError::from(e),
            StaffBookingError::Submit(e) => ApiError::from(e),
        }
    }
}
