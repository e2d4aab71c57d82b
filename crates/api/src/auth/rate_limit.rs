//! A per-address limit on the endpoints anyone can call without an account (register, login,
//! re-send, password reset): a generous quota a person never reaches, a wall for scripts.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::HttpRequest;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

#[derive(Clone)]
pub struct IpLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    trust_forwarded_for: bool,
}

impl IpLimiter {
    pub fn per_minute(requests: u32, trust_forwarded_for: bool) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(requests.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            trust_forwarded_for,
        }
    }

    /// The caller's address: the peer, or the first `X-Forwarded-For` entry when the portal
    /// sits behind a trusted reverse proxy (`PORTAIL_TRUST_FORWARDED_FOR`).
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        if self.trust_forwarded_for {
            let forwarded = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok());
            if forwarded.is_some() {
                return forwarded;
            }
        }
        req.peer_addr().map(|a| a.ip())
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
