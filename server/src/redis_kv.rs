//! The few Redis operations the service uses, every key under a configurable prefix.

use std::time::Duration;

use crate::config::Secret;

/// Why a Redis operation failed.
#[derive(Debug, thiserror::Error)]
#[error("redis")]
pub struct RedisError(#[from] redis::RedisError);

/// A Redis client with a key prefix; opens a short-lived connection per operation.
#[derive(Clone, Debug)]
pub struct RedisKv {
    client: redis::Client,
    prefix: String,
}

const TIMEOUT: Duration = Duration::from_secs(2);

impl RedisKv {
    /// Parses the URL (no connection is made yet).
    pub fn open(url: &Secret<String>, prefix: &str) -> Result<Self, RedisError> {
        Ok(Self {
            client: redis::Client::open(url.expose().as_str())?,
            prefix: prefix.to_owned(),
        })
    }

    fn conn(&self) -> Result<redis::Connection, RedisError> {
        let conn = self.client.get_connection_with_timeout(TIMEOUT)?;
        conn.set_read_timeout(Some(TIMEOUT))?;
        conn.set_write_timeout(Some(TIMEOUT))?;
        Ok(conn)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Checks the server answers.
    pub fn ping(&self) -> Result<(), RedisError> {
        let _: String = redis::cmd("PING").query(&mut self.conn()?)?;
        Ok(())
    }

    /// Increments a counter, giving it `ttl` when it is created; returns the new value.
    pub fn incr_with_ttl(&self, key: &str, ttl: Duration) -> Result<u64, RedisError> {
        let mut conn = self.conn()?;
        let key = self.key(key);
        let n: u64 = redis::cmd("INCR").arg(&key).query(&mut conn)?;
        if n == 1 {
            let _: i64 = redis::cmd("EXPIRE")
                .arg(&key)
                .arg(ttl.as_secs().max(1))
                .query(&mut conn)?;
        }
        Ok(n)
    }

    /// A counter's value, 0 if absent.
    pub fn get_u64(&self, key: &str) -> Result<u64, RedisError> {
        let v: Option<u64> = redis::cmd("GET")
            .arg(self.key(key))
            .query(&mut self.conn()?)?;
        Ok(v.unwrap_or(0))
    }

    /// Deletes a key.
    pub fn del(&self, key: &str) -> Result<(), RedisError> {
        let _: i64 = redis::cmd("DEL")
            .arg(self.key(key))
            .query(&mut self.conn()?)?;
        Ok(())
    }
}
