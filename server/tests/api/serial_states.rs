//! The serial state machine (every transition), bulk state changes and paged serial lists.

use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{Auth, Res, TestApp},
    serials::{commission, setup},
};

async fn set_state(app: &TestApp, g: &str, serial: &str, state: &str) -> Res {
    app.post(
        &format!("/api/v1/products/{g}/serials/{serial}/state"),
        &app.auth(&app.exporter),
        json!({"state": state, "reason": "test"}),
    )
    .await
}

#[tokio::test]
async fn every_transition_of_the_state_machine() {
    let (app, g) = setup().await;
    let res = commission(&app, &app.exporter, &g, "s", json!({"serials": ["T1"]})).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let states = [
        "commissioned",
        "shipped",
        "sold_dispensed",
        "decommissioned",
        "recalled",
        "destroyed",
    ];
    let legal = |from: &str, to: &str| match (from, to) {
        ("commissioned", "shipped") | ("shipped", "sold_dispensed") => true,
        ("destroyed", _) => false,
        ("decommissioned", to) => to == "destroyed",
        (from, "decommissioned" | "recalled" | "destroyed") => from != to,
        _ => false,
    };
    for from in states {
        for to in states {
            app.sql(&format!(
                "UPDATE serials SET state = '{from}' WHERE serial = 'T1'"
            ))
            .await;
            let res = set_state(&app, &g, "T1", to).await;
            if legal(from, to) {
                assert_eq!(res.status, StatusCode::OK, "{from} -> {to}: {}", res.text);
                assert_eq!(res.body["state"], to);
            } else {
                assert_eq!(
                    res.status,
                    StatusCode::CONFLICT,
                    "{from} -> {to}: {}",
                    res.text
                );
                let detail = res.body["detail"].as_str().unwrap_or_default();
                assert!(detail.contains(&format!("from {from} to {to}")), "{detail}");
            }
        }
    }
    assert_eq!(
        set_state(&app, &g, "T1", "lost").await.fields(),
        vec!["state"]
    );
    assert_eq!(
        set_state(&app, &g, "NOPE", "shipped").await.status,
        StatusCode::NOT_FOUND
    );
    let foreign = app
        .post(
            &format!("/api/v1/products/{g}/serials/T1/state"),
            &app.auth(&app.exporter_b),
            json!({"state": "recalled"}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn bulk_state_changes_are_all_or_nothing_and_lists_page() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let body = json!({"range": {"prefix": "P", "start": 0, "count": 10, "width": 2}});
    assert_eq!(
        commission(&app, &app.exporter, &g, "p", body).await.status,
        StatusCode::CREATED
    );
    let bulk = format!("/api/v1/products/{g}/serials/state");
    let res = app
        .post(
            &bulk,
            &ex,
            json!({"serials": ["P00", "P01", "P02"], "state": "recalled"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["updated"], 3);
    // P00 is recalled and may not ship: nothing changes.
    let res = app
        .post(
            &bulk,
            &ex,
            json!({"serials": ["P03", "P00"], "state": "shipped"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(
        res.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("P00 cannot go from recalled to shipped")
    );
    let res = app
        .post(
            &bulk,
            &ex,
            json!({"serials": ["P04", "P99"], "state": "shipped"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["serials[1]"]);
    let shipped = app
        .collect(
            &format!("/api/v1/products/{g}/serials?state=shipped"),
            &ex,
            2,
        )
        .await;
    assert!(shipped.is_empty());
    let recalled = app
        .collect(
            &format!("/api/v1/products/{g}/serials?state=recalled"),
            &ex,
            2,
        )
        .await;
    assert_eq!(recalled.len(), 3);
    let all = app
        .collect(&format!("/api/v1/products/{g}/serials"), &ex, 3)
        .await;
    let names: Vec<&str> = all.iter().filter_map(|s| s["serial"].as_str()).collect();
    assert_eq!(
        names,
        (0..10).map(|i| format!("P{i:02}")).collect::<Vec<_>>()
    );
    let by_lot = app
        .collect(&format!("/api/v1/products/{g}/serials?lot=L9"), &ex, 3)
        .await;
    assert!(by_lot.is_empty());
    let bad = app
        .get(&format!("/api/v1/products/{g}/serials?state=lost"), &ex)
        .await;
    assert_eq!(bad.fields(), vec!["state"]);
    let foreign = app
        .post(
            &bulk,
            &app.auth(&app.exporter_b),
            json!({"serials": ["P05"], "state": "recalled"}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/api/v1/products/{g}/serials"), &Auth::None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
