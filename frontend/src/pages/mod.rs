//! One module per screen; `admin/` holds the staff area.

pub mod admin;
pub mod coming_soon;
pub mod design_system;
pub mod home;
pub mod not_found;
