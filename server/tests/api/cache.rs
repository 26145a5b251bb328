//! Writes bump the cache generation of the GTIN they change, on every node sharing Redis.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{gtin13, spawn_app},
    products::product,
};

#[tokio::test]
async fn changing_a_product_bumps_its_generation_on_every_node() {
    let app = spawn_app().await;
    // Another node of the same deployment (same database, same Redis prefix when set).
    let peer = app.spawn_peer(|_| {}).await;
    app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let g = gtin13("8934567", 7);
    let res = app.post("/api/v1/products", &ex, product(&g, "Tea")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let created = app.state.cache.generation(&g);
    assert!(created > 0, "creating the product bumped its GTIN");
    let untouched = gtin13("8934567", 8);
    let before_other = app.state.cache.generation(&untouched);

    let res = app
        .patch(
            &format!("/api/v1/products/{g}"),
            &ex,
            json!({"name_en": "Green tea"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let patched = app.state.cache.generation(&g);
    assert!(patched > created, "{patched} > {created}");
    assert_eq!(app.state.cache.generation(&untouched), before_other);

    if app.redis_prefix.is_none() {
        eprintln!("TEST_REDIS_URL not set: skipping the cross-node part");
        return;
    }
    let mut seen = 0;
    for _ in 0..100 {
        seen = peer.state.cache.generation(&g);
        if seen >= patched {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(seen >= patched, "the peer saw {seen}, expected {patched}");
}
