//! Black-box tests of the API: a real server on port 0 with a fresh database per test — SQLite
//! by default, PostgreSQL when `PORTAIL_TEST_DATABASE_URL` points at a server (scripts/test
//! runs the suite both ways).

mod accounts;
mod client;
mod family_helpers;
mod family_search;
mod helpers;
mod planning_helpers;

mod access;
mod appointments;
mod assisted;
mod audit_trail;
mod backups;
mod billing;
mod certificates;
mod cli;
mod commune;
mod contract;
mod direct_debit;
mod documents;
mod eligibility;
mod family_file;
mod french_errors;
mod french_text;
mod frontend_rules;
mod health;
mod instances;
mod integrations;
mod legal_pages;
mod logs;
mod messages;
mod openapi;
mod operations;
mod outbox;
mod overlaps;
mod pagination;
mod passwords;
mod planning;
mod preregistrations;
mod registration;
mod requests;
mod retention;
mod review;
mod sessions;
mod shutdown;
mod spa;
mod staff;
mod staff_lifecycle;
mod staff_planning;
mod staff_scope;
mod tokens;
mod waiting_lists;
mod week_pattern;
