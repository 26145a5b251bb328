//! `POST /api/v1/lookups`: a batch answers each code exactly as `GET /api/v1/lookup` does, in
//! the order sent.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{demo::Demo, helpers::Auth, lookup::lookup_code};

/// A lookup without the moment it was made.
fn timeless(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("checked_at");
    }
    v
}

#[tokio::test]
async fn a_batch_answers_each_code_as_the_single_lookup_in_order() {
    let d = Demo::new().await;
    let coffee = d.gtin("valid_certificate");
    let codes = vec![
        format!("(01){}(10){}", d.gtin("recalled"), d.s("recalled_lot")),
        "not a gs1 code".to_owned(),
        format!("(01){coffee}(10){}", d.s("lot")),
        format!("(00){}", d.s("sscc")),
        d.s("unknown_valid_gtin"),
        format!("(01){coffee}"),
    ];
    let res = d
        .app
        .post(
            "/api/v1/lookups",
            &Auth::None,
            json!({"codes": codes, "place": "VN-HN"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let results = res.body["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), codes.len());
    for (code, got) in codes.iter().zip(results) {
        let single = lookup_code(&d, code).await.body;
        assert_eq!(got["code"], code.as_str());
        assert_eq!(timeless(got), timeless(single), "{code}");
    }
    assert_eq!(res.body["results"][1]["verdict"], "invalid");
}

#[tokio::test]
async fn a_batch_holds_1_to_100_codes_and_nothing_else() {
    let d = Demo::new().await;
    let post = |body: Value| d.app.post("/api/v1/lookups", &Auth::None, body);
    let many: Vec<String> = (0..101)
        .map(|i| format!("0950600013435{}", i % 10))
        .collect();
    for (body, field) in [
        (json!({"codes": many}), "codes"),
        (json!({"codes": []}), "codes"),
        (json!({"codes": ["  "]}), "codes[0]"),
        (json!({"codes": ["1", "x".repeat(8192)]}), "codes[1]"),
        (json!({"codes": ["1"], "place": "Hanoi"}), "place"),
    ] {
        let res = post(body).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
        assert_eq!(res.fields(), [field]);
    }
    let ok: Vec<String> = many.into_iter().take(100).collect();
    assert_eq!(post(json!({"codes": ok})).await.status, StatusCode::OK);
    for body in [
        json!(["09506000134352"]),
        json!({"codes": ["1"], "extra": 1}),
    ] {
        let res = post(body).await;
        assert!(res.status.is_client_error(), "{}", res.text);
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
    }
}
