//! Pre-registrations for regular care at the crèche (issue 13): a family's request for a
//! child of Mes enfants or an unborn child, its wished start, weekly schedule (JSON: five
//! weekdays, each `{arrival, departure}` or `null`), weeks a year, comment and status.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Preregistration::Table)
                    .col(uuid(Preregistration::Id).primary_key())
                    .col(uuid(Preregistration::FamilyId))
                    .col(uuid_null(Preregistration::ChildId))
                    .col(date_null(Preregistration::ExpectedOn))
                    .col(date(Preregistration::WishedStart))
                    .col(text(Preregistration::Schedule))
                    .col(integer(Preregistration::WeeksPerYear))
                    .col(text(Preregistration::Comment))
                    .col(string(Preregistration::Status))
                    .col(date_null(Preregistration::SentOn))
                    .col(timestamp_with_time_zone(Preregistration::CreatedAt))
                    .col(timestamp_with_time_zone(Preregistration::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Preregistration::Table, Preregistration::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("preregistration_family")
                    .table(Preregistration::Table)
                    .col(Preregistration::FamilyId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Preregistration::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Preregistration {
    Table,
    Id,
    FamilyId,
    ChildId,
    ExpectedOn,
    WishedStart,
    Schedule,
    WeeksPerYear,
    Comment,
    Status,
    SentOn,
    CreatedAt,
    UpdatedAt,
}
