use sea_orm::entity::prelude::*;

/// An appointment slot of a desk (`desk` an `AppointmentDesk` code): a day, a start (`HH:MM`,
/// Europe/Paris), a length, how many people at once (`capacity`) and how many are booked
/// (`taken`, raised only while below `capacity`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment_slot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub desk: String,
    pub date: Date,
    pub starts_at: String,
    pub length_minutes: i32,
    pub capacity: i32,
    pub taken: i32,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
