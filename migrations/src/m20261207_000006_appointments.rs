//! Issue 24, point 5: appointments for « aide aux démarches » at the town hall (CCAS or
//! « affaires scolaires »). Staff open slots (a day, a start, a length, how many at once);
//! anyone takes one from the portal's public page, or staff for a caller on the phone.
//! `taken` counts the slot's live appointments: it is raised by a conditional update
//! (`taken < capacity`), so a slot is never given twice, on SQLite as on PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppointmentSlot::Table)
                    .col(uuid(AppointmentSlot::Id).primary_key())
                    .col(string(AppointmentSlot::Desk))
                    .col(date(AppointmentSlot::Date))
                    .col(string(AppointmentSlot::StartsAt))
                    .col(integer(AppointmentSlot::LengthMinutes))
                    .col(integer(AppointmentSlot::Capacity))
                    .col(integer(AppointmentSlot::Taken))
                    .col(uuid(AppointmentSlot::CreatedBy))
                    .col(timestamp_with_time_zone(AppointmentSlot::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointment_slot_desk_date")
                    .table(AppointmentSlot::Table)
                    .col(AppointmentSlot::Desk)
                    .col(AppointmentSlot::Date)
                    .col(AppointmentSlot::StartsAt)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Appointment::Table)
                    .col(uuid(Appointment::Id).primary_key())
                    .col(uuid(Appointment::SlotId))
                    .col(string(Appointment::Name))
                    .col(string(Appointment::Phone))
                    .col(string_null(Appointment::Email))
                    .col(text(Appointment::Reason))
                    .col(string(Appointment::Status))
                    .col(uuid_null(Appointment::BookedBy))
                    .col(timestamp_with_time_zone(Appointment::CreatedAt))
                    .col(timestamp_with_time_zone_null(Appointment::ReminderSentAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Appointment::Table, Appointment::SlotId)
                            .to(AppointmentSlot::Table, AppointmentSlot::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_appointment_slot")
                    .table(Appointment::Table)
                    .col(Appointment::SlotId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Appointment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AppointmentSlot::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AppointmentSlot {
    Table,
    Id,
    Desk,
    Date,
    StartsAt,
    LengthMinutes,
    Capacity,
    Taken,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Appointment {
    Table,
    Id,
    SlotId,
    Name,
    Phone,
    Email,
    Reason,
    Status,
    BookedBy,
    CreatedAt,
    ReminderSentAt,
}
