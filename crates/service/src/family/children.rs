//! « Mes enfants ».

use anyhow::Context as _;
use portail_domain::api::{ChildRequest, ChildResponse};
use portail_domain::dossier::{Diet, Sex};
use portail_domain::ids::{ChildId, FamilyId};
use portail_domain::parse::{FieldErrors, InvalidValue};
use portail_entity::{child, child_pickup, contact_person};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::Context;

#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    #[error("invalid child")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn response(row: child::Model, pickup_contact_ids: Vec<Uuid>) -> ChildResponse {
    ChildResponse {
        id: row.id,
        details: ChildRequest {
            last_name: row.last_name,
            first_name: row.first_name,
            sex: row.sex.as_deref().and_then(Sex::parse),
            birth_date: row.birth_date,
            school: row.school,
            class_level: row.class_level,
            doctor_name: row.doctor_name,
            doctor_phone: row.doctor_phone,
            allergies: row.allergies,
            has_pai: row.has_pai,
            vaccinations_up_to_date: row.vaccinations_up_to_date,
            last_dtp_date: row.last_dtp_date,
            diet: row.diet.as_deref().and_then(Diet::parse),
            photo_consent: row.photo_consent,
            emergency_care_consent: row.emergency_care_consent,
            may_leave_alone: row.may_leave_alone,
            outings_consent: row.outings_consent,
            pickup_contact_ids,
        },
        medical_redacted: false,
    }
}

/// Hides what only services caring for children on site may read.
pub fn redact_medical(mut child: ChildResponse) -> ChildResponse {
    let d = &mut child.details;
    d.doctor_name.clear();
    d.doctor_phone.clear();
    d.allergies.clear();
    d.has_pai = None;
    d.vaccinations_up_to_date = None;
    d.last_dtp_date = None;
    child.medical_redacted = true;
    child
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
) -> anyhow::Result<Vec<ChildResponse>> {
    let rows = child::Entity::find()
        .filter(child::Column::FamilyId.eq(family_id))
        .order_by_asc(child::Column::BirthDate)
        .order_by_asc(child::Column::CreatedAt)
        .all(conn)
        .await
        .context("Failed to list children")?;
    let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
    let pickups = child_pickup::Entity::find()
        .filter(child_pickup::Column::ChildId.is_in(ids))
        .all(conn)
        .await
        .context("Failed to read pick-up persons")?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let ids = pickups
                .iter()
                .filter(|p| p.child_id == row.id)
                .map(|p| p.contact_id)
                .collect();
            response(row, ids)
        })
        .collect())
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    child_id: ChildId,
) -> anyhow::Result<Option<ChildResponse>> {
    Ok(list(conn, family_id)
        .await?
        .into_iter()
        .find(|c| c.id == child_id))
}

/// The pick-up persons must be this family's contacts allowed to pick children up.
async fn check_pickups<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    ids: &[Uuid],
) -> Result<(), ChildError> {
    let allowed: Vec<Uuid> = contact_person::Entity::find()
        .filter(contact_person::Column::FamilyId.eq(family_id))
        .filter(contact_person::Column::CanPickUp.eq(true))
        .all(conn)
        .await
        .context("Failed to read contacts")?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if ids.iter().all(|id| allowed.contains(id)) {
        Ok(())
    } else {
        let errors = FieldErrors::one(
            "pickup_contact_ids",
            InvalidValue::new(
                "unknown_contact",
                "Choisissez parmi les personnes de «\u{a0}Mon foyer\u{a0}» autorisées à venir chercher les enfants.",
            ),
        );
        Err(ChildError::Invalid(errors))
    }
}

fn active(
    id: Uuid,
    family_id: FamilyId,
    d: &ChildRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> child::ActiveModel {
    child::ActiveModel {
        id: Set(id),
        family_id: Set(family_id.uuid()),
        last_name: Set(d.last_name.clone()),
        first_name: Set(d.first_name.clone()),
        sex: Set(d.sex.map(|s| s.as_str().to_owned())),
        birth_date: Set(d.birth_date),
        school: Set(d.school.clone()),
        class_level: Set(d.class_level.clone()),
        doctor_name: Set(d.doctor_name.clone()),
        doctor_phone: Set(d.doctor_phone.clone()),
        allergies: Set(d.allergies.clone()),
        has_pai: Set(d.has_pai),
        vaccinations_up_to_date: Set(d.vaccinations_up_to_date),
        last_dtp_date: Set(d.last_dtp_date),
        diet: Set(d.diet.map(|x| x.as_str().to_owned())),
        photo_consent: Set(d.photo_consent),
        emergency_care_consent: Set(d.emergency_care_consent),
        may_leave_alone: Set(d.may_leave_alone),
        outings_consent: Set(d.outings_consent),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

async fn set_pickups<C: ConnectionTrait>(
    conn: &C,
    child_id: ChildId,
    ids: &[Uuid],
) -> anyhow::Result<()> {
    child_pickup::Entity::delete_many()
        .filter(child_pickup::Column::ChildId.eq(child_id))
        .exec(conn)
        .await
        .context("Failed to clear pick-up persons")?;
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    for contact_id in unique {
        child_pickup::ActiveModel {
            child_id: Set(child_id.uuid()),
            contact_id: Set(contact_id),
        }
        .insert(conn)
        .await
        .context("Failed to add a pick-up person")?;
    }
    Ok(())
}

/// A child already in the family with the same names and birth date (`except` itself, for an
/// update) is refused: a second entry of the same child, a double click. The caller has
/// touched the family row first, which serialises two creations for one family.
async fn check_not_twice<C: ConnectionTrait>(
    conn: &C,
    family_id: FamilyId,
    except: Option<Uuid>,
    details: &ChildRequest,
) -> Result<(), ChildError> {
    let twice = child::Entity::find()
        .filter(child::Column::FamilyId.eq(family_id))
        .all(conn)
        .await
        .context("Failed to read the children")?
        .into_iter()
        .filter(|c| Some(c.id) != except)
        .any(|c| {
            portail_domain::rules::dossier::same_child(
                (&c.first_name, &c.last_name, c.birth_date),
                (&details.first_name, &details.last_name, details.birth_date),
            )
        });
    if twice {
        let errors = FieldErrors::one(
            "first_name",
            InvalidValue::new(
                "duplicate_child",
                "Cet enfant est déjà dans votre dossier (même prénom, même nom, même date de naissance) : modifiez sa fiche plutôt que d'en créer une seconde.",
            ),
        );
        return Err(ChildError::Invalid(errors));
    }
    Ok(())
}

/// `details` has been through `ChildRequest::validate`.
#[tracing::instrument(skip_all, fields(family.id = %family_id))]
pub async fn create(
    ctx: &Context,
    family_id: FamilyId,
    details: &ChildRequest,
) -> Result<ChildResponse, ChildError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    // The family row first: a second creation for this family waits for this one.
    super::touch(&txn, family_id, now).await?;
    check_not_twice(&txn, family_id, None, details).await?;
    check_pickups(&txn, family_id, &details.pickup_contact_ids).await?;
    let id = Uuid::now_v7();
    active(id, family_id, details, now)
        .insert(&txn)
        .await
        .context("Failed to insert a child")?;
    set_pickups(&txn, ChildId::from(id), &details.pickup_contact_ids).await?;
    let created = get(&txn, family_id, ChildId::from(id))
        .await?
        .context("the child just created")?;
    txn.commit().await.context("Failed to commit a child")?;
    Ok(created)
}

/// `None` when the family has no such child.
#[tracing::instrument(skip_all, fields(family.id = %family_id, child.id = %child_id))]
pub async fn update(
    ctx: &Context,
    family_id: FamilyId,
    child_id: ChildId,
    details: &ChildRequest,
) -> Result<Option<ChildResponse>, ChildError> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let Some(existing) = child::Entity::find_by_id(child_id)
        .filter(child::Column::FamilyId.eq(family_id))
        .one(&txn)
        .await
        .context("Failed to read a child")?
    else {
        return Ok(None);
    };
    super::touch(&txn, family_id, now).await?;
    check_not_twice(&txn, family_id, Some(child_id.uuid()), details).await?;
    check_pickups(&txn, family_id, &details.pickup_contact_ids).await?;
    let mut row = active(child_id.uuid(), family_id, details, now);
    row.created_at = Set(existing.created_at);
    row.update(&txn).await.context("Failed to update a child")?;
    set_pickups(&txn, child_id, &details.pickup_contact_ids).await?;
    let updated = get(&txn, family_id, child_id).await?;
    txn.commit().await.context("Failed to commit a child")?;
    Ok(updated)
}

/// Removes the child and its documents (files included). `false` when there is no such child.
#[tracing::instrument(skip_all, fields(family.id = %family_id, child.id = %child_id))]
pub async fn delete(ctx: &Context, family_id: FamilyId, child_id: ChildId) -> anyhow::Result<bool> {
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db)
        .await
        .context("Failed to begin a transaction")?;
    let found = child::Entity::find_by_id(child_id)
        .filter(child::Column::FamilyId.eq(family_id))
        .one(&txn)
        .await
        .context("Failed to read a child")?
        .is_some();
    if !found {
        return Ok(false);
    }
    let keys = super::documents::storage_keys_of_child(&txn, child_id).await?;
    child::Entity::delete_by_id(child_id)
        .exec(&txn)
        .await
        .context("Failed to delete a child")?;
    super::touch(&txn, family_id, now).await?;
    txn.commit().await.context("Failed to commit a deletion")?;
    for key in keys {
        ctx.documents.remove(&key).await;
    }
    Ok(true)
}
