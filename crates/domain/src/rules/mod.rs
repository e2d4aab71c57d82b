//! Business rules as pure functions: the current instant comes in as an argument.

pub mod appointments;
pub mod billing;
pub mod commune;
pub mod dossier;
pub mod ical;
pub mod login_throttle;
pub mod messages;
pub mod pagination;
pub mod planning;
pub mod preregistration;
pub mod retention;
pub mod to_do;
pub mod waiting_list;
pub mod webhooks;
