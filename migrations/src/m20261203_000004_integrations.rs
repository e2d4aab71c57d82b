//! Issue 14: integrators' API keys (hashed secret, scopes, last use, a per-minute call
//! counter shared by every instance), webhook subscriptions and their deliveries (the
//! outbox of events, written in the transaction of the change), and the families' private
//! calendar feeds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKey::Table)
                    .col(pk_uuid(ApiKey::Id))
                    .col(string(ApiKey::Name))
                    .col(string_uniq(ApiKey::Lookup))
                    .col(string(ApiKey::SecretHash))
                    .col(string(ApiKey::Scopes))
                    .col(uuid(ApiKey::CreatedBy))
                    .col(timestamp_with_time_zone(ApiKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKey::RevokedAt))
                    .col(uuid_null(ApiKey::RevokedBy))
                    .col(timestamp_with_time_zone_null(ApiKey::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKey::WindowStart))
                    .col(integer(ApiKey::WindowCalls).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhook::Table)
                    .col(pk_uuid(Webhook::Id))
                    .col(string(Webhook::Url))
                    .col(string(Webhook::Description))
                    .col(string(Webhook::Events))
                    .col(string(Webhook::Secret))
                    .col(uuid(Webhook::CreatedBy))
                    .col(timestamp_with_time_zone(Webhook::CreatedAt))
                    .col(timestamp_with_time_zone_null(Webhook::DeletedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDelivery::Table)
                    .col(pk_uuid(WebhookDelivery::Id))
                    .col(uuid(WebhookDelivery::WebhookId))
                    .col(uuid(WebhookDelivery::EventId))
                    .col(string(WebhookDelivery::EventType))
                    .col(text(WebhookDelivery::Body))
                    .col(string(WebhookDelivery::Status))
                    .col(integer(WebhookDelivery::Attempts).default(0))
                    .col(timestamp_with_time_zone(WebhookDelivery::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookDelivery::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(WebhookDelivery::DeliveredAt))
                    .col(integer_null(WebhookDelivery::LastStatus))
                    .col(text_null(WebhookDelivery::LastError))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDelivery::Table, WebhookDelivery::WebhookId)
                            .to(Webhook::Table, Webhook::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX webhook_delivery_of ON webhook_delivery (webhook_id, created_at)",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Family::Table)
                    .add_column(string_null(Family::CalendarToken))
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX family_calendar_token ON family (calendar_token)",
        )
        .await?;
        // Incremental sync (`updated_since`) of bookings by integrators.
        db.execute_unprepared("CREATE INDEX booking_updated ON booking (updated_at, id)")
            .await?;
        db.execute_unprepared("CREATE INDEX family_updated ON family (updated_at, id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX family_updated").await?;
        db.execute_unprepared("DROP INDEX booking_updated").await?;
        db.execute_unprepared("DROP INDEX family_calendar_token")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Family::Table)
                    .drop_column(Family::CalendarToken)
                    .to_owned(),
            )
            .await?;
        for table in [
            WebhookDelivery::Table.into_iden(),
            Webhook::Table.into_iden(),
            ApiKey::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ApiKey {
    Table,
    Id,
    Name,
    Lookup,
    SecretHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedBy,
    LastUsedAt,
    WindowStart,
    WindowCalls,
}

#[derive(DeriveIden)]
enum Webhook {
    Table,
    Id,
    Url,
    Description,
    Events,
    Secret,
    CreatedBy,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum WebhookDelivery {
    Table,
    Id,
    WebhookId,
    EventId,
    EventType,
    Body,
    Status,
    Attempts,
    CreatedAt,
    NextAttemptAt,
    DeliveredAt,
    LastStatus,
    LastError,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    CalendarToken,
}
