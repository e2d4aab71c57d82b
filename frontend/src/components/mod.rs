//! The design system's components: one per file, styled by `style/main.css`.

mod alert;
mod button;
mod checkbox;
mod field;
mod guard;
mod health_status;
mod layout;
mod login_form;
mod radio_group;
mod step_indicator;
mod tile;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonVariant};
pub use checkbox::Checkbox;
pub use field::TextField;
pub use guard::RequireSession;
pub use health_status::HealthStatus;
pub use layout::{ParentLayout, StaffLayout};
pub use login_form::LoginForm;
pub use radio_group::RadioGroup;
pub use step_indicator::StepIndicator;
pub use tile::Tile;
