//! The crèche's PSU figures in force from a date (floor, ceiling, the « taux d'effort » by
//! number of children, in millionths), as the administrator sets them
//! (crates/domain/src/rules/billing/psu.rs, docs/billing.md).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PsuParameters::Table)
                    .if_not_exists()
                    .col(uuid(PsuParameters::Id).primary_key())
                    .col(date(PsuParameters::ValidFrom).unique_key())
                    .col(big_integer(PsuParameters::FloorCents))
                    .col(big_integer(PsuParameters::CeilingCents))
                    .col(big_integer(PsuParameters::Rate1))
                    .col(big_integer(PsuParameters::Rate2))
                    .col(big_integer(PsuParameters::Rate3))
                    .col(big_integer(PsuParameters::Rate4To7))
                    .col(big_integer(PsuParameters::Rate8More))
                    .col(timestamp_with_time_zone(PsuParameters::CreatedAt))
                    .col(timestamp_with_time_zone(PsuParameters::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PsuParameters::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PsuParameters {
    Table,
    Id,
    ValidFrom,
    FloorCents,
    CeilingCents,
    #[sea_orm(iden = "rate_1_child")]
    Rate1,
    #[sea_orm(iden = "rate_2_children")]
    Rate2,
    #[sea_orm(iden = "rate_3_children")]
    Rate3,
    #[sea_orm(iden = "rate_4_to_7_children")]
    Rate4To7,
    #[sea_orm(iden = "rate_8_children_or_more")]
    Rate8More,
    CreatedAt,
    UpdatedAt,
}
