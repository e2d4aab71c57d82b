use anyhow::Context as _;
use portail_domain::api::{
    BookingBatchRequest, BookingBatchResponse, BookingLine, StaffBookingRequest,
};
use portail_domain::ids::{FamilyId, UnitId};
use portail_entity::family;
use sea_orm::EntityTrait;

use super::{Actor, StaffError};
use crate::Context;
use crate::planning::submit::{self, SubmitError};

#[derive(Debug, thiserror::Error)]
pub enum StaffBookingError {
    #[error(transparent)]
    Staff(#[from] StaffError),
    #[error(transparent)]
    Submit(#[from] SubmitError),
}

/// Books or cancels one line for a family, without window, cut-off or weekday rule; `force`
/// books past the capacity. Authorised by the stored unit's service; audited by the booking
/// writer in the transaction that commits the line.
pub async fn book_for_family(
    ctx: &Context,
    actor: &Actor,
    family_id: FamilyId,
    request: &StaffBookingRequest,
) -> Result<BookingBatchResponse, StaffBookingError> {
    super::units::require_unit(ctx, actor, UnitId::from(request.unit_id)).await?;
    family::Entity::find_by_id(family_id)
        .one(&ctx.db)
        .await
        .context("Failed to read a family")
        .map_err(StaffError::from)?
        .ok_or(StaffError::NotFound)?;
    let recap = BookingBatchRequest {
        lines: vec![BookingLine {
            child_id: request.child_id,
            unit_id: request.unit_id,
            date: request.date,
            action: request.action,
        }],
    };
    Ok(submit::submit(
        ctx,
        family_id,
        &recap,
        None,
        Some(crate::planning::writer::ActingStaff {
            staff_id: actor.staff_id,
            force: request.force,
        }),
    )
    .await?)
}
