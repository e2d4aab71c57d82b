//! A per-address limit on the endpoints anyone can call without an account (register, login,
//! re-send, password reset): a generous quota a person never reaches, a wall for scripts.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::HttpRequest;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use portail_domain::auth::forwarded::{TrustedProxies, client_address};

use crate::error::ApiError;

#[derive(Clone)]
pub struct IpLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trusted_proxies: TrustedProxies,
}

impl IpLimiter {
    /// Per instance: each `portail serve` counts its own callers (behind a load balancer
    /// spreading requests over N instances, an address gets up to N times the quota; the lock
    /// on an e-mail address after failed logins is kept in the database, for every instance).
    pub fn per_minute(requests: u32, trusted_proxies: TrustedProxies) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trusted_proxies,
        }
    }

    /// The caller's address: the peer, or behind trusted reverse proxies the right-most
    /// `X-Forwarded-For` entry that is not theirs (`PORTAIL_TRUSTED_PROXIES`): what a client
    /// writes in the header itself is never taken (`portail_domain::auth::forwarded`).
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Some(client_address(
            peer,
            (!forwarded.is_empty()).then_some(forwarded.as_str()),
            &self.trusted_proxies,
        ))
    }

    pub fn check(&self, req: &HttpRequest) -> Result<(), ApiError> {
        let Some(ip) = self.client_ip(req) else {
            return Ok(());
        };
        self.limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            tracing::warn!(client.ip = %ip, "too many unauthenticated auth requests from this address");
            ApiError::rate_limited(wait.as_secs() + 1)
        })
    }

    /// Forgets addresses that have been quiet (called every minute).
    pub fn forget_quiet_addresses(&self) {
        self.limiter.retain_recent();
    }
}
