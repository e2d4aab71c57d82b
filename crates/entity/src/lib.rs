//! sea-orm entities: one module per table, the shape of the rows and nothing else.
//! Business rules live in `portail-domain`, use-cases in `portail-service`.

pub mod commune;
pub mod service;
pub mod staff;
