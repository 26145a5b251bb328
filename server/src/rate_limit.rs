//! Per-client request budgets for public requests: a fixed window of 60 s per IP address.
//!
//! Each process counts its admissions per IP. With Redis, the counts are summed across
//! processes without a round trip per request: every `batch = max(1, limit / 20)` admissions
//! the process adds them to the window's key (`INCRBY`, with an expiry) and keeps the total
//! Redis answers; it admits while that total plus its not yet added admissions is under the
//! limit. A process learns of the others' admissions only when it adds its own, so once the
//! limit is reached each process may still admit about `batch` requests (plus those that arrive
//! during one Redis round trip) before it learns: roughly `processes × batch` extra per IP and
//! window, 5 % of the limit per process. Admissions not yet added when the window ends are
//! dropped, as the window they belong to is over. If Redis fails, the counts stay local (each
//! process enforces the limit on its own). Refused requests are not counted.

use std::{
    net::IpAddr,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use actix_web::HttpRequest;

use crate::redis_kv::{RedisKv, warn_degraded};

/// The window length.
pub const WINDOW_SECS: u64 = 60;
/// Clients tracked at once; the least recently seen are forgotten first.
const MAX_CLIENTS: u64 = 100_000;
/// Redis keeps a window's count this long: past its end, to cover clocks that lag.
const KEY_TTL: Duration = Duration::from_secs(2 * WINDOW_SECS);

/// How the limiter is set up.
#[derive(Clone, Copy, Debug)]
pub struct RateLimitConfig {
    /// Requests per client per minute; 0 disables limiting.
    pub per_minute: u32,
    /// Take the client's address from the first `X-Forwarded-For` entry (behind a proxy that
    /// sets it) instead of the TCP peer.
    pub trust_forwarded_for: bool,
}

/// The verdict on one request.
#[derive(Debug)]
pub enum Decision {
    /// Go ahead; `flush`, if any, adds this process's admissions to Redis and should run while
    /// the request is served.
    Allow {
        /// Requests left in the window (as far as known).
        remaining: u64,
        /// The Redis update this admission triggers.
        flush: Option<Box<Flush>>,
    },
    /// Refused until the window ends.
    Deny {
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
}

/// One client's count in the current window.
#[derive(Debug, Default)]
struct Window {
    id: u64,
    /// Admitted here, not yet sent to Redis (without Redis: all admissions).
    pending: u64,
    /// Sent to Redis, answer not yet back.
    in_flight: u64,
    /// The window's total across processes, as Redis last answered.
    global: u64,
}

impl Window {
    fn count(&self) -> u64 {
        self.global + self.in_flight + self.pending
    }
}

/// Per-client budgets.
pub struct RateLimiter {
    limit: u64,
    batch: u64,
    trust_forwarded_for: bool,
    clients: moka::sync::Cache<IpAddr, Arc<Mutex<Window>>>,
    redis: Option<RedisKv>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .field("batch", &self.batch)
            .field("shared", &self.redis.is_some())
            .finish_non_exhaustive()
    }
}

/// An addition of admissions to Redis, run off the async threads.
#[derive(Debug)]
pub struct Flush {
    kv: RedisKv,
    key: String,
    window: Arc<Mutex<Window>>,
    id: u64,
    n: u64,
}

impl Flush {
    /// Adds the admissions and records the total Redis answers (blocking).
    pub fn run(self) {
        let result = self.kv.incr_by_with_ttl(&self.key, self.n, KEY_TTL);
        let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if w.id != self.id {
            return;
        }
        w.in_flight = w.in_flight.saturating_sub(self.n);
        match result {
            Ok(total) => w.global = w.global.max(total),
            Err(e) => {
                warn_degraded(&e, "sharing rate-limit counts");
                // Keep counting them here.
                w.global += self.n;
            }
        }
    }
}

impl RateLimiter {
    /// A limiter; with `redis`, budgets are shared by every process using the same key prefix.
    pub fn new(config: RateLimitConfig, redis: Option<RedisKv>) -> Self {
        let limit = u64::from(config.per_minute);
        Self {
            limit,
            batch: (limit / 20).max(1),
            trust_forwarded_for: config.trust_forwarded_for,
            clients: moka::sync::Cache::builder()
                .max_capacity(MAX_CLIENTS)
                .time_to_idle(Duration::from_secs(2 * WINDOW_SECS))
                .build(),
            redis,
        }
    }

    /// Requests per client per window; 0 when limiting is off.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Whether requests to `path` count: the public resolver (anything outside `/api/` and
    /// `/epcis/`, which need credentials) and `/api/v1/lookup` (and its batch,
    /// `/api/v1/lookups`), but not the operational endpoints.
    pub fn applies_to(&self, path: &str) -> bool {
        if self.limit == 0 {
            return false;
        }
        match path {
            "/healthz" | "/readyz" | "/metrics" | "/openapi.yaml" => false,
            "/api/v1/lookup" | "/api/v1/lookups" => true,
            p => {
                p.starts_with("/api/v1/lookup/")
                    || !(p.starts_with("/api/") || crate::api::epcis::is_binding_path(p))
            }
        }
    }

    /// The client's address: the TCP peer, or the first `X-Forwarded-For` entry if trusted.
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let forwarded = self
            .trust_forwarded_for
            .then(|| req.headers().get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        forwarded
            .or_else(|| req.peer_addr().map(|a| a.ip()))
            .map(|ip| ip.to_canonical())
    }

    /// Counts `n` more lookups of one request from `ip` (a batch counts each code, so that it
    /// is no way around the budget); refused when the budget runs out part way.
    pub async fn charge(&self, ip: IpAddr, n: usize) -> Result<(), u64> {
        for _ in 0..n {
            match self.check(ip) {
                Decision::Deny { retry_after_secs } => return Err(retry_after_secs),
                Decision::Allow { flush, .. } => {
                    if let Some(f) = flush {
                        let _ = actix_web::web::block(move || f.run()).await;
                    }
                }
            }
        }
        Ok(())
    }

    /// Counts a request from `ip` now.
    pub fn check(&self, ip: IpAddr) -> Decision {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.check_at(ip, now)
    }

    /// Counts a request from `ip` at `now` (seconds since the Unix epoch). Windows are aligned
    /// on the clock so that every process agrees on them.
    pub fn check_at(&self, ip: IpAddr, now: u64) -> Decision {
        let id = now / WINDOW_SECS;
        let state = self
            .clients
            .get_with(ip, || Arc::new(Mutex::new(Window::default())));
        let mut w = state.lock().unwrap_or_else(PoisonError::into_inner);
        if w.id != id {
            *w = Window {
                id,
                ..Window::default()
            };
        }
        if w.count() >= self.limit {
            return Decision::Deny {
                retry_after_secs: WINDOW_SECS - now % WINDOW_SECS,
            };
        }
        w.pending += 1;
        let remaining = self.limit - w.count();
        let flush = match &self.redis {
            Some(kv) if w.pending >= self.batch => {
                let n = std::mem::take(&mut w.pending);
                w.in_flight += n;
                Some(Box::new(Flush {
                    kv: kv.clone(),
                    key: format!("rl:{id}:{ip}"),
                    window: Arc::clone(&state),
                    id,
                    n,
                }))
            }
            _ => None,
        };
        Decision::Allow { remaining, flush }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32) -> RateLimiter {
        RateLimiter::new(
            RateLimitConfig {
                per_minute,
                trust_forwarded_for: false,
            },
            None,
        )
    }

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const OTHER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn admits_the_limit_then_refuses_until_the_window_ends() {
        let l = limiter(3);
        let t = 6_000_000; // the start of a window
        for left in [2, 1, 0] {
            assert!(
                matches!(l.check_at(IP, t + 10), Decision::Allow { remaining, flush: None } if remaining == left)
            );
        }
        assert!(matches!(
            l.check_at(IP, t + 10),
            Decision::Deny {
                retry_after_secs: 50
            }
        ));
        assert!(
            matches!(l.check_at(OTHER, t + 10), Decision::Allow { .. }),
            "per client"
        );
        assert!(
            matches!(l.check_at(IP, t + 60), Decision::Allow { remaining: 2, .. }),
            "a new window"
        );
    }

    #[test]
    fn only_public_paths_count() {
        let l = limiter(5);
        for p in [
            "/01/09506000134352",
            "/.well-known/jwks.json",
            "/api/v1/lookup",
            "/api/v1/lookups",
        ] {
            assert!(l.applies_to(p), "{p}");
        }
        for p in [
            "/healthz",
            "/readyz",
            "/metrics",
            "/openapi.yaml",
            "/api/v1/me",
            "/api/v1/products",
            "/epcis",
            "/epcis/capture",
            "/epcis/events",
        ] {
            assert!(!l.applies_to(p), "{p}");
        }
        assert!(!limiter(0).applies_to("/01/09506000134352"), "0 disables");
    }
}
