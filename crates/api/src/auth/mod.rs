//! Who is calling: access tokens (JWT), the refresh cookies, the middleware that resolves the
//! caller once per request, and the extractors that state in a handler's signature who may
//! call it (`AuthenticatedFamily`, `StaffUser`, `AdminUser`).

pub mod api_key;
pub mod audit_trail;
pub mod caller;
pub mod cookies;
pub mod identity;
pub mod jwt;
pub mod rate_limit;
pub mod reviewer;
pub mod service_manager;

pub use caller::{AdminUser, AuthenticatedFamily, Caller, FamilyOwner, StaffUser};
pub use reviewer::Reviewer;
pub use service_manager::ServiceManager;
