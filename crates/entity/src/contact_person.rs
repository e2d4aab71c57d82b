use sea_orm::entity::prelude::*;

/// A person to call in an emergency and/or allowed to pick the children up.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    pub last_name: String,
    pub first_name: String,
    pub phone: String,
    pub relationship: String,
    pub emergency_contact: bool,
    pub can_pick_up: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
