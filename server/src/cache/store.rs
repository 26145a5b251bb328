//! The byte-store trait behind the shared level, with a Redis and an in-process implementation.

use std::{fmt, time::Duration};

use actix_web::web::Bytes;

use crate::redis_kv::{RedisError, RedisKv};

/// Why a store call failed; the cache goes on without the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Redis failed.
    #[error("cache store")]
    Redis(#[from] RedisError),
}

/// A key-value store of bytes with per-value expiry. Calls may block (network); the cache calls
/// them on the blocking thread pool.
pub trait CacheStore: Send + Sync + fmt::Debug {
    /// The value under `key`, if present and not expired.
    fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError>;
    /// Stores `value` under `key` for `ttl`.
    fn put(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), StoreError>;
}

/// Values in Redis, under the client's key prefix.
#[derive(Clone, Debug)]
pub struct RedisStore(pub RedisKv);

impl CacheStore for RedisStore {
    fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError> {
        Ok(self.0.get_bytes(key)?.map(Bytes::from))
    }

    fn put(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), StoreError> {
        Ok(self.0.set_bytes(key, &value, ttl)?)
    }
}

/// Values in this process (moka, bounded): a second level for a single process, and the store
/// the cache's tests use where no Redis runs.
pub struct MemoryStore(moka::sync::Cache<String, (Bytes, Duration)>);

/// Expires each value after the `ttl` it was put with.
struct PerValueTtl;

impl moka::Expiry<String, (Bytes, Duration)> for PerValueTtl {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &(Bytes, Duration),
        _created_at: std::time::Instant,
    ) -> Option<Duration> {
        Some(value.1)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &(Bytes, Duration),
        _updated_at: std::time::Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.1)
    }
}

impl MemoryStore {
    /// A store of at most `max_entries` values.
    pub fn new(max_entries: u64) -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(max_entries)
                .expire_after(PerValueTtl)
                .build(),
        )
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.0.entry_count())
            .finish()
    }
}

impl CacheStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError> {
        Ok(self.0.get(key).map(|(v, _)| v))
    }

    fn put(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), StoreError> {
        self.0.insert(key.to_owned(), (value, ttl));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_keeps_values_for_their_ttl() -> Result<(), StoreError> {
        let s = MemoryStore::new(100);
        s.put("a", Bytes::from_static(b"1"), Duration::from_millis(50))?;
        s.put("b", Bytes::from_static(b"2"), Duration::from_secs(60))?;
        assert_eq!(s.get("a")?, Some(Bytes::from_static(b"1")));
        assert_eq!(s.get("c")?, None);
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(s.get("a")?, None, "expired");
        assert_eq!(s.get("b")?, Some(Bytes::from_static(b"2")));
        Ok(())
    }
}
