//! The Redis client of the service: a few pooled connections, a key prefix, and a short back-off
//! after a failure so that a dead Redis costs one timeout per second, not one per request.

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
    /// Redis failed moments ago; the call was skipped until the back-off has passed.
    #[error("redis skipped: it failed less than {}s ago", BACKOFF.as_secs())]
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
}

#[derive(Default)]
struct Pool {
    idle: Mutex<Vec<redis::Connection>>,
    down_until: Mutex<Option<Instant>>,
}

/// Connect, read and write timeout of every connection.
const TIMEOUT: Duration = Duration::from_secs(1);
/// Connections kept open between calls; more may exist while calls overlap.
const MAX_IDLE: usize = 8;
/// How long calls are skipped after a connection-level failure.
const BACKOFF: Duration = Duration::from_secs(1);

impl fmt::Debug for RedisKv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisKv")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisKv {
    /// Parses the URL (no connection is made yet).
    pub fn open(url: &Secret<String>, prefix: &str) -> Result<Self, RedisError> {
        Ok(Self {
            client: redis::Client::open(url.expose().as_str())?,
            prefix: prefix.into(),
            pool: Arc::default(),
        })
    }

    /// `key` under this client's prefix.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// A new connection outside the pool, for a subscriber that holds it for good.
    pub fn dedicated(&self) -> Result<redis::Connection, RedisError> {
        let conn = self.client.get_connection_with_timeout(TIMEOUT)?;
        conn.set_write_timeout(Some(TIMEOUT))?;
        Ok(conn)
    }

    /// Runs `f` on a pooled connection; the connection goes back to the pool only if `f`
    /// succeeded, so a broken one is never reused.
    pub fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, RedisError> {
        if self.is_down() {
            return Err(RedisError::Down);
        }
        let pooled = self
            .pool
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => self.connect().map_err(|e| self.failed(e))?,
        };
        match f(&mut conn) {
            Ok(v) => {
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
        let conn = self.client.get_connection_with_timeout(TIMEOUT)?;
        conn.set_read_timeout(Some(TIMEOUT))?;
        conn.set_write_timeout(Some(TIMEOUT))?;
        Ok(conn)
    }

    /// Whether calls are being skipped after a recent failure.
    pub fn is_down(&self) -> bool {
        let mut down = self
            .pool
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match *down {
            Some(until) if Instant::now() < until => true,
            Some(_) => {
                *down = None;
                false
            }
            None => false,
        }
    }

    /// Starts the back-off after a connection-level failure; a server's error reply (a wrong
    /// type, say) says nothing about reachability and starts none.
    fn failed(&self, e: redis::RedisError) -> RedisError {
        if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() {
            let mut down = self
                .pool
                .down_until
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if down.is_none() {
                tracing::warn!(error = %crate::error::chain(&e), "redis unreachable; skipping it for a moment");
            }
            *down = Some(Instant::now() + BACKOFF);
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

/// Logs a failed Redis call that the caller works around: a warning with the cause, or nothing
/// while the back-off is on (its start was logged once).
pub fn warn_degraded(e: &RedisError, what: &str) {
    if !matches!(e, RedisError::Down) {
        tracing::warn!(error = %crate::error::chain(e), "{what} failed; going on without redis");
    }
}
