use sea_orm::entity::prelude::*;

/// The login of a family (one per family). `email` is stored lowercased.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "family_account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub family_id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub email_verified_at: Option<DateTimeUtc>,
    pub verification_sent_at: Option<DateTimeUtc>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
