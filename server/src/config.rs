//! Typed settings: defaults, then environment, then flags.

use std::{path::PathBuf, time::Duration};

pub use domain::secret::Secret;

/// The default database: a SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/gs1dpp.db";
/// The default listen address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Everything the service needs to start.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://...`; may hold a password.
    pub database_url: Secret<String>,
    /// Optional Redis URL (`redis://host:port`).
    pub redis_url: Option<Secret<String>>,
    /// Prefix for every Redis key this process writes.
    pub redis_key_prefix: String,
    /// The longest a request waits on Redis before going on without it.
    pub redis_timeout: Duration,
    /// Listen address; port 0 picks a free port.
    pub bind: String,
    /// The resolver's public root; defaults to `http://<bind>`.
    pub public_base_url: Option<String>,
    /// Where the JWT secret and the signing key live.
    pub data_dir: PathBuf,
    /// Lifetime of access tokens.
    pub token_ttl: Duration,
    /// Database pool size.
    pub db_pool_size: u32,
    /// Worker threads for the HTTP server (0 = one per core).
    pub workers: usize,
    /// Failed logins per e-mail allowed in `login_window` before 429.
    pub login_max_failures: u32,
    /// The window over which failed logins are counted.
    pub login_window: Duration,
    /// How long a cached response lives (in the process and in Redis).
    pub cache_ttl: Duration,
    /// Cached responses kept in the process at most.
    pub cache_max_entries: u64,
    /// SQLite: the page cache of each resolver reader (`db::snapshot`), in MiB.
    pub sqlite_reader_cache_mb: u32,
    /// Public requests per client IP per minute; 0 disables the limit.
    pub rate_limit_per_minute: u32,
    /// Take the client IP from the first `X-Forwarded-For` entry (only behind a proxy that sets
    /// it) instead of the TCP peer.
    pub trust_forwarded_for: bool,
    /// Which public requests write an access-log line.
    pub access_log: crate::access_log::AccessLog,
    /// A request at least this long is slow, and logged under `errors` and `sample:N`.
    pub access_log_slow: Duration,
    /// How the subscription worker polls, retries and gives up.
    pub subscriptions: crate::subscriptions::DeliveryConfig,
}

impl Settings {
    /// Defaults suited to a single-machine start.
    pub fn new(database_url: String, data_dir: PathBuf) -> Self {
        Self {
            database_url: Secret::new(database_url),
            redis_url: None,
            redis_key_prefix: "gs1dpp:".to_owned(),
            redis_timeout: crate::redis_kv::DEFAULT_TIMEOUT,
            bind: DEFAULT_BIND.to_owned(),
            public_base_url: None,
            data_dir,
            token_ttl: Duration::from_secs(15 * 60),
            db_pool_size: 8,
            workers: 0,
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            cache_ttl: Duration::from_secs(60),
            cache_max_entries: 100_000,
            sqlite_reader_cache_mb: 32,
            rate_limit_per_minute: 600,
            trust_forwarded_for: false,
            access_log: crate::access_log::AccessLog::default(),
            access_log_slow: Duration::from_millis(500),
            subscriptions: crate::subscriptions::DeliveryConfig::default(),
        }
    }

    /// The public base URL, falling back to `http://<bind>`.
    pub fn public_base_url(&self, bound: &str) -> String {
        self.public_base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Settings::new("postgres://u:pw@h/db".into(), "data".into());
        let shown = format!("{s:?}");
        assert!(!shown.contains("pw@"), "{shown}");
        assert_eq!(s.public_base_url("127.0.0.1:8080"), "http://127.0.0.1:8080");
    }
}
