//! The response cache: an in-process level (quick_cache) in front of an optional shared level
//! (Redis), invalidated by per-scope generations and a global epoch.
//!
//! A scope is a primary key value (a GTIN, an SSCC); a variant names one representation of it.
//! `bump(scope)` after a write makes every entry of the scope stale on every process at once;
//! `bump_all()` does so for all scopes. See `generations` for why stale entries never come back.

mod bus;
mod entry;
mod generations;
mod store;

use std::{
    fmt,
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    time::{Duration, Instant},
};

pub use entry::{DecodeError, Entry};
use generations::{Generations, Listening};
pub use store::{CacheStore, MemoryStore, RedisStore, StoreError};

use bus::Bump;

use crate::{
    error::ApiError,
    redis_kv::{RedisKv, warn_degraded},
};

/// How long an entry is served while the invalidation bus is unreachable: a write on another
/// process is then seen here within this (plus [`generations::CONTACT_WINDOW`] when Redis hangs
/// rather than fails).
pub const UNHEARD_TTL: Duration = Duration::from_secs(1);

/// Sizes and lifetimes of the cache.
#[derive(Clone, Copy, Debug)]
pub struct CacheConfig {
    /// How long an entry lives, in the process and in Redis.
    pub ttl: Duration,
    /// Entries kept in the process at most.
    pub max_entries: u64,
}

/// Counters of the cache's work since start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Answers from the process.
    pub l1_hits: u64,
    /// Answers from the shared level.
    pub l2_hits: u64,
    /// Loader runs (misses on every level).
    pub loads: u64,
    /// Entries found stale and dropped.
    pub stale: u64,
}

impl CacheStats {
    /// The counters in the Prometheus text format.
    pub fn render(&self) -> String {
        format!(
            "# HELP cache_lookups_total Cache lookups by outcome.\n\
             # TYPE cache_lookups_total counter\n\
             cache_lookups_total{{outcome=\"l1_hit\"}} {}\n\
             cache_lookups_total{{outcome=\"l2_hit\"}} {}\n\
             cache_lookups_total{{outcome=\"load\"}} {}\n\
             # HELP cache_stale_total Cache entries found stale.\n\
             # TYPE cache_stale_total counter\n\
             cache_stale_total {}\n",
            self.l1_hits, self.l2_hits, self.loads, self.stale
        )
    }
}

/// The response cache; clones share it.
#[derive(Clone)]
pub struct Cache {
    inner: Arc<Inner>,
}

struct Inner {
    /// quick_cache rather than moka: a miss at a million keys inserts and evicts on every
    /// request, and moka's bookkeeping for that was a fifth of a miss (measured with perf).
    l1: quick_cache::sync::Cache<String, L1Value>,
    gens: Arc<Generations>,
    /// The shared level, if any.
    l2: Option<Arc<dyn CacheStore>>,
    /// With Redis: generations are read there on a miss, and bumps go there.
    redis: Option<RedisKv>,
    bumps: Option<mpsc::Sender<Bump>>,
    ttl: Duration,
    l1_hits: AtomicU64,
    l2_hits: AtomicU64,
    loads: AtomicU64,
    stale: AtomicU64,
}

/// An entry in the process with the generation and epoch it was built under.
#[derive(Clone)]
struct Slot {
    entry: Arc<Entry>,
    built: Built,
    /// When it was built; it is served for `ttl` after.
    born: Instant,
}

/// What the generations stood at when an entry's build began.
#[derive(Clone, Copy)]
struct Built {
    /// The generations' change count read before them: while it has not moved, neither have
    /// they, and freshness needs no lookup of the scope.
    changes: u64,
    generation: u64,
    epoch: u64,
}

/// What the process level holds under a key: a slot, or for the callers that waited on a
/// failed load, its error (removed as soon as they have it).
type L1Value = Result<Slot, Arc<ApiError>>;

/// The process level's key: the scope length-prefixed, so no (scope, variant) pair can spell
/// another's key, then the variant's parts. Joined by hand: with `format!` the key cost a
/// twentieth of a cached answer.
fn l1_key(scope: &str, variant: &[&str]) -> String {
    let mut len = itoa::Buffer::new();
    let len = len.format(scope.len());
    let size = len.len() + scope.len() + 2 + variant.iter().map(|p| p.len()).sum::<usize>();
    let mut key = String::with_capacity(size);
    for part in [len, ":", scope, ":"].iter().chain(variant) {
        key.push_str(part);
    }
    key
}

/// Why a fill did not produce an entry to keep.
enum Fill {
    /// The loader failed; nothing is cached.
    Load(ApiError),
    /// A bump arrived while loading: the entry answers the callers that were waiting; the
    /// next lookup finds it stale.
    Stale(Slot),
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("ttl", &self.inner.ttl)
            .field("entries", &self.inner.l1.len())
            .field("l2", &self.inner.l2)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// A cache in this process only.
    pub fn local(config: CacheConfig) -> Self {
        Self::build(config, None, None)
    }

    /// A cache whose shared level, generations and invalidations live in Redis.
    ///
    /// Starts two threads (bumps, invalidation subscriber) that end when the cache is dropped.
    pub fn with_redis(config: CacheConfig, kv: RedisKv) -> Self {
        let store: Arc<dyn CacheStore> = Arc::new(RedisStore(kv.clone()));
        Self::build(config, Some(store), Some(kv))
    }

    /// A cache with `store` as its shared level and generations kept in this process. The store
    /// must not be shared with another `Cache`: their generations are unrelated.
    pub fn with_store(config: CacheConfig, store: Arc<dyn CacheStore>) -> Self {
        Self::build(config, Some(store), None)
    }

    fn build(config: CacheConfig, l2: Option<Arc<dyn CacheStore>>, redis: Option<RedisKv>) -> Self {
        let gens = Arc::new(Generations::new(
            config.ttl,
            config.max_entries.saturating_mul(2),
            redis.is_some(),
        ));
        let bumps = redis.clone().and_then(|kv| bus::start(kv, &gens));
        let l1 = quick_cache::sync::Cache::new(
            usize::try_from(config.max_entries.max(1)).unwrap_or(usize::MAX),
        );
        Self {
            inner: Arc::new(Inner {
                l1,
                gens,
                l2,
                redis,
                bumps,
                ttl: config.ttl,
                l1_hits: AtomicU64::new(0),
                l2_hits: AtomicU64::new(0),
                loads: AtomicU64::new(0),
                stale: AtomicU64::new(0),
            }),
        }
    }

    /// The entry for (`scope`, `variant`): from this process, else from Redis, else from `load`,
    /// which then fills both levels.
    ///
    /// Concurrent callers of a missing key wait for one `load`. A failed load is not cached:
    /// every waiting caller gets the error, the next caller loads again.
    ///
    /// The variant is given in parts, joined into the key (one allocation per lookup).
    pub async fn get_or_load<F, Fut>(
        &self,
        scope: &str,
        variant: &[&str],
        load: F,
    ) -> Result<Arc<Entry>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Entry, ApiError>>,
    {
        let inner = &*self.inner;
        let key = l1_key(scope, variant);
        // A stale slot is dropped and the key looked up again.
        loop {
            let guard = match inner.l1.get_value_or_guard_async(&key).await {
                Ok(Ok(slot)) if inner.is_live(scope, &slot) => {
                    inner.l1_hits.fetch_add(1, Ordering::Relaxed);
                    return Ok(slot.entry);
                }
                Ok(Ok(slot)) => {
                    inner.stale.fetch_add(1, Ordering::Relaxed);
                    inner.l1.remove_if(&key, |v| {
                        v.as_ref().is_ok_and(|s| Arc::ptr_eq(&s.entry, &slot.entry))
                    });
                    continue;
                }
                // The load this caller would have waited on has just failed.
                Ok(Err(e)) => return Err(unshare(e)),
                Err(guard) => guard,
            };
            return match inner.fill(scope, &key, load).await {
                // A stale slot is handed to the callers that waited too; the next lookup finds
                // it stale.
                Ok(slot) | Err(Fill::Stale(slot)) => {
                    let _ = guard.insert(Ok(slot.clone()));
                    Ok(slot.entry)
                }
                Err(Fill::Load(e)) => {
                    let shared = Arc::new(e);
                    let _ = guard.insert(Err(Arc::clone(&shared)));
                    inner.l1.remove_if(&key, |v| v.is_err());
                    Err(unshare(shared))
                }
            };
        }
    }

    /// Makes every entry of `scope` stale, here at once and on other processes as soon as Redis
    /// has relayed it. Never blocks: the Redis work runs on the cache's own thread.
    pub fn bump(&self, scope: &str) {
        self.inner.gens.bump(scope);
        if let Some(tx) = &self.inner.bumps {
            let _ = tx.send(Bump::Scope(scope.to_owned()));
        }
    }

    /// `bump` for each scope.
    pub fn bump_each<S: AsRef<str>>(&self, scopes: impl IntoIterator<Item = S>) {
        for s in scopes {
            self.bump(s.as_ref());
        }
    }

    /// Makes every entry stale (a change that affects many scopes). Never blocks.
    pub fn bump_all(&self) {
        let gens = &self.inner.gens;
        gens.bump_epoch();
        if let Some(tx) = &self.inner.bumps {
            gens.expect_redis_epoch();
            let _ = tx.send(Bump::All);
        }
    }

    /// The generation of `scope` this process knows (0 before any bump).
    pub fn generation(&self, scope: &str) -> u64 {
        self.inner.gens.scope(scope)
    }

    /// A count that moves whenever any generation or the epoch does, here or learnt from
    /// Redis: a reader keeping a database snapshot restarts it when this moves.
    pub fn changes(&self) -> u64 {
        self.inner.gens.changes()
    }

    /// The counters since start.
    pub fn stats(&self) -> CacheStats {
        let i = &self.inner;
        CacheStats {
            l1_hits: i.l1_hits.load(Ordering::Relaxed),
            l2_hits: i.l2_hits.load(Ordering::Relaxed),
            loads: i.loads.load(Ordering::Relaxed),
            stale: i.stale.load(Ordering::Relaxed),
        }
    }

    /// With Redis, waits up to `timeout` for the invalidation subscriber's first attempt, so a
    /// process starts serving with invalidations flowing (or a warning logged). Returns whether
    /// it listens.
    pub async fn wait_listening(&self, timeout: Duration) -> bool {
        if self.inner.bumps.is_none() {
            return false;
        }
        let start = std::time::Instant::now();
        loop {
            match self.inner.gens.listening() {
                Listening::Yes => return true,
                Listening::No => return false,
                Listening::Starting if start.elapsed() >= timeout => return false,
                Listening::Starting => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    }

    /// Drops every entry of this process (the shared level is untouched).
    pub fn clear_local(&self) {
        self.inner.l1.clear();
    }
}

impl Inner {
    /// Whether `slot` may still be served for `scope`: young enough and not bumped since.
    ///
    /// With Redis, other processes' bumps arrive only while the bus is live; otherwise an entry
    /// is served for [`UNHEARD_TTL`] at most, so that no write elsewhere stays unseen longer.
    fn is_live(&self, scope: &str, slot: &Slot) -> bool {
        let now = Instant::now();
        let age = now.saturating_duration_since(slot.born);
        let young = age < self.ttl
            && (self.redis.is_none() || age < UNHEARD_TTL || self.gens.bus_is_live(now));
        young && self.is_fresh(scope, slot.built)
    }

    /// Whether no bump of `scope` (or of the epoch) came after `built`.
    fn is_fresh(&self, scope: &str, built: Built) -> bool {
        self.gens.changes() == built.changes
            || self.gens.is_fresh(scope, built.generation, built.epoch)
    }

    /// Builds a slot on an L1 miss (`key` is the L1 key): from the shared level if it holds the
    /// current generation, else from `load`.
    async fn fill<F, Fut>(&self, scope: &str, key: &str, load: F) -> Result<Slot, Fill>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Entry, ApiError>>,
    {
        let gens = &self.gens;
        // Learn the current generations first, so the slot records what it was built under.
        let mut remote = None;
        let mut l2_usable = self.l2.is_some();
        if let Some(kv) = &self.redis {
            let kv = kv.clone();
            let keys = [bus::gen_key(scope), bus::EPOCH_KEY.to_owned()];
            let got = blocking(move || {
                let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
                kv.get_many_u64(&refs)
            })
            .await;
            match got {
                Some(Ok(v)) if v.len() == 2 => {
                    gens.raise(scope, v[0]);
                    gens.observe_redis_epoch(v[1]);
                    remote = Some((v[0], v[1]));
                }
                Some(Err(e)) => {
                    warn_degraded(&e, "reading cache generations");
                    l2_usable = false;
                }
                _ => l2_usable = false,
            }
        }
        let built_under = Built {
            changes: gens.changes(),
            generation: gens.scope(scope),
            epoch: gens.epoch(),
        };
        let Built {
            generation, epoch, ..
        } = built_under;
        let l2_key = match (l2_usable, remote) {
            (false, _) => None,
            // A local bump Redis has not counted yet: what Redis holds may predate the write.
            (true, Some((g, e))) if g < generation || e < gens.redis_epoch() => None,
            (true, Some((g, e))) => Some(l2_key(e, g, key)),
            (true, None) => Some(l2_key(epoch, generation, key)),
        };

        if let (Some(store), Some(k)) = (&self.l2, &l2_key) {
            let (store, k) = (Arc::clone(store), k.clone());
            match blocking(move || store.get(&k)).await {
                Some(Ok(Some(bytes))) => match Entry::decode(&bytes) {
                    Ok(entry) => {
                        self.l2_hits.fetch_add(1, Ordering::Relaxed);
                        return self.keep(scope, entry, built_under);
                    }
                    Err(e) => tracing::warn!(error = %e, "ignoring an undecodable cache entry"),
                },
                Some(Ok(None)) | None => {}
                Some(Err(e)) => warn_store(&e),
            }
        }

        let entry = load().await.map_err(Fill::Load)?;
        self.loads.fetch_add(1, Ordering::Relaxed);
        if let (Some(store), Some(k)) = (&self.l2, l2_key) {
            let (store, bytes, ttl) = (Arc::clone(store), entry.encode(), self.ttl);
            if let Some(Err(e)) = blocking(move || store.put(&k, bytes.into(), ttl)).await {
                warn_store(&e);
            }
        }
        self.keep(scope, entry, built_under)
    }

    /// The slot for a built entry, unless a bump arrived meanwhile: such an entry is handed to
    /// the waiting callers but not kept.
    fn keep(&self, scope: &str, entry: Entry, b: Built) -> Result<Slot, Fill> {
        let slot = Slot {
            entry: Arc::new(entry),
            built: b,
            born: Instant::now(),
        };
        if self.is_fresh(scope, b) {
            Ok(slot)
        } else {
            self.stale.fetch_add(1, Ordering::Relaxed);
            Err(Fill::Stale(slot))
        }
    }
}

/// The shared-level key: epoch and generation first, so a bump makes older keys unreachable,
/// then the L1 key.
fn l2_key(epoch: u64, generation: u64, l1_key: &str) -> String {
    format!("cache:{epoch}:{generation}:{l1_key}")
}

fn warn_store(e: &StoreError) {
    match e {
        StoreError::Redis(r) => warn_degraded(r, "the shared cache"),
    }
}

/// Runs blocking work (Redis) off the async threads; `None` if the task could not complete.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::warn!(error = %e, "cache task failed");
            None
        }
    }
}

/// The loader's error for one of the callers that waited on it. Variants are rebuilt so each
/// caller gets its own; an internal error's cause is shared behind an `Arc`.
fn unshare(shared: Arc<ApiError>) -> ApiError {
    let shared = match Arc::try_unwrap(shared) {
        Ok(e) => return e,
        Err(shared) => shared,
    };
    match &*shared {
        ApiError::BadRequest { detail, errors } => ApiError::BadRequest {
            detail: detail.clone(),
            errors: errors.clone(),
        },
        ApiError::Validation(errors) => ApiError::Validation(errors.clone()),
        ApiError::Unauthorized(why) => ApiError::Unauthorized(why),
        ApiError::Forbidden(why) => ApiError::Forbidden(why),
        ApiError::NotFound => ApiError::NotFound,
        ApiError::NotFoundDetail(why) => ApiError::NotFoundDetail(why.clone()),
        ApiError::MethodNotAllowed => ApiError::MethodNotAllowed,
        ApiError::Conflict(what) => ApiError::Conflict(what.clone()),
        ApiError::TooManyRequests => ApiError::TooManyRequests,
        ApiError::RateLimited { retry_after_secs } => ApiError::RateLimited {
            retry_after_secs: *retry_after_secs,
        },
        ApiError::Unavailable(what) => ApiError::Unavailable(what.clone()),
        ApiError::TooLarge(what) => ApiError::TooLarge(what.clone()),
        ApiError::CaptureTooLarge(what) => ApiError::CaptureTooLarge(what.clone()),
        ApiError::NotImplemented(what) => ApiError::NotImplemented(what.clone()),
        // Only `/epcis` handlers classify errors, and none of them loads through the cache.
        ApiError::Internal(_) | ApiError::Epcis { .. } => {
            ApiError::Internal(Box::new(SharedLoadError(shared)))
        }
    }
}

/// An internal loader error shared by several callers.
struct SharedLoadError(Arc<ApiError>);

impl fmt::Debug for SharedLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedLoadError").field(&*self.0).finish()
    }
}

impl fmt::Display for SharedLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cache load failed")
    }
}

impl std::error::Error for SharedLoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

#[cfg(test)]
mod tests;
