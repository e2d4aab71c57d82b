//! The design system's components: one per file, styled by `style/main.css`.

mod alert;
mod button;
mod checkbox;
mod confirm_dialog;
mod error_alert;
mod field;
mod guard;
mod health_status;
mod layout;
mod login_form;
mod radio_group;
mod select_field;
mod service_contacts;
mod step_indicator;
mod text_area;
mod tile;
mod title;
mod yes_no;

pub use alert::{Alert, AlertKind};
pub use button::{Button, ButtonVariant};
pub use checkbox::Checkbox;
pub use confirm_dialog::ConfirmDialog;
pub use error_alert::ErrorAlert;
pub use field::TextField;
pub use guard::RequireSession;
pub use health_status::HealthStatus;
pub use layout::{FamilyArea, ParentLayout, PublicArea, StaffArea, StaffLayout, StaffPublicArea};
pub use login_form::LoginForm;
pub use radio_group::RadioGroup;
pub use select_field::SelectField;
pub use service_contacts::ServiceContacts;
pub use step_indicator::StepIndicator;
pub use text_area::TextArea;
pub use tile::Tile;
pub use title::Title;
pub use yes_no::YesNo;
