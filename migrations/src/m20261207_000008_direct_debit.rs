//! Issue 24, point 4: SEPA direct debit. The commune's creditor identifier (ICS); a family's
//! mandates (signed online or recorded from paper, revocable; the IBAN is kept to debit it);
//! the files (`pain.008.001.02`) issued to the bank, each kept as sent; one debit per
//! invoice, pending until the bank settles or returns it (with the R-transaction's reason).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Commune::Table)
                    .add_column(
                        ColumnDef::new(Commune::CreditorId)
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SepaMandate::Table)
                    .col(uuid(SepaMandate::Id).primary_key())
                    .col(uuid(SepaMandate::FamilyId))
                    .col(string_uniq(SepaMandate::Reference))
                    .col(string(SepaMandate::Holder))
                    .col(string(SepaMandate::Iban))
                    .col(date(SepaMandate::SignedOn))
                    .col(boolean(SepaMandate::SignedOnline))
                    .col(uuid_null(SepaMandate::RecordedBy))
                    .col(string(SepaMandate::Status))
                    .col(timestamp_with_time_zone_null(SepaMandate::RevokedAt))
                    .col(timestamp_with_time_zone(SepaMandate::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SepaMandate::Table, SepaMandate::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sepa_mandate_family")
                    .table(SepaMandate::Table)
                    .col(SepaMandate::FamilyId)
                    .col(SepaMandate::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SepaBatch::Table)
                    .col(uuid(SepaBatch::Id).primary_key())
                    .col(string_uniq(SepaBatch::MessageId))
                    .col(date(SepaBatch::CollectionDate))
                    .col(integer(SepaBatch::Count))
                    .col(big_integer(SepaBatch::TotalCents))
                    .col(text(SepaBatch::Xml))
                    .col(uuid(SepaBatch::CreatedBy))
                    .col(timestamp_with_time_zone(SepaBatch::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SepaDebit::Table)
                    .col(uuid(SepaDebit::Id).primary_key())
                    .col(uuid(SepaDebit::BatchId))
                    .col(uuid(SepaDebit::InvoiceId))
                    .col(uuid(SepaDebit::MandateId))
                    .col(uuid(SepaDebit::FamilyId))
                    .col(big_integer(SepaDebit::AmountCents))
                    .col(string(SepaDebit::SequenceType))
                    .col(string_uniq(SepaDebit::EndToEndId))
                    .col(string(SepaDebit::Status))
                    .col(string_null(SepaDebit::ReturnReason))
                    .col(date_null(SepaDebit::ReturnedOn))
                    .col(uuid_null(SepaDebit::PaymentId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SepaDebit::Table, SepaDebit::BatchId)
                            .to(SepaBatch::Table, SepaBatch::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sepa_debit_invoice")
                    .table(SepaDebit::Table)
                    .col(SepaDebit::InvoiceId)
                    .col(SepaDebit::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sepa_debit_batch")
                    .table(SepaDebit::Table)
                    .col(SepaDebit::BatchId)
                    .to_owned(),
            )
            .await?;
        // One pending debit per invoice, whatever runs at once (SQLite and PostgreSQL both
        // take a partial index).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_sepa_debit_one_pending ON sepa_debit (invoice_id) \
                 WHERE status = 'pending'",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SepaDebit::Table.into_iden(),
            SepaBatch::Table.into_iden(),
            SepaMandate::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Commune::Table)
                    .drop_column(Commune::CreditorId)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Commune {
    Table,
    CreditorId,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SepaMandate {
    Table,
    Id,
    FamilyId,
    Reference,
    Holder,
    Iban,
    SignedOn,
    SignedOnline,
    RecordedBy,
    Status,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SepaBatch {
    Table,
    Id,
    MessageId,
    CollectionDate,
    Count,
    TotalCents,
    Xml,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SepaDebit {
    Table,
    Id,
    BatchId,
    InvoiceId,
    MandateId,
    FamilyId,
    AmountCents,
    SequenceType,
    EndToEndId,
    Status,
    ReturnReason,
    ReturnedOn,
    PaymentId,
}
