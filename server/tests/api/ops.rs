//! Liveness, readiness, metrics, request ids and the error conventions.

use reqwest::{Method, StatusCode};

use crate::helpers::{Auth, fresh_settings, spawn_app, spawn_with};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = spawn_app().await;
    let res = app.get("/healthz", &Auth::None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["status"], "ok");
    let res = app.get("/readyz", &Auth::None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["database"], "ok");
    let redis = if app.redis_prefix.is_some() {
        "ok"
    } else {
        "not configured"
    };
    assert_eq!(res.body["redis"], redis);
}

#[tokio::test]
async fn readyz_is_503_when_redis_is_unreachable() {
    let (mut settings, pg) = fresh_settings();
    settings.redis_url = Some(server::config::Secret::new(
        "redis://127.0.0.1:1".to_owned(),
    ));
    let app = spawn_with(settings, pg).await;
    let res = app.get("/readyz", &Auth::None).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        res.body["detail"], "redis unavailable",
        "no internals in the answer"
    );
    assert_eq!(
        app.get("/healthz", &Auth::None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    app.get(&format!("/api/v1/orgs/{}", app.org_a), &admin)
        .await;
    app.get(&format!("/api/v1/orgs/{}", app.org_b), &admin)
        .await;
    let res = app.get("/metrics", &Auth::None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.header("content-type")
            .unwrap_or_default()
            .starts_with("text/plain")
    );
    assert!(
        res.text.contains(
            r#"http_requests_total{method="GET",route="/api/v1/orgs/{id}",status="200"} 2"#
        ),
        "{}",
        res.text
    );
    assert!(res.text.contains(
        r#"http_request_duration_seconds_count{method="GET",route="/api/v1/orgs/{id}"} 2"#
    ));
    assert!(
        !res.text.contains(&app.org_a),
        "raw paths must not become labels"
    );
}

#[tokio::test]
async fn request_ids_are_echoed_when_plain_and_generated_otherwise() {
    let app = spawn_app().await;
    let res = app
        .get_with("/healthz", &Auth::None, &[("x-request-id", "abc-123")])
        .await;
    assert_eq!(res.header("x-request-id"), Some("abc-123"));
    let res = app
        .get_with(
            "/healthz",
            &Auth::None,
            &[("x-request-id", "bad id\twith space")],
        )
        .await;
    let id = res.header("x-request-id").unwrap_or_default();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    let res = app
        .get_with("/api/v1/me", &Auth::None, &[("x-request-id", "req-401")])
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.body["request_id"], "req-401");
    assert_eq!(res.body["instance"], "/api/v1/me");
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/nothing-here", &Auth::None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.body["status"], 404);
    assert!(
        res.body["request_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let res = app
        .req(Method::PUT, "/api/v1/orgs", &app.auth(&app.admin), None)
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.body["title"], "Method not allowed");
}

#[tokio::test]
async fn concurrent_writes_neither_lock_nor_fork_the_audit_chain() {
    let app = spawn_app().await;
    let token = app.token_with_exp(&app.admin, 600);
    let mut handles = Vec::new();
    for i in 0..16 {
        let client = app.client.clone();
        let url = format!("{}/api/v1/orgs", app.base);
        let token = token.clone();
        let body =
            serde_json::json!({"kind": "testing_lab", "name": format!("Lab {i}"), "country": "VN"});
        handles.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("send");
            (res.status(), res.text().await.unwrap_or_default())
        }));
    }
    for h in handles {
        let (status, text) = h.await.expect("task");
        assert_eq!(status, StatusCode::CREATED, "{text}");
    }
    let entries = app.collect("/api/v1/audit", &app.auth(&app.admin), 7).await;
    let seqs: Vec<i64> = entries.iter().filter_map(|e| e["seq"].as_i64()).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(seqs.len(), 8 + 16, "3 orgs + 5 users seeded, 16 created");
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
}

/// RFC 9110 15.5.6: a 405 says which methods the resource has, on every route.
#[tokio::test]
async fn every_405_names_the_allowed_methods() {
    let app = spawn_app().await;
    let trace = Method::from_bytes(b"TRACE").expect("method");
    for (path, method, allow) in [
        ("/healthz", trace.clone(), "GET"),
        ("/api/v1/me", Method::PUT, "GET"),
        ("/01/09506000134352", trace.clone(), "GET, HEAD, OPTIONS"),
    ] {
        let res = app.req(method.clone(), path, &Auth::None, None).await;
        assert_eq!(
            res.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(res.header("allow"), Some(allow), "{method} {path}");
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
    }
    let mut by_path: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (method, path) in server::routes::registered_routes() {
        by_path.entry(path).or_default().push(method);
    }
    for (path, methods) in by_path {
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "x" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let res = app.req(trace.clone(), &concrete, &Auth::None, None).await;
        if res.status == StatusCode::NOT_FOUND {
            // A parameter with its own pattern (a GTIN, a compressed link) does not match "x".
            continue;
        }
        assert_eq!(
            res.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "TRACE {concrete}"
        );
        let allow: Vec<String> = res
            .header("allow")
            .unwrap_or_default()
            .split(", ")
            .map(str::to_owned)
            .collect();
        assert_eq!(allow, methods, "Allow of {path}");
    }
}
