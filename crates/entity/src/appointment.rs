use sea_orm::entity::prelude::*;

/// An appointment in a slot: who comes (a name, a phone, an e-mail address for the
/// confirmation and the reminder), why, its `status` (an `AppointmentStatus` code), the staff
/// member who booked it for a caller (none: taken on the public page).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slot_id: Uuid,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub reason: String,
    pub status: String,
    pub booked_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub reminder_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
