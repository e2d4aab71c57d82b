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

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AttachmentInfo, AttachmentQuery, ConversationList, ConversationQuery, ConversationResponse,
    ConversationSummary, InboxCount, InboxCounts, MessageItem, NewConversationRequest,
};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::parse::FieldErrors;
use portail_domain::rules::messages::{self as rules, ConversationStatus, Side};
use portail_domain::rules::pagination;
use portail_domain::string_enum::stored;
use portail_entity::{conversation, guardian, message, service, staff};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait as _,
    QueryFilter, QueryOrder, QuerySelect as _, Set,
};
use uuid::Uuid;

use crate::Context;
use crate::change::{Audit, Change};
use crate::family::inspect::{self, Refusal};
use crate::planning::staff::Actor;

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
async fn visible<C: ConnectionTrait>(
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

async fn service_names<C: ConnectionTrait>(
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
async fn family_names<C: ConnectionTrait>(
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

fn summary(
    row: &conversation::Model,
    viewer: &Viewer<'_>,
    names: &HashMap<String, (String, bool)>,
    families: &HashMap<Uuid, String>,
) -> anyhow::Result<ConversationSummary> {
    let service = ServiceCode::parse(&row.service).with_context(|| {
        format!(
            "a stored conversation's service is unknown: {}",
            row.service
        )
    })?;
    let (unread, family_name) = match viewer {
        Viewer::Family { .. } => (row.unread_by_family, None),
        Viewer::Staff(_) => (row.unread_by_staff, families.get(&row.family_id).cloned()),
    };
    Ok(ConversationSummary {
        id: row.id,
        service,
        service_name: names
            .get(&row.service)
            .map_or_else(|| service.label_fr().to_owned(), |(name, _)| name.clone()),
        subject: row.subject.clone(),
        status: stored(
            "conversation status",
            &row.status,
            ConversationStatus::parse,
        )?,
        family_id: row.family_id,
        family_name,
        created_at: row.created_at,
        last_message_at: row.last_message_at,
        unread,
    })
}

/// The whole conversation as `viewer` reads it.
async fn response<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer<'_>,
    row: &conversation::Model,
) -> Result<ConversationResponse, MessageError> {
    let names = service_names(conn).await?;
    let families = match viewer {
        Viewer::Staff(_) => family_names(conn, vec![row.family_id]).await?,
        Viewer::Family { .. } => HashMap::new(),
    };
    let messages = message::Entity::find()
        .filter(message::Column::ConversationId.eq(row.id))
        .order_by_asc(message::Column::SentAt)
        .order_by_asc(message::Column::Id)
        .all(conn)
        .await?;
    let staff_ids: Vec<Uuid> = messages.iter().filter_map(|m| m.staff_id).collect();
    let staff_names: HashMap<Uuid, String> = if staff_ids.is_empty() {
        HashMap::new()
    } else {
        staff::Entity::find()
            .filter(staff::Column::Id.is_in(staff_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect()
    };
    let conversation = summary(row, viewer, &names, &families)?;
    let staff_name = |id: Option<Uuid>| {
        id.and_then(|id| staff_names.get(&id).cloned())
            .unwrap_or_else(|| "un agent".to_owned())
    };
    let items = messages
        .into_iter()
        .map(|m| {
            let author = match (viewer, m.from_family) {
                (Viewer::Family { .. }, true) => "Vous".to_owned(),
                (Viewer::Family { .. }, false) => conversation.service_name.clone(),
                (Viewer::Staff(_), true) => conversation
                    .family_name
                    .clone()
                    .unwrap_or_else(|| "La famille".to_owned()),
                (Viewer::Staff(_), false) => staff_name(m.staff_id),
            };
            MessageItem {
                id: m.id,
                from_family: m.from_family,
                author,
                written_for_family_by: (m.from_family && m.staff_id.is_some())
                    .then(|| staff_name(m.staff_id)),
                body: m.body,
                sent_at: m.sent_at,
                attachment: match (m.attachment_name, m.attachment_type) {
                    (Some(filename), Some(content_type)) => Some(AttachmentInfo {
                        filename,
                        content_type,
                        size_bytes: u64::try_from(m.attachment_size.unwrap_or(0)).unwrap_or(0),
                    }),
                    _ => None,
                },
            }
        })
        .collect();
    Ok(ConversationResponse {
        conversation,
        messages: items,
    })
}

/// A family (or an agent for it at the counter) writes to a service: a new conversation.
pub async fn start(
    ctx: &Context,
    family_id: FamilyId,
    acting: Option<StaffId>,
    request: &NewConversationRequest,
) -> Result<ConversationResponse, MessageError> {
    let (subject, body) = request.validate()?;
    let names = service_names(&ctx.db).await?;
    match names.get(request.service.as_str()) {
        Some((_, true)) => {}
        Some((_, false)) => return Err(MessageError::NotAccepted),
        None => return Err(MessageError::NotFound),
    }
    let now = ctx.clock.now();
    let id = Uuid::now_v7();
    let (unread_by_staff, unread_by_family) = rules::unread_after(Side::Family);
    let txn = crate::db::begin(&ctx.db).await?;
    let row = conversation::ActiveModel {
        id: Set(id),
        family_id: Set(family_id.uuid()),
        service: Set(request.service.as_str().to_owned()),
        subject: Set(subject),
        status: Set(ConversationStatus::Open.as_str().to_owned()),
        created_at: Set(now),
        last_message_at: Set(now),
        unread_by_staff: Set(unread_by_staff),
        unread_by_family: Set(unread_by_family),
        closed_at: Set(None),
        closed_by: Set(None),
    }
    .insert(&txn)
    .await?;
    insert_message(&txn, id, Side::Family, acting, body, None, now).await?;
    crate::family::touch(&txn, family_id, now).await?;
    let viewer = Viewer::Family { family_id, acting };
    let answer = response(&txn, &viewer, &row).await?;
    txn.commit().await.context("Failed to commit a message")?;
    Ok(answer)
}

async fn insert_message<C: ConnectionTrait>(
    conn: &C,
    conversation_id: Uuid,
    side: Side,
    staff_id: Option<StaffId>,
    body: String,
    attachment: Option<&Attachment>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Uuid, MessageError> {
    let id = Uuid::now_v7();
    message::ActiveModel {
        id: Set(id),
        conversation_id: Set(conversation_id),
        from_family: Set(side == Side::Family),
        staff_id: Set(staff_id.map(StaffId::uuid)),
        body: Set(body),
        sent_at: Set(now),
        attachment_key: Set(attachment.map(|a| a.key.clone())),
        attachment_name: Set(attachment.map(|a| a.name.clone())),
        attachment_type: Set(attachment.map(|a| a.content_type.to_owned())),
        attachment_size: Set(attachment.map(|a| a.size)),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// A new message in conversation `id` from `viewer` (with its file, already checked and
/// stored, if any). The conversation opens again; the other side has it to read; a staff
/// answer e-mails the family.
async fn write(
    ctx: &Context,
    viewer: &Viewer<'_>,
    id: Uuid,
    body: String,
    attachment: Option<&Attachment>,
) -> Result<ConversationResponse, MessageError> {
    let now = ctx.clock.now();
    let side = viewer.side();
    let (unread_by_staff, unread_by_family) = rules::unread_after(side);
    let txn = crate::db::begin(&ctx.db).await?;
    let row = visible(&txn, viewer, id).await?;
    let before = stored(
        "conversation status",
        &row.status,
        ConversationStatus::parse,
    )
    .map_err(anyhow::Error::from)?;
    insert_message(&txn, id, side, viewer.staff_id(), body, attachment, now).await?;
    let mut active: conversation::ActiveModel = row.clone().into();
    active.status = Set(rules::status_after_message(before).as_str().to_owned());
    active.last_message_at = Set(now);
    active.unread_by_staff = Set(unread_by_staff);
    active.unread_by_family = Set(unread_by_family);
    active.closed_at = Set(None);
    active.closed_by = Set(None);
    let row = active.update(&txn).await?;
    let answer = response(&txn, viewer, &row).await?;
    let family_id = FamilyId::from(row.family_id);
    match viewer {
        Viewer::Family { .. } => {
            crate::family::touch(&txn, family_id, now).await?;
            txn.commit().await.context("Failed to commit a message")?;
        }
        Viewer::Staff(actor) => {
            let link = ctx.link(&format!("/mes-messages/{}", row.id));
            let service = answer.conversation.service_name.clone();
            crate::family::email_family(ctx, &txn, family_id, |to| {
                crate::emails::message_waiting(to, &service, &link)
            })
            .await?;
            Change::at(now)
                .audit(
                    Audit::by(actor.staff_id, action::ANSWER_MESSAGE)
                        .family(family_id)
                        .target(row.id)
                        .detail(row.service.clone()),
                )
                .mailed()
                .commit(txn, &ctx.outbox, "an answer")
                .await?;
        }
    }
    Ok(answer)
}

/// A message in conversation `id`.
pub async fn reply(
    ctx: &Context,
    viewer: &Viewer<'_>,
    id: Uuid,
    body: String,
) -> Result<ConversationResponse, MessageError> {
    write(ctx, viewer, id, body, None).await
}

/// A file (and its caption) in conversation `id`: checked by its content like a document,
/// stored before its row, removed if the row could not be written.
pub async fn attach(
    ctx: &Context,
    viewer: &Viewer<'_>,
    id: Uuid,
    query: &AttachmentQuery,
    bytes: &[u8],
) -> Result<ConversationResponse, MessageError> {
    // The conversation first: another family's (or service's) id answers « not found »
    // whatever the file, and nothing is stored for it.
    visible(&ctx.db, viewer, id).await?;
    let caption = query.caption()?;
    let name = inspect::check_filename(&query.filename).map_err(MessageError::Refused)?;
    let kind = inspect::inspect(bytes).map_err(MessageError::Refused)?;
    let key = ctx.documents.write(bytes).await?;
    let attachment = Attachment {
        key: key.clone(),
        name,
        content_type: kind.content_type(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    };
    match write(ctx, viewer, id, caption, Some(&attachment)).await {
        Ok(answer) => Ok(answer),
        Err(error) => {
            ctx.documents.remove(&key).await;
            Err(error)
        }
    }
}

/// Conversation `id` with its messages; reading it marks the other side's messages read
/// (not when an agent at the counter looks for the family: the family has not read them).
pub async fn read(
    ctx: &Context,
    viewer: &Viewer<'_>,
    id: Uuid,
) -> Result<ConversationResponse, MessageError> {
    let mut row = visible(&ctx.db, viewer, id).await?;
    let column = match viewer {
        Viewer::Family { acting: None, .. } if row.unread_by_family => {
            row.unread_by_family = false;
            Some(conversation::Column::UnreadByFamily)
        }
        Viewer::Staff(_) if row.unread_by_staff => {
            row.unread_by_staff = false;
            Some(conversation::Column::UnreadByStaff)
        }
        _ => None,
    };
    if let Some(column) = column {
        conversation::Entity::update_many()
            .col_expr(column, Expr::value(false))
            .filter(conversation::Column::Id.eq(id))
            .exec(&ctx.db)
            .await?;
    }
    response(&ctx.db, viewer, &row).await
}

/// The family's conversations, or a staff member's inbox (their services only), the most
/// recent first.
pub async fn list(
    ctx: &Context,
    viewer: &Viewer<'_>,
    query: &ConversationQuery,
) -> Result<ConversationList, MessageError> {
    let page = pagination::page(query.page, query.per_page)?;
    let mut select = conversation::Entity::find();
    match viewer {
        Viewer::Family { family_id, .. } => {
            select = select.filter(conversation::Column::FamilyId.eq(family_id.uuid()));
            if query.unread == Some(true) {
                select = select.filter(conversation::Column::UnreadByFamily.eq(true));
            }
        }
        Viewer::Staff(actor) => {
            let services: Vec<&str> = rules::inboxes(&actor.scope)
                .into_iter()
                .map(ServiceCode::as_str)
                .collect();
            select = select.filter(conversation::Column::Service.is_in(services));
            if query.unread == Some(true) {
                select = select.filter(conversation::Column::UnreadByStaff.eq(true));
            }
        }
    }
    if let Some(service) = query.service {
        select = select.filter(conversation::Column::Service.eq(service.as_str()));
    }
    if let Some(status) = query.status {
        select = select.filter(conversation::Column::Status.eq(status.as_str()));
    }
    let total = select.clone().count(&ctx.db).await?;
    let rows = select
        .order_by_desc(conversation::Column::LastMessageAt)
        .order_by_desc(conversation::Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(&ctx.db)
        .await?;
    let names = service_names(&ctx.db).await?;
    let families = match viewer {
        Viewer::Staff(_) => {
            family_names(&ctx.db, rows.iter().map(|r| r.family_id).collect()).await?
        }
        Viewer::Family { .. } => HashMap::new(),
    };
    let items = rows
        .iter()
        .map(|row| summary(row, viewer, &names, &families))
        .collect::<anyhow::Result<_>>()?;
    Ok(ConversationList { items, total })
}

/// The staff member's inboxes: for each service given to them, the open and unread counts.
pub async fn inbox_counts(ctx: &Context, actor: &Actor) -> Result<InboxCounts, MessageError> {
    let names = service_names(&ctx.db).await?;
    let mut items = Vec::new();
    for service in rules::inboxes(&actor.scope) {
        let of_service = || {
            conversation::Entity::find().filter(conversation::Column::Service.eq(service.as_str()))
        };
        let open = of_service()
            .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
            .count(&ctx.db)
            .await?;
        let unread = of_service()
            .filter(conversation::Column::UnreadByStaff.eq(true))
            .count(&ctx.db)
            .await?;
        items.push(InboxCount {
            service,
            service_name: names
                .get(service.as_str())
                .map_or_else(|| service.label_fr().to_owned(), |(name, _)| name.clone()),
            open,
            unread,
        });
    }
    Ok(InboxCounts { items })
}

/// Closes (or opens again) conversation `id` of one of the staff member's services.
pub async fn set_status(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    status: ConversationStatus,
) -> Result<ConversationResponse, MessageError> {
    let now = ctx.clock.now();
    let viewer = Viewer::Staff(actor);
    let txn = crate::db::begin(&ctx.db).await?;
    let row = visible(&txn, &viewer, id).await?;
    let mut active: conversation::ActiveModel = row.clone().into();
    active.status = Set(status.as_str().to_owned());
    let closed = status == ConversationStatus::Closed;
    active.closed_at = Set(closed.then_some(now));
    active.closed_by = Set(closed.then_some(actor.staff_id.uuid()));
    let row = active.update(&txn).await?;
    let answer = response(&txn, &viewer, &row).await?;
    Change::at(now)
        .audit(
            Audit::by(actor.staff_id, action::SET_CONVERSATION_STATUS)
                .family(row.family_id)
                .target(row.id)
                .detail(status.as_str().to_owned()),
        )
        .commit(txn, &ctx.outbox, "a conversation's status")
        .await?;
    Ok(answer)
}

/// A message's file, if `viewer` may see its conversation.
pub async fn attachment(
    ctx: &Context,
    viewer: &Viewer<'_>,
    conversation_id: Uuid,
    message_id: Uuid,
) -> Result<(AttachmentInfo, Vec<u8>), MessageError> {
    visible(&ctx.db, viewer, conversation_id).await?;
    let row = message::Entity::find_by_id(message_id)
        .filter(message::Column::ConversationId.eq(conversation_id))
        .one(&ctx.db)
        .await?
        .ok_or(MessageError::NotFound)?;
    let (Some(key), Some(filename), Some(content_type)) =
        (row.attachment_key, row.attachment_name, row.attachment_type)
    else {
        return Err(MessageError::NotFound);
    };
    let bytes = ctx.documents.read(&key).await?;
    Ok((
        AttachmentInfo {
            filename,
            content_type,
            size_bytes: u64::try_from(bytes.len()).unwrap_or(0),
        },
        bytes,
    ))
}

/// Every conversation of the family, whole (its data export).
pub async fn export(
    ctx: &Context,
    family_id: FamilyId,
) -> Result<Vec<ConversationResponse>, MessageError> {
    let viewer = Viewer::Family {
        family_id,
        acting: None,
    };
    let rows = conversation::Entity::find()
        .filter(conversation::Column::FamilyId.eq(family_id.uuid()))
        .order_by_asc(conversation::Column::CreatedAt)
        .all(&ctx.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(response(&ctx.db, &viewer, row).await?);
    }
    Ok(out)
}

/// The store keys of the files of conversations matching `filter_sql` (a `WHERE` on
/// `conversation`, `$1` bound to `value`): listed before the rows go, removed once they have.
pub(crate) async fn attachment_keys<C: ConnectionTrait>(
    conn: &C,
    filter_sql: &str,
    value: sea_orm::Value,
) -> anyhow::Result<Vec<String>> {
    let sql = format!(
        "SELECT attachment_key FROM message WHERE attachment_key IS NOT NULL AND conversation_id IN \
         (SELECT id FROM conversation WHERE {filter_sql})"
    );
    conn.query_all_raw(sea_orm::Statement::from_sql_and_values(
        conn.get_database_backend(),
        &sql,
        [value],
    ))
    .await
    .context("Failed to list messages' files")?
    .into_iter()
    .map(|row| row.try_get_by_index::<String>(0).context("a file key"))
    .collect()
}

/// Conversations whose last message is older than `before` (the retention): deleted with their
/// messages, then their files. Returns how many conversations went.
pub(crate) async fn delete_older_than(
    ctx: &Context,
    before: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<u64> {
    let keys = attachment_keys(&ctx.db, "last_message_at < $1", before.into()).await?;
    let txn = crate::db::begin(&ctx.db).await?;
    let ids: Vec<Uuid> = conversation::Entity::find()
        .filter(conversation::Column::LastMessageAt.lt(before))
        .select_only()
        .column(conversation::Column::Id)
        .into_tuple()
        .all(&txn)
        .await
        .context("Failed to list expired conversations")?;
    let mut deleted = 0_u64;
    for chunk in ids.chunks(500) {
        message::Entity::delete_many()
            .filter(message::Column::ConversationId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await
            .context("Failed to delete expired messages")?;
        deleted = deleted.saturating_add(
            conversation::Entity::delete_many()
                .filter(conversation::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await
                .context("Failed to delete expired conversations")?
                .rows_affected,
        );
    }
    txn.commit()
        .await
        .context("Failed to commit the retention of messages")?;
    for key in keys {
        ctx.documents.remove(&key).await;
    }
    Ok(deleted)
}
