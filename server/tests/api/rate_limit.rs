//! The per-client rate limit of public requests: 429 with `Retry-After` past the budget, never on
//! operational or `/api/` routes, shared across nodes through Redis.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};

use crate::helpers::{Auth, TestApp, fresh_settings, spawn_with};

const PUBLIC: &str = "/.well-known/jwks.json";

async fn limited_app(per_minute: u32, trust_forwarded_for: bool) -> TestApp {
    let (mut settings, pg) = fresh_settings();
    settings.rate_limit_per_minute = per_minute;
    settings.trust_forwarded_for = trust_forwarded_for;
    spawn_with(settings, pg).await
}

/// Budgets are per minute of the clock; a test that must stay inside one minute waits out the
/// last seconds of the current one.
async fn start_of_a_window() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let left = 60 - now % 60;
    if left < 10 {
        tokio::time::sleep(Duration::from_secs(left)).await;
    }
}

#[tokio::test]
async fn public_requests_past_the_budget_get_429_with_retry_after() {
    let app = limited_app(5, false).await;
    start_of_a_window().await;
    for i in 0..5 {
        let res = app.get(PUBLIC, &Auth::None).await;
        assert_eq!(res.status, StatusCode::OK, "request {i}: {}", res.text);
        assert_eq!(res.header("ratelimit-limit"), Some("5"));
        assert_eq!(
            res.header("ratelimit-remaining"),
            Some((4 - i).to_string().as_str())
        );
    }
    let res = app.get(PUBLIC, &Auth::None).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["status"], 429);
    assert_eq!(res.body["type"], "urn:gs1dpp:problem:rate-limited");
    assert!(res.body["request_id"].is_string(), "{}", res.text);
    let retry: u64 = res
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    assert!((1..=60).contains(&retry), "{:?}", res.header("retry-after"));
    // Unknown public paths draw on the same budget.
    let res = app.get("/01/09506000134352", &Auth::None).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn operational_and_api_routes_are_never_limited() {
    let app = limited_app(2, false).await;
    start_of_a_window().await;
    for _ in 0..3 {
        app.get(PUBLIC, &Auth::None).await;
    }
    assert_eq!(
        app.get(PUBLIC, &Auth::None).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the budget is spent"
    );
    let me = app.auth(&app.exporter);
    for _ in 0..5 {
        for (path, auth) in [
            ("/healthz", &Auth::None),
            ("/readyz", &Auth::None),
            ("/metrics", &Auth::None),
            ("/openapi.yaml", &Auth::None),
            ("/api/v1/me", &me),
        ] {
            let res = app.req(Method::GET, path, auth, None).await;
            assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
            assert_eq!(res.header("ratelimit-limit"), None, "{path}");
        }
    }
}

#[tokio::test]
async fn forwarded_for_names_the_client_only_when_trusted() {
    let xff = |ip: &'static str| [("x-forwarded-for", ip)];
    let trusted = limited_app(1, true).await;
    start_of_a_window().await;
    let get = async |app: &TestApp, ip: &'static str| {
        app.get_with(PUBLIC, &Auth::None, &xff(ip)).await.status
    };
    assert_eq!(get(&trusted, "203.0.113.1, 10.0.0.1").await, StatusCode::OK);
    assert_eq!(
        get(&trusted, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(get(&trusted, "203.0.113.2").await, StatusCode::OK);

    let untrusted = limited_app(1, false).await;
    assert_eq!(get(&untrusted, "203.0.113.1").await, StatusCode::OK);
    assert_eq!(
        get(&untrusted, "203.0.113.2").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a header the operator does not trust cannot buy a new budget"
    );
}

#[tokio::test]
async fn nodes_sharing_redis_share_one_budget() {
    if std::env::var("TEST_REDIS_URL").map_or(true, |u| u.is_empty()) {
        eprintln!("TEST_REDIS_URL not set: skipping the shared rate limit test");
        return;
    }
    let a = limited_app(5, false).await;
    let b = a.spawn_peer(|s| s.rate_limit_per_minute = 5).await;
    start_of_a_window().await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(a.get(PUBLIC, &Auth::None).await.status);
    }
    for _ in 0..3 {
        statuses.push(b.get_anonymous(PUBLIC).await.0);
    }
    assert_eq!(&statuses[..5], &[StatusCode::OK; 5], "{statuses:?}");
    assert_eq!(
        statuses[5],
        StatusCode::TOO_MANY_REQUESTS,
        "the sixth request overall is over the shared budget: {statuses:?}"
    );
}

#[tokio::test]
async fn a_batch_lookup_counts_every_code_against_the_budget() {
    let app = limited_app(10, false).await;
    start_of_a_window().await;
    let codes = |n: usize| serde_json::json!({"codes": vec!["09506000134352"; n]});
    let res = app.post("/api/v1/lookups", &Auth::None, codes(4)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    // 4 of 10 spent: 6 more codes fit, 7 do not.
    let res = app.post("/api/v1/lookups", &Auth::None, codes(7)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    let res = app.get(PUBLIC, &Auth::None).await;
    assert_eq!(
        res.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the refused batch spent what it counted"
    );
}
