use sea_orm::entity::prelude::*;

/// The commune this deployment serves: always exactly one row, id 1.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commune")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub name: String,
    pub timezone: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub reverification_month: i32,
    pub reverification_day: i32,
    pub last_reverification_year: Option<i32>,
    /// The commune's postal codes, comma-separated (residents pay the resident rate).
    pub postal_codes: String,
    /// The town hall's postal address, printed on invoices.
    pub address: String,
    /// Invoices are due on this day of the month after the one billed.
    pub invoice_due_day: i32,
    /// New bookings are refused while unpaid invoices past due exceed this (none: never).
    pub blocking_threshold_cents: Option<i64>,
    /// Printed on invoices (empty: not set): the commune's SIRET, the account to pay by
    /// transfer, and a contact for questions (a phone number, an address).
    pub siret: String,
    pub iban: String,
    pub bic: String,
    /// The SEPA creditor identifier (ICS) of direct debits; empty: no direct debit.
    pub creditor_id: String,
    pub billing_contact: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
