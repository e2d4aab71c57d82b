//! The staff area (`/admin`).

pub mod attendance;
pub mod audit;
pub mod families;
pub mod family;
pub mod home;
pub mod login;
pub mod planning;
pub mod requests;
pub mod settings;
pub mod staff_booking;
