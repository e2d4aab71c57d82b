//! Parse, don't validate: constructors that turn raw input into values that are valid by
//! construction. The browser app calls the same functions for its form errors.

mod email;
mod error;

pub use email::Email;
pub use error::InvalidValue;
