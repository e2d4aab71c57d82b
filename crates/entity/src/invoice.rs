use sea_orm::entity::prelude::*;

/// An issued invoice or credit note (`kind`), never edited. `corrects`: the invoice a credit note reduces. Names and addresses are copies taken at issue.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub number: String,
    pub kind: String,
    pub family_id: Uuid,
    pub month: String,
    pub corrects: Option<Uuid>,
    pub issued_on: Date,
    pub due_on: Date,
    pub total_cents: i64,
    pub family_name: String,
    pub payer_name: String,
    pub payer_address: String,
    pub reason: String,
    pub issued_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
