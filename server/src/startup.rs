//! Building the application: keys, database (migrated), Redis, state, and the bound HTTP server.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{App, HttpServer, dev::Server, middleware::from_fn, web};

use crate::{
    api,
    auth::throttle::Throttle,
    cache::{Cache, CacheConfig},
    config::Settings,
    metrics::Metrics,
    middleware,
    rate_limit::{RateLimitConfig, RateLimiter},
    redis_kv::{RedisError, RedisKv},
    routes::{self, Registrar},
    state::AppState,
};

use db::{self, DbError};

use domain::keys::{KeyFileError, Keys};

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartupError {
    /// The key files could not be read or created.
    #[error("keys")]
    Keys(#[from] KeyFileError),
    /// The database could not be opened or migrated.
    #[error("database")]
    Db(#[from] DbError),
    /// The Redis URL is invalid.
    #[error("redis")]
    Redis(#[from] RedisError),
    /// The listen address could not be bound.
    #[error("cannot listen on {bind}")]
    Bind {
        /// The address.
        bind: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Anything else from the server or runtime.
    #[error("server")]
    Io(#[from] std::io::Error),
}

/// Opens the pool for the settings and applies pending migrations.
pub fn open_database(settings: &Settings) -> Result<db::Pool, DbError> {
    let pool = db::pool(settings.database_url.expose(), settings.db_pool_size)?;
    let mut conn = pool.get().map_err(DbError::Pool)?;
    let applied = db::migrations::run(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "applied database migrations");
    }
    Ok(pool)
}

/// A built, bound, not yet running service.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    /// The subscription worker: stopped with the server, so a stopped node delivers nothing.
    worker: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Loads keys, opens and migrates the database and binds the listener (port 0 picks one).
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let keys = Keys::load_or_create(&settings.data_dir)?;
        let s = settings.clone();
        let (pool, lease) = tokio::task::spawn_blocking(move || {
            let pool = open_database(&s)?;
            let lease = db::lease::ProcessLease::acquire(s.database_url.expose())?;
            Ok::<_, DbError>((pool, lease))
        })
        .await
        .map_err(|e| StartupError::Io(std::io::Error::other(e)))??;
        let redis = match &settings.redis_url {
            Some(url) => Some(RedisKv::open(
                url,
                &settings.redis_key_prefix,
                settings.redis_timeout,
            )?),
            None => None,
        };
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartupError::Bind {
            bind: settings.bind.clone(),
            source,
        })?;
        let addr = listener.local_addr()?;
        let cache_config = CacheConfig {
            ttl: settings.cache_ttl,
            max_entries: settings.cache_max_entries,
        };
        let cache = match &redis {
            Some(kv) => {
                let cache = Cache::with_redis(cache_config, kv.clone());
                // Serve with invalidations flowing, or say why not.
                if !cache.wait_listening(Duration::from_secs(2)).await {
                    tracing::warn!(
                        "not yet listening for cache invalidations; retrying in the background"
                    );
                }
                cache
            }
            None => Cache::local(cache_config),
        };
        let limiter = RateLimiter::new(
            RateLimitConfig {
                per_minute: settings.rate_limit_per_minute,
                trust_forwarded_for: settings.trust_forwarded_for,
            },
            redis.clone(),
        );
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            keys,
            throttle: Throttle::new(
                redis.clone(),
                settings.login_max_failures,
                settings.login_window,
            ),
            redis,
            cache,
            limiter,
            metrics: Arc::new(Metrics::default()),
            lease: Arc::new(lease),
            access_log: crate::access_log::AccessLogPolicy::new(
                settings.access_log,
                settings.access_log_slow,
            ),
            token_ttl_secs: i64::try_from(settings.token_ttl.as_secs()).unwrap_or(900),
            public_base_url: settings.public_base_url(&addr.to_string()),
            scans: crate::resolver::scans::ScanLog::start(pool.clone()),
            // One connection stays outside the permits for background writers (the scan log),
            // so a request holding a permit never waits for one.
            db_slots: tokio::sync::Semaphore::new(
                (settings.db_pool_size as usize).saturating_sub(1).max(1),
            ),
            snapshots: db::snapshot::Snapshots::sqlite(
                settings.database_url.expose(),
                settings.sqlite_reader_cache_mb,
            ),
            writes: std::sync::atomic::AtomicU64::new(0),
        });
        tracing::info!(
            %addr,
            database = %db::redact_url(settings.database_url.expose()),
            redis = settings.redis_url.is_some(),
            public_base_url = %state.public_base_url,
            "gs1dpp-server listening"
        );
        // Webhook deliveries of named queries' subscriptions, in the background.
        let worker = crate::subscriptions::start(pool.clone(), settings.subscriptions.clone());
        let app_state = state.clone();
        let mut server = HttpServer::new(move || {
            let mut registrar = Registrar::default();
            routes::routes(&mut registrar);
            App::new()
                .app_data(app_state.clone())
                .app_data(api::json_config())
                .app_data(api::query_config())
                // The last `wrap` is the outermost: `observe` sees (and ids) refused requests too.
                .wrap(from_fn(crate::resolver::dispatch))
                .wrap(from_fn(middleware::rate_limit))
                .wrap(from_fn(middleware::observe))
                .configure(|cfg| registrar.install(cfg))
                .default_service(web::to(routes::not_found))
        })
        .listen(listener)?
        .shutdown_timeout(10);
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        Ok(Self {
            port: addr.port(),
            server: server.run(),
            state,
            worker,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state (for tests and commands).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// A handle that stops the service (a test stopping a node, an embedding program).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM, then drains in-flight requests (up to 10 s).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let out = self.server.await;
        // No new look starts; one under way on the blocking pool finishes and records its
        // outcome.
        self.worker.abort();
        out
    }
}
