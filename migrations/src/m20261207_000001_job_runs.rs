//! Issue 23: the daily jobs (backup, retention) run once a day across every instance: the
//! first instance to insert the day's row does the work, the others find it taken.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobRun::Table)
                    .col(string(JobRun::Job))
                    .col(string(JobRun::Period))
                    .col(timestamp_with_time_zone(JobRun::ClaimedAt))
                    .col(text_null(JobRun::Outcome))
                    .primary_key(Index::create().col(JobRun::Job).col(JobRun::Period))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobRun::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum JobRun {
    Table,
    Job,
    Period,
    ClaimedAt,
    Outcome,
}
