//! « Mes préinscriptions en crèche » for families (issue 13, first part): drafts, sending
//! (checked by `rules::preregistration`), cancelling, the list. A child has one open request
//! at most. The commission's side (staff) and the waiting list come next.

use anyhow::Context as _;
use portail_domain::api::{
    DayScheduleBody, PreRegistrationRequest, PreRegistrationResponse, PreRegistrationStatus,
};
use portail_domain::rules::preregistration::{self, PreRegistrationAction};
use portail_entity::{child, preregistration as row};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::Context;

#[derive(Debug, thiserror::Error)]
pub enum PreRegistrationError {
    #[error("no such pre-registration in this family")]
    NotFound,
    #[error("invalid fields")]
    Invalid(portail_domain::parse::FieldErrors),
    #[error("this action does not apply now")]
    Conflict(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for PreRegistrationError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Unexpected(error.into())
    }
}

fn request_of(r: &row::Model) -> PreRegistrationRequest {
    PreRegistrationRequest {
        child_id: r.child_id,
        expected_on: r.expected_on,
        wished_start: r.wished_start,
        schedule: serde_json::from_str::<[Option<DayScheduleBody>; 5]>(&r.schedule)
            .unwrap_or([None; 5]),
        weeks_per_year: u32::try_from(r.weeks_per_year).unwrap_or(0),
        comment: r.comment.clone(),
    }
}

async fn response(ctx: &Context, r: &row::Model) -> anyhow::Result<PreRegistrationResponse> {
    let child_label = match r.child_id {
        Some(id) => child::Entity::find_by_id(id)
            .one(&ctx.db)
            .await?
            .map_or_else(|| "Enfant".to_owned(), |c| c.first_name),
        None => "Enfant à naître".to_owned(),
    };
    Ok(PreRegistrationResponse {
        id: r.id,
        status: PreRegistrationStatus::parse(&r.status).unwrap_or(PreRegistrationStatus::Draft),
        request: request_of(r),
        child_label,
        sent_on: r.sent_on,
    })
}

/// The family's requests, the latest first.
pub async fn list(ctx: &Context, family_id: Uuid) -> anyhow::Result<Vec<PreRegistrationResponse>> {
    let rows = row::Entity::find()
        .filter(row::Column::FamilyId.eq(family_id))
        .order_by_desc(row::Column::CreatedAt)
        .all(&ctx.db)
        .await
        .context("Failed to read pre-registrations")?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(response(ctx, r).await?);
    }
    Ok(out)
}

/// The child, which must be the family's.
async fn birth_date_of(
    ctx: &Context,
    family_id: Uuid,
    request: &PreRegistrationRequest,
) -> Result<Option<chrono::NaiveDate>, PreRegistrationError> {
    let Some(child_id) = request.child_id else {
        return Ok(None);
    };
    let found = child::Entity::find_by_id(child_id)
        .one(&ctx.db)
        .await?
        .filter(|c| c.family_id == family_id);
    match found {
        Some(c) => Ok(c.birth_date),
        None => {
            let mut e = portail_domain::parse::FieldErrors::default();
            e.push(
                "child_id",
                portail_domain::parse::InvalidValue::new(
                    "invalid_value",
                    "Cet enfant n'est pas dans votre dossier.",
                ),
            );
            Err(PreRegistrationError::Invalid(e))
        }
    }
}

/// Saves a draft (`id` none: a new one). Only a draft can be changed.
pub async fn save(
    ctx: &Context,
    family_id: Uuid,
    id: Option<Uuid>,
    request: &PreRegistrationRequest,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    request
        .validate_shape()
        .map_err(PreRegistrationError::Invalid)?;
    birth_date_of(ctx, family_id, request).await?;
    let now = ctx.clock.now();
    let schedule = serde_json::to_string(&request.schedule).context("a schedule as JSON")?;
    let mut model: row::ActiveModel = match id {
        Some(id) => {
            let stored = find(ctx, family_id, id).await?;
            if stored.status != PreRegistrationStatus::Draft.as_str() {
                return Err(PreRegistrationError::Conflict(
                    "Une préinscription envoyée ne se modifie plus : annulez-la et déposez-en une autre.".to_owned(),
                ));
            }
            stored.into()
        }
        None => row::ActiveModel {
            id: Set(Uuid::now_v7()),
            family_id: Set(family_id),
            status: Set(PreRegistrationStatus::Draft.as_str().to_owned()),
            sent_on: Set(None),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.child_id = Set(request.child_id);
    model.expected_on = Set(request.expected_on);
    model.wished_start = Set(request.wished_start);
    model.schedule = Set(schedule);
    model.weeks_per_year = Set(i32::try_from(request.weeks_per_year).unwrap_or(0));
    model.comment = Set(request.comment.trim().to_owned());
    model.updated_at = Set(now);
    let saved = if id.is_some() {
        model.update(&ctx.db).await?
    } else {
        model.insert(&ctx.db).await?
    };
    Ok(response(ctx, &saved).await?)
}

async fn find(
    ctx: &Context,
    family_id: Uuid,
    id: Uuid,
) -> Result<row::Model, PreRegistrationError> {
    row::Entity::find_by_id(id)
        .one(&ctx.db)
        .await?
        .filter(|r| r.family_id == family_id)
        .ok_or(PreRegistrationError::NotFound)
}

/// Sends a draft: the rules must hold, and the child must have no other open request.
pub async fn submit(
    ctx: &Context,
    family_id: Uuid,
    id: Uuid,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let stored = find(ctx, family_id, id).await?;
    let request = request_of(&stored);
    let birth_date = birth_date_of(ctx, family_id, &request).await?;
    request
        .check_for_sending(birth_date, ctx.clock.today())
        .map_err(PreRegistrationError::Invalid)?;
    move_to(ctx, family_id, stored, PreRegistrationAction::Send).await
}

/// The family withdraws its request.
pub async fn cancel(
    ctx: &Context,
    family_id: Uuid,
    id: Uuid,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let stored = find(ctx, family_id, id).await?;
    move_to(ctx, family_id, stored, PreRegistrationAction::Cancel).await
}

async fn move_to(
    ctx: &Context,
    family_id: Uuid,
    stored: row::Model,
    action: PreRegistrationAction,
) -> Result<PreRegistrationResponse, PreRegistrationError> {
    let from = PreRegistrationStatus::parse(&stored.status).unwrap_or(PreRegistrationStatus::Draft);
    let to = preregistration::transition(from, action).ok_or_else(|| {
        PreRegistrationError::Conflict(format!(
            "Cette préinscription est «\u{a0}{}\u{a0}» : ce n'est plus possible.",
            from.label_fr()
        ))
    })?;
    let now = ctx.clock.now();
    let txn = crate::db::begin(&ctx.db).await?;
    // The family's row first: two requests for the same child sent at once queue here.
    crate::family::touch(&txn, family_id, now).await?;
    if action == PreRegistrationAction::Send
        && let Some(child_id) = stored.child_id
    {
        let open = row::Entity::find()
            .filter(row::Column::FamilyId.eq(family_id))
            .filter(row::Column::ChildId.eq(child_id))
            .filter(row::Column::Id.ne(stored.id))
            .all(&txn)
            .await?
            .iter()
            .any(|r| {
                PreRegistrationStatus::parse(&r.status).is_some_and(|s| {
                    s != PreRegistrationStatus::Draft && preregistration::is_open(s)
                })
            });
        if open {
            return Err(PreRegistrationError::Conflict(
                "Cet enfant a déjà une préinscription en cours.".to_owned(),
            ));
        }
    }
    let moved = row::Entity::update_many()
        .col_expr(
            row::Column::Status,
            sea_orm::sea_query::Expr::value(to.as_str()),
        )
        .col_expr(row::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
        .col_expr(
            row::Column::SentOn,
            sea_orm::sea_query::Expr::value(if to == PreRegistrationStatus::Sent {
                Some(ctx.clock.today())
            } else {
                stored.sent_on
            }),
        )
        .filter(row::Column::Id.eq(stored.id))
        .filter(row::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(PreRegistrationError::Conflict(
            "Cette préinscription vient de changer : rechargez la page.".to_owned(),
        ));
    }
    txn.commit()
        .await
        .context("Failed to commit a pre-registration")?;
    let saved = find(ctx, family_id, stored.id).await?;
    Ok(response(ctx, &saved).await?)
}
