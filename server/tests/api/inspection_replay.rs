//! `POST /api/v1/inspections` with an `Idempotency-Key`: a retry never records twice.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{
    helpers::{Auth, Res, TestApp, spawn_app},
    surveillance::{authority_inspector, inspection},
};

const CODE: &str = "https://id.gs1.org/01/09506000134352/10/L1";

async fn post(app: &TestApp, auth: &Auth, key: &str, body: serde_json::Value) -> Res {
    app.req_with(
        Method::POST,
        "/api/v1/inspections",
        auth,
        Some(body),
        &[("idempotency-key", key)],
    )
    .await
}

async fn count(app: &TestApp) -> usize {
    app.collect("/api/v1/inspections", &app.auth(&app.admin), 50)
        .await
        .len()
}

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_inspection() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    let body = inspection(CODE, "non_compliant");
    let first = post(&app, &insp, "visit-1", body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = post(&app, &insp, "visit-1", body.clone()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(count(&app).await, 1);

    // Another body under the same key: 409, nothing recorded.
    let other = post(&app, &insp, "visit-1", inspection(CODE, "compliant")).await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.text);
    assert_eq!(
        other.header("content-type"),
        Some("application/problem+json")
    );
    let mut later = body.clone();
    later["inspected_at"] = json!("2026-11-20T08:30:00Z");
    let other = post(&app, &insp, "visit-1", later).await;
    assert_eq!(other.status, StatusCode::CONFLICT, "{}", other.text);
    // A new key, no key, or the same key in another organisation records anew.
    assert_eq!(
        post(&app, &insp, "visit-2", body.clone()).await.status,
        StatusCode::CREATED
    );
    let plain = app.post("/api/v1/inspections", &insp, body.clone()).await;
    assert_eq!(plain.status, StatusCode::CREATED);
    let admin = app.auth(&app.admin);
    assert_eq!(
        post(&app, &admin, "visit-1", body).await.status,
        StatusCode::CREATED
    );
    assert_eq!(count(&app).await, 4);
}

#[tokio::test]
async fn a_bad_key_is_refused_naming_the_header() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    for key in ["", &"k".repeat(129)] {
        let res = post(&app, &insp, key, inspection(CODE, "compliant")).await;
        assert!(res.status.is_client_error(), "{key:?}: {}", res.text);
        assert_eq!(res.fields(), ["Idempotency-Key"], "{}", res.text);
    }
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn concurrent_duplicates_record_one_inspection() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    let body = inspection(CODE, "suspected_counterfeit");
    let all = futures_join(&app, &insp, &body, 8).await;
    let created = all
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let replayed = all
        .iter()
        .filter(|r| r.status == StatusCode::OK && r.header("idempotent-replayed") == Some("true"))
        .count();
    assert_eq!(
        (created, replayed),
        (1, 7),
        "{:?}",
        all.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    let ids: std::collections::BTreeSet<_> = all.iter().map(|r| r.body["id"].to_string()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(count(&app).await, 1);
}

/// `n` copies of one request sent at once.
async fn futures_join(app: &TestApp, auth: &Auth, body: &serde_json::Value, n: usize) -> Vec<Res> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, base, auth, body) = (
            app.client.clone(),
            app.base.clone(),
            auth.clone(),
            body.clone(),
        );
        set.spawn(async move {
            let rb = client
                .post(format!("{base}/api/v1/inspections"))
                .header("idempotency-key", "race")
                .json(&body);
            let res = crate::helpers::with_auth(rb, &auth)
                .send()
                .await
                .expect("response");
            let status = res.status();
            let headers = res.headers().clone();
            let text = res.text().await.unwrap_or_default();
            Res {
                status,
                headers,
                body: serde_json::from_str(&text).unwrap_or_default(),
                text,
            }
        });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.expect("task"));
    }
    out
}
