//! sea-orm entities: one module per table, the shape of the rows and nothing else.
//! Business rules live in `portail-domain`, use-cases in `portail-service`.

pub mod announcement;
pub mod audit_event;
pub mod booking;
pub mod child;
pub mod child_pickup;
pub mod commune;
pub mod contact_person;
pub mod document;
pub mod document_requirement;
pub mod dossier_event;
pub mod email_token;
pub mod family;
pub mod family_account;
pub mod guardian;
pub mod household;
pub mod idempotency_key;
pub mod login_throttle;
pub mod outbox_email;
pub mod period;
pub mod psu_parameters;
pub mod refresh_token;
pub mod service;
pub mod session;
pub mod slot;
pub mod staff;
pub mod staff_service;
pub mod unit;
