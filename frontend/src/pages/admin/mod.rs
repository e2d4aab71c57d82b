//! The staff area (`/admin`).

pub mod announcements;
pub mod appointments;
pub mod attendance;
pub mod audit;
pub mod billing;
pub mod billing_settings;
pub mod certificates;
pub mod counter;
pub mod direct_debit;
pub mod families;
pub mod family;
pub mod home;
pub mod integrations;
pub mod legal_pages;
pub mod login;
pub mod messages;
pub mod planning;
pub mod preregistrations;
pub mod requests;
pub mod service_contacts;
pub mod settings;
pub mod staff_booking;
pub mod tariffs;
