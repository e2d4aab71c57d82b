//! What every handler can reach: built once at startup, shared by all workers.

use std::sync::Arc;

use portail_service::Context;

use crate::auth::jwt::JwtKeys;
use crate::auth::rate_limit::IpLimiter;
use crate::configuration::Config;

pub struct AppState {
    /// Database, password hasher, clock, outbox: what the use-cases take.
    pub ctx: Context,
    pub config: Arc<Config>,
    pub jwt: JwtKeys,
    pub ip_limiter: IpLimiter,
    /// Hashes API keys' secrets (keyed with a secret derived from the JWT secret).
    pub api_keys: portail_service::integrations::api_keys::KeyHasher,
    /// How webhooks leave (the HTTP client, the private-network rule).
    pub webhooks: portail_service::integrations::webhooks::Delivery,
    /// The figures `/metrics` serves.
    pub metrics: crate::metrics::Metrics,
    /// What the OpenAPI document says of each operation (methods, API-key scopes), read once.
    pub routes: Arc<crate::route_table::RouteTable>,
    /// Serving or draining (after SIGTERM), and the requests in flight.
    pub lifecycle: Arc<crate::lifecycle::Lifecycle>,
}
