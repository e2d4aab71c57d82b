//! Parse, don't validate: constructors that turn raw input into values that are valid by
//! construction. The browser app calls the same functions for its form errors.

mod bank;
mod birth_date;
mod email;
mod error;
mod field_errors;
mod money;
mod password;
mod person;
mod phone;
mod postal_code;
mod text;

pub use bank::{bic, iban, iban_grouped, siret, siret_grouped};
pub use birth_date::parse_guardian_birth_date;
pub use email::Email;
pub use error::InvalidValue;
pub use field_errors::FieldErrors;
pub use money::parse_euros;
pub use password::{Password, new_password, passwords_match};
pub use person::{Civility, PersonName};
pub use phone::Phone;
pub use postal_code::PostalCode;
pub use text::{
    AddressLine, CityName, LABEL_PATTERN, MESSAGE_PATTERN, TEXT_PATTERN, message_text,
    optional_text, required_text,
};
