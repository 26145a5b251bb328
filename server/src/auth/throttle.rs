//! Failed-login throttling per e-mail: in Redis when configured (shared by all nodes), else in memory.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};

use crate::redis_kv::{RedisError, RedisKv};

/// Counts failed logins per account over a window.
#[derive(Debug)]
pub struct Throttle {
    store: Store,
    max_failures: u32,
    window: Duration,
}

#[derive(Debug)]
enum Store {
    Memory(Mutex<HashMap<String, (Instant, u32)>>),
    Redis(RedisKv),
}

impl Throttle {
    /// A throttle in Redis if given, else in this process.
    pub fn new(redis: Option<RedisKv>, max_failures: u32, window: Duration) -> Self {
        let store = match redis {
            Some(kv) => Store::Redis(kv),
            None => Store::Memory(Mutex::new(HashMap::new())),
        };
        Self {
            store,
            max_failures,
            window,
        }
    }

    /// E-mails never appear in keys, only their hash.
    fn key(email: &str) -> String {
        format!(
            "login_fail:{}",
            hex::encode(&Sha256::digest(email.as_bytes())[..16])
        )
    }

    /// Whether the account has used up its failures for now.
    pub fn is_blocked(&self, email: &str) -> Result<bool, RedisError> {
        let key = Self::key(email);
        let n = match &self.store {
            Store::Redis(kv) => kv.get_u64(&key)?,
            Store::Memory(map) => {
                let map = map
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                map.get(&key)
                    .filter(|(start, _)| start.elapsed() < self.window)
                    .map_or(0, |(_, n)| u64::from(*n))
            }
        };
        Ok(n >= u64::from(self.max_failures))
    }

    /// Counts one failure.
    pub fn record_failure(&self, email: &str) -> Result<(), RedisError> {
        let key = Self::key(email);
        match &self.store {
            Store::Redis(kv) => kv.incr_with_ttl(&key, self.window).map(|_| ()),
            Store::Memory(map) => {
                let mut map = map
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let entry = map.entry(key).or_insert((Instant::now(), 0));
                if entry.0.elapsed() >= self.window {
                    *entry = (Instant::now(), 0);
                }
                entry.1 += 1;
                Ok(())
            }
        }
    }

    /// Forgets the failures after a successful login.
    pub fn reset(&self, email: &str) -> Result<(), RedisError> {
        let key = Self::key(email);
        match &self.store {
            Store::Redis(kv) => kv.del(&key),
            Store::Memory(map) => {
                map.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&key);
                Ok(())
            }
        }
    }
}
