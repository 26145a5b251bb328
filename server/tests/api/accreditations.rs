//! Signatory status of accreditation bodies and accreditations of CABs over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cert_support::{BRICK, id, world};
use crate::helpers::{Auth, spawn_app};

#[tokio::test]
async fn signatures_are_admin_written_and_publicly_listed() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let path = format!("/api/v1/accreditation-bodies/{}/signatures", w.boa);
    let body = json!({"arrangement": "ilac_mra", "scope": "testing", "status": "signatory", "valid_from": "2020-01-01"});
    let res = app
        .post(&path, &app.auth(&w.boa_certifier), body.clone())
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&path, &app.auth(&app.admin), body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["valid_until"], Value::Null);
    let sig = id(&res);

    let bad = json!({"arrangement": "iaf_mla", "scope": "testing", "status": "active", "valid_from": "2020-13-01"});
    let res = app.post(&path, &app.auth(&app.admin), bad).await;
    assert_eq!(res.fields(), vec!["status", "valid_from"]);
    let res = app
        .post(
            &path,
            &app.auth(&app.admin),
            json!({"arrangement": "iaf_mla", "scope": "testing", "status": "signatory", "valid_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["scope"]);
    let not_ab = format!("/api/v1/accreditation-bodies/{}/signatures", w.cab);
    let body = json!({"arrangement": "iaf_mla", "scope": "product_certification", "status": "signatory", "valid_from": "2020-01-01"});
    let res = app.post(&not_ab, &app.auth(&app.admin), body).await;
    assert_eq!(res.fields(), vec!["org_id"]);

    let res = app
        .get("/api/v1/accreditation-bodies/nope/signatures", &Auth::None)
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let body = json!({"arrangement": "ilac_mra", "scope": "testing", "status": "signatory", "valid_from": "2020-01-01"});
    let res = app
        .post(
            "/api/v1/accreditation-bodies/nope/signatures",
            &app.auth(&app.admin),
            body,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .patch(
            "/api/v1/signatures/nope",
            &app.auth(&app.admin),
            json!({"status": "withdrawn"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let list = app.get(&path, &Auth::None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    let res = app
        .patch(
            &format!("/api/v1/signatures/{sig}"),
            &app.auth(&app.admin),
            json!({"status": "suspended", "valid_until": "2019-01-01"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["valid_until"]);
    let res = app
        .patch(
            &format!("/api/v1/signatures/{sig}"),
            &app.auth(&app.admin),
            json!({"status": "suspended", "valid_until": "2030-01-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "suspended");
}

#[tokio::test]
async fn accreditations_check_kinds_and_writers() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let body = |body_org: &str, cab: &str, n: &str| {
        json!({"body_org_id": body_org, "cab_org_id": cab, "number": n, "standard": "ISO/IEC 17025",
               "scope_standards": ["TCVN 6404:2016"], "scope_categories": [BRICK],
               "valid_from": "2025-01-01", "valid_until": "2029-12-31"})
    };
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&w.cab_certifier),
            body(&w.boa, &w.cab2, "1"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&w.boa_certifier),
            body(&w.boa, &w.cab2, "1"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["status"], "active");
    assert_eq!(res.body["scope_categories"], json!([BRICK]));
    let acc = id(&res);
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&app.admin),
            body(&w.boa, &w.cab2, "1"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&app.admin),
            body(&w.cab, &w.cab2, "2"),
        )
        .await;
    assert_eq!(res.fields(), vec!["body_org_id"]);
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&app.admin),
            body(&w.boa, &app.org_a, "3"),
        )
        .await;
    assert_eq!(res.fields(), vec!["cab_org_id"]);
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&app.admin),
            json!({"body_org_id": w.boa, "cab_org_id": w.cab, "number": "", "standard": "ISO 9001",
                   "scope_standards": [], "valid_from": "2025-01-01", "valid_until": "2024-01-01"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["number", "standard", "scope_standards"]);

    let list = app
        .get(
            &format!("/api/v1/accreditations?cab={}", w.cab2),
            &Auth::None,
        )
        .await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    let list = app
        .get(
            &format!("/api/v1/accreditations?cab={}", w.cab),
            &Auth::None,
        )
        .await;
    assert_eq!(list.body["items"], json!([]));
    let one = app
        .get(&format!("/api/v1/accreditations/{acc}"), &Auth::None)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.header("etag").is_some());
    let path = format!("/api/v1/accreditations/{acc}");
    let res = app
        .patch(
            &path,
            &app.auth(&w.cab2_certifier),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .patch(
            &path,
            &app.auth(&w.boa_certifier),
            json!({"valid_until": "2024-01-01"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["valid_until"]);
    let res = app
        .patch(
            &path,
            &app.auth(&w.boa_certifier),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "suspended");
    let res = app.get("/api/v1/accreditations/nope", &Auth::None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
