use sea_orm::entity::prelude::*;

/// The FAKE payment provider's own operations (demo and tests only): `result` is the PayFiP code the parent chose (`P`, `R`, `A`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fake_payfip_operation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub operation_id: String,
    pub amount_cents: i64,
    pub reference: String,
    pub email: String,
    pub return_url: String,
    pub result: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
