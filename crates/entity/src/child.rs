use sea_orm::entity::prelude::*;

/// A child of a family. Yes/no answers are `None` until the family has answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "child")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub family_id: Uuid,
    pub last_name: String,
    pub first_name: String,
    pub sex: Option<String>,
    pub birth_date: Option<Date>,
    pub school: String,
    pub class_level: String,
    pub doctor_name: String,
    pub doctor_phone: String,
    pub allergies: String,
    pub has_pai: Option<bool>,
    pub vaccinations_up_to_date: Option<bool>,
    pub last_dtp_date: Option<Date>,
    pub diet: Option<String>,
    pub photo_consent: Option<bool>,
    pub emergency_care_consent: Option<bool>,
    pub may_leave_alone: Option<bool>,
    pub outings_consent: Option<bool>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
