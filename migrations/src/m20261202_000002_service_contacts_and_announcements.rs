//! How to reach each service (e-mail, hours, beside the phone it had), and the announcements
//! staff attach to a tile of the family dashboard for a span of days (SPEC §4 and §8).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [Service::Email, Service::Hours] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Service::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Announcement::Table)
                    .if_not_exists()
                    .col(uuid(Announcement::Id).primary_key())
                    .col(string(Announcement::Tile))
                    .col(string(Announcement::Text))
                    .col(date(Announcement::StartsOn))
                    .col(date(Announcement::EndsOn))
                    .col(timestamp_with_time_zone(Announcement::CreatedAt))
                    .col(timestamp_with_time_zone(Announcement::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("announcement_by_dates")
                    .table(Announcement::Table)
                    .col(Announcement::EndsOn)
                    .col(Announcement::StartsOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Announcement::Table).to_owned())
            .await?;
        for column in [Service::Hours, Service::Email] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Service::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Service {
    Table,
    Email,
    Hours,
}

#[derive(DeriveIden)]
enum Announcement {
    Table,
    Id,
    Tile,
    Text,
    StartsOn,
    EndsOn,
    CreatedAt,
    UpdatedAt,
}
