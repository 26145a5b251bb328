//! Shared state and the route table: the one place where every route is registered.

use std::sync::Arc;

use actix_web::{
    FromRequest, Handler, Resource, Responder, Route,
    http::Method,
    web::{self, ServiceConfig},
};

use crate::{
    api, auth::throttle::Throttle, cache::Cache, error::ApiError, metrics::Metrics,
    rate_limit::RateLimiter, redis_kv::RedisKv,
};
use domain::DomainError;

use db::{DbConn, Pool};

use domain::keys::Keys;

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

/// Collects routes, grouping methods by path so an unsupported method gets 405.
#[derive(Default)]
pub struct Registrar {
    resources: Vec<(&'static str, Vec<Route>)>,
    routes: Vec<(Method, &'static str)>,
}

/// The route pattern a request matched, e.g. `/01/{gtin}`, for metrics. Carried as resource
/// data because `HttpRequest::match_pattern` matches the path against every route again.
#[derive(Clone, Copy, Debug)]
pub struct RoutePattern(pub &'static str);

/// Path prefixes installed as actix scopes. Actix tries a request against every resource in
/// turn, a regex each; a scope is one prefix comparison, so a resolver request never runs the
/// API's patterns (and vice versa). Resolver scopes come first: they carry the traffic.
const SCOPES: [&str; 4] = ["/01", "/00", "/414", "/api/v1"];

impl Registrar {
    /// Registers `handler` for `method` on `path` (actix and OpenAPI share the `{param}` syntax).
    pub fn add<F, Args>(&mut self, method: Method, path: &'static str, handler: F)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.routes.push((method.clone(), path));
        let route = web::method(method).to(handler);
        match self.resources.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push(route),
            None => self.resources.push((path, vec![route])),
        }
    }

    /// The (method, path) pairs registered so far.
    pub fn routes(&self) -> &[(Method, &'static str)] {
        &self.routes
    }

    /// Hands the resources to actix: those under a [`SCOPES`] prefix in that scope, the rest at
    /// the root, each group in registration order but for a root path that is a lone parameter,
    /// which goes last.
    pub fn install(self, cfg: &mut ServiceConfig) {
        let resource = |pattern: &'static str, path: &str, routes: Vec<Route>| {
            routes
                .into_iter()
                .fold(web::resource(path), Resource::route)
                .app_data(RoutePattern(pattern))
                .default_service(web::to(method_not_allowed))
        };
        let mut scopes: Vec<Option<actix_web::Scope>> =
            SCOPES.iter().map(|p| Some(web::scope(p))).collect();
        let mut root = Vec::new();
        for (path, routes) in self.resources {
            let slot = SCOPES.iter().position(|p| {
                path.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
            });
            match slot {
                Some(i) => {
                    let rest = &path[SCOPES[i].len()..];
                    scopes[i] = scopes[i]
                        .take()
                        .map(|s| s.service(resource(path, rest, routes)));
                }
                None => root.push((path, resource(path, path, routes))),
            }
        }
        // A root path that is one parameter (`/{compressed}`) would swallow every static one.
        root.sort_by_key(|(path, _)| path.starts_with("/{"));
        for scope in scopes.into_iter().flatten() {
            cfg.service(scope);
        }
        for (_, r) in root {
            cfg.service(r);
        }
    }
}

async fn method_not_allowed() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::MethodNotAllowed)
}

/// Answers any path no route matches. Under a resolver key (`/01/`, `/00/`, `/414/`) every
/// valid Digital Link path has a route, so what reaches here is invalid: the resolver says why
/// (400) instead of a bare 404.
pub async fn not_found(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, ApiError> {
    let path = req.path();
    let resolver_key = ["/01/", "/00/", "/414/"]
        .iter()
        .any(|p| path.starts_with(p));
    if resolver_key && matches!(*req.method(), Method::GET | Method::HEAD) {
        return crate::resolver::handlers::resolve(state, req).await;
    }
    Err(ApiError::NotFound)
}

/// Every route of the service.
pub fn routes(r: &mut Registrar) {
    use api::{api_keys, audit, auth, import, links, ops, orgs, prefixes, products, users};
    // Public resolution: the lookup, the resolver description, then the resolver paths,
    // first: they carry the traffic. The compressed-URI path matches any single segment, so
    // [`Registrar::install`] puts it after every other root path.
    {
        use crate::resolver::{COMPRESSED_PATH, PATHS, handlers as res};
        r.add(Method::GET, "/api/v1/lookup", res::lookup);
        r.add(Method::OPTIONS, "/api/v1/lookup", res::options);
        r.add(Method::GET, "/.well-known/gs1resolver", res::description);
        r.add(Method::HEAD, "/.well-known/gs1resolver", res::description);
        r.add(Method::OPTIONS, "/.well-known/gs1resolver", res::options);
        for path in PATHS {
            r.add(Method::GET, path, res::resolve);
            r.add(Method::HEAD, path, res::resolve);
            r.add(Method::OPTIONS, path, res::options);
        }
        r.add(Method::GET, COMPRESSED_PATH, res::resolve_compressed);
        r.add(Method::HEAD, COMPRESSED_PATH, res::resolve_compressed);
        r.add(Method::OPTIONS, COMPRESSED_PATH, res::options);
    }

    r.add(Method::GET, "/healthz", ops::healthz);
    r.add(Method::GET, "/readyz", ops::readyz);
    r.add(Method::GET, "/metrics", ops::metrics);
    r.add(Method::GET, "/openapi.yaml", ops::openapi);

    r.add(Method::POST, "/api/v1/auth/login", auth::login);
    r.add(Method::GET, "/api/v1/me", auth::me);
    r.add(Method::POST, "/api/v1/me/password", auth::change_password);

    r.add(Method::POST, "/api/v1/orgs", orgs::create);
    r.add(Method::GET, "/api/v1/orgs", orgs::list);
    r.add(Method::GET, "/api/v1/orgs/{id}", orgs::get);
    r.add(Method::PATCH, "/api/v1/orgs/{id}", orgs::update);

    r.add(Method::POST, "/api/v1/orgs/{id}/users", users::create);
    r.add(Method::GET, "/api/v1/orgs/{id}/users", users::list);
    r.add(Method::GET, "/api/v1/users/{id}", users::get);
    r.add(Method::PATCH, "/api/v1/users/{id}", users::update);

    r.add(Method::POST, "/api/v1/orgs/{id}/api-keys", api_keys::create);
    r.add(Method::GET, "/api/v1/orgs/{id}/api-keys", api_keys::list);
    r.add(Method::DELETE, "/api/v1/api-keys/{id}", api_keys::revoke);

    r.add(Method::GET, "/api/v1/audit", audit::list);

    // certificates: signatory status, accreditations, certificates and their GTIN lookup.
    {
        use api::{accreditation as acc, certificates as cert};
        let sigs = "/api/v1/accreditation-bodies/{id}/signatures";
        r.add(Method::POST, sigs, acc::create_signature);
        r.add(Method::GET, sigs, acc::list_signatures);
        r.add(
            Method::PATCH,
            "/api/v1/signatures/{id}",
            acc::update_signature,
        );
        r.add(
            Method::POST,
            "/api/v1/accreditations",
            acc::create_accreditation,
        );
        r.add(
            Method::GET,
            "/api/v1/accreditations",
            acc::list_accreditations,
        );
        r.add(
            Method::GET,
            "/api/v1/accreditations/{id}",
            acc::get_accreditation,
        );
        r.add(
            Method::PATCH,
            "/api/v1/accreditations/{id}",
            acc::update_accreditation,
        );
        r.add(Method::POST, "/api/v1/certificates", cert::issue);
        r.add(Method::GET, "/api/v1/certificates", cert::list);
        r.add(Method::GET, "/api/v1/certificates/{id}", cert::get);
        r.add(
            Method::POST,
            "/api/v1/certificates/{id}/status",
            cert::change_status,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/certificates",
            cert::for_product,
        );
    }
    // Passports: drafts and publishing (owner), signed versions and the JWKS (public).
    {
        use api::passports as pp;
        r.add(Method::GET, "/.well-known/jwks.json", pp::jwks);
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/passport/versions/{n}/jws",
            pp::version_jws,
        );
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/lots/{lot}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/lots/{lot}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/lots/{lot}/passport/versions/{n}/jws",
            pp::version_jws,
        );
        r.add(
            Method::PUT,
            "/api/v1/products/{gtin}/serials/{serial}/passport",
            pp::put_draft,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport",
            pp::get_draft,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/{serial}/passport/publish",
            pp::publish,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions",
            pp::versions,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}",
            pp::version,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}/passport/versions/{n}/jws",
            pp::version_jws,
        );
    }

    // Market surveillance: inspections (authority inspectors) and alerts (authorities, certifiers).
    {
        use api::{alerts, inspections};
        r.add(Method::POST, "/api/v1/inspections", inspections::create);
        r.add(Method::GET, "/api/v1/inspections", inspections::list);
        r.add(Method::GET, "/api/v1/inspections/{id}", inspections::get);
        r.add(Method::POST, "/api/v1/alerts", alerts::create);
        r.add(Method::GET, "/api/v1/alerts", alerts::list);
        r.add(Method::GET, "/api/v1/alerts/{id}", alerts::get);
        r.add(Method::POST, "/api/v1/alerts/{id}/lift", alerts::lift);
        r.add(Method::GET, "/api/v1/orgs/{id}/alerts", alerts::for_org);
    }

    // serials: lots, bulk commissioning jobs and serial state.
    {
        use api::{lots, serials};
        r.add(Method::POST, "/api/v1/products/{gtin}/lots", lots::create);
        r.add(Method::GET, "/api/v1/products/{gtin}/lots", lots::list);
        r.add(Method::GET, "/api/v1/products/{gtin}/lots/{lot}", lots::get);
        r.add(
            Method::PATCH,
            "/api/v1/products/{gtin}/lots/{lot}",
            lots::update,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials",
            serials::commission,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials",
            serials::list,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/state",
            serials::set_states,
        );
        r.add(
            Method::GET,
            "/api/v1/products/{gtin}/serials/{serial}",
            serials::get,
        );
        r.add(
            Method::POST,
            "/api/v1/products/{gtin}/serials/{serial}/state",
            serials::set_state,
        );
        r.add(Method::GET, "/api/v1/commission-jobs/{id}", serials::job);
    }
    r.add(Method::POST, "/api/v1/prefixes", prefixes::create);
    r.add(Method::GET, "/api/v1/prefixes", prefixes::list);
    r.add(Method::GET, "/api/v1/prefixes/{id}", prefixes::get);
    r.add(Method::PATCH, "/api/v1/prefixes/{id}", prefixes::update);
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/gtins",
        prefixes::issue_gtin,
    );
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/ssccs",
        prefixes::issue_sscc,
    );
    r.add(
        Method::POST,
        "/api/v1/prefixes/{id}/glns",
        prefixes::issue_gln,
    );
    r.add(Method::GET, "/api/v1/prefixes/{id}/keys", prefixes::keys);

    r.add(Method::POST, "/api/v1/products", products::create);
    r.add(Method::GET, "/api/v1/products", products::list);
    // Before `{gtin}`, which would otherwise match it.
    r.add(Method::POST, "/api/v1/products/import", import::import);
    r.add(Method::GET, "/api/v1/products/{gtin}", products::get);
    r.add(Method::PATCH, "/api/v1/products/{gtin}", products::update);
    r.add(Method::POST, "/api/v1/products/{gtin}/links", links::create);
    r.add(Method::GET, "/api/v1/products/{gtin}/links", links::list);
    r.add(Method::PATCH, "/api/v1/links/{id}", links::update);
    r.add(Method::DELETE, "/api/v1/links/{id}", links::delete);
}

/// The (method, path) pairs the service registers, for the OpenAPI test.
pub fn registered_routes() -> Vec<(String, String)> {
    let mut r = Registrar::default();
    routes(&mut r);
    r.routes()
        .iter()
        .map(|(m, p)| (m.to_string(), (*p).to_owned()))
        .collect()
}
