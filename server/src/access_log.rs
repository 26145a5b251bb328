//! Which finished requests write an access-log line, and at what level.
//!
//! A busy resolver answers tens of thousands of scans a second; a line for each wrote 4.56 GB in
//! a ten-minute soak. Public requests (the resolver, consumer pages, lookups, probes) are
//! therefore logged by policy, by default only when they fail or are slow. Account and registry
//! requests under `/api/` are few and each is somebody's act: they are always logged.

use std::{
    fmt,
    num::NonZeroU32,
    str::FromStr,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

/// Which public requests get a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccessLog {
    /// Every request.
    All,
    /// Errors (status 400 and above) and slow requests.
    #[default]
    Errors,
    /// Errors, slow requests, and one in `n` of the others.
    Sample(NonZeroU32),
    /// None (server faults are still logged as errors, with their cause).
    Off,
}

impl fmt::Display for AccessLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Errors => f.write_str("errors"),
            Self::Sample(n) => write!(f, "sample:{n}"),
            Self::Off => f.write_str("off"),
        }
    }
}

/// An access-log mode that is none of the four.
#[derive(Debug, thiserror::Error)]
#[error("expected all, errors, off or sample:N (one request in N, N >= 1), not {0:?}")]
pub struct ParseAccessLogError(String);

impl FromStr for AccessLog {
    type Err = ParseAccessLogError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseAccessLogError(s.to_owned());
        match s.trim().to_ascii_lowercase().as_str() {
            "all" => Ok(Self::All),
            "errors" => Ok(Self::Errors),
            "off" => Ok(Self::Off),
            other => {
                let n = other.strip_prefix("sample:").ok_or_else(bad)?;
                n.parse().map(Self::Sample).map_err(|_| bad())
            }
        }
    }
}

/// How loud a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// A request that went as it should.
    Info,
    /// A client's malformed request, or a server that could not answer (5xx): someone should
    /// look, but nothing in this process is broken by it.
    Warn,
}

/// The policy in force, with its sampling counter.
#[derive(Debug)]
pub struct AccessLogPolicy {
    mode: AccessLog,
    slow: Duration,
    seen: AtomicU64,
}

impl AccessLogPolicy {
    /// Logs public requests by `mode`; a request taking `slow` or longer always counts as slow.
    pub fn new(mode: AccessLog, slow: Duration) -> Self {
        Self {
            mode,
            slow,
            seen: AtomicU64::new(0),
        }
    }

    /// Whether a request to `path` that ended with `status` after `elapsed` gets a line, and
    /// at which level.
    pub fn decide(&self, path: &str, status: u16, elapsed: Duration) -> Option<Level> {
        let level = level(status);
        if !is_public(path) {
            return Some(level);
        }
        let notable = status >= 400 || elapsed >= self.slow;
        let logged = match self.mode {
            AccessLog::All => true,
            AccessLog::Off => false,
            AccessLog::Errors => notable,
            AccessLog::Sample(n) => {
                notable
                    || self
                        .seen
                        .fetch_add(1, Ordering::Relaxed)
                        .is_multiple_of(u64::from(n.get()))
            }
        };
        logged.then_some(level)
    }
}

/// The level of a finished request's line: warnings for what a client sent wrong and for
/// answers the server could not give, information otherwise (unknown codes, refused
/// credentials and exhausted budgets are the normal life of a public service).
fn level(status: u16) -> Level {
    match status {
        400 | 405 | 406 | 411 | 413 | 414 | 415 | 422 | 431 | 500.. => Level::Warn,
        _ => Level::Info,
    }
}

/// Requests anyone can make at scanning rates: everything outside `/api/` and `/epcis`, and
/// the lookups.
fn is_public(path: &str) -> bool {
    !(path.starts_with("/api/") || crate::api::epcis::is_binding_path(path))
        || path.starts_with("/api/v1/lookup")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Duration = Duration::from_millis(2);
    const SLOW: Duration = Duration::from_millis(600);

    fn policy(mode: &str) -> AccessLogPolicy {
        AccessLogPolicy::new(mode.parse().unwrap(), Duration::from_millis(500))
    }

    #[test]
    fn by_default_a_public_hit_is_silent_and_errors_and_slow_requests_are_not() {
        let p = AccessLogPolicy::new(AccessLog::default(), Duration::from_millis(500));
        assert_eq!(p.decide("/01/09506000134352", 307, FAST), None);
        assert_eq!(p.decide("/healthz", 200, FAST), None);
        assert_eq!(p.decide("/api/v1/lookup", 200, FAST), None);
        assert_eq!(p.decide("/01/09506000134352", 307, SLOW), Some(Level::Info));
        assert_eq!(p.decide("/01/123", 400, FAST), Some(Level::Warn));
        assert_eq!(p.decide("/01/09506000134352", 404, FAST), Some(Level::Info));
        assert_eq!(p.decide("/readyz", 503, FAST), Some(Level::Warn));
    }

    #[test]
    fn account_and_registry_requests_are_always_logged() {
        for mode in ["off", "errors", "sample:1000"] {
            let p = policy(mode);
            assert_eq!(p.decide("/api/v1/products", 201, FAST), Some(Level::Info));
            assert_eq!(p.decide("/api/v1/products", 422, FAST), Some(Level::Warn));
        }
    }

    #[test]
    fn modes_all_off_and_sample() {
        assert_eq!(policy("all").decide("/01/1", 307, FAST), Some(Level::Info));
        assert_eq!(policy("off").decide("/01/1", 500, SLOW), None);
        let p = policy("sample:10");
        let logged = (0..1000)
            .filter(|_| p.decide("/01/1", 307, FAST).is_some())
            .count();
        assert_eq!(logged, 100);
        assert_eq!(p.decide("/01/1", 503, FAST), Some(Level::Warn));
    }

    #[test]
    fn modes_parse_and_print_back() {
        for s in ["all", "errors", "off", "sample:7"] {
            assert_eq!(s.parse::<AccessLog>().unwrap().to_string(), s);
        }
        assert_eq!("ERRORS".parse::<AccessLog>().unwrap(), AccessLog::Errors);
        for bad in ["", "some", "sample:", "sample:0", "sample:-1"] {
            let e = bad.parse::<AccessLog>().unwrap_err().to_string();
            assert!(e.contains("sample:N"), "{bad}: {e}");
        }
    }
}
