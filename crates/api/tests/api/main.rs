//! Black-box tests of the API: a real server on port 0 with a fresh database per test — SQLite
//! by default, PostgreSQL when `PORTAIL_TEST_DATABASE_URL` points at a server (scripts/test
//! runs the suite both ways).

mod accounts;
mod helpers;

mod cli;
mod commune;
mod health;
mod logs;
mod openapi;
mod outbox;
mod passwords;
mod registration;
mod sessions;
mod spa;
mod staff;
mod tokens;
