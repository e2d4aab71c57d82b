use sea_orm::entity::prelude::*;

/// A unit's dated tariff. `brackets` is JSON (`[{"up_to":600,"price_cents":120},…]`); `sibling_kind` is `percent_off` or `fixed`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tariff")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub brackets: String,
    pub non_resident_cents: Option<i64>,
    pub sibling_kind: Option<String>,
    pub sibling_value: Option<i64>,
    pub unbooked_cents: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
