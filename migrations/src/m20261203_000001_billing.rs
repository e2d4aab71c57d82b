//! Billing (issue « Mes factures », docs/billing.md): dated tariffs per unit, the attendance
//! marks that pricing reads (present without booking, absence, absence with a medical
//! certificate), the household's resources for the crèche, the commune's billing settings,
//! invoices and credit notes with their lines and a gap-free sequence per year, payments and
//! their allocation to invoices, online payments, and the fake provider's own operations.
//!
//! Invoices keep copies of what they print (names, prices, labels): an issued invoice never
//! changes when a child, a unit or a tariff does. They hold no foreign key to the family or
//! the child: an invoice outlives an account deleted on request (it is an accounting record).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            big_integer_null(Household::ResourcesCents),
            integer_null(Household::ResourcesYear),
            boolean(Household::Aeeh).default(false).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Household::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            string(Commune::PostalCodes).default("").to_owned(),
            string(Commune::Address).default("").to_owned(),
            integer(Commune::InvoiceDueDay).default(15).to_owned(),
            big_integer_null(Commune::BlockingThresholdCents),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Commune::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Tariff::Table)
                    .col(uuid(Tariff::Id).primary_key())
                    .col(uuid(Tariff::UnitId))
                    .col(date(Tariff::ValidFrom))
                    .col(date_null(Tariff::ValidTo))
                    // The brackets, `[{"up_to":600,"price_cents":120},…]`: always read and
                    // written with their tariff, never queried alone.
                    .col(text(Tariff::Brackets))
                    .col(big_integer_null(Tariff::NonResidentCents))
                    .col(string_null(Tariff::SiblingKind))
                    .col(big_integer_null(Tariff::SiblingValue))
                    .col(big_integer_null(Tariff::UnbookedCents))
                    .col(timestamp_with_time_zone(Tariff::CreatedAt))
                    .col(timestamp_with_time_zone(Tariff::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tariff::Table, Tariff::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("tariff_unit_from")
                    .table(Tariff::Table)
                    .col(Tariff::UnitId)
                    .col(Tariff::ValidFrom)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttendanceMark::Table)
                    .col(uuid(AttendanceMark::Id).primary_key())
                    .col(uuid(AttendanceMark::ChildId))
                    .col(uuid(AttendanceMark::UnitId))
                    .col(date(AttendanceMark::Date))
                    .col(string(AttendanceMark::Mark))
                    .col(uuid(AttendanceMark::MarkedBy))
                    .col(timestamp_with_time_zone(AttendanceMark::MarkedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttendanceMark::Table, AttendanceMark::ChildId)
                            .to(Child::Table, Child::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AttendanceMark::Table, AttendanceMark::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attendance_mark_child_unit_date")
                    .table(AttendanceMark::Table)
                    .col(AttendanceMark::ChildId)
                    .col(AttendanceMark::UnitId)
                    .col(AttendanceMark::Date)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attendance_mark_date")
                    .table(AttendanceMark::Table)
                    .col(AttendanceMark::Date)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceSequence::Table)
                    .col(integer(InvoiceSequence::Year).primary_key())
                    .col(big_integer(InvoiceSequence::LastValue))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invoice::Table)
                    .col(uuid(Invoice::Id).primary_key())
                    .col(string(Invoice::Number).unique_key())
                    .col(string(Invoice::Kind))
                    .col(uuid(Invoice::FamilyId))
                    .col(string(Invoice::Month))
                    .col(uuid_null(Invoice::Corrects))
                    .col(date(Invoice::IssuedOn))
                    .col(date(Invoice::DueOn))
                    .col(big_integer(Invoice::TotalCents))
                    .col(string(Invoice::FamilyName))
                    .col(string(Invoice::PayerName))
                    .col(string(Invoice::PayerAddress))
                    .col(string(Invoice::Reason))
                    .col(uuid_null(Invoice::IssuedBy))
                    .col(timestamp_with_time_zone(Invoice::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invoice_family_month")
                    .table(Invoice::Table)
                    .col(Invoice::FamilyId)
                    .col(Invoice::Month)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invoice_month")
                    .table(Invoice::Table)
                    .col(Invoice::Month)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceLine::Table)
                    .col(uuid(InvoiceLine::Id).primary_key())
                    .col(uuid(InvoiceLine::InvoiceId))
                    .col(integer(InvoiceLine::Position))
                    .col(string(InvoiceLine::LineKey))
                    .col(uuid(InvoiceLine::ChildId))
                    .col(string(InvoiceLine::ChildName))
                    .col(string(InvoiceLine::Service))
                    .col(string(InvoiceLine::ServiceName))
                    .col(uuid(InvoiceLine::UnitId))
                    .col(string(InvoiceLine::UnitName))
                    .col(date(InvoiceLine::Date))
                    .col(big_integer(InvoiceLine::QuantityHundredths))
                    .col(big_integer(InvoiceLine::UnitPriceCents))
                    .col(big_integer(InvoiceLine::AmountCents))
                    .col(string(InvoiceLine::Rule))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InvoiceLine::Table, InvoiceLine::InvoiceId)
                            .to(Invoice::Table, Invoice::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invoice_line_invoice")
                    .table(InvoiceLine::Table)
                    .col(InvoiceLine::InvoiceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Payment::Table)
                    .col(uuid(Payment::Id).primary_key())
                    .col(uuid(Payment::FamilyId))
                    .col(string(Payment::Method))
                    .col(big_integer(Payment::AmountCents))
                    .col(date(Payment::ReceivedOn))
                    .col(string(Payment::Reference))
                    .col(string(Payment::Bank))
                    .col(string_null(Payment::OnlineOperation).unique_key())
                    .col(uuid_null(Payment::RecordedBy))
                    .col(timestamp_with_time_zone(Payment::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payment_family")
                    .table(Payment::Table)
                    .col(Payment::FamilyId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PaymentAllocation::Table)
                    .col(uuid(PaymentAllocation::Id).primary_key())
                    .col(uuid(PaymentAllocation::PaymentId))
                    .col(uuid(PaymentAllocation::InvoiceId))
                    .col(big_integer(PaymentAllocation::AmountCents))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PaymentAllocation::Table, PaymentAllocation::PaymentId)
                            .to(Payment::Table, Payment::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PaymentAllocation::Table, PaymentAllocation::InvoiceId)
                            .to(Invoice::Table, Invoice::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payment_allocation_invoice")
                    .table(PaymentAllocation::Table)
                    .col(PaymentAllocation::InvoiceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OnlinePayment::Table)
                    .col(uuid(OnlinePayment::Id).primary_key())
                    .col(string(OnlinePayment::OperationId).unique_key())
                    .col(uuid(OnlinePayment::FamilyId))
                    .col(uuid(OnlinePayment::InvoiceId))
                    .col(string(OnlinePayment::Reference))
                    .col(big_integer(OnlinePayment::AmountCents))
                    .col(string(OnlinePayment::Status))
                    .col(uuid_null(OnlinePayment::PaymentId))
                    .col(timestamp_with_time_zone(OnlinePayment::CreatedAt))
                    .col(timestamp_with_time_zone_null(OnlinePayment::SettledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("online_payment_status")
                    .table(OnlinePayment::Table)
                    .col(OnlinePayment::Status)
                    .col(OnlinePayment::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FakePayfipOperation::Table)
                    .col(string(FakePayfipOperation::OperationId).primary_key())
                    .col(big_integer(FakePayfipOperation::AmountCents))
                    .col(string(FakePayfipOperation::Reference))
                    .col(string(FakePayfipOperation::Email))
                    .col(string(FakePayfipOperation::ReturnUrl))
                    .col(string_null(FakePayfipOperation::Result))
                    .col(timestamp_with_time_zone(FakePayfipOperation::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FakePayfipOperation::Table.into_iden(),
            OnlinePayment::Table.into_iden(),
            PaymentAllocation::Table.into_iden(),
            Payment::Table.into_iden(),
            InvoiceLine::Table.into_iden(),
            Invoice::Table.into_iden(),
            InvoiceSequence::Table.into_iden(),
            AttendanceMark::Table.into_iden(),
            Tariff::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Commune::BlockingThresholdCents,
            Commune::InvoiceDueDay,
            Commune::Address,
            Commune::PostalCodes,
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
        for column in [
            Household::Aeeh,
            Household::ResourcesYear,
            Household::ResourcesCents,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Household::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Household {
    Table,
    ResourcesCents,
    ResourcesYear,
    Aeeh,
}

#[derive(DeriveIden)]
enum Commune {
    Table,
    PostalCodes,
    Address,
    InvoiceDueDay,
    BlockingThresholdCents,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Child {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tariff {
    Table,
    Id,
    UnitId,
    ValidFrom,
    ValidTo,
    Brackets,
    NonResidentCents,
    SiblingKind,
    SiblingValue,
    UnbookedCents,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AttendanceMark {
    Table,
    Id,
    ChildId,
    UnitId,
    Date,
    Mark,
    MarkedBy,
    MarkedAt,
}

#[derive(DeriveIden)]
enum InvoiceSequence {
    Table,
    Year,
    LastValue,
}

#[derive(DeriveIden)]
enum Invoice {
    Table,
    Id,
    Number,
    Kind,
    FamilyId,
    Month,
    Corrects,
    IssuedOn,
    DueOn,
    TotalCents,
    FamilyName,
    PayerName,
    PayerAddress,
    Reason,
    IssuedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InvoiceLine {
    Table,
    Id,
    InvoiceId,
    Position,
    LineKey,
    ChildId,
    ChildName,
    Service,
    ServiceName,
    UnitId,
    UnitName,
    Date,
    QuantityHundredths,
    UnitPriceCents,
    AmountCents,
    Rule,
}

#[derive(DeriveIden)]
enum Payment {
    Table,
    Id,
    FamilyId,
    Method,
    AmountCents,
    ReceivedOn,
    Reference,
    Bank,
    OnlineOperation,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentAllocation {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    AmountCents,
}

#[derive(DeriveIden)]
enum OnlinePayment {
    Table,
    Id,
    OperationId,
    FamilyId,
    InvoiceId,
    Reference,
    AmountCents,
    Status,
    PaymentId,
    CreatedAt,
    SettledAt,
}

#[derive(DeriveIden)]
enum FakePayfipOperation {
    Table,
    OperationId,
    AmountCents,
    Reference,
    Email,
    ReturnUrl,
    Result,
    CreatedAt,
}
