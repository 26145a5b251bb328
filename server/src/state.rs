//! What every handler can reach, and how it runs database work. Imports no handler.

use std::sync::Arc;

use actix_web::web;
use db::{DbConn, Pool};
use domain::{DomainError, keys::Keys};

use crate::{
    auth::throttle::Throttle, cache::Cache, error::ApiError, metrics::Metrics,
    rate_limit::RateLimiter, redis_kv::RedisKv,
};

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState {
    /// The database pool.
    pub pool: Pool,
    /// Token secret and signing key.
    pub keys: Keys,
    /// Redis, when configured.
    pub redis: Option<RedisKv>,
    /// Failed-login throttle.
    pub throttle: Throttle,
    /// The response cache; handlers `bump` a GTIN after a write that changes its answers.
    pub cache: Cache,
    /// Per-client budgets of public requests.
    pub limiter: RateLimiter,
    /// HTTP metrics.
    pub metrics: Arc<Metrics>,
    /// This process's lease on the jobs it runs (`db::lease`).
    pub lease: Arc<db::lease::ProcessLease>,
    /// Which requests write an access-log line.
    pub access_log: crate::access_log::AccessLogPolicy,
    /// Access token lifetime, seconds.
    pub token_ttl_secs: i64,
    /// The resolver's public root.
    pub public_base_url: String,
    /// The public scan log (written in the background).
    pub scans: crate::resolver::scans::ScanLog,
    /// One permit per pooled connection: database work waits here, on the async side, rather
    /// than as a blocking thread parked on the pool (a burst of cache misses otherwise wakes
    /// dozens of threads to fight over a handful of connections).
    pub db_slots: tokio::sync::Semaphore,
    /// SQLite: readers that keep a snapshot between short reads (see [`AppState::read`]).
    pub snapshots: Option<db::snapshot::Snapshots>,
    /// Counts finished [`AppState::run`]s (writes among them): a kept snapshot older than the
    /// last one is not read again.
    pub writes: std::sync::atomic::AtomicU64,
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool with a pooled connection.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = self.db_slot().await?;
        let pool = self.pool.clone();
        let out = web::block(move || f(&mut *checkout(&pool)?)).await;
        // After the commit and before the caller bumps the cache: see `read`.
        self.wrote();
        out?
    }

    /// [`AppState::run`] for a platform rule: `f` calls `domain`, whose refusals become HTTP
    /// errors here.
    pub async fn apply<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, DomainError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| f(conn).map_err(ApiError::from)).await
    }

    /// Records a write made outside [`AppState::run`], so `read` does not serve from a
    /// snapshot that predates it.
    pub fn wrote(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Runs a short read that must not write. On SQLite it runs right here, on the worker: a
    /// WAL reader never waits for a writer and a point read takes microseconds, less than
    /// handing it to the blocking pool and back (measured: a quarter of a resolver cache miss).
    /// It reads from a kept snapshot (`db::snapshot`) no older than this process's last write
    /// or cache bump. On PostgreSQL, where a query waits on the network, it goes to the
    /// blocking pool like [`AppState::run`].
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(snapshots) = &self.snapshots else {
            return self.run(f).await;
        };
        // Two counts that only grow: their sum moves whenever either does.
        let changes = self
            .writes
            .load(std::sync::atomic::Ordering::Acquire)
            .wrapping_add(self.cache.changes());
        snapshots.read(changes, f)
    }

    /// A permit to use a pooled connection (see `db_slots`).
    async fn db_slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, ApiError> {
        self.db_slots
            .acquire()
            .await
            .map_err(|_| ApiError::Unavailable("shutting down".to_owned()))
    }
}

/// A pooled connection, or 503 (the cause logged, not shown).
fn checkout(pool: &Pool) -> Result<db::PooledConn, ApiError> {
    pool.get().map_err(|e| ApiError::from(db::DbError::Pool(e)))
}
