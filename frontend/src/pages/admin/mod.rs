//! The staff area (`/admin`).

pub mod home;
pub mod login;
