//! Mon planning: services' booking rules, periods, units, per-day slots with their capacity,
//! bookings, and idempotency keys of submitted recaps.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            string(Service::BookingMode).default("instant").to_owned(),
            integer_null(Service::CutoffDays),
            string_null(Service::CutoffTime),
            boolean(Service::CutoffWorkingDays)
                .default(false)
                .to_owned(),
            string_null(Service::WeekdayRule),
            integer_null(Service::MinAgeMonths),
            integer_null(Service::MaxAgeMonths),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Service::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Period::Table)
                    .col(pk_uuid(Period::Id))
                    .col(uuid(Period::ServiceId))
                    .col(string(Period::Name))
                    .col(date(Period::StartsOn))
                    .col(date(Period::EndsOn))
                    .col(timestamp_with_time_zone(Period::BookingOpensAt))
                    .col(timestamp_with_time_zone(Period::BookingClosesAt))
                    .col(string(Period::OpenWeekdays))
                    .col(text(Period::ClosedDates))
                    .col(timestamp_with_time_zone(Period::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Period::Table, Period::ServiceId)
                            .to(Service::Table, Service::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Unit::Table)
                    .col(pk_uuid(Unit::Id))
                    .col(uuid(Unit::ServiceId))
                    .col(string(Unit::Name))
                    .col(integer(Unit::DefaultCapacity))
                    .col(big_integer_null(Unit::PriceCents))
                    .col(integer(Unit::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Unit::Table, Unit::ServiceId)
                            .to(Service::Table, Service::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // The capacity of one unit on one day. `taken` only moves through guarded updates;
        // the CHECK is the last line of defence (`forced` counts audited over-capacity places).
        manager
            .create_table(
                Table::create()
                    .table(Slot::Table)
                    .col(pk_uuid(Slot::Id))
                    .col(uuid(Slot::UnitId))
                    .col(date(Slot::Date))
                    .col(integer(Slot::Capacity))
                    .col(integer(Slot::Taken))
                    .col(integer(Slot::Forced))
                    .check(
                        Expr::col(Slot::Taken).gte(0).and(
                            Expr::col(Slot::Taken)
                                .lte(Expr::col(Slot::Capacity).add(Expr::col(Slot::Forced))),
                        ),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Slot::Table, Slot::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("slot_unit_date")
                    .table(Slot::Table)
                    .col(Slot::UnitId)
                    .col(Slot::Date)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Booking::Table)
                    .col(pk_uuid(Booking::Id))
                    .col(uuid(Booking::FamilyId))
                    .col(uuid(Booking::ChildId))
                    .col(uuid(Booking::UnitId))
                    .col(date(Booking::Date))
                    .col(string(Booking::Status))
                    .col(text_null(Booking::DeclineReason))
                    .col(uuid_null(Booking::DecidedBy))
                    .col(uuid_null(Booking::BookedBy))
                    .col(timestamp_with_time_zone(Booking::CreatedAt))
                    .col(timestamp_with_time_zone(Booking::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Booking::Table, Booking::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Booking::Table, Booking::ChildId)
                            .to(Child::Table, Child::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Booking::Table, Booking::UnitId)
                            .to(Unit::Table, Unit::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A child is never booked (or wished) twice on the same day and unit.
        manager
            .get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX booking_active ON booking (child_id, unit_id, date) WHERE status IN ('booked', 'requested')")
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("booking_unit_date")
                    .table(Booking::Table)
                    .col(Booking::UnitId)
                    .col(Booking::Date)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("booking_family_date")
                    .table(Booking::Table)
                    .col(Booking::FamilyId)
                    .col(Booking::Date)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKey::Table)
                    .col(uuid(IdempotencyKey::FamilyId))
                    .col(string(IdempotencyKey::Key))
                    .col(string(IdempotencyKey::RequestHash))
                    .col(text(IdempotencyKey::Response))
                    .col(timestamp_with_time_zone(IdempotencyKey::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKey::FamilyId)
                            .col(IdempotencyKey::Key),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKey::Table.into_iden(),
            Booking::Table.into_iden(),
            Slot::Table.into_iden(),
            Unit::Table.into_iden(),
            Period::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Service::BookingMode,
            Service::CutoffDays,
            Service::CutoffTime,
            Service::CutoffWorkingDays,
            Service::WeekdayRule,
            Service::MinAgeMonths,
            Service::MaxAgeMonths,
        ] {
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
    Id,
    BookingMode,
    CutoffDays,
    CutoffTime,
    CutoffWorkingDays,
    WeekdayRule,
    MinAgeMonths,
    MaxAgeMonths,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Child {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Period {
    Table,
    Id,
    ServiceId,
    Name,
    StartsOn,
    EndsOn,
    BookingOpensAt,
    BookingClosesAt,
    OpenWeekdays,
    ClosedDates,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
    ServiceId,
    Name,
    DefaultCapacity,
    PriceCents,
    Position,
}

#[derive(DeriveIden)]
enum Slot {
    Table,
    Id,
    UnitId,
    Date,
    Capacity,
    Taken,
    Forced,
}

#[derive(DeriveIden)]
enum Booking {
    Table,
    Id,
    FamilyId,
    ChildId,
    UnitId,
    Date,
    Status,
    DeclineReason,
    DecidedBy,
    BookedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKey {
    Table,
    FamilyId,
    Key,
    RequestHash,
    Response,
    CreatedAt,
}
