//! Reading: a conversation as its reader sees it (and marked read), the lists, the inbox's
//! counts, a file, the family's export.

use std::collections::HashMap;

use anyhow::Context as _;
use portail_domain::ServiceCode;
use portail_domain::api::{
    AttachmentInfo, ConversationList, ConversationQuery, ConversationResponse, ConversationSummary,
    InboxCount, InboxCounts, MessageItem,
};
use portail_domain::ids::FamilyId;
use portail_domain::rules::messages::{self as rules, ConversationStatus};
use portail_domain::rules::pagination;
use portail_domain::string_enum::stored;
use portail_entity::{conversation, message, staff};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait as _, QueryFilter, QueryOrder,
    QuerySelect as _,
};
use uuid::Uuid;

use super::{MessageError, Viewer, family_names, service_names, visible};
use crate::Context;
use crate::planning::staff::Actor;

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
pub(super) async fn response<C: ConnectionTrait>(
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
