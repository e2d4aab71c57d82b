//! The family file: household, contacts, children, documents and their requirements, the
//! dossier's history, the staff audit log, agents' services, and the yearly re-verification.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            timestamp_with_time_zone_null(Family::SubmittedAt),
            timestamp_with_time_zone_null(Family::ValidatedAt),
            text_null(Family::InfoRequestMessage),
            string_null(Family::ValidatedFingerprint),
            timestamp_with_time_zone_null(Family::DeletionRequestedAt),
            timestamp_with_time_zone_null(Family::LastActivityAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Family::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            integer(Commune::ReverificationMonth).default(8).to_owned(),
            integer(Commune::ReverificationDay).default(1).to_owned(),
            integer_null(Commune::LastReverificationYear),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Commune::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Household::Table)
                    .col(uuid(Household::FamilyId).primary_key())
                    .col(string_null(Household::FamilySituation))
                    .col(small_integer_null(Household::DependentChildren))
                    .col(string_null(Household::AllocationRegime))
                    .col(string(Household::BeneficiaryNumber))
                    .col(integer_null(Household::FamilyQuotient))
                    .col(integer_null(Household::FamilyQuotientYear))
                    .col(string(Household::InsuranceCompany))
                    .col(string(Household::InsurancePolicyNumber))
                    .col(string_null(Household::InvoicePayer))
                    .col(timestamp_with_time_zone(Household::UpdatedAt))
                    .foreign_key(&mut fk(
                        Household::Table,
                        Household::FamilyId,
                        Family::Table,
                        Family::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContactPerson::Table)
                    .col(pk_uuid(ContactPerson::Id))
                    .col(uuid(ContactPerson::FamilyId))
                    .col(string(ContactPerson::LastName))
                    .col(string(ContactPerson::FirstName))
                    .col(string(ContactPerson::Phone))
                    .col(string(ContactPerson::Relationship))
                    .col(boolean(ContactPerson::EmergencyContact))
                    .col(boolean(ContactPerson::CanPickUp))
                    .col(integer(ContactPerson::Position))
                    .foreign_key(&mut fk(
                        ContactPerson::Table,
                        ContactPerson::FamilyId,
                        Family::Table,
                        Family::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("contact_person_family")
                    .table(ContactPerson::Table)
                    .col(ContactPerson::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Child::Table)
                    .col(pk_uuid(Child::Id))
                    .col(uuid(Child::FamilyId))
                    .col(string(Child::LastName))
                    .col(string(Child::FirstName))
                    .col(string_null(Child::Sex))
                    .col(date_null(Child::BirthDate))
                    .col(string(Child::School))
                    .col(string(Child::ClassLevel))
                    .col(string(Child::DoctorName))
                    .col(string(Child::DoctorPhone))
                    .col(text(Child::Allergies))
                    .col(boolean_null(Child::HasPai))
                    .col(boolean_null(Child::VaccinationsUpToDate))
                    .col(date_null(Child::LastDtpDate))
                    .col(string_null(Child::Diet))
                    .col(boolean_null(Child::PhotoConsent))
                    .col(boolean_null(Child::EmergencyCareConsent))
                    .col(boolean_null(Child::MayLeaveAlone))
                    .col(boolean_null(Child::OutingsConsent))
                    .col(timestamp_with_time_zone(Child::CreatedAt))
                    .col(timestamp_with_time_zone(Child::UpdatedAt))
                    .foreign_key(&mut fk(
                        Child::Table,
                        Child::FamilyId,
                        Family::Table,
                        Family::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("child_family")
                    .table(Child::Table)
                    .col(Child::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChildPickup::Table)
                    .col(uuid(ChildPickup::ChildId))
                    .col(uuid(ChildPickup::ContactId))
                    .primary_key(
                        Index::create()
                            .col(ChildPickup::ChildId)
                            .col(ChildPickup::ContactId),
                    )
                    .foreign_key(&mut fk(
                        ChildPickup::Table,
                        ChildPickup::ChildId,
                        Child::Table,
                        Child::Id,
                    ))
                    .foreign_key(&mut fk(
                        ChildPickup::Table,
                        ChildPickup::ContactId,
                        ContactPerson::Table,
                        ContactPerson::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .col(pk_uuid(Document::Id))
                    .col(uuid(Document::FamilyId))
                    .col(uuid_null(Document::ChildId))
                    .col(string(Document::DocumentType))
                    .col(string(Document::Filename))
                    .col(string(Document::ContentType))
                    .col(big_integer(Document::SizeBytes))
                    .col(string(Document::Sha256))
                    .col(string_uniq(Document::StorageKey))
                    .col(string(Document::Status))
                    .col(text_null(Document::RefusalReason))
                    .col(uuid_null(Document::ReviewedBy))
                    .col(timestamp_with_time_zone_null(Document::ReviewedAt))
                    .col(timestamp_with_time_zone(Document::UploadedAt))
                    .foreign_key(&mut fk(
                        Document::Table,
                        Document::FamilyId,
                        Family::Table,
                        Family::Id,
                    ))
                    .foreign_key(&mut fk(
                        Document::Table,
                        Document::ChildId,
                        Child::Table,
                        Child::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("document_family")
                    .table(Document::Table)
                    .col(Document::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DocumentRequirement::Table)
                    .col(pk_uuid(DocumentRequirement::Id))
                    .col(uuid_null(DocumentRequirement::ServiceId))
                    .col(string(DocumentRequirement::DocumentType))
                    .col(boolean(DocumentRequirement::PerChild))
                    .foreign_key(&mut fk(
                        DocumentRequirement::Table,
                        DocumentRequirement::ServiceId,
                        Service::Table,
                        Service::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DossierEvent::Table)
                    .col(pk_uuid(DossierEvent::Id))
                    .col(uuid(DossierEvent::FamilyId))
                    .col(string(DossierEvent::Kind))
                    .col(string(DossierEvent::StatusAfter))
                    .col(text_null(DossierEvent::Message))
                    .col(string(DossierEvent::ActorKind))
                    .col(uuid_null(DossierEvent::ActorId))
                    .col(timestamp_with_time_zone(DossierEvent::CreatedAt))
                    .foreign_key(&mut fk(
                        DossierEvent::Table,
                        DossierEvent::FamilyId,
                        Family::Table,
                        Family::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossier_event_family")
                    .table(DossierEvent::Table)
                    .col(DossierEvent::FamilyId)
                    .to_owned(),
            )
            .await?;

        // No foreign key to the family: the audit log outlives an anonymised family.
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(pk_uuid(AuditEvent::Id))
                    .col(uuid(AuditEvent::StaffId))
                    .col(string(AuditEvent::Action))
                    .col(uuid_null(AuditEvent::FamilyId))
                    .col(uuid_null(AuditEvent::TargetId))
                    .col(text_null(AuditEvent::Detail))
                    .col(timestamp_with_time_zone(AuditEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_event_family")
                    .table(AuditEvent::Table)
                    .col(AuditEvent::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(StaffService::Table)
                    .col(uuid(StaffService::StaffId))
                    .col(uuid(StaffService::ServiceId))
                    .primary_key(
                        Index::create()
                            .col(StaffService::StaffId)
                            .col(StaffService::ServiceId),
                    )
                    .foreign_key(&mut fk(
                        StaffService::Table,
                        StaffService::StaffId,
                        Staff::Table,
                        Staff::Id,
                    ))
                    .foreign_key(&mut fk(
                        StaffService::Table,
                        StaffService::ServiceId,
                        Service::Table,
                        Service::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StaffService::Table.into_iden(),
            AuditEvent::Table.into_iden(),
            DossierEvent::Table.into_iden(),
            DocumentRequirement::Table.into_iden(),
            Document::Table.into_iden(),
            ChildPickup::Table.into_iden(),
            Child::Table.into_iden(),
            ContactPerson::Table.into_iden(),
            Household::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Family::SubmittedAt,
            Family::ValidatedAt,
            Family::InfoRequestMessage,
            Family::ValidatedFingerprint,
            Family::DeletionRequestedAt,
            Family::LastActivityAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Family::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Commune::ReverificationMonth,
            Commune::ReverificationDay,
            Commune::LastReverificationYear,
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

#[derive(DeriveIden)]
enum Family {
    Table,
    Id,
    SubmittedAt,
    ValidatedAt,
    InfoRequestMessage,
    ValidatedFingerprint,
    DeletionRequestedAt,
    LastActivityAt,
}

#[derive(DeriveIden)]
enum Commune {
    Table,
    ReverificationMonth,
    ReverificationDay,
    LastReverificationYear,
}

#[derive(DeriveIden)]
enum Service {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Household {
    Table,
    FamilyId,
    FamilySituation,
    DependentChildren,
    AllocationRegime,
    BeneficiaryNumber,
    FamilyQuotient,
    FamilyQuotientYear,
    InsuranceCompany,
    InsurancePolicyNumber,
    InvoicePayer,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContactPerson {
    Table,
    Id,
    FamilyId,
    LastName,
    FirstName,
    Phone,
    Relationship,
    EmergencyContact,
    CanPickUp,
    Position,
}

#[derive(DeriveIden)]
enum Child {
    Table,
    Id,
    FamilyId,
    LastName,
    FirstName,
    Sex,
    BirthDate,
    School,
    ClassLevel,
    DoctorName,
    DoctorPhone,
    Allergies,
    HasPai,
    VaccinationsUpToDate,
    LastDtpDate,
    Diet,
    PhotoConsent,
    EmergencyCareConsent,
    MayLeaveAlone,
    OutingsConsent,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChildPickup {
    Table,
    ChildId,
    ContactId,
}

#[derive(DeriveIden)]
#[expect(
    clippy::enum_variant_names,
    reason = "the column is named document_type"
)]
enum Document {
    Table,
    Id,
    FamilyId,
    ChildId,
    DocumentType,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    Status,
    RefusalReason,
    ReviewedBy,
    ReviewedAt,
    UploadedAt,
}

#[derive(DeriveIden)]
enum DocumentRequirement {
    Table,
    Id,
    ServiceId,
    DocumentType,
    PerChild,
}

#[derive(DeriveIden)]
enum DossierEvent {
    Table,
    Id,
    FamilyId,
    Kind,
    StatusAfter,
    Message,
    ActorKind,
    ActorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    StaffId,
    Action,
    FamilyId,
    TargetId,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffService {
    Table,
    StaffId,
    ServiceId,
}
