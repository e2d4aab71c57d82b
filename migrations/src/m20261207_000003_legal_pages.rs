//! Issue 23: the legal pages (« Mentions légales », « Données personnelles », « Déclaration
//! d'accessibilité »): written from the commune's settings unless an administrator has
//! replaced a page's text, kept here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LegalPage::Table)
                    .col(string(LegalPage::Slug).primary_key())
                    .col(text(LegalPage::Body))
                    .col(timestamp_with_time_zone(LegalPage::UpdatedAt))
                    .col(uuid(LegalPage::UpdatedBy))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LegalPage::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum LegalPage {
    Table,
    Slug,
    Body,
    UpdatedAt,
    UpdatedBy,
}
