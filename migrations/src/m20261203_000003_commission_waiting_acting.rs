//! Issue 13, second part: the commission's answer on a pre-registration (place offered from a
//! date with an answer deadline, refusal reason, waiting-list arrival and staff's placement),
//! waiting lists on « Mon planning » (a service's setting, `waiting_entry`), and the sessions
//! of an agent acting for a family (`session.acting_family_id`); a family created at the
//! counter remembers the agent who accepted the data-protection text on its behalf.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        for column in [
            date_null(Preregistration::OfferedFrom),
            date_null(Preregistration::AnswerBy),
            text_null(Preregistration::Reason),
            timestamp_with_time_zone_null(Preregistration::WaitingSince),
            integer_null(Preregistration::WaitingPlacedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Preregistration::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            string(Service::WaitingList).default("off").to_owned(),
            integer(Service::OfferHours).default(24).to_owned(),
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
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .add_column(uuid_null(Session::ActingFamilyId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Family::Table)
                    .add_column(uuid_null(Family::ConsentAcceptedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WaitingEntry::Table)
                    .col(uuid(WaitingEntry::Id).primary_key())
                    .col(uuid(WaitingEntry::UnitId))
                    .col(date(WaitingEntry::Date))
                    .col(uuid(WaitingEntry::ChildId))
                    .col(uuid(WaitingEntry::FamilyId))
                    .col(string(WaitingEntry::Status))
                    .col(timestamp_with_time_zone(WaitingEntry::JoinedAt))
                    .col(timestamp_with_time_zone_null(WaitingEntry::OfferedUntil))
                    .col(timestamp_with_time_zone(WaitingEntry::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WaitingEntry::Table, WaitingEntry::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // A child waits once for a day and unit.
        db.execute_unprepared("CREATE UNIQUE INDEX waiting_active ON waiting_entry (child_id, unit_id, date) WHERE status IN ('waiting', 'offered')")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX waiting_unit_date ON waiting_entry (unit_id, date, joined_at)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX waiting_family_date ON waiting_entry (family_id, date)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WaitingEntry::Table).to_owned())
            .await?;
        for (table, column) in [
            (
                Family::Table.into_iden(),
                Family::ConsentAcceptedBy.into_iden(),
            ),
            (
                Session::Table.into_iden(),
                Session::ActingFamilyId.into_iden(),
            ),
            (Service::Table.into_iden(), Service::OfferHours.into_iden()),
            (Service::Table.into_iden(), Service::WaitingList.into_iden()),
            (
                Preregistration::Table.into_iden(),
                Preregistration::WaitingPlacedAt.into_iden(),
            ),
            (
                Preregistration::Table.into_iden(),
                Preregistration::WaitingSince.into_iden(),
            ),
            (
                Preregistration::Table.into_iden(),
                Preregistration::Reason.into_iden(),
            ),
            (
                Preregistration::Table.into_iden(),
                Preregistration::AnswerBy.into_iden(),
            ),
            (
                Preregistration::Table.into_iden(),
                Preregistration::OfferedFrom.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Preregistration {
    Table,
    OfferedFrom,
    AnswerBy,
    Reason,
    WaitingSince,
    WaitingPlacedAt,
}

#[derive(DeriveIden)]
enum Service {
    Table,
    WaitingList,
    OfferHours,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    ActingFamilyId,
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
    ConsentAcceptedBy,
}

#[derive(DeriveIden)]
enum WaitingEntry {
    Table,
    Id,
    UnitId,
    Date,
    ChildId,
    FamilyId,
    Status,
    JoinedAt,
    OfferedUntil,
    UpdatedAt,
}
