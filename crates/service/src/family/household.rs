//! « Mon foyer »: household facts, the second legal guardian, and the people to call or who may
//! pick the children up.

use anyhow::Context as _;
use portail_domain::api::{ContactPerson, Household, SecondGuardian};
use portail_domain::dossier::{AllocationRegime, FamilySituation, InvoicePayer};
use portail_domain::ids::FamilyId;
use portail_domain::parse::Civility;
use portail_entity::{contact_person, guardian, household};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::Context;

pub async fn get<C: ConnectionTrait>(conn: &C, family_id: FamilyId) -> anyhow::Result<Household> {
    let row = household::Entity::find_by_id(family_id)
        .one(conn)
        .await
        .context("Failed to read a household")?;
    let second = guardian::Entity::find()
        .filter(guardian::Column::FamilyId.eq(family_id))
        .filter(guardian::Column::Rank.eq(2))
        .one(conn)
        .await
        .context("Failed to read the second guardian")?;
    let contacts = contact_person::Entity::find()
        .filter(contact_person::Column::FamilyId.eq(family_id))
        .order_by_asc(contact_person::Column::Position)
        .all(conn)
        .await
        .context("Failed to read the contacts")?;
    let mut household = match row {
        Some(row) => Household {
            family_situation: row
                .family_situation
                .as_deref()
                .and_then(FamilySituation::parse),
            dependent_children: row.dependent_children.and_then(|n| u8::try_from(n).ok()),
            allocation_regime: row
                .allocation_regime
                .as_deref()
                .and_then(AllocationRegime::parse),
            beneficiary_number: row.beneficiary_number,
            family_quotient: row.family_quotient.and_then(|n| u32::try_from(n).ok()),
            family_quotient_year: row.family_quotient_year,
            insurance_company: row.insurance_company,
            insurance_policy_number: row.insurance_policy_number,
            invoice_payer: row.invoice_payer.as_deref().and_then(InvoicePayer::parse),
            ..Household::default()
        },
        None => Household::default(),
    };
    household.second_guardian = second.map(|g| SecondGuardian {
        civility: Civility::parse(&g.civility).ok(),
        last_name: g.last_name,
        first_name: g.first_name,
        birth_date: g.birth_date,
        mobile_phone: g.mobile_phone.unwrap_or_default(),
        email: g.email.unwrap_or_default(),
        address: g.address_line1,
        profession: g.profession.unwrap_or_default(),
        employer: g.employer.unwrap_or_default(),
        work_phone: g.work_phone.unwrap_or_default(),
    });
    household.contacts = contacts
        .into_iter()
        .map(|c| ContactPerson {
            id: Some(c.id),
            last_name: c.last_name,
            first_name: c.first_name,
            phone: c.phone,
            relationship: c.relationship,
            emergency_contact: c.emergency_contact,
            can_pick_up: c.can_pick_up,
        })
        .collect();
    Ok(household)
}

/// Saves a validated household (`Household::validate`). Contacts keep their ids when given
/// back; a contact left out is removed.
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn update(
    ctx: &Context,
    family_id: FamilyId,
    new: &Household,
) -> anyhow::Result<Household> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let exists = household::Entity::find_by_id(family_id)
        .one(&txn)
        .await?
        .is_some();
    let row = household::ActiveModel {
        family_id: Set(family_id.uuid()),
        family_situation: Set(new.family_situation.map(|s| s.as_str().to_owned())),
        dependent_children: Set(new.dependent_children.map(i16::from)),
        allocation_regime: Set(new.allocation_regime.map(|r| r.as_str().to_owned())),
        beneficiary_number: Set(new.beneficiary_number.clone()),
        family_quotient: Set(new.family_quotient.and_then(|q| i32::try_from(q).ok())),
        family_quotient_year: Set(new.family_quotient_year),
        insurance_company: Set(new.insurance_company.clone()),
        insurance_policy_number: Set(new.insurance_policy_number.clone()),
        invoice_payer: Set(new.invoice_payer.map(|p| p.as_str().to_owned())),
        updated_at: Set(now),
        // Staff's fields (resources, AEEH) are not the family's to change.
        ..Default::default()
    };
    if exists {
        row.update(&txn).await
    } else {
        row.insert(&txn).await
    }
    .context("Failed to save a household")?;

    guardian::Entity::delete_many()
        .filter(guardian::Column::FamilyId.eq(family_id))
        .filter(guardian::Column::Rank.eq(2))
        .exec(&txn)
        .await
        .context("Failed to replace the second guardian")?;
    if let Some(second) = &new.second_guardian {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        guardian::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id.uuid()),
            rank: Set(2),
            civility: Set(second
                .civility
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default()),
            last_name: Set(second.last_name.clone()),
            first_name: Set(second.first_name.clone()),
            birth_date: Set(second.birth_date),
            address_line1: Set(second.address.clone()),
            address_line2: Set(None),
            postal_code: Set(String::new()),
            city: Set(String::new()),
            mobile_phone: Set(text(&second.mobile_phone)),
            home_phone: Set(None),
            email: Set(text(&second.email)),
            profession: Set(text(&second.profession)),
            employer: Set(text(&second.employer)),
            work_phone: Set(text(&second.work_phone)),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .context("Failed to save the second guardian")?;
    }

    let existing: Vec<Uuid> = contact_person::Entity::find()
        .filter(contact_person::Column::FamilyId.eq(family_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let kept: Vec<Uuid> = new
        .contacts
        .iter()
        .filter_map(|c| c.id)
        .filter(|id| existing.contains(id))
        .collect();
    contact_person::Entity::delete_many()
        .filter(contact_person::Column::FamilyId.eq(family_id))
        .filter(contact_person::Column::Id.is_not_in(kept.clone()))
        .exec(&txn)
        .await
        .context("Failed to remove contacts")?;
    for (position, contact) in new.contacts.iter().enumerate() {
        let keep = contact.id.filter(|id| kept.contains(id));
        let row = contact_person::ActiveModel {
            id: Set(keep.unwrap_or_else(Uuid::now_v7)),
            family_id: Set(family_id.uuid()),
            last_name: Set(contact.last_name.clone()),
            first_name: Set(contact.first_name.clone()),
            phone: Set(contact.phone.clone()),
            relationship: Set(contact.relationship.clone()),
            emergency_contact: Set(contact.emergency_contact),
            can_pick_up: Set(contact.can_pick_up),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        };
        if keep.is_some() {
            row.update(&txn).await.map(|_| ())
        } else {
            row.insert(&txn).await.map(|_| ())
        }
        .context("Failed to save a contact")?;
    }
    super::touch(&txn, family_id, now).await?;
    let saved = get(&txn, family_id).await?;
    txn.commit().await.context("Failed to commit a household")?;
    Ok(saved)
}
