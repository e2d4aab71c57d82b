//! The staff area (`/admin`).

pub mod login;
