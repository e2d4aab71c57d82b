use sea_orm::entity::prelude::*;

/// A payment received from a family (`method`: a `PaymentMethod` code). `online_operation`: the provider's operation, unique (recorded once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    pub method: String,
    pub amount_cents: i64,
    pub received_on: Date,
    pub reference: String,
    pub bank: String,
    #[sea_orm(unique)]
    pub online_operation: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
