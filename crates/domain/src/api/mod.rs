//! Request and response bodies of the REST API, shared by the server and the browser app.

mod auth;
mod commune;
mod health;
mod problem;

pub use auth::{
    AccountResponse, ChangePasswordRequest, CreateStaffRequest, DossierStatus, EmailRequest,
    LoginRequest, MessageResponse, REGISTRATION_STEPS, RegisterFamilyRequest, Registration,
    ResetPasswordRequest, SessionResponse, StaffListResponse, StaffResponse, TokenRequest,
};
pub use commune::{CommuneResponse, ServiceSummary};
pub use health::{ComponentStatus, HealthResponse, HealthStatus};
pub use problem::{FieldError, Problem};
