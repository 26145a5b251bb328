//! The real server binary in a process of its own, on a database of its own: for tests that
//! measure the process (memory) or kill it (crash recovery).
// Each test binary uses a part of it.
#![allow(dead_code)]

use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_gs1dpp-server");

/// A database for one test: a SQLite file in `dir`, or with `TEST_DATABASE_URL` a PostgreSQL
/// schema of its own, dropped with the value.
pub struct TestDb {
    pub url: String,
    pub dir: PathBuf,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A fresh database named after `test`; `sqlite_only` ignores `TEST_DATABASE_URL`.
    pub fn new(test: &str, sqlite_only: bool) -> Self {
        let id = uuid::Uuid::now_v7().simple().to_string();
        let dir = std::env::temp_dir().join(format!("gs1dpp-{test}-{id}"));
        std::fs::create_dir_all(&dir).expect("test dir");
        let base = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty() && !sqlite_only);
        match base {
            Some(base) => {
                let schema = format!("p_{id}");
                let mut conn = PgConnection::establish(&base).expect("TEST_DATABASE_URL");
                diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                    .execute(&mut conn)
                    .expect("create schema");
                let sep = if base.contains('?') { '&' } else { '?' };
                Self {
                    url: format!("{base}{sep}options=-csearch_path%3D{schema}"),
                    dir,
                    pg: Some((base, schema)),
                }
            }
            None => Self {
                url: format!("sqlite://{}/db.sqlite", dir.display()),
                dir,
                pg: None,
            },
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// The server binary with this database and its data directory, rate limits off.
    pub fn command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env("DATABASE_URL", &self.url)
            .env("DATA_DIR", self.dir.join("data"))
            .env("RATE_LIMIT_PER_MINUTE", "0")
            .env_remove("REDIS_URL")
            .env("RUST_LOG", "warn");
        c
    }

    /// Loads the demo data; returns what `seed --demo` printed.
    pub fn seed_demo(&self) -> Value {
        let seed = self
            .command()
            .args(["seed", "--demo"])
            .stderr(Stdio::null())
            .output()
            .expect("seed runs");
        assert!(seed.status.success(), "seed --demo failed");
        serde_json::from_slice(&seed.stdout).expect("seed prints JSON")
    }

    /// Starts `serve` on a free port and waits until it answers.
    pub async fn serve(&self) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = self
            .command()
            .env("BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while reqwest::get(format!("{}/healthz", server.base))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server never answered"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, schema)) = &self.pg
            && let Ok(mut conn) = PgConnection::establish(base)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A running server, killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Kills the process at once, as `kill -9` does.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A bearer token for `who`, an entry of the demo's `users`.
    pub async fn login(&self, who: &Value) -> String {
        let login: Value = reqwest::Client::new()
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": who["email"], "password": who["password"]}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login JSON");
        login["access_token"].as_str().expect("a token").to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
