use sea_orm::entity::prelude::*;

/// An online payment started by a parent: `pending` until the provider says `paid`, `refused` or `abandoned`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "online_payment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub operation_id: String,
    pub family_id: Uuid,
    pub invoice_id: Uuid,
    pub reference: String,
    pub amount_cents: i64,
    pub status: String,
    pub payment_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub settled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
