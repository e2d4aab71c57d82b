use sea_orm::entity::prelude::*;

/// A unit of a service (« Journée avec repas »), with its default capacity per day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub service_id: Uuid,
    pub name: String,
    pub default_capacity: i32,
    pub price_cents: Option<i64>,
    pub position: i32,
    /// Local hours covered, `HH:MM:SS`; both absent when the unit overlaps nothing.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
