//! Family accounts and their holder, sessions with rotating refresh tokens, single-use e-mail
//! tokens, the login throttle, and the e-mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Family::Table)
                    .col(pk_uuid(Family::Id))
                    .col(string(Family::DossierStatus))
                    .col(timestamp_with_time_zone(Family::CreatedAt))
                    .col(timestamp_with_time_zone(Family::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FamilyAccount::Table)
                    .col(pk_uuid(FamilyAccount::Id))
                    .col(uuid_uniq(FamilyAccount::FamilyId))
                    .col(string_uniq(FamilyAccount::Email))
                    .col(string(FamilyAccount::PasswordHash))
                    .col(timestamp_with_time_zone_null(
                        FamilyAccount::EmailVerifiedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        FamilyAccount::VerificationSentAt,
                    ))
                    .col(boolean(FamilyAccount::Active))
                    .col(timestamp_with_time_zone(FamilyAccount::CreatedAt))
                    .col(timestamp_with_time_zone(FamilyAccount::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FamilyAccount::Table, FamilyAccount::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Guardian::Table)
                    .col(pk_uuid(Guardian::Id))
                    .col(uuid(Guardian::FamilyId))
                    .col(small_integer(Guardian::Rank))
                    .col(string(Guardian::Civility))
                    .col(string(Guardian::LastName))
                    .col(string(Guardian::FirstName))
                    .col(date_null(Guardian::BirthDate))
                    .col(string(Guardian::AddressLine1))
                    .col(string_null(Guardian::AddressLine2))
                    .col(string(Guardian::PostalCode))
                    .col(string(Guardian::City))
                    .col(string_null(Guardian::MobilePhone))
                    .col(string_null(Guardian::HomePhone))
                    .col(string_null(Guardian::Email))
                    .col(string_null(Guardian::Profession))
                    .col(string_null(Guardian::Employer))
                    .col(string_null(Guardian::WorkPhone))
                    .col(timestamp_with_time_zone(Guardian::CreatedAt))
                    .col(timestamp_with_time_zone(Guardian::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Guardian::Table, Guardian::FamilyId)
                            .to(Family::Table, Family::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("guardian_family_rank")
                    .table(Guardian::Table)
                    .col(Guardian::FamilyId)
                    .col(Guardian::Rank)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(pk_uuid(Session::Id))
                    .col(string(Session::AccountKind))
                    .col(uuid(Session::AccountId))
                    .col(boolean(Session::Remember))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone_null(Session::RevokedAt))
                    .col(string_null(Session::RevokedReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("session_account")
                    .table(Session::Table)
                    .col(Session::AccountKind)
                    .col(Session::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(pk_uuid(RefreshToken::Id))
                    .col(uuid(RefreshToken::SessionId))
                    .col(string_uniq(RefreshToken::TokenHash))
                    .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshToken::Table, RefreshToken::SessionId)
                            .to(Session::Table, Session::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailToken::Table)
                    .col(pk_uuid(EmailToken::Id))
                    .col(string(EmailToken::Purpose))
                    .col(string(EmailToken::AccountKind))
                    .col(uuid(EmailToken::AccountId))
                    .col(string_uniq(EmailToken::TokenHash))
                    .col(string_null(EmailToken::NewEmail))
                    .col(timestamp_with_time_zone(EmailToken::CreatedAt))
                    .col(timestamp_with_time_zone(EmailToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailToken::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("email_token_account")
                    .table(EmailToken::Table)
                    .col(EmailToken::AccountKind)
                    .col(EmailToken::AccountId)
                    .col(EmailToken::Purpose)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string(LoginThrottle::Key).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(LoginThrottle::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboxEmail::Table)
                    .col(pk_uuid(OutboxEmail::Id))
                    .col(string(OutboxEmail::ToAddress))
                    .col(string(OutboxEmail::Subject))
                    .col(text(OutboxEmail::TextBody))
                    .col(text_null(OutboxEmail::HtmlBody))
                    .col(text_null(OutboxEmail::ActionLink))
                    .col(timestamp_with_time_zone(OutboxEmail::CreatedAt))
                    .col(integer(OutboxEmail::Attempts))
                    .col(timestamp_with_time_zone(OutboxEmail::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxEmail::SentAt))
                    .col(text_null(OutboxEmail::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_email_due")
                    .table(OutboxEmail::Table)
                    .col(OutboxEmail::SentAt)
                    .col(OutboxEmail::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OutboxEmail::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            EmailToken::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            Session::Table.into_iden(),
            Guardian::Table.into_iden(),
            FamilyAccount::Table.into_iden(),
            Family::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
    DossierStatus,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FamilyAccount {
    Table,
    Id,
    FamilyId,
    Email,
    PasswordHash,
    EmailVerifiedAt,
    VerificationSentAt,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Guardian {
    Table,
    Id,
    FamilyId,
    Rank,
    Civility,
    LastName,
    FirstName,
    BirthDate,
    AddressLine1,
    AddressLine2,
    PostalCode,
    City,
    MobilePhone,
    HomePhone,
    Email,
    Profession,
    Employer,
    WorkPhone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    AccountKind,
    AccountId,
    Remember,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum EmailToken {
    Table,
    Id,
    Purpose,
    AccountKind,
    AccountId,
    TokenHash,
    NewEmail,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    Id,
    ToAddress,
    Subject,
    TextBody,
    HtmlBody,
    ActionLink,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
}
