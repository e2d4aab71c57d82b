use sea_orm::entity::prelude::*;

/// A crèche pre-registration. `schedule` is JSON (five weekdays, each `{arrival, departure}`
/// or `null`); `status` a `PreRegistrationStatus` code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preregistration")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    pub child_id: Option<Uuid>,
    pub expected_on: Option<Date>,
    pub wished_start: Date,
    pub schedule: String,
    pub weeks_per_year: i32,
    pub comment: String,
    pub status: String,
    pub sent_on: Option<Date>,
    pub offered_from: Option<Date>,
    pub answer_by: Option<Date>,
    pub reason: Option<String>,
    /// When it joined the waiting list (first come, first served).
    pub waiting_since: Option<DateTimeUtc>,
    /// A waiting-list position staff set (with a reason, audited).
    pub waiting_placed_at: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
