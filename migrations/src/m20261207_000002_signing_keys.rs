//! Issue 23: the access tokens' signing keys, rotated by `portail rotate-jwt-secret` and shared
//! by every instance. The configured secret (`PORTAIL_JWT_SECRET` or the generated file) is
//! the key `root`, never stored here: its row only records when it was retired.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKey::Table)
                    .col(string(SigningKey::Kid).primary_key())
                    .col(text_null(SigningKey::Secret))
                    .col(timestamp_with_time_zone(SigningKey::CreatedAt))
                    .col(timestamp_with_time_zone_null(SigningKey::RetiredAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SigningKey::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SigningKey {
    Table,
    Kid,
    Secret,
    CreatedAt,
    RetiredAt,
}
