//! The Redis client of the service: a few pooled connections, a key prefix, and a circuit
//! breaker, so that neither a dead nor a hung Redis holds a request up.
//!
//! Calls on the request path wait at most the request timeout (`REDIS_TIMEOUT_MS`, 25 ms by
//! default: a Redis that answers at all answers in well under a millisecond). A connection
//! failure or a timeout opens the breaker: calls fail at once for [`BACKOFF`], then a single
//! call probes (the others still fail at once) and closes it if Redis answers. A hung Redis
//! thus costs one request timeout per second and process, not two one-second waits per request.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use crate::config::Secret;

/// Why a Redis operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisError {
    /// The connection or the command failed.
    #[error("redis")]
    Command(#[from] redis::RedisError),
    /// Redis failed moments ago; the call was skipped while the breaker is open.
    #[error("redis skipped: it failed or timed out moments ago")]
    Down,
}

/// A Redis client with a key prefix and a small pool of persistent connections.
///
/// Clones share the pool. `Debug` shows only the prefix: the URL may hold a password.
#[derive(Clone)]
pub struct RedisKv {
    client: redis::Client,
    prefix: Arc<str>,
    pool: Arc<Pool>,
    /// Connect, read and write timeout of the pooled connections.
    timeout: Duration,
    /// Whether failures open the breaker (the request path) or every call tries (background
    /// work that retries on its own schedule).
    breaker: bool,
}

#[derive(Default)]
struct Pool {
    idle: Mutex<Vec<redis::Connection>>,
    breaker: Mutex<Breaker>,
}

/// Where the circuit breaker stands.
#[derive(Default)]
struct Breaker {
    /// Open: calls fail at once until then.
    open_until: Option<Instant>,
    /// Past `open_until`, one call is probing; the others still fail at once.
    probing: bool,
}

/// The request path's default timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(25);
/// Timeout of the connections that work off the request path (invalidations, subscriptions).
pub const BACKGROUND_TIMEOUT: Duration = Duration::from_secs(1);
/// Connections kept open between calls; more may exist while calls overlap.
const MAX_IDLE: usize = 8;
/// How long the breaker stays open before a probe.
pub const BACKOFF: Duration = Duration::from_secs(1);

/// What the breaker lets a call do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Admission {
    /// Closed: go ahead.
    Go,
    /// This call probes a Redis that failed.
    Probe,
}

impl fmt::Debug for RedisKv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisKv")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisKv {
    /// Parses the URL (no connection is made yet); pooled calls wait at most `timeout`.
    pub fn open(url: &Secret<String>, prefix: &str, timeout: Duration) -> Result<Self, RedisError> {
        Ok(Self {
            client: redis::Client::open(url.expose().as_str())?,
            prefix: prefix.into(),
            pool: Arc::default(),
            timeout: timeout.max(Duration::from_millis(1)),
            breaker: true,
        })
    }

    /// A client for work off the request path: the same Redis and prefix, its own pool, the
    /// longer [`BACKGROUND_TIMEOUT`] and no breaker (its caller paces its own retries).
    pub fn background(&self) -> Self {
        Self {
            client: self.client.clone(),
            prefix: Arc::clone(&self.prefix),
            pool: Arc::default(),
            timeout: BACKGROUND_TIMEOUT,
            breaker: false,
        }
    }

    /// `key` under this client's prefix.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// A new connection outside the pool, for a subscriber that holds it for good.
    pub fn dedicated(&self) -> Result<redis::Connection, RedisError> {
        let conn = self
            .client
            .get_connection_with_timeout(BACKGROUND_TIMEOUT)?;
        // A hung Redis accepts connections and never answers: no read may wait for good.
        conn.set_read_timeout(Some(BACKGROUND_TIMEOUT))?;
        conn.set_write_timeout(Some(BACKGROUND_TIMEOUT))?;
        Ok(conn)
    }

    /// Runs `f` on a pooled connection; the connection goes back to the pool only if `f`
    /// succeeded, so a broken one is never reused.
    pub fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, RedisError> {
        let admission = self.admit().ok_or(RedisError::Down)?;
        let pooled = self
            .pool
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let result = match pooled {
            Some(c) => Ok(c),
            None => self.connect(),
        }
        .and_then(|mut conn| f(&mut conn).map(|v| (v, conn)));
        let reached = match &result {
            Ok(_) => true,
            // An error reply is an answer too.
            Err(e) => !is_unreachable(e),
        };
        if admission == Admission::Probe && reached {
            self.recovered();
        }
        match result {
            Ok((v, conn)) => {
                let mut idle = self
                    .pool
                    .idle
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if idle.len() < MAX_IDLE {
                    idle.push(conn);
                }
                Ok(v)
            }
            Err(e) => Err(self.failed(e)),
        }
    }

    fn connect(&self) -> redis::RedisResult<redis::Connection> {
        let conn = self.client.get_connection_with_timeout(self.timeout)?;
        conn.set_read_timeout(Some(self.timeout))?;
        conn.set_write_timeout(Some(self.timeout))?;
        Ok(conn)
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        self.pool
            .breaker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a call may go ahead now, and as what; `None` while the breaker is open.
    fn admit(&self) -> Option<Admission> {
        if !self.breaker {
            return Some(Admission::Go);
        }
        let mut b = self.breaker();
        match b.open_until {
            None => Some(Admission::Go),
            Some(until) if b.probing || Instant::now() < until => None,
            Some(_) => {
                b.probing = true;
                Some(Admission::Probe)
            }
        }
    }

    /// Whether calls are being skipped after a recent failure.
    pub fn is_down(&self) -> bool {
        self.breaker().open_until.is_some()
    }

    /// Closes the breaker after a probe got an answer.
    fn recovered(&self) {
        let mut b = self.breaker();
        if b.open_until.take().is_some() {
            tracing::info!("redis answers again");
        }
        b.probing = false;
    }

    /// Opens the breaker after a connection-level failure or a timeout; a server's error reply
    /// (a wrong type, say) says nothing about reachability and opens none.
    fn failed(&self, e: redis::RedisError) -> RedisError {
        if is_unreachable(&e) {
            if self.breaker {
                let mut b = self.breaker();
                if b.open_until.is_none() {
                    tracing::warn!(error = %crate::error::chain(&e), "redis unreachable or slow; skipping it for a moment");
                }
                b.open_until = Some(Instant::now() + BACKOFF);
                b.probing = false;
            }
            // Idle connections are likely as dead as this one.
            self.pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clear();
        }
        RedisError::Command(e)
    }

    /// Checks the server answers.
    pub fn ping(&self) -> Result<(), RedisError> {
        self.with_conn(|c| redis::cmd("PING").query::<String>(c))
            .map(|_| ())
    }

    /// Increments a counter, giving it `ttl` when it is created; returns the new value.
    pub fn incr_with_ttl(&self, key: &str, ttl: Duration) -> Result<u64, RedisError> {
        let key = self.key(key);
        self.with_conn(|c| {
            let n: u64 = redis::cmd("INCR").arg(&key).query(c)?;
            if n == 1 {
                let _: i64 = redis::cmd("EXPIRE")
                    .arg(&key)
                    .arg(ttl.as_secs().max(1))
                    .query(c)?;
            }
            Ok(n)
        })
    }

    /// Adds `n` to a counter and (re)sets its expiry to `ttl`, in one round trip; returns the
    /// new value.
    pub fn incr_by_with_ttl(&self, key: &str, n: u64, ttl: Duration) -> Result<u64, RedisError> {
        let key = self.key(key);
        self.with_conn(|c| {
            let (v,): (u64,) = redis::pipe()
                .cmd("INCRBY")
                .arg(&key)
                .arg(n)
                .cmd("EXPIRE")
                .arg(&key)
                .arg(ttl.as_secs().max(1))
                .ignore()
                .query(c)?;
            Ok(v)
        })
    }

    /// A counter's value, 0 if absent.
    pub fn get_u64(&self, key: &str) -> Result<u64, RedisError> {
        let key = self.key(key);
        self.with_conn(|c| redis::cmd("GET").arg(&key).query::<Option<u64>>(c))
            .map(Option::unwrap_or_default)
    }

    /// Several counters in one round trip, 0 for each absent one.
    pub fn get_many_u64(&self, keys: &[&str]) -> Result<Vec<u64>, RedisError> {
        let keys: Vec<String> = keys.iter().map(|k| self.key(k)).collect();
        self.with_conn(|c| redis::cmd("MGET").arg(&keys).query::<Vec<Option<u64>>>(c))
            .map(|v| v.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// A value as bytes, if present.
    pub fn get_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, RedisError> {
        let key = self.key(key);
        self.with_conn(|c| redis::cmd("GET").arg(&key).query(c))
    }

    /// Stores bytes that expire after `ttl`.
    pub fn set_bytes(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), RedisError> {
        let key = self.key(key);
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        self.with_conn(|c| {
            redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg("PX")
                .arg(ms)
                .query(c)
        })
    }

    /// Deletes a key.
    pub fn del(&self, key: &str) -> Result<(), RedisError> {
        let key = self.key(key);
        self.with_conn(|c| redis::cmd("DEL").arg(&key).query::<i64>(c))
            .map(|_| ())
    }
}

/// Whether `e` says Redis cannot be reached (or did not answer in time), not that it refused a
/// command.
fn is_unreachable(e: &redis::RedisError) -> bool {
    e.is_io_error() || e.is_timeout() || e.is_connection_dropped() || e.is_connection_refusal()
}

/// Logs a failed Redis call that the caller works around: a warning with the cause, or nothing
/// while the back-off is on (its start was logged once).
pub fn warn_degraded(e: &RedisError, what: &str) {
    if !matches!(e, RedisError::Down) {
        tracing::warn!(error = %crate::error::chain(e), "{what} failed; going on without redis");
    }
}
