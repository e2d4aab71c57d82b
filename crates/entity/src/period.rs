use sea_orm::entity::prelude::*;

/// A bookable period of a service. `open_weekdays` is seven 0/1 from Monday; `closed_dates` ISO dates, comma-separated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "period")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub service_id: Uuid,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub booking_opens_at: DateTimeUtc,
    pub booking_closes_at: DateTimeUtc,
    pub open_weekdays: String,
    pub closed_dates: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
