//! Organisations: create, validate, list with cursors, read with ETags, change.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Auth, spawn_app};

#[tokio::test]
async fn admins_create_organisations_with_a_location() {
    let app = spawn_app().await;
    let body = json!({"kind": "certification_body", "name": "  Quacert  ", "country": "vn", "gln": "9506000134352"});
    let res = app.post("/api/v1/orgs", &app.auth(&app.admin), body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_str().unwrap_or_default();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/orgs/{id}").as_str())
    );
    assert_eq!(res.body["name"], "Quacert");
    assert_eq!(res.body["country"], "VN");
    assert_eq!(res.body["gln"], "9506000134352");
    let read = app
        .get(&format!("/api/v1/orgs/{id}"), &app.auth(&app.exporter))
        .await;
    assert_eq!(read.body, res.body);
}

#[tokio::test]
async fn invalid_organisations_name_every_bad_field() {
    let app = spawn_app().await;
    let body = json!({"kind": "bank", "name": "", "country": "Vietnam", "gln": "9506000134353"});
    let res = app.post("/api/v1/orgs", &app.auth(&app.admin), body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.fields(), vec!["kind", "name", "country", "gln"]);
    let res = app
        .post(
            "/api/v1/orgs",
            &app.auth(&app.admin),
            json!({"kind": "exporter", "name": "X"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["country"]);
}

#[tokio::test]
async fn a_gln_belongs_to_one_organisation() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    let body = json!({"kind": "exporter", "name": "One", "country": "VN", "gln": "9506000134352"});
    assert_eq!(
        app.post("/api/v1/orgs", &admin, body.clone()).await.status,
        StatusCode::CREATED
    );
    let res = app.post("/api/v1/orgs", &admin, body).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    let res = app
        .patch(
            &format!("/api/v1/orgs/{}", app.org_a),
            &admin,
            json!({"gln": "9506000134352"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn lists_page_with_cursors_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    for i in 0..7 {
        let body = json!({"kind": "testing_lab", "name": format!("Lab {i}"), "country": "VN"});
        assert_eq!(
            app.post("/api/v1/orgs", &admin, body).await.status,
            StatusCode::CREATED
        );
    }
    let items = app
        .collect("/api/v1/orgs", &app.auth(&app.inspector), 2)
        .await;
    assert_eq!(items.len(), 10);
    let ids: HashSet<_> = items.iter().map(|o| o["id"].to_string()).collect();
    assert_eq!(ids.len(), 10);
    let all = app.get("/api/v1/orgs", &admin).await;
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(all.body["next_cursor"], serde_json::Value::Null);
}

#[tokio::test]
async fn bad_paging_parameters_are_rejected() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("cursor=%21%21", "cursor"),
    ] {
        let res = app.get(&format!("/api/v1/orgs?{q}"), &admin).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(res.fields(), vec![field]);
    }
    let res = app.get("/api/v1/orgs?limit=abc", &admin).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app.get("/api/v1/orgs?page=2", &admin).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.fields(), vec!["query.page"]);
}

#[tokio::test]
async fn reads_carry_etags_and_missing_ones_are_404() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let url = format!("/api/v1/orgs/{}", app.org_b);
    let res = app.get(&url, &auth).await;
    let etag = res.header("etag").unwrap_or_default().to_owned();
    let res = app.get_with(&url, &auth, &[("if-none-match", &etag)]).await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    let patched = app
        .patch(
            &url,
            &app.auth(&app.admin),
            json!({"name": "Exporter B Ltd"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK);
    let res = app.get_with(&url, &auth, &[("if-none-match", &etag)]).await;
    assert_eq!(res.status, StatusCode::OK, "a change yields a new ETag");
    let missing = app
        .get("/api/v1/orgs/01900000-0000-7000-8000-000000000000", &auth)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["status"], 404);
}

#[tokio::test]
async fn admins_change_organisations_and_clear_the_gln() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    let url = format!("/api/v1/orgs/{}", app.org_a);
    let res = app
        .patch(
            &url,
            &admin,
            json!({"gln": "9506000134352", "kind": "inspection_body"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["gln"], "9506000134352");
    assert_eq!(res.body["kind"], "inspection_body");
    assert_eq!(res.body["name"], "Exporter A");
    let res = app.patch(&url, &admin, json!({"gln": null})).await;
    assert_eq!(res.body["gln"], serde_json::Value::Null);
    let res = app.patch(&url, &admin, json!({"colour": "red"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["colour"]);
    let res = app.patch(&url, &admin, json!({"country": "VNM"})).await;
    assert_eq!(res.fields(), vec!["country"]);
    let res = app
        .patch("/api/v1/orgs/nope", &admin, json!({"name": "x"}))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .patch(&url, &app.auth(&app.exporter), json!({"name": "Mine"}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&url, &Auth::None).await.status,
        StatusCode::UNAUTHORIZED
    );
}
