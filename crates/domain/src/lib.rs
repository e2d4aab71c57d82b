//! Portail Famille's shared domain: the types, parsers and business rules that the API server
//! and the browser app both use, and the request/response DTOs of the REST API.
//!
//! - `parse/`: newtypes valid by construction (`Email`…), used for form errors too;
//! - `auth/`: roles and access decisions;
//! - `dossier/`: the vocabulary of the family file (situations, diets, document types…);
//! - `rules/`: business rules as pure functions (login throttling, …);
//! - `api/`: request and response bodies;
//! - `error_code`: the stable machine codes of API errors.
//!
//! Nothing here talks to a database, the network or the clock: rules take the current instant
//! as an argument so they can be tested at 23:59 on a Sunday in October.

pub mod api;
pub mod audit;
pub mod auth;
pub mod dossier;
pub mod error_code;
pub mod format;
pub mod ids;
pub mod legal;
pub mod parse;
pub mod rules;
pub mod service_code;
pub mod string_enum;

pub use error_code::ErrorCode;
pub use service_code::ServiceCode;
