use sea_orm::entity::prelude::*;

/// A webhook subscription: `events` is a comma-separated list of `WebhookEvent`; `secret`
/// signs the deliveries (kept to sign, shown once).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: String,
    pub secret: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
