//! Messages between a family and a service (issue 24, point 2; rules:
//! `portail_domain::rules::messages`). A family writes to a service that accepts messages
//! (its contact settings say so); the service's staff — its agents and the administrators —
//! read their inbox, answer, close. The family is e-mailed when answered (that a message
//! waits, never its content). A file (PDF, JPEG, PNG, 10 Mo) is checked by its content like a
//! document and kept in the same store; the retention deletes a conversation, and its files,
//! a while after its last message.
//!
//! Every id is checked against the caller: a family reads its own conversations only, an agent
//! the conversations of the services given to them only (another's answer « not found »).

use std::collections::HashMap;

use portail_domain::ServiceCode;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::parse::FieldErrors;
use portail_domain::rules::messages::{self as rules, Side};
use portail_entity::{conversation, guardian, service};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::family::inspect::Refusal;
use crate::planning::staff::Actor;

mod keeping;
mod read;
mod write;

pub(crate) use keeping::{attachment_keys, delete_older_than};
pub use read::{attachment, export, inbox_counts, list, read};
pub use write::{attach, reply, set_status, start};

#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("no such conversation or message for this caller")]
    NotFound,
    #[error("this service does not take messages")]
    NotAccepted,
    #[error("invalid fields")]
    Invalid(FieldErrors),
    #[error("file refused")]
    Refused(Refusal),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for MessageError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Unexpected(e.into())
    }
}

impl From<FieldErrors> for MessageError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

/// Who is reading or writing: the family (or an agent at the counter for it), or staff.
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    Family {
        family_id: FamilyId,
        /// The agent acting for the family at the counter, if any.
        acting: Option<StaffId>,
    },
    Staff(&'a Actor),
}

impl Viewer<'_> {
    fn side(&self) -> Side {
        match self {
            Self::Family { .. } => Side::Family,
            Self::Staff(_) => Side::Staff,
        }
    }

    /// The staff member behind the words, if any (the author, or the agent at the counter).
    fn staff_id(&self) -> Option<StaffId> {
        match self {
            Self::Family { acting, .. } => *acting,
            Self::Staff(actor) => Some(actor.staff_id),
        }
    }
}

/// A file sent with a message, checked.
struct Attachment {
    key: String,
    name: String,
    content_type: &'static str,
    size: i64,
}

/// The conversation `id` if `viewer` may see it, else `NotFound`.
pub(super) async fn visible<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer<'_>,
    id: Uuid,
) -> Result<conversation::Model, MessageError> {
    let row = conversation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(MessageError::NotFound)?;
    let allowed = match viewer {
        Viewer::Family { family_id, .. } => row.family_id == family_id.uuid(),
        Viewer::Staff(actor) => ServiceCode::parse(&row.service)
            .is_some_and(|service| rules::reads_inbox_of(&actor.scope, service)),
    };
    if allowed {
        Ok(row)
    } else {
        if let Viewer::Staff(actor) = viewer {
            tracing::info!(staff.id = %actor.staff_id, conversation.id = %id, "a staff member asked for another service's conversation");
        }
        Err(MessageError::NotFound)
    }
}

pub(super) async fn service_names<C: ConnectionTrait>(
    conn: &C,
) -> Result<HashMap<String, (String, bool)>, MessageError> {
    Ok(service::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.code, (s.name, s.accepts_messages)))
        .collect())
}

/// Each family's name as staff read it: its first guardian's « Prénom NOM ».
pub(super) async fn family_names<C: ConnectionTrait>(
    conn: &C,
    families: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, MessageError> {
    let rows = crate::db::by_chunks(families, |ids| {
        guardian::Entity::find()
            .filter(guardian::Column::FamilyId.is_in(ids))
            .filter(guardian::Column::Rank.eq(1))
            .all(conn)
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|g| (g.family_id, format!("{} {}", g.first_name, g.last_name)))
        .collect())
}
