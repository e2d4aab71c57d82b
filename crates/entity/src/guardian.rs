use sea_orm::entity::prelude::*;

/// A legal guardian of a family: rank 1 is the account holder, rank 2 the second guardian.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guardian")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    pub rank: i16,
    pub civility: String,
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<Date>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub mobile_phone: Option<String>,
    pub home_phone: Option<String>,
    pub email: Option<String>,
    pub profession: Option<String>,
    pub employer: Option<String>,
    pub work_phone: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
