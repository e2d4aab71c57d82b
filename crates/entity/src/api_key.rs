use sea_orm::entity::prelude::*;

/// An integrator's API key (issue 14): `lookup` finds the row, `secret_hash` is the keyed
/// hash of the secret, `scopes` a comma-separated list of `ApiScope`. `window_start` and
/// `window_calls` count the calls of the current minute (the rate limit every instance
/// shares).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub lookup: String,
    pub secret_hash: String,
    pub scopes: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<Uuid>,
    pub last_used_at: Option<DateTimeUtc>,
    pub window_start: Option<DateTimeUtc>,
    pub window_calls: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
