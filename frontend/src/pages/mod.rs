//! One module per screen; `admin/` holds the staff area.

pub mod admin;
pub mod coming_soon;
pub mod confirm_email;
pub mod dashboard;
pub mod design_system;
pub mod forgot_password;
pub mod home;
pub mod my_account;
pub mod not_found;
pub mod register;
pub mod reset_password;
