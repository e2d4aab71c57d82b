use sea_orm::entity::prelude::*;

/// A child waiting for a place on a full day of a unit (« liste d'attente » on « Mon
/// planning »). `status`: `waiting`, `offered` (a freed place is kept until `offered_until`),
/// `promoted` (booked), `left`, `lapsed`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waiting_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub date: Date,
    pub child_id: Uuid,
    pub family_id: Uuid,
    pub status: String,
    pub joined_at: DateTimeUtc,
    pub offered_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
