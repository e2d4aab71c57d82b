//! Database migrations, one file per change, run on SQLite and PostgreSQL alike.
//! Never edit a migration that has been released: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_commune_services_staff;
mod m20261128_000002_create_families_and_sessions;
mod m20261128_000003_create_family_file;
mod m20261128_000004_create_planning;
mod m20261202_000001_add_unit_hours;
mod m20261202_000002_service_contacts_and_announcements;
mod m20261202_000003_psu_parameters;
mod m20261203_000001_billing;
mod m20261203_000002_preregistrations;
mod m20261203_000003_commission_waiting_acting;
mod m20261203_000004_integrations;
mod m20261207_000001_job_runs;
mod m20261207_000002_signing_keys;
mod m20261207_000003_legal_pages;
mod m20261207_000004_week_patterns;
mod m20261207_000005_invoice_identity;
mod m20261207_000006_appointments;
mod m20261207_000007_messages;
mod m20261207_000008_direct_debit;
mod m20261207_000009_family_search;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_commune_services_staff::Migration),
            Box::new(m20261128_000002_create_families_and_sessions::Migration),
            Box::new(m20261128_000003_create_family_file::Migration),
            Box::new(m20261128_000004_create_planning::Migration),
            Box::new(m20261202_000001_add_unit_hours::Migration),
            Box::new(m20261202_000002_service_contacts_and_announcements::Migration),
            Box::new(m20261202_000003_psu_parameters::Migration),
            Box::new(m20261203_000001_billing::Migration),
            Box::new(m20261203_000002_preregistrations::Migration),
            Box::new(m20261203_000003_commission_waiting_acting::Migration),
            Box::new(m20261203_000004_integrations::Migration),
            Box::new(m20261207_000001_job_runs::Migration),
            Box::new(m20261207_000002_signing_keys::Migration),
            Box::new(m20261207_000003_legal_pages::Migration),
            Box::new(m20261207_000004_week_patterns::Migration),
            Box::new(m20261207_000005_invoice_identity::Migration),
            Box::new(m20261207_000006_appointments::Migration),
            Box::new(m20261207_000007_messages::Migration),
            Box::new(m20261207_000008_direct_debit::Migration),
            Box::new(m20261207_000009_family_search::Migration),
        ]
    }
}
