//! The local hours a unit covers (« 08:00:00 » to « 12:00:00 »), both absent for a unit that
//! overlaps nothing: units that overlap cannot be held together by a child on a day, and a
//! unit that covers others takes their places (crates/domain/src/rules/planning/units.rs).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [Unit::StartsAt, Unit::EndsAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Unit::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Unit::EndsAt, Unit::StartsAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Unit::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    StartsAt,
    EndsAt,
}
