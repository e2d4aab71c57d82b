//! Portail Famille's use-cases: async functions that take a database connection (and the
//! infrastructure they need, passed in) and return domain values or a per-use-case error.
//! No HTTP types here: the API crate maps these results to responses.

pub mod commune;
pub mod db;
pub mod health;
pub mod mailer;
pub mod password;
pub mod seed;
pub mod staff;
