//! The design system's components: one per file, styled by `style/main.css`.

mod alert;
mod button;
mod field;
mod health_status;
mod layout;
mod step_indicator;
mod tile;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonVariant};
pub use field::TextField;
pub use health_status::HealthStatus;
pub use layout::{ParentLayout, StaffLayout};
pub use step_indicator::StepIndicator;
pub use tile::Tile;
