//! Billing's use-cases (issue « Mes factures », docs/billing.md): tariffs and the crèche's
//! PSU parameters, the commune's billing settings and the households' resources, the monthly
//! invoice run, invoices and credit notes with their PDF, payments, balances, the outstanding
//! list, and online payment through a provider (PayFiP, or the fake one of the demo).
//!
//! Who may do what: an agent prices and bills only the services they hold (tariffs, runs,
//! invoices with a line of those services); payments, balances and the outstanding list are
//! the treasury's, for administrators. A family reads only its own invoices and payments.

pub mod certificates;
pub mod estimate;
pub mod invoices;
pub mod ledger;
pub mod online;
pub mod payfip;
pub mod payments;
pub mod pdf;
pub mod provider;
mod psu;
pub mod run;
pub mod sepa;
pub mod settings;
pub(crate) mod tariff_rows;
pub mod tariffs;

pub use psu::{psu_parameters, set_psu_parameters};

use portail_domain::ids::FamilyId;
use portail_domain::parse::FieldErrors;

pub(crate) use crate::db::by_chunks;

/// Whether a family exists (for the treasury's routes).
pub async fn family_exists(ctx: &crate::Context, family_id: uuid::Uuid) -> anyhow::Result<bool> {
    Ok(
        crate::family::family_row(&ctx.db, FamilyId::from(family_id))
            .await?
            .is_some(),
    )
}

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("no such resource")]
    NotFound,
    #[error("this service is not given to this staff member")]
    OutOfScope,
    /// Staff must fix something first (a missing tariff…): said in French.
    #[error("billing cannot proceed: {0:?}")]
    Incomplete(Vec<String>),
    /// The month has not ended and the caller did not confirm: the warning, in French.
    #[error("the month has not ended")]
    MonthNotEnded(String),
    /// A fiscal certificate asked for a year that has not ended: why, in French.
    #[error("the year has not ended")]
    YearNotEnded(String),
    /// The request conflicts with what is stored: said in French.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for BillingError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

impl From<crate::planning::staff::StaffError> for BillingError {
    fn from(error: crate::planning::staff::StaffError) -> Self {
        use crate::planning::staff::StaffError;
        match error {
            StaffError::NotFound => Self::NotFound,
            StaffError::OutOfScope => Self::OutOfScope,
            StaffError::Unexpected(e) => Self::Unexpected(e),
            other => Self::Unexpected(anyhow::anyhow!(other.to_string())),
        }
    }
}

impl From<FieldErrors> for BillingError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
