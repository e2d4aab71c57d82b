//! Request and response bodies of the REST API, shared by the server and the browser app.

mod commune;
mod health;
mod problem;

pub use commune::{CommuneResponse, ServiceSummary};
pub use health::{ComponentStatus, HealthResponse, HealthStatus};
pub use problem::{FieldError, Problem};
