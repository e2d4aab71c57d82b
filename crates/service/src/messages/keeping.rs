//! Keeping: the files of conversations, and the retention's deletion of old ones.

use anyhow::Context as _;
use portail_entity::{conversation, message};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect as _};
use uuid::Uuid;

use crate::Context;

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
