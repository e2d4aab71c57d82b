use sea_orm::entity::prelude::*;

/// What staff marked for a child on a day and unit: `present`, `absent` or `excused` (medical certificate).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_mark")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_id: Uuid,
    pub unit_id: Uuid,
    pub date: Date,
    pub mark: String,
    pub marked_by: Uuid,
    pub marked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
