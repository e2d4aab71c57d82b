use sea_orm::entity::prelude::*;

/// « Mon foyer »: one row per family. Enum columns hold the codes of `portail_domain::dossier`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "household")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub family_id: Uuid,
    pub family_situation: Option<String>,
    pub dependent_children: Option<i16>,
    pub allocation_regime: Option<String>,
    pub beneficiary_number: String,
    pub family_quotient: Option<i32>,
    pub family_quotient_year: Option<i32>,
    pub insurance_company: String,
    pub insurance_policy_number: String,
    pub invoice_payer: Option<String>,
    pub updated_at: DateTimeUtc,
    /// The household's monthly resources (N-2 income / 12), entered by staff for the crèche.
    pub resources_cents: Option<i64>,
    pub resources_year: Option<i32>,
    /// A child of the family receives the AEEH (counts as one more child for the PSU rate).
    pub aeeh: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
