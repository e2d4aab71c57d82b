//! Issue 24: what an invoice must print besides the payer — the commune's SIRET, the account
//! to pay by transfer (IBAN, BIC) and a contact for questions — set by an administrator.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column at a time: SQLite alters a table one column per statement.
        for column in [
            Commune::Siret,
            Commune::Iban,
            Commune::Bic,
            Commune::BillingContact,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Commune::Table)
                        .add_column(ColumnDef::new(column).string().not_null().default(""))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Commune::Siret,
            Commune::Iban,
            Commune::Bic,
            Commune::BillingContact,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Commune::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Commune {
    Table,
    Siret,
    Iban,
    Bic,
    BillingContact,
}
