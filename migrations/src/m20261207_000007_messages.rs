//! Issue 24, point 2: messages between a family and a service. A conversation is one
//! family's with one service; its messages keep who wrote them (the family, an agent for it at
//! the counter, or the service's staff) and an optional file in the document store. Each
//! service says whether families may write to it (`accepts_messages`, on by default).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Service::Table)
                    .add_column(
                        ColumnDef::new(Service::AcceptsMessages)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Conversation::Table)
                    .col(uuid(Conversation::Id).primary_key())
                    .col(uuid(Conversation::FamilyId))
                    .col(string(Conversation::Service))
                    .col(string(Conversation::Subject))
                    .col(string(Conversation::Status))
                    .col(timestamp_with_time_zone(Conversation::CreatedAt))
                    .col(timestamp_with_time_zone(Conversation::LastMessageAt))
                    .col(boolean(Conversation::UnreadByStaff))
                    .col(boolean(Conversation::UnreadByFamily))
                    .col(timestamp_with_time_zone_null(Conversation::ClosedAt))
                    .col(uuid_null(Conversation::ClosedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversation::Table, Conversation::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversation_family")
                    .table(Conversation::Table)
                    .col(Conversation::FamilyId)
                    .col(Conversation::LastMessageAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_conversation_inbox")
                    .table(Conversation::Table)
                    .col(Conversation::Service)
                    .col(Conversation::Status)
                    .col(Conversation::LastMessageAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Message::Table)
                    .col(uuid(Message::Id).primary_key())
                    .col(uuid(Message::ConversationId))
                    .col(boolean(Message::FromFamily))
                    .col(uuid_null(Message::StaffId))
                    .col(text(Message::Body))
                    .col(timestamp_with_time_zone(Message::SentAt))
                    .col(string_null(Message::AttachmentKey))
                    .col(string_null(Message::AttachmentName))
                    .col(string_null(Message::AttachmentType))
                    .col(big_integer_null(Message::AttachmentSize))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Message::Table, Message::ConversationId)
                            .to(Conversation::Table, Conversation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_message_conversation")
                    .table(Message::Table)
                    .col(Message::ConversationId)
                    .col(Message::SentAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Message::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Conversation::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Service::Table)
                    .drop_column(Service::AcceptsMessages)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Service {
    Table,
    AcceptsMessages,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Conversation {
    Table,
    Id,
    FamilyId,
    Service,
    Subject,
    Status,
    CreatedAt,
    LastMessageAt,
    UnreadByStaff,
    UnreadByFamily,
    ClosedAt,
    ClosedBy,
}

#[derive(DeriveIden)]
enum Message {
    Table,
    Id,
    ConversationId,
    FromFamily,
    StaffId,
    Body,
    SentAt,
    AttachmentKey,
    AttachmentName,
    AttachmentType,
    AttachmentSize,
}
