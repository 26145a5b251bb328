//! Lots, bulk commissioning with `Idempotency-Key`, commission jobs and the serial state machine.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Account, Res, TestApp, spawn_app};

/// A valid GTIN-13 `893` + `n` (9 digits) + check digit.
pub fn gtin(n: u32) -> String {
    let body = format!("893{n:09}");
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("0{body}{}", (10 - sum % 10) % 10)
}

/// Writes a product row straight into the test database (the products API is not ours).
pub async fn product(app: &TestApp, org_id: &str, gtin: &str) {
    let state = app.state.clone();
    let (org_id, gtin) = (org_id.to_owned(), gtin.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut conn = state.pool.get().expect("connection");
        let mut row = db::models::Product::new(&org_id, &gtin, "active", db::now());
        row.name_vi = "Cà phê".into();
        row.name_en = "Coffee".into();
        db::products::insert(&mut conn, &row).expect("insert product");
        state.wrote();
    })
    .await
    .expect("product task");
}

/// How many serials `gtin` has.
async fn count(app: &TestApp, gtin: &str) -> i64 {
    let state = app.state.clone();
    let gtin = gtin.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = state.pool.get().expect("connection");
        db::serials::count(&mut conn, &gtin).expect("count")
    })
    .await
    .expect("count task")
}

/// Commissions with an idempotency key.
pub async fn commission(app: &TestApp, who: &Account, gtin: &str, key: &str, body: Value) -> Res {
    app.req_with(
        Method::POST,
        &format!("/api/v1/products/{gtin}/serials"),
        &app.auth(who),
        Some(body),
        &[("Idempotency-Key", key)],
    )
    .await
}

/// A running app with one product of organisation A.
pub async fn setup() -> (TestApp, String) {
    let app = spawn_app().await;
    let g = gtin(1);
    product(&app, &app.org_a, &g).await;
    (app, g)
}

#[tokio::test]
async fn lots_are_created_listed_read_and_redated() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let path = format!("/api/v1/products/{g}/lots");
    let res = app
        .post(
            &path,
            &ex,
            json!({"lot": "L-1", "production_date": "2026-01-01", "expiry_date": "2027-01-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.header("location"), Some(format!("{path}/L-1").as_str()));
    assert_eq!(res.body["expiry_date"], "2027-01-01");
    let dup = app.post(&path, &ex, json!({"lot": "L-1"})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.text);
    let bad = app
        .post(
            &path,
            &ex,
            json!({"lot": "L 2", "production_date": "2026-13-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.fields(), vec!["lot", "production_date"]);
    let order = app
        .post(
            &path,
            &ex,
            json!({"lot": "L-2", "production_date": "2026-01-02", "expiry_date": "2026-01-02"}),
        )
        .await;
    assert_eq!(order.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(order.fields(), vec!["expiry_date"]);
    for i in 2..=5 {
        let res = app.post(&path, &ex, json!({"lot": format!("L-{i}")})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let all = app.collect(&path, &ex, 2).await;
    let names: Vec<&str> = all.iter().filter_map(|l| l["lot"].as_str()).collect();
    assert_eq!(names, vec!["L-1", "L-2", "L-3", "L-4", "L-5"]);

    let one = app
        .get(&format!("{path}/L-1"), &app.auth(&app.inspector))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.header("etag").is_some());
    assert_eq!(
        app.get(&format!("{path}/L-9"), &ex).await.status,
        StatusCode::NOT_FOUND
    );

    let res = app
        .patch(&format!("{path}/L-1"), &ex, json!({"expiry_date": null}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["expiry_date"], Value::Null);
    assert_eq!(res.body["production_date"], "2026-01-01");
    let res = app
        .patch(
            &format!("{path}/L-1"),
            &ex,
            json!({"expiry_date": "2025-12-31"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Refusals: foreign exporter, a certifier of the owner, an unknown product.
    let foreign = app
        .post(&path, &app.auth(&app.exporter_b), json!({"lot": "X"}))
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&path, &app.auth(&app.exporter_b)).await.status,
        StatusCode::FORBIDDEN
    );
    let cert = app
        .post(&path, &app.auth(&app.certifier), json!({"lot": "X"}))
        .await;
    assert_eq!(cert.status, StatusCode::FORBIDDEN);
    let unknown = format!("/api/v1/products/{}/lots", gtin(2));
    assert_eq!(
        app.post(&unknown, &ex, json!({"lot": "X"})).await.status,
        StatusCode::NOT_FOUND
    );
    let admin = app
        .post(&path, &app.auth(&app.admin), json!({"lot": "BY-ADMIN"}))
        .await;
    assert_eq!(admin.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_range_crossing_chunks_is_commissioned_once_per_key() {
    let (app, g) = setup().await;
    let body = json!({"range": {"prefix": "A", "start": 1, "count": 12_000, "width": 8}});
    let res = commission(&app, &app.exporter, &g, "k-1", body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        (res.body["total"].as_i64(), res.body["done"].as_i64()),
        (Some(12_000), Some(12_000))
    );
    assert_eq!(res.body["status"], "done");
    let id = res.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/commission-jobs/{id}").as_str())
    );
    assert_eq!(count(&app, &g).await, 12_000);

    // One audit entry for the job and one per chunk (8,000 + 4,000), none per serial.
    let audit = app
        .collect("/api/v1/audit", &app.auth(&app.admin), 500)
        .await;
    let about_job = |action: &str| {
        audit
            .iter()
            .filter(|e| e["entity_id"] == id.as_str() && e["action"] == action)
            .count()
    };
    assert_eq!(
        (
            about_job("commission_job.create"),
            about_job("serial.commission")
        ),
        (1, 2)
    );

    let again = commission(&app, &app.exporter, &g, "k-1", body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["id"], id.as_str());
    assert_eq!(count(&app, &g).await, 12_000);

    let other = json!({"range": {"prefix": "B", "start": 1, "count": 5, "width": 8}});
    let res = commission(&app, &app.exporter, &g, "k-1", other).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert_eq!(count(&app, &g).await, 12_000);

    let job = app
        .get(
            &format!("/api/v1/commission-jobs/{id}"),
            &app.auth(&app.inspector),
        )
        .await;
    assert_eq!(job.status, StatusCode::OK);
    assert_eq!(job.body["done"], 12_000);
    let foreign = app
        .get(
            &format!("/api/v1/commission-jobs/{id}"),
            &app.auth(&app.exporter_b),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let missing = app
        .get("/api/v1/commission-jobs/nope", &app.auth(&app.admin))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let first = app
        .get(
            &format!("/api/v1/products/{g}/serials/A00000001"),
            &app.auth(&app.exporter),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["state"], "commissioned");
    let last = app
        .get(
            &format!("/api/v1/products/{g}/serials/A00012000"),
            &app.auth(&app.exporter),
        )
        .await;
    assert_eq!(last.status, StatusCode::OK);
}

#[tokio::test]
async fn a_list_with_a_lot_and_its_refusals() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let no_lot = commission(
        &app,
        &app.exporter,
        &g,
        "l-0",
        json!({"serials": ["S1"], "lot": "L1"}),
    )
    .await;
    assert_eq!(
        no_lot.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_lot.text
    );
    assert_eq!(no_lot.fields(), vec!["lot"]);
    let res = app
        .post(
            &format!("/api/v1/products/{g}/lots"),
            &ex,
            json!({"lot": "L1"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = commission(
        &app,
        &app.exporter,
        &g,
        "l-1",
        json!({"serials": ["S1", "S2", "S3"], "lot": "L1"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let s = app
        .get(&format!("/api/v1/products/{g}/serials/S2"), &ex)
        .await;
    assert_eq!(
        (s.body["lot"].as_str(), s.body["state"].as_str()),
        (Some("L1"), Some("commissioned"))
    );
    assert_eq!(
        app.get(&format!("/api/v1/products/{g}/serials/S9"), &ex)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let bad = commission(
        &app,
        &app.exporter,
        &g,
        "l-2",
        json!({"serials": ["ok", "not ok"]}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.fields(), vec!["serials[1]"]);
    let twice = commission(
        &app,
        &app.exporter,
        &g,
        "l-3",
        json!({"serials": ["X", "Y", "X"]}),
    )
    .await;
    assert_eq!(twice.fields(), vec!["serials[2]"]);
    let empty = commission(&app, &app.exporter, &g, "l-4", json!({"serials": []})).await;
    assert_eq!(empty.fields(), vec!["serials"]);
    let both = commission(
        &app,
        &app.exporter,
        &g,
        "l-5",
        json!({"serials": ["Z"], "range": {"start": 1, "count": 1, "width": 2}}),
    )
    .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    let range = |start: i64, count: i64, width: i64| json!({"range": {"prefix": "R", "start": start, "count": count, "width": width}});
    for (body, field) in [
        (range(1, 0, 8), "range.count"),
        (range(1, -5, 8), "range.count"),
        (range(1, 1_000_001, 8), "range.count"),
        (range(-1, 5, 8), "range.start"),
        (range(99, 2, 2), "range.count"),
        (range(1, 5, 20), "range.width"),
    ] {
        let res = commission(&app, &app.exporter, &g, "l-6", body.clone()).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text
        );
        assert_eq!(res.fields(), vec![field], "{body}");
    }
    let no_key = app
        .post(
            &format!("/api/v1/products/{g}/serials"),
            &ex,
            json!({"serials": ["K"]}),
        )
        .await;
    assert_eq!(no_key.status, StatusCode::BAD_REQUEST);
    assert_eq!(no_key.fields(), vec!["Idempotency-Key"]);
    let long = "k".repeat(129);
    let res = commission(&app, &app.exporter, &g, &long, json!({"serials": ["K"]})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    let foreign = commission(&app, &app.exporter_b, &g, "f", json!({"serials": ["F"]})).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let inspector = commission(&app, &app.inspector, &g, "f", json!({"serials": ["F"]})).await;
    assert_eq!(inspector.status, StatusCode::FORBIDDEN);
    let unknown = commission(
        &app,
        &app.exporter,
        &gtin(7),
        "u",
        json!({"serials": ["F"]}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, &g).await, 3);
}

#[tokio::test]
async fn an_existing_serial_fails_the_job_by_name_and_a_retry_resumes() {
    let (app, g) = setup().await;
    let res = commission(&app, &app.exporter, &g, "a", json!({"serials": ["D08500"]})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let list: Vec<String> = (0..9_000).map(|i| format!("D{i:05}")).collect();
    let body = json!({"serials": list});
    let res = commission(&app, &app.exporter, &g, "b", body.clone()).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    let detail = res.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("serial D08500 already exists"), "{detail}");
    // The first chunk (8,000) committed; the second failed whole.
    assert_eq!(count(&app, &g).await, 8_001);
    let again = commission(&app, &app.exporter, &g, "b", body.clone()).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(count(&app, &g).await, 8_001);

    app.sql(&format!(
        "DELETE FROM serials WHERE gtin = '{g}' AND serial = 'D08500'"
    ))
    .await;
    let resumed = commission(&app, &app.exporter, &g, "b", body).await;
    assert_eq!(resumed.status, StatusCode::OK, "{}", resumed.text);
    assert_eq!(resumed.body["status"], "done");
    assert_eq!(resumed.body["done"], 9_000);
    assert_eq!(resumed.body["error"], Value::Null);
    assert_eq!(count(&app, &g).await, 9_000);
}

/// Fills a serials route for the auth matrix: a fresh product of `org` with lot `L`, serial `S`
/// (commissioned, job id for `{id}`) and a body a permitted caller succeeds with.
pub async fn matrix_request(
    app: &TestApp,
    method: &str,
    path: &str,
    org: &str,
    n: &str,
) -> Option<(String, Option<Value>)> {
    let ours = path.starts_with("/api/v1/products/{gtin}/lots")
        || path.starts_with("/api/v1/products/{gtin}/serials")
        || path.starts_with("/api/v1/commission-jobs");
    if !ours || path.contains("/passport") {
        return None;
    }
    let g = gtin(100_000 + n.parse::<u32>().unwrap_or_default());
    product(app, org, &g).await;
    let admin = app.auth(&app.admin);
    let res = app
        .post(
            &format!("/api/v1/products/{g}/lots"),
            &admin,
            json!({"lot": "L"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let res = commission(
        app,
        &app.admin,
        &g,
        &format!("setup-{n}"),
        json!({"serials": ["S"], "lot": "L"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let job = res.body["id"].as_str().unwrap_or_default();
    let body = match (method, path) {
        ("POST", "/api/v1/products/{gtin}/lots") => Some(json!({"lot": "L2"})),
        ("PATCH", _) => Some(json!({"expiry_date": "2030-01-01"})),
        ("POST", "/api/v1/products/{gtin}/serials") => Some(json!({"serials": ["N1"]})),
        ("POST", "/api/v1/products/{gtin}/serials/state") => {
            Some(json!({"serials": ["S"], "state": "recalled"}))
        }
        ("POST", _) => Some(json!({"state": "recalled"})),
        _ => None,
    };
    let url = path
        .replace("{gtin}", &g)
        .replace("{lot}", "L")
        .replace("{serial}", "S")
        .replace("{id}", job);
    Some((url, body))
}
