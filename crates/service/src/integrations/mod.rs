//! Integrators (issue 14, docs/integrators.md): API keys, webhooks (events written in the
//! transaction of the change, delivered by a worker), the families' calendar feeds, CSV
//! exports streamed in chunks, and the incremental listing of bookings.

pub mod api_keys;
pub mod billing_exports;
pub mod bookings;
pub mod calendar;
pub mod exports;
pub mod webhooks;

/// The integrations' own errors, for the API to map.
#[derive(Debug, thiserror::Error)]
pub enum IntegrationError {
    #[error("not found")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(portail_domain::parse::FieldErrors),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for IntegrationError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}
