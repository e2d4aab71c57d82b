use sea_orm::entity::prelude::*;

/// One of the commune's services (crèche, ALJA…) and its booking rules. `code` is a `ServiceCode`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub structure_name: String,
    pub phone: Option<String>,
    pub description: String,
    pub sort_order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub booking_mode: String,
    pub cutoff_days: Option<i32>,
    pub cutoff_time: Option<String>,
    pub cutoff_working_days: bool,
    pub weekday_rule: Option<String>,
    pub min_age_months: Option<i32>,
    pub max_age_months: Option<i32>,
    pub email: Option<String>,
    pub hours: Option<String>,
    /// `off`, `auto` (the first waiting child takes a freed place) or `offer` (it is offered).
    pub waiting_list: String,
    /// In `offer` mode, how long a freed place is kept for the first waiting child.
    pub offer_hours: i32,
    /// Families may write to it from their space (issue 24, point 2).
    pub accepts_messages: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
