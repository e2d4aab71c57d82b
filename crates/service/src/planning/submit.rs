//! Submitting the recap (« état récapitulatif »): each line is checked against the rules,
//! then the writer commits the accepted ones and answers line by line. A retry with the same
//! idempotency key gets the first answer and changes nothing.

use std::collections::HashSet;

use anyhow::Context as _;
use chrono::NaiveDate;
use portail_domain::api::{BookingBatchRequest, BookingBatchResponse};
use portail_domain::ids::{FamilyId, UnitId};
use portail_domain::rules::dossier::can_book;
use portail_domain::rules::planning::{self, RefusalCode};
use portail_entity::child;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::waiting::WaitingRules;
use super::writer::{ActingStaff, PreparedLine, Submission, WriteError};
use crate::Context;

/// Lines in one recap at most (a month of two units for three children is 186).
pub const MAX_LINES: usize = 400;

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the recap is empty or too long")]
    BadSize,
    #[error("the idempotency key is malformed")]
    BadKey,
    #[error("a recap with this key is being committed")]
    InProgress,
    #[error("this key was used for another recap")]
    KeyReused,
    #[error("the server is stopping")]
    ShuttingDown,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn request_hash(request: &BookingBatchRequest) -> anyhow::Result<String> {
    let bytes = serde_json::to_vec(&request.lines)?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A family's children, as the rules need them: first name and birth date.
pub(crate) async fn children_of(
    ctx: &Context,
    family_id: FamilyId,
) -> anyhow::Result<Vec<(Uuid, String, Option<NaiveDate>)>> {
    child::Entity::find()
        .select_only()
        .columns([
            child::Column::Id,
            child::Column::FirstName,
            child::Column::BirthDate,
        ])
        .filter(child::Column::FamilyId.eq(family_id))
        .into_tuple::<(Uuid, String, Option<NaiveDate>)>()
        .all(&ctx.db)
        .await
        .context("Failed to read the family's children")
}

/// `staff`: a staff member acting for the family ([`ActingStaff`]).
pub async fn submit(
    ctx: &Context,
    family_id: FamilyId,
    request: &BookingBatchRequest,
    key: Option<&str>,
    staff: Option<ActingStaff>,
) -> Result<BookingBatchResponse, SubmitError> {
    submit_bounded(ctx, family_id, request, key, staff, MAX_LINES).await
}

/// A recap of at most `max_lines` lines (a typical week's is longer than a recap's, bounded
/// by `rules::planning::week_pattern::MAX_LINES`).
pub(crate) async fn submit_bounded(
    ctx: &Context,
    family_id: FamilyId,
    request: &BookingBatchRequest,
    key: Option<&str>,
    staff: Option<ActingStaff>,
    max_lines: usize,
) -> Result<BookingBatchResponse, SubmitError> {
    if request.lines.is_empty() || request.lines.len() > max_lines {
        return Err(SubmitError::BadSize);
    }
    let idempotency = match key {
        Some(key) => {
            // Exactly what the header's pattern says: 1 to 100 visible ASCII characters.
            if key.is_empty() || key.len() > 100 || !key.chars().all(|c| c.is_ascii_graphic()) {
                return Err(SubmitError::BadKey);
            }
            Some((key.to_owned(), request_hash(request)?))
        }
        None => None,
    };
    replay_or_commit(ctx, family_id, request, idempotency, staff).await
}

impl From<WriteError> for SubmitError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::InProgress => Self::InProgress,
            WriteError::KeyReused => Self::KeyReused,
            WriteError::ShuttingDown => Self::ShuttingDown,
            WriteError::Unexpected(e) => Self::Unexpected(e),
        }
    }
}

/// The first answer for a key already used with the same recap; otherwise the recap is
/// checked and committed.
async fn replay_or_commit(
    ctx: &Context,
    family_id: FamilyId,
    request: &BookingBatchRequest,
    idempotency: Option<(String, String)>,
    staff: Option<ActingStaff>,
) -> Result<BookingBatchResponse, SubmitError> {
    let facts = super::facts::family_facts(
        ctx,
        family_id,
        idempotency.as_ref().map(|(key, _)| key.as_str()),
    )
    .await?
    .context("the caller's family")?;
    // The fast path of a retry; the writer checks the key again inside its transaction.
    if let (Some((stored_hash, response, at)), Some((_, hash))) = (&facts.replay, &idempotency)
        && crate::clock::after(*at, ctx.planning.idempotency_ttl()) >= ctx.clock.now()
    {
        if stored_hash != hash {
            return Err(SubmitError::KeyReused);
        }
        return Ok(serde_json::from_str(response).context("a stored answer")?);
    }
    prepare_and_commit(ctx, facts, family_id, request, idempotency, staff).await
}
/// The catalog, read again when a line names a unit it does not know (created on another
/// instance since it was cached).
async fn catalog_for(
    ctx: &Context,
    request: &BookingBatchRequest,
) -> anyhow::Result<std::sync::Arc<super::catalog::Catalog>> {
    let catalog = ctx.planning.catalog.get(&ctx.db).await?;
    match request
        .lines
        .iter()
        .find(|l| catalog.unit(l.unit_id).is_none())
    {
        Some(unknown) => {
            ctx.planning
                .catalog
                .get_knowing(&ctx.db, UnitId::from(unknown.unit_id))
                .await
        }
        None => Ok(catalog),
    }
}

async fn prepare_and_commit(
    ctx: &Context,
    facts: super::facts::FamilyFacts,
    family_id: FamilyId,
    request: &BookingBatchRequest,
    idempotency: Option<(String, String)>,
    staff: Option<ActingStaff>,
) -> Result<BookingBatchResponse, SubmitError> {
    let now = ctx.clock.now();
    let catalog = catalog_for(ctx, request).await?;
    let children = &facts.children;
    let validated = staff.is_some() || can_book(facts.status);
    // Staff may still book for a family whose bookings are suspended.
    let blocked =
        staff.is_none() && crate::billing::payments::blocked(ctx, &catalog, family_id).await?;
    // Each unit's waiting list, worked out once per recap (most services keep none).
    let mut waiting_lists: std::collections::HashMap<Uuid, Option<std::sync::Arc<WaitingRules>>> =
        std::collections::HashMap::new();
    let mut waiting_of = |unit_id: Uuid| {
        waiting_lists
            .entry(unit_id)
            .or_insert_with(|| {
                WaitingRules::of(&catalog, UnitId::from(unit_id)).map(std::sync::Arc::new)
            })
            .clone()
    };
    let mut seen: HashSet<(Uuid, Uuid, NaiveDate)> = HashSet::new();
    let mut lines = Vec::with_capacity(request.lines.len());
    for line in &request.lines {
        let child = children.iter().find(|c| c.id == line.child_id);
        let unit = catalog.unit(line.unit_id);
        let service = unit.and_then(|u| catalog.service(u.service));
        let refusal = if child.is_none() {
            Some(RefusalCode::UnknownChild)
        } else if unit.is_none() || service.is_none() {
            Some(RefusalCode::UnknownUnit)
        } else if !seen.insert((line.child_id, line.unit_id, line.date)) {
            Some(RefusalCode::DuplicateLine)
        } else if !validated {
            Some(RefusalCode::FamilyNotValidated)
        } else if blocked && line.action == portail_domain::api::LineAction::Book {
            Some(RefusalCode::UnpaidInvoices)
        } else {
            super::catalog::check_line(
                &catalog,
                line,
                child.and_then(|c| c.birth_date),
                now,
                staff.is_some(),
            )
            .err()
        };
        let label = match (unit, service, child) {
            (Some(u), Some(s), Some(c)) => format!("{} — {} — {}", s.name, u.name, c.first_name),
            _ => String::new(),
        };
        lines.push(PreparedLine {
            line: line.clone(),
            refusal,
            mode: match (service, staff) {
                // Staff decide at once: a booking they make is a booking.
                (Some(_), Some(_)) => planning::BookingMode::Instant,
                (Some(s), None) => s.rules.mode,
                (None, _) => planning::BookingMode::Instant,
            },
            default_capacity: unit.map_or(0, |u| u.default_capacity),
            covered: unit.map_or_else(Vec::new, |u| {
                u.covers
                    .iter()
                    .filter_map(|id| catalog.unit(*id))
                    .map(|c| (c.id, c.default_capacity))
                    .collect()
            }),
            conflicting: unit.map_or_else(Vec::new, |u| u.overlaps.clone()),
            label,
            waiting: waiting_of(line.unit_id),
        });
    }
    let email = match (staff, &facts.email) {
        (None, Some(to)) => Some((to.clone(), facts.first_name.clone(), facts.commune.clone())),
        _ => None,
    };
    let submission = Submission {
        family_id: family_id.uuid(),
        lines,
        idempotency,
        email,
        staff,
    };
    Ok(ctx.planning.writer.submit(submission).await?)
}
