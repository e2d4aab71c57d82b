//! The family account as « Mon compte » shows it.

use anyhow::Context as _;
use portail_domain::api::{AccountResponse, DossierStatus};
use portail_domain::ids::FamilyId;
use portail_domain::parse::Civility;
use portail_entity::{family, family_account, guardian};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

pub async fn get<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> anyhow::Result<Option<AccountResponse>> {
    let Some(account) = family_account::Entity::find_by_id(account_id)
        .one(db)
        .await
        .context("Failed to read a family account")?
    else {
        return Ok(None);
    };
    of_family(db, FamilyId::from(account.family_id)).await
}

/// The family's account as « Mon compte » shows it: the holder, the dossier's status, and the
/// address of its account — empty for a family created at the counter without one.
pub async fn of_family<C: ConnectionTrait>(
    db: &C,
    family_id: FamilyId,
) -> anyhow::Result<Option<AccountResponse>> {
    let Some(family) = family::Entity::find_by_id(family_id)
        .one(db)
        .await
        .context("Failed to read a family")?
    else {
        return Ok(None);
    };
    let email = family_account::Entity::find()
        .filter(family_account::Column::FamilyId.eq(family_id))
        .one(db)
        .await
        .context("Failed to read a family account")?
        .map(|a| a.email)
        .unwrap_or_default();
    let holder = guardian::Entity::find()
        .filter(guardian::Column::FamilyId.eq(family_id))
        .filter(guardian::Column::Rank.eq(1))
        .one(db)
        .await
        .context("Failed to read the account holder")?
        .context("a family without its account holder")?;
    Ok(Some(AccountResponse {
        family_id: family_id.uuid(),
        email,
        civility: portail_domain::string_enum::stored("civility", &holder.civility, |raw| {
            Civility::parse(raw).ok()
        })?,
        first_name: holder.first_name,
        last_name: holder.last_name,
        birth_date: holder.birth_date.unwrap_or_default(),
        address_line1: holder.address_line1,
        address_line2: holder.address_line2,
        postal_code: holder.postal_code,
        city: holder.city,
        mobile_phone: holder.mobile_phone,
        home_phone: holder.home_phone,
        profession: holder.profession,
        employer: holder.employer,
        work_phone: holder.work_phone,
        dossier_status: portail_domain::string_enum::stored(
            "dossier status",
            &family.dossier_status,
            DossierStatus::parse,
        )?,
    }))
}
