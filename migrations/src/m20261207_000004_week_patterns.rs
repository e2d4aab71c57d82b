//! Issue 24: « Ma semaine type », the typical week a family last sent for a child and a
//! service, kept to be applied again to the next period. It goes with the child.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WeekPattern::Table)
                    .col(uuid(WeekPattern::ChildId))
                    .col(string(WeekPattern::Service))
                    .col(text(WeekPattern::Days))
                    .col(timestamp_with_time_zone(WeekPattern::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(WeekPattern::ChildId)
                            .col(WeekPattern::Service),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WeekPattern::Table, WeekPattern::ChildId)
                            .to(Child::Table, Child::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WeekPattern::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WeekPattern {
    Table,
    ChildId,
    Service,
    Days,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Child {
    Table,
    Id,
}
