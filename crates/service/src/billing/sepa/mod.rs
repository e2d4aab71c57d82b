//! SEPA direct debit (issue 24, point 4; rules: `portail_domain::rules::billing::sepa`).
//!
//! A family signs a mandate online (or the treasury records a paper one); it may revoke it.
//! The treasury issues a `pain.008.001.02` file for the open invoices of the families with an
//! active mandate: each invoice becomes « prélèvement en cours » (no online payment, not
//! late) until the bank settles the file (a payment is recorded on each invoice) or returns a
//! debit (its R-transaction reason; the invoice is to pay again and the family is e-mailed).
//! An invoice is in one pending debit at most: a partial unique index says so to the database.

use portail_domain::api::MandateResponse;
use portail_domain::rules::billing::sepa::{self as rules, MandateStatus};
use portail_domain::string_enum::stored;
use portail_entity::sepa_mandate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::BillingError;

mod files;
mod mandates;

pub use files::{batch_xml, batches, issue, return_debit, settle};
pub use mandates::{list_mandates, mandate_for_pdf, mine, record_paper, revoke, sign};

/// A mandate as its reader may see it: the whole IBAN for the treasury only.
pub(super) fn response(
    row: &sepa_mandate::Model,
    full_iban: bool,
) -> anyhow::Result<MandateResponse> {
    Ok(MandateResponse {
        id: row.id,
        family_id: row.family_id,
        reference: row.reference.clone(),
        holder: row.holder.clone(),
        iban_masked: rules::masked_iban(&row.iban),
        iban: full_iban.then(|| row.iban.clone()),
        signed_on: row.signed_on,
        signed_online: row.signed_online,
        status: stored("mandate status", &row.status, MandateStatus::parse)?,
        revoked_at: row.revoked_at,
    })
}

pub(super) async fn active_mandate<C: ConnectionTrait>(
    conn: &C,
    family_id: Uuid,
) -> Result<Option<sepa_mandate::Model>, BillingError> {
    Ok(sepa_mandate::Entity::find()
        .filter(sepa_mandate::Column::FamilyId.eq(family_id))
        .filter(sepa_mandate::Column::Status.eq(MandateStatus::Active.as_str()))
        .order_by_desc(sepa_mandate::Column::CreatedAt)
        .one(conn)
        .await?)
}

/// The commune's name and identifier (`None`: direct debit not offered).
pub(super) async fn creditor<C: ConnectionTrait>(
    conn: &C,
) -> anyhow::Result<(String, Option<String>)> {
    let commune = crate::billing::settings::commune_row(conn).await?;
    let id = (!commune.creditor_id.is_empty()).then_some(commune.creditor_id);
    Ok((commune.name, id))
}
