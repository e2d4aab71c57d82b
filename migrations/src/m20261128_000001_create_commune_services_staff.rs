//! The commune (one row), its services, and staff accounts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Commune::Table)
                    .col(integer(Commune::Id).primary_key())
                    .col(string(Commune::Name))
                    .col(string(Commune::Timezone))
                    .col(timestamp_with_time_zone(Commune::CreatedAt))
                    .col(timestamp_with_time_zone(Commune::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Service::Table)
                    .col(pk_uuid(Service::Id))
                    .col(string_uniq(Service::Code))
                    .col(string(Service::Name))
                    .col(string(Service::StructureName))
                    .col(string_null(Service::Phone))
                    .col(text(Service::Description))
                    .col(integer(Service::SortOrder))
                    .col(timestamp_with_time_zone(Service::CreatedAt))
                    .col(timestamp_with_time_zone(Service::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Staff::Table)
                    .col(pk_uuid(Staff::Id))
                    .col(string_uniq(Staff::Email))
                    .col(string(Staff::DisplayName))
                    .col(string(Staff::PasswordHash))
                    .col(string(Staff::Role))
                    .col(boolean(Staff::Active))
                    .col(timestamp_with_time_zone(Staff::CreatedAt))
                    .col(timestamp_with_time_zone(Staff::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Staff::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Service::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Commune::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Commune {
    Table,
    Id,
    Name,
    Timezone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Service {
    Table,
    Id,
    Code,
    Name,
    StructureName,
    Phone,
    Description,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
    UpdatedAt,
}
