//! The commune's billing settings (administrators) and a household's resources for the
//! crèche (the crèche's agents).

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{BillingSettings, HouseholdResourcesRequest};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_entity::{commune, household};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::BillingError;
use crate::Context;
use crate::change::{Audit, Change};
use crate::planning::staff::Actor;

/// The commune's row, read for its billing settings.
pub async fn commune_row(db: &impl ConnectionTrait) -> anyhow::Result<commune::Model> {
    commune::Entity::find_by_id(1)
        .one(db)
        .await
        .context("Failed to read the commune")?
        .context("the commune is not set up")
}

pub fn settings_of(row: &commune::Model) -> BillingSettings {
    BillingSettings {
        postal_codes: row
            .postal_codes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        address: row.address.clone(),
        invoice_due_day: u32::try_from(row.invoice_due_day).unwrap_or(15),
        blocking_threshold_cents: row.blocking_threshold_cents,
        siret: row.siret.clone(),
        iban: row.iban.clone(),
        bic: row.bic.clone(),
        creditor_id: row.creditor_id.clone(),
        contact: row.billing_contact.clone(),
    }
}

pub async fn settings(ctx: &Context) -> anyhow::Result<BillingSettings> {
    Ok(settings_of(&commune_row(&ctx.db).await?))
}

/// Saves the settings (already validated).
pub async fn set_settings(
    ctx: &Context,
    staff_id: StaffId,
    new: &BillingSettings,
) -> anyhow::Result<BillingSettings> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    let new = &new.normalized();
    let mut row: commune::ActiveModel = commune_row(&txn).await?.into();
    row.postal_codes = Set(new.postal_codes.join(","));
    row.address = Set(new.address.trim().to_owned());
    row.invoice_due_day = Set(i32::try_from(new.invoice_due_day).unwrap_or(15));
    row.blocking_threshold_cents = Set(new.blocking_threshold_cents);
    row.siret = Set(new.siret.clone());
    row.iban = Set(new.iban.clone());
    row.bic = Set(new.bic.clone());
    row.creditor_id = Set(new.creditor_id.clone());
    row.billing_contact = Set(new.contact.clone());
    row.updated_at = Set(now);
    let saved = row
        .update(&txn)
        .await
        .context("Failed to save the billing settings")?;
    Change::at(now)
        .audit(Audit::by(staff_id, action::SET_BILLING_SETTINGS))
        .commit(txn, &ctx.outbox, "the billing settings")
        .await?;
    // The blocking threshold is read by the booking rules from the catalog.
    ctx.planning.catalog.invalidate().await;
    Ok(settings_of(&saved))
}

fn resources_of(row: Option<&household::Model>) -> HouseholdResourcesRequest {
    HouseholdResourcesRequest {
        resources_cents: row.and_then(|h| h.resources_cents),
        resources_year: row.and_then(|h| h.resources_year),
        aeeh: row.is_some_and(|h| h.aeeh),
    }
}

/// A household's resources, for the crèche's agents (and administrators).
pub async fn resources(
    ctx: &Context,
    actor: &Actor,
    family_id: FamilyId,
) -> Result<HouseholdResourcesRequest, BillingError> {
    require_creche(actor)?;
    crate::family::family_row(&ctx.db, family_id)
        .await?
        .ok_or(BillingError::NotFound)?;
    let row = household::Entity::find_by_id(family_id)
        .one(&ctx.db)
        .await?;
    Ok(resources_of(row.as_ref()))
}

fn require_creche(actor: &Actor) -> Result<(), BillingError> {
    if actor.scope.allows(ServiceCode::Creche) {
        Ok(())
    } else {
        Err(BillingError::OutOfScope)
    }
}

/// Sets a household's resources (already validated); a family without « Mon foyer » yet gets
/// it with these fields only.
pub async fn set_resources(
    ctx: &Context,
    actor: &Actor,
    family_id: FamilyId,
    new: &HouseholdResourcesRequest,
) -> Result<HouseholdResourcesRequest, BillingError> {
    require_creche(actor)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    crate::family::family_row(&txn, family_id)
        .await?
        .ok_or(BillingError::NotFound)?;
    let existing = household::Entity::find_by_id(family_id).one(&txn).await?;
    let saved = match existing {
        Some(row) => {
            let mut row: household::ActiveModel = row.into();
            row.resources_cents = Set(new.resources_cents);
            row.resources_year = Set(new.resources_year);
            row.aeeh = Set(new.aeeh);
            row.update(&txn).await?
        }
        None => {
            household::ActiveModel {
                family_id: Set(family_id.uuid()),
                family_situation: Set(None),
                dependent_children: Set(None),
                allocation_regime: Set(None),
                beneficiary_number: Set(String::new()),
                family_quotient: Set(None),
                family_quotient_year: Set(None),
                insurance_company: Set(String::new()),
                insurance_policy_number: Set(String::new()),
                invoice_payer: Set(None),
                updated_at: Set(now),
                resources_cents: Set(new.resources_cents),
                resources_year: Set(new.resources_year),
                aeeh: Set(new.aeeh),
            }
            .insert(&txn)
            .await?
        }
    };
    Change::at(now)
        .audit(Audit::by(actor.staff_id, action::SET_HOUSEHOLD_RESOURCES).family(family_id))
        .commit(txn, &ctx.outbox, "a household's resources")
        .await?;
    Ok(resources_of(Some(&saved)))
}
