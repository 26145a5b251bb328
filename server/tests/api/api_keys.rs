//! API keys: issued once, authenticate machines, record last use, revocable.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Auth, spawn_app};

#[tokio::test]
async fn keys_are_shown_once_and_authenticate_both_ways() {
    let app = spawn_app().await;
    let (id, secret) = app.api_key(&app.exporter, &app.org_a).await;
    assert!(secret.starts_with("gs1dpp_"));
    let me = app.get("/api/v1/me", &Auth::Key(secret.clone())).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["kind"], "api_key");
    assert_eq!(me.body["id"], id.as_str());
    assert_eq!(me.body["role"], "exporter");
    let me = app.get("/api/v1/me", &Auth::Bearer(secret.clone())).await;
    assert_eq!(me.status, StatusCode::OK);

    let list = app
        .get(
            &format!("/api/v1/orgs/{}/api-keys", app.org_a),
            &app.auth(&app.certifier),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let key = &list.body["items"][0];
    assert_eq!(key["id"], id.as_str());
    assert!(key.get("secret").is_none() && key.get("secret_hash").is_none());
    assert!(!list.text.contains(&secret));
    assert!(secret.starts_with(key["prefix"].as_str().unwrap_or("?")));
    assert!(key["last_used_at"].is_string(), "{key}");
    assert_eq!(key["revoked_at"], serde_json::Value::Null);
}

#[tokio::test]
async fn revoked_keys_stop_working() {
    let app = spawn_app().await;
    let (id, secret) = app.api_key(&app.certifier, &app.org_a).await;
    let res = app
        .req(
            reqwest::Method::DELETE,
            &format!("/api/v1/api-keys/{id}"),
            &app.auth(&app.exporter),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(
        app.get("/api/v1/me", &Auth::Key(secret)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = app
        .req(
            reqwest::Method::DELETE,
            &format!("/api/v1/api-keys/{id}"),
            &app.auth(&app.exporter),
            None,
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::NO_CONTENT,
        "revoking twice is harmless"
    );
    let res = app
        .req(
            reqwest::Method::DELETE,
            "/api/v1/api-keys/none",
            &app.auth(&app.admin),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/me", &Auth::Key("gs1dpp_unknown".into()))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn key_roles_are_bounded_by_their_creator() {
    let app = spawn_app().await;
    let url = format!("/api/v1/orgs/{}/api-keys", app.org_a);
    let res = app
        .post(
            &url,
            &app.auth(&app.exporter),
            json!({"name": "x", "role": "inspector"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post(
            &url,
            &app.auth(&app.admin),
            json!({"name": "x", "role": "admin"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["role"]);
    let res = app
        .post(
            &url,
            &app.auth(&app.admin),
            json!({"name": "", "role": "inspector"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["name"]);
    let res = app
        .post(
            &url,
            &app.auth(&app.admin),
            json!({"name": "gate", "role": "inspector"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.body["role"], "inspector");
    let (_, secret) = app.api_key(&app.exporter, &app.org_a).await;
    let res = app
        .post(&url, &Auth::Key(secret), json!({"name": "child"}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "keys cannot mint keys");
    let res = app
        .post(
            "/api/v1/orgs/missing/api-keys",
            &app.auth(&app.admin),
            json!({"name": "x", "role": "exporter"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
