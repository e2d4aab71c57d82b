//! One module per screen; `admin/` holds the staff area.

pub mod admin;
pub mod appointment;
pub mod calendar;
pub mod certificates;
pub mod children;
pub mod confirm_email;
pub mod confirm_new_email;
pub mod dashboard;
pub mod design_system;
pub mod direct_debit;
pub mod documents;
pub mod forgot_password;
pub mod home;
pub mod household;
pub mod invoices;
pub mod messages;
pub mod my_account;
pub mod not_found;
pub mod planning;
pub mod preregistrations;
pub mod register;
pub mod reset_password;
pub mod week_pattern;
