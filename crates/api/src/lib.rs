//! The HTTP face of Portail Famille: configuration, startup, telemetry, errors, the OpenAPI
//! document, the routes under `/api/v1` and the served single-page app.

pub mod assets;
pub mod auth;
pub mod cli;
pub mod configuration;
pub mod error;
pub mod json;
pub mod lifecycle;
pub mod metrics;
pub mod observe;
pub mod openapi;
pub mod route_table;
pub mod routes;
pub mod spa;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod workers;
