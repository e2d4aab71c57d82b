use sea_orm::entity::prelude::*;

/// The crèche's PSU figures in force from `valid_from` (cents; rates in millionths).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "psu_parameters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub valid_from: Date,
    pub floor_cents: i64,
    pub ceiling_cents: i64,
    #[sea_orm(column_name = "rate_1_child")]
    pub rate1: i64,
    #[sea_orm(column_name = "rate_2_children")]
    pub rate2: i64,
    #[sea_orm(column_name = "rate_3_children")]
    pub rate3: i64,
    #[sea_orm(column_name = "rate_4_to_7_children")]
    pub rate4_to7: i64,
    #[sea_orm(column_name = "rate_8_children_or_more")]
    pub rate8_more: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
