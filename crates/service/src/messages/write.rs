//! Writing: a new conversation, a message, a file (checked, stored before its row), closing.

use anyhow::Context as _;
use portail_domain::api::{AttachmentQuery, ConversationResponse, NewConversationRequest};
use portail_domain::audit::action;
use portail_domain::ids::{FamilyId, StaffId};
use portail_domain::rules::messages::{self as rules, ConversationStatus, Side};
use portail_domain::string_enum::stored;
use portail_entity::{conversation, message};
use sea_orm::{ActiveModelTrait as _, ConnectionTrait, Set};
use uuid::Uuid;

use super::read::response;
use super::{Attachment, MessageError, Viewer, service_names, visible};
use crate::Context;
use crate::change::{Audit, Change};
use crate::family::inspect::{self};
use crate::planning::staff::Actor;

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
