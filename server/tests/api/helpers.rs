//! `spawn_app()`: a running server on a fresh database (SQLite temp file, or a PostgreSQL schema
//! when `TEST_DATABASE_URL` is set), a Redis key prefix when `TEST_REDIS_URL` is set, and seeded
//! accounts for every role in two organisations.

use std::path::PathBuf;

use actix_web::web;
use diesel::{Connection, PgConnection, RunQueryDsl};
use domain::{
    Actor, Country, Email, OrgKind, OrgName, Password, Role,
    orgs::{self, NewOrg},
    users::{self, NewUser},
};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;
use server::{Application, Settings, auth::jwt, config::Secret, state::AppState};

/// The password of every seeded user.
pub const PASSWORD: &str = "correct horse battery staple";

/// The GTIN-13 (14-digit form) with item reference `r` under company prefix `prefix`.
pub fn gtin13(prefix: &str, r: u64) -> String {
    let prefix: gs1::keys::CompanyPrefix = prefix.parse().expect("prefix");
    prefix.gtin13(r).expect("gtin").to_string()
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No credentials.
    None,
    /// `Authorization: Bearer <token>` (a JWT or an API key secret).
    Bearer(String),
    /// `X-Api-Key: <secret>`.
    Key(String),
}

/// A seeded user.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub org_id: String,
    pub role: Role,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The `field`s named in a problem document.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A running app and what the tests need to drive it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: web::Data<AppState>,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub redis_prefix: Option<String>,
    /// Stops the app's server (and with it its subscription worker).
    pub handle: actix_web::dev::ServerHandle,
    /// Platform admin, in organisation "Platform".
    pub admin: Account,
    /// Organisation A (exporter kind) with an exporter, a certifier and an inspector.
    pub org_a: String,
    /// Organisation B, foreign to A's users; has one exporter.
    pub org_b: String,
    pub exporter: Account,
    pub certifier: Account,
    pub inspector: Account,
    pub exporter_b: Account,
    pg: Option<(String, String)>,
}

fn init_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init(false, "info");
    }
}

/// Builds settings for a fresh database; returns them with the PostgreSQL schema to drop.
pub fn fresh_settings() -> (Settings, Option<(String, String)>) {
    init_logs();
    let id = uuid::Uuid::now_v7().simple().to_string();
    let data_dir = std::env::temp_dir().join(format!("gs1dpp-test-{id}"));
    let (url, pg) = match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(base) => {
            let schema = format!("t_{id}");
            let mut conn =
                PgConnection::establish(&base).unwrap_or_else(|e| panic!("TEST_DATABASE_URL: {e}"));
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut conn)
                .expect("create schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            (
                format!("{base}{sep}options=-csearch_path%3D{schema}"),
                Some((base, schema)),
            )
        }
        None => (format!("sqlite://{}/test.db", data_dir.display()), None),
    };
    let mut settings = Settings::new(url, data_dir);
    settings.bind = "127.0.0.1:0".to_owned();
    settings.workers = 1;
    settings.db_pool_size = 4;
    if let Some(redis) = std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        settings.redis_url = Some(Secret::new(redis));
        settings.redis_key_prefix = format!("test:{id}:");
    }
    (settings, pg)
}

/// Starts an app with the given settings and seeds the standard accounts.
pub async fn spawn_with(settings: Settings, pg: Option<(String, String)>) -> TestApp {
    let database_url = settings.database_url.expose().clone();
    let data_dir = settings.data_dir.clone();
    let redis_prefix = settings
        .redis_url
        .as_ref()
        .map(|_| settings.redis_key_prefix.clone());
    let app = Application::build(settings).await.expect("build app");
    let port = app.port();
    let state = app.state();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());

    let st = state.clone();
    let seeded = tokio::task::spawn_blocking(move || seed(&st))
        .await
        .expect("seed task");
    let (admin, org_a, org_b, exporter, certifier, inspector, exporter_b) = seeded;
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        state,
        database_url,
        data_dir,
        redis_prefix,
        handle,
        admin,
        org_a,
        org_b,
        exporter,
        certifier,
        inspector,
        exporter_b,
        pg,
    }
}

/// A second app on the database and Redis prefix of a `TestApp`, as another node of the same
/// deployment: nothing is seeded, and the first app cleans up both.
pub struct Peer {
    pub base: String,
    pub client: reqwest::Client,
    pub state: web::Data<AppState>,
}

impl TestApp {
    /// Starts a peer; `adjust` changes its settings before it starts.
    pub async fn spawn_peer(&self, adjust: impl FnOnce(&mut Settings)) -> Peer {
        let mut settings = Settings::new(self.database_url.clone(), self.data_dir.clone());
        settings.bind = "127.0.0.1:0".to_owned();
        settings.workers = 1;
        settings.db_pool_size = 4;
        if let (Some(prefix), Ok(url)) = (&self.redis_prefix, std::env::var("TEST_REDIS_URL")) {
            settings.redis_url = Some(Secret::new(url));
            settings.redis_key_prefix.clone_from(prefix);
        }
        adjust(&mut settings);
        let app = Application::build(settings).await.expect("build peer");
        let base = format!("http://127.0.0.1:{}", app.port());
        let state = app.state();
        tokio::spawn(app.run_until_stopped());
        Peer {
            base,
            client: reqwest::Client::new(),
            state,
        }
    }
}

impl Peer {
    /// GET without credentials; returns the status and the `Retry-After` header.
    pub async fn get_anonymous(&self, path: &str) -> (StatusCode, Option<String>) {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let retry = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (res.status(), retry)
    }
}

/// Starts an app on a fresh database.
pub async fn spawn_app() -> TestApp {
    let (settings, pg) = fresh_settings();
    spawn_with(settings, pg).await
}

type Seeded = (Account, String, String, Account, Account, Account, Account);

fn seed(state: &AppState) -> Seeded {
    let mut conn = state.pool.get().expect("connection");
    let cli = Actor::cli();
    let mut org = |name: &str, kind: OrgKind| {
        let new = NewOrg {
            kind,
            name: OrgName::parse(name).expect("name"),
            country: Country::parse("VN").expect("country"),
            gln: None,
        };
        orgs::create(&mut conn, &cli, new).expect("org").id
    };
    let platform = org("Platform", OrgKind::Authority);
    let a = org("Exporter A", OrgKind::Exporter);
    let b = org("Exporter B", OrgKind::Exporter);
    let mut user = |org_id: &str, email: &str, role: Role| {
        let new = NewUser {
            org_id: org_id.to_owned(),
            email: Email::parse(email).expect("email"),
            password: Password::parse(PASSWORD.to_owned()).expect("password"),
            role,
        };
        let u = users::create(&mut conn, &cli, new).expect("user");
        Account {
            id: u.id,
            org_id: u.org_id,
            role,
        }
    };
    let admin = user(&platform, "admin@platform.vn", Role::Admin);
    let exporter = user(&a, "exporter@a.vn", Role::Exporter);
    let certifier = user(&a, "certifier@a.vn", Role::Certifier);
    let inspector = user(&a, "inspector@a.vn", Role::Inspector);
    let exporter_b = user(&b, "exporter@b.vn", Role::Exporter);
    (admin, a, b, exporter, certifier, inspector, exporter_b)
}

impl TestApp {
    /// A valid access token for `who`, minted with the app's secret (`exp_in` seconds from now).
    pub fn token_with_exp(&self, who: &Account, exp_in: i64) -> String {
        let now = chrono::Utc::now().timestamp();
        let claims = jwt::Claims {
            sub: who.id.clone(),
            org: who.org_id.clone(),
            role: who.role.to_string(),
            iat: now - 60,
            exp: now + exp_in,
        };
        jwt::issue(self.state.keys.jwt_secret.expose(), &claims).expect("token")
    }

    /// A valid bearer credential for `who`.
    pub fn auth(&self, who: &Account) -> Auth {
        Auth::Bearer(self.token_with_exp(who, 600))
    }

    /// Sends a request and reads the whole response.
    pub async fn req(&self, method: Method, path: &str, auth: &Auth, body: Option<Value>) -> Res {
        self.req_with(method, path, auth, body, &[]).await
    }

    /// Sends a request with extra headers.
    pub async fn req_with(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut rb = with_auth(
            self.client.request(method, format!("{}{path}", self.base)),
            auth,
        );
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        send(rb).await
    }

    /// GET.
    pub async fn get(&self, path: &str, auth: &Auth) -> Res {
        self.req(Method::GET, path, auth, None).await
    }

    /// GET with extra request headers.
    pub async fn get_with(&self, path: &str, auth: &Auth, headers: &[(&str, &str)]) -> Res {
        self.req_with(Method::GET, path, auth, None, headers).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, auth: &Auth, body: Value) -> Res {
        self.req(Method::POST, path, auth, Some(body)).await
    }

    /// PATCH with a JSON body.
    pub async fn patch(&self, path: &str, auth: &Auth, body: Value) -> Res {
        self.req(Method::PATCH, path, auth, Some(body)).await
    }

    /// POST with a raw body of `content_type`.
    pub async fn post_raw(&self, path: &str, auth: &Auth, content_type: &str, body: String) -> Res {
        let rb = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        send(with_auth(rb, auth)).await
    }

    /// Licenses `prefix` to `org` as the admin; returns the prefix id.
    pub async fn license(&self, org: &str, prefix: &str) -> String {
        let res = self
            .post(
                "/api/v1/prefixes",
                &self.auth(&self.admin),
                serde_json::json!({"org_id": org, "prefix": prefix}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        res.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Whether the app runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// Logs in over HTTP.
    pub async fn login(&self, email: &str, password: &str) -> Res {
        self.post(
            "/api/v1/auth/login",
            &Auth::None,
            serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Issues an API key for `org` as `who`; returns (id, secret).
    pub async fn api_key(&self, who: &Account, org: &str) -> (String, String) {
        let res = self
            .post(
                &format!("/api/v1/orgs/{org}/api-keys"),
                &self.auth(who),
                serde_json::json!({"name": "erp", "role": if who.role == Role::Admin { "exporter" } else { who.role.as_str() }}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        (
            res.body["id"].as_str().unwrap_or_default().to_owned(),
            res.body["secret"].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Runs SQL on the app's database (to tamper with rows).
    pub async fn sql(&self, sql: &str) {
        let state = self.state.clone();
        let sql = sql.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut conn = state.pool.get().expect("connection");
            diesel::sql_query(sql).execute(&mut *conn).expect("sql");
            state.wrote();
        })
        .await
        .expect("sql task");
    }

    /// Pages through a list endpoint, returning every item.
    pub async fn collect(&self, path: &str, auth: &Auth, limit: u32) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let sep = if path.contains('?') { '&' } else { '?' };
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
                None => format!("{path}{sep}limit={limit}"),
            };
            let res = self.get(&url, auth).await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.text);
            items.extend(res.body["items"].as_array().cloned().unwrap_or_default());
            match res.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return items,
            }
        }
    }
}

/// `rb` with the credentials of `auth`.
pub fn with_auth(rb: reqwest::RequestBuilder, auth: &Auth) -> reqwest::RequestBuilder {
    match auth {
        Auth::None => rb,
        Auth::Bearer(t) => rb.bearer_auth(t),
        Auth::Key(k) => rb.header("x-api-key", k),
    }
}

/// Sends a request and reads the whole response.
async fn send(rb: reqwest::RequestBuilder) -> Res {
    let resp = rb.send().await.expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Res {
        status,
        headers,
        body,
        text,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg {
            drop_schema(base, schema);
        }
        if let (Some(prefix), Ok(url)) = (&self.redis_prefix, std::env::var("TEST_REDIS_URL")) {
            drop_redis_keys(&url, prefix);
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Drops a per-test PostgreSQL schema.
pub fn drop_schema(base: &str, schema: &str) {
    if let Ok(mut conn) = PgConnection::establish(base) {
        let _ =
            diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut conn);
    }
}

/// Deletes every Redis key under a test's prefix.
fn drop_redis_keys(url: &str, prefix: &str) {
    let Ok(mut conn) = redis::Client::open(url).and_then(|c| c.get_connection()) else {
        return;
    };
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query(&mut conn)
        .unwrap_or_default();
    if !keys.is_empty() {
        let _: redis::RedisResult<i64> = redis::cmd("DEL").arg(keys).query(&mut conn);
    }
}
