//! The staff's side of the planning: services' rules, periods, units and capacities; the
//! attendance sheet; the request queue; bookings made for a family.
//!
//! Every use-case here takes an [`Actor`]: who acts and which services they manage. The
//! check is made against the **stored** row (the unit, the period, the booking the id names),
//! inside the use-case, so a route cannot forget it and a request body cannot redirect it.

mod attendance;
mod bookings;
mod periods;
mod requests;
mod rules;
pub(crate) mod units;

pub use attendance::{attendance, attendance_csv, mark};
pub use bookings::{StaffBookingError, book_for_family};
pub use periods::{list_periods, save_period};
pub use requests::{decide, requests};
pub use rules::{rules, set_rules};
pub use units::{list_units, save_unit, set_capacity};

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::auth::ServiceScope;
use portail_domain::ids::StaffId;
use portail_entity::service;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// A staff member acting on the planning, with the services they manage.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: StaffId,
    pub scope: ServiceScope,
}

impl Actor {
    /// `Err(OutOfScope)` unless the actor manages `service`.
    pub fn require(&self, service: ServiceCode) -> Result<(), StaffError> {
        if self.scope.allows(service) {
            Ok(())
        } else {
            tracing::info!(staff.id = %self.staff_id, service = service.as_str(), "a staff member acted on a service not given to them");
            Err(StaffError::OutOfScope)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no such resource")]
    NotFound,
    #[error("this service is not given to this staff member")]
    OutOfScope,
    #[error("a period or a unit stays in its service")]
    ServiceChange,
    #[error("already taken: {taken}")]
    BelowTaken { taken: u32 },
    #[error("this day is still to come")]
    Future,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for StaffError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

/// An existing period or unit (its stored `service_id`): the actor must manage that service,
/// and the row stays in it (its slots and bookings belong there).
async fn require_stored<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    stored_service_id: Option<Uuid>,
    requested: ServiceCode,
) -> Result<(), StaffError> {
    let stored = service_code(conn, stored_service_id.ok_or(StaffError::NotFound)?).await?;
    actor.require(stored)?;
    if stored == requested {
        Ok(())
    } else {
        Err(StaffError::ServiceChange)
    }
}

/// A period's or unit's name as stored: the domain's checked, space-collapsed form (the
/// request was checked by `rules::planning::setup` already).
fn name_of(raw: &str) -> anyhow::Result<String> {
    portail_domain::parse::required_text(raw, portail_domain::rules::planning::setup::MAX_NAME_LEN)
        .map_err(|e| anyhow::anyhow!("an unchecked name reached the service: {}", e.message))
}

impl crate::db::Transient for StaffError {
    fn is_transient(&self) -> bool {
        matches!(self, Self::Unexpected(e) if e.is_transient())
    }
}

/// The stored id of a service.
pub async fn service_id_of<C: ConnectionTrait>(
    conn: &C,
    code: ServiceCode,
) -> anyhow::Result<Uuid> {
    service_id(conn, code).await
}

async fn service_id<C: ConnectionTrait>(conn: &C, code: ServiceCode) -> anyhow::Result<Uuid> {
    service::Entity::find()
        .filter(service::Column::Code.eq(code.as_str()))
        .one(conn)
        .await
        .context("Failed to read a service")?
        .map(|s| s.id)
        .with_context(|| format!("the service {} is not installed", code.as_str()))
}

async fn service_code<C: ConnectionTrait>(conn: &C, id: Uuid) -> anyhow::Result<ServiceCode> {
    let row = service::Entity::find_by_id(id)
        .one(conn)
        .await
        .context("Failed to read a service")?
        .context("a row's service")?;
    ServiceCode::parse(&row.code).with_context(|| format!("unknown service code {}", row.code))
}
