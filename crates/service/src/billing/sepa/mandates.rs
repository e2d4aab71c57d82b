//! Mandates: signed online by the family or recorded from paper, revoked, listed, printed.

use chrono::NaiveDate;
use portail_domain::api::{
    MandateList, MandateRequest, MandateResponse, MyDirectDebit, PaperMandateRequest, mandate_text,
};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::billing::sepa::{self as rules, MandateStatus};
use portail_entity::sepa_mandate;
use sea_orm::{ActiveModelTrait as _, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{active_mandate, creditor, response};
use crate::Context;
use crate::billing::BillingError;
use crate::change::{Audit, Change};

/// « Prélèvement automatique » for the family: offered or not, the text, its active mandate.
pub async fn mine(ctx: &Context, family_id: FamilyId) -> Result<MyDirectDebit, BillingError> {
    let (name, id) = creditor(&ctx.db).await?;
    let creditor_name = format!("la commune {}", portail_domain::format::of_place(&name));
    let mandate = active_mandate(&ctx.db, family_id.uuid())
        .await?
        .map(|m| response(&m, false))
        .transpose()?;
    Ok(MyDirectDebit {
        offered: id.is_some(),
        mandate_text: mandate_text(&creditor_name, id.as_deref().unwrap_or("—")),
        creditor_name,
        creditor_id: id,
        mandate,
    })
}

/// Writes a new active mandate for the family (its previous one is revoked).
async fn write_mandate(
    ctx: &Context,
    family_id: Uuid,
    holder: String,
    iban: String,
    signed_on: NaiveDate,
    recorded_by: Option<StaffId>,
) -> Result<sepa_mandate::Model, BillingError> {
    let now = ctx.clock.now();
    if creditor(&ctx.db).await?.1.is_none() {
        return Err(BillingError::Conflict(
            "La commune ne propose pas le prélèvement automatique : son identifiant créancier SEPA n'est pas réglé.".to_owned(),
        ));
    }
    let txn = crate::db::begin(&ctx.db).await?;
    crate::family::family_row(&txn, FamilyId::from(family_id))
        .await?
        .ok_or(BillingError::NotFound)?;
    sepa_mandate::Entity::update_many()
        .col_expr(
            sepa_mandate::Column::Status,
            sea_orm::sea_query::Expr::value(MandateStatus::Revoked.as_str()),
        )
        .col_expr(
            sepa_mandate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .exec(&txn)
        .await?;
    let signed_that_day = sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::SignedOn.eq(signed_on))
        .all(&txn)
        .await?
        .len();
    let number = u32::try_from(signed_that_day)
        .unwrap_or(0)
        .saturating_add(1);
    let row = sepa_mandate::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        reference: Set(rules::mandate_reference(family_id, signed_on, number)),
        holder: Set(holder),
        iban: Set(iban),
        signed_on: Set(signed_on),
        signed_online: Set(recorded_by.is_none()),
        recorded_by: Set(recorded_by.map(StaffId::uuid)),
        status: Set(MandateStatus::Active.as_str().to_owned()),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    crate::family::touch(&txn, FamilyId::from(family_id), now).await?;
    let audit = recorded_by.map(|staff| {
        Audit::by(staff, action::RECORD_MANDATE)
            .family(family_id)
            .target(row.id)
            .detail(row.reference.clone())
    });
    Change::at(now)
        .audit_if(audit)
        .commit(txn, &ctx.outbox, "a mandate")
        .await?;
    Ok(row)
}

/// The family signs a mandate online (it replaces an active one).
pub async fn sign(
    ctx: &Context,
    family_id: FamilyId,
    request: &MandateRequest,
) -> Result<MandateResponse, BillingError> {
    let (holder, iban) = request.validate()?;
    let row = write_mandate(ctx, family_id.uuid(), holder, iban, ctx.clock.today(), None).await?;
    Ok(response(&row, false)?)
}

/// The treasury records a mandate signed on paper.
pub async fn record_paper(
    ctx: &Context,
    staff_id: StaffId,
    request: &PaperMandateRequest,
) -> Result<MandateResponse, BillingError> {
    let (holder, iban) = request.validate(ctx.clock.today())?;
    let row = write_mandate(
        ctx,
        request.family_id,
        holder,
        iban,
        request.signed_on,
        Some(staff_id),
    )
    .await?;
    Ok(response(&row, true)?)
}

/// The family revokes its mandate: no new debit; those already sent stay.
pub async fn revoke(ctx: &Context, family_id: FamilyId) -> Result<(), BillingError> {
    let done = sepa_mandate::Entity::update_many()
        .col_expr(
            sepa_mandate::Column::Status,
            sea_orm::sea_query::Expr::value(MandateStatus::Revoked.as_str()),
        )
        .col_expr(
            sepa_mandate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(ctx.clock.now())),
        )
        .filter(sepa_mandate::Column::FamilyId.eq(family_id.uuid()))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .exec(&ctx.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(BillingError::NotFound);
    }
    Ok(())
}

/// The family's active mandate with its whole IBAN (for its PDF), and the creditor's id.
pub async fn mandate_for_pdf(
    ctx: &Context,
    family_id: FamilyId,
) -> Result<(MandateResponse, String, String), BillingError> {
    let row = active_mandate(&ctx.db, family_id.uuid())
        .await?
        .ok_or(BillingError::NotFound)?;
    let id = creditor(&ctx.db).await?.1.unwrap_or_default();
    Ok((response(&row, false)?, row.iban, id))
}

/// Every mandate, the latest first (the treasury: whole IBANs).
pub async fn list_mandates(ctx: &Context) -> Result<MandateList, BillingError> {
    let rows = sepa_mandate::Entity::find()
        .order_by_desc(sepa_mandate::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    Ok(MandateList {
        items: rows
            .iter()
            .map(|r| response(r, true))
            .collect::<anyhow::Result<_>>()?,
    })
}
