use sea_orm::entity::prelude::*;

/// One invoice debited in a file: its amount, sequence (`FRST`/`RCUR`), `status` (a
/// `DebitStatus` code), the bank's return reason and day, the payment a settlement recorded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sepa_debit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub batch_id: Uuid,
    pub invoice_id: Uuid,
    pub mandate_id: Uuid,
    pub family_id: Uuid,
    pub amount_cents: i64,
    pub sequence_type: String,
    #[sea_orm(unique)]
    pub end_to_end_id: String,
    pub status: String,
    pub return_reason: Option<String>,
    pub returned_on: Option<Date>,
    pub payment_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
