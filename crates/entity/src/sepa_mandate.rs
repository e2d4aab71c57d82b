use sea_orm::entity::prelude::*;

/// A family's SEPA direct-debit mandate: its unique reference (RUM), the account holder and
/// IBAN debited, when and how it was signed (online, or on paper recorded by `recorded_by`),
/// and its `status` (a `MandateStatus` code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sepa_mandate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    #[sea_orm(unique)]
    pub reference: String,
    pub holder: String,
    pub iban: String,
    pub signed_on: Date,
    pub signed_online: bool,
    pub recorded_by: Option<Uuid>,
    pub status: String,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
