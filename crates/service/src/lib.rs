//! Portail Famille's use-cases: async functions that take the [`Context`] (database, password
//! hasher, clock, outbox) and return domain values or a per-use-case error.
//! No HTTP types here: the API crate maps these results to responses.
//!
//! - `accounts/`: registration, e-mail confirmation, login, sessions, passwords, staff;
//! - `family/`: the family file (household, children, documents, dossier) and its review;
//! - `planning/`: the month grid, recaps and the booking writer, staff configuration;
//! - `outbox` and `mailer`: e-mails, written transactionally and sent by a worker;
//! - `change`: the tail of every change (audit rows, webhook `events`, commit, outbox woken);
//! - `db`: opening and migrating SQLite or PostgreSQL.
//!
//! No arithmetic here can overflow or panic: `+`, `-`, `*` on numbers and instants are denied
//! (saturating or checked forms, and `clock::after`/`before` for time).

#![deny(clippy::arithmetic_side_effects)]

pub mod accounts;
pub mod announcements;
pub mod appointments;
pub mod assisted;
pub mod backup;
pub mod billing;
pub mod change;
pub mod clock;
pub mod commune;
pub mod context;
pub mod csv;
pub mod db;
pub mod emails;
pub mod events;
pub mod family;
pub mod health;
pub mod integrations;
pub mod jobs;
pub mod legal;
pub mod mailer;
pub mod messages;
pub mod outbox;
pub mod password;
pub mod planning;
pub mod preregistrations;
pub mod retention;
pub mod seed;
pub mod seed_billing;
pub mod seed_families;
mod seed_planning;
pub mod signing_keys;
pub mod storage;
pub mod tokens;

pub use context::Context;

#[cfg(test)]
mod stored_codes_test;
