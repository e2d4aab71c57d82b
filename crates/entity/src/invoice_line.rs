use sea_orm::entity::prelude::*;

/// One line of an invoice: a child, a unit, a day, a quantity (hundredths: 1 meal = 100, 3 h 30 = 350), a unit price and the rule that gave it. `line_key` says which booking it prices, for the corrections of a later run.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice_line")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub position: i32,
    pub line_key: String,
    pub child_id: Uuid,
    pub child_name: String,
    pub service: String,
    pub service_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub date: Date,
    pub quantity_hundredths: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
    pub rule: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
