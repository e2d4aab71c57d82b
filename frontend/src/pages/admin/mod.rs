//! The staff area (`/admin`).

pub mod audit;
pub mod families;
pub mod family;
pub mod home;
pub mod login;
pub mod settings;
