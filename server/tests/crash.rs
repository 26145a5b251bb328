//! A server killed (SIGKILL) in the middle of commissioning: restarted, the same request with
//! the same `Idempotency-Key` resumes the job at once (the dead process's lease is free) and
//! commissions every serial once. Issue 18: the retry answered `running` and did nothing until
//! 30 s after the last chunk. On PostgreSQL with `TEST_DATABASE_URL`, else on SQLite.

mod support;

use std::time::{Duration, Instant};

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use serde_json::{Value, json};

/// Serials asked for: many chunks (8,000 each), so the kill lands in the middle.
const TOTAL: i64 = 200_000;
const KEY: &str = "crash-test-commission";

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One number from the test database.
fn count(url: &str, sql: &str) -> i64 {
    let mut conn = db::Manager::new(url)
        .expect("url")
        .establish()
        .expect("connect");
    diesel::sql_query(sql)
        .get_result::<Count>(&mut conn)
        .map(|c| c.n)
        .unwrap_or(0)
}

async fn commission(base: &str, token: &str, gtin: &str) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/products/{gtin}/serials"))
        .bearer_auth(token)
        .header("idempotency-key", KEY)
        .json(&json!({"range": {"prefix": "K", "start": 1, "count": TOTAL, "width": 7}}))
        .send()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_a_crash_resumes_the_job_at_once() {
    let db = support::TestDb::new("crash", false);
    let demo = db.seed_demo();
    let gtin = demo["gtins"]["recalled"]
        .as_str()
        .expect("a demo GTIN")
        .to_owned();
    let mut server = db.serve().await;
    let token = server.login(&demo["users"]["exporter"]).await;

    let done_sql = format!("SELECT done AS n FROM commission_jobs WHERE idempotency_key = '{KEY}'");
    let (base, tok, g) = (server.base.clone(), token.clone(), gtin.clone());
    let first = tokio::spawn(async move { commission(&base, &tok, &g).await });
    let started = Instant::now();
    let mut done = 0;
    while done == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no chunk in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
        done = count(&db.url, &done_sql);
    }
    server.kill();
    let _ = first.await;
    let at_kill = count(&db.url, &done_sql);
    assert!(
        at_kill < TOTAL,
        "the job finished before the kill: make TOTAL larger"
    );
    eprintln!(
        "killed with {at_kill} of {TOTAL} serials committed ({})",
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    let server = db.serve().await;
    let token = server.login(&demo["users"]["exporter"]).await;
    let retried = Instant::now();
    let res = commission(&server.base, &token, &gtin)
        .await
        .expect("the retry");
    let status = res.status();
    let job: Value = res.json().await.expect("job JSON");
    eprintln!(
        "the retry answered {status} in {:?}: {job}",
        retried.elapsed()
    );
    assert_eq!(
        job["status"], "done",
        "the retry did not resume the job: {job}"
    );
    assert_eq!(job["done"], json!(TOTAL));
    let serials = count(
        &db.url,
        &format!("SELECT count(*) AS n FROM serials WHERE gtin = '{gtin}' AND serial LIKE 'K%'"),
    );
    assert_eq!(serials, TOTAL, "every serial once");
    drop(server);
}

#[tokio::test]
async fn a_job_running_in_a_live_process_is_not_run_twice() {
    // Within one process, the claim keeps a second request off a job in progress; across
    // processes, the lease does. Both are seen by a retry while the first request still runs.
    let db = support::TestDb::new("crash-live", false);
    let demo = db.seed_demo();
    let gtin = demo["gtins"]["recalled"]
        .as_str()
        .expect("a demo GTIN")
        .to_owned();
    let server = db.serve().await;
    let token = server.login(&demo["users"]["exporter"]).await;
    let done_sql = format!("SELECT done AS n FROM commission_jobs WHERE idempotency_key = '{KEY}'");
    let (base, tok, g) = (server.base.clone(), token.clone(), gtin.clone());
    let first = tokio::spawn(async move { commission(&base, &tok, &g).await });
    let started = Instant::now();
    while count(&db.url, &done_sql) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no chunk in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let again: Value = commission(&server.base, &token, &gtin)
        .await
        .expect("the second request")
        .json()
        .await
        .expect("job JSON");
    let first: Value = first
        .await
        .expect("first request")
        .expect("the first request")
        .json()
        .await
        .expect("job JSON");
    assert_eq!(first["status"], "done", "{first}");
    assert_ne!(
        again["status"], "failed",
        "the second request ran the job beside the first: {again}"
    );
    let serials = count(
        &db.url,
        &format!("SELECT count(*) AS n FROM serials WHERE gtin = '{gtin}' AND serial LIKE 'K%'"),
    );
    assert_eq!(serials, TOTAL);
}
