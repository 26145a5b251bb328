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

/// `AppState::read`, which on SQLite answers from a snapshot kept between reads, sees every
/// write this process finished before it, and every write whose cache bump it saw (a bump
/// relayed from another node arrives after that node's commit).
#[tokio::test]
async fn reads_see_every_write_finished_before_them() {
    let app = spawn_app().await;
    let count = || async {
        app.state
            .read(|c| Ok(db::scans::count(c)?))
            .await
            .expect("count")
    };
    let insert = |c: &mut db::DbConn| {
        db::scans::insert_all(
            c,
            &[db::scans::Scan {
                id: db::new_id(),
                at: db::now(),
                gtin: "08934567000017".into(),
                serial: "S1".into(),
                place: "VN".into(),
            }],
        )
    };
    let before = count().await;
    // Read twice so that a snapshot is open and young.
    assert_eq!(count().await, before);

    app.state
        .run(move |c| Ok(insert(c)?))
        .await
        .expect("write through run");
    assert_eq!(count().await, before + 1, "a write through run");

    let state = app.state.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = state.pool.get().expect("connection");
        insert(&mut c).expect("insert");
    })
    .await
    .expect("write task");
    app.state.cache.bump("08934567000017");
    assert_eq!(count().await, before + 2, "a write whose bump was seen");
}
