//! Users: create, list, read, change role and disabled flag.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn admins_create_users_who_can_then_log_in() {
    let app = spawn_app().await;
    let url = format!("/api/v1/orgs/{}/users", app.org_b);
    let body =
        json!({"email": "New@B.vn", "password": "a long enough password", "role": "certifier"});
    let res = app.post(&url, &app.auth(&app.admin), body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["email"], "new@b.vn");
    assert_eq!(res.body["org_id"], app.org_b.as_str());
    assert!(res.body.get("password").is_none() && res.body.get("password_hash").is_none());
    let id = res.body["id"].as_str().unwrap_or_default();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/users/{id}").as_str())
    );
    assert_eq!(
        app.login("new@b.vn", "a long enough password").await.status,
        StatusCode::OK
    );
    let again = app.post(&url, &app.auth(&app.admin), body).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn invalid_users_name_their_fields() {
    let app = spawn_app().await;
    let url = format!("/api/v1/orgs/{}/users", app.org_a);
    let res = app
        .post(
            &url,
            &app.auth(&app.admin),
            json!({"email": "not-an-email", "password": "short", "role": "root"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["email", "password", "role"]);
    let res = app
        .post(
            "/api/v1/orgs/missing/users",
            &app.auth(&app.admin),
            json!({"email": "x@y.vn", "password": "a long enough password", "role": "exporter"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn members_list_their_organisation_but_not_others() {
    let app = spawn_app().await;
    let own = app
        .collect(
            &format!("/api/v1/orgs/{}/users", app.org_a),
            &app.auth(&app.inspector),
            2,
        )
        .await;
    let emails: Vec<_> = own.iter().filter_map(|u| u["email"].as_str()).collect();
    assert_eq!(
        emails,
        vec!["exporter@a.vn", "certifier@a.vn", "inspector@a.vn"]
    );
    let foreign = app
        .get(
            &format!("/api/v1/orgs/{}/users", app.org_b),
            &app.auth(&app.inspector),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    let res = app
        .get(
            &format!("/api/v1/users/{}", app.exporter_b.id),
            &app.auth(&app.exporter),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .get(
            &format!("/api/v1/users/{}", app.exporter.id),
            &app.auth(&app.certifier),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("etag").is_some());
    let res = app.get("/api/v1/users/nobody", &app.auth(&app.admin)).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_change_roles_and_the_change_applies_at_once() {
    let app = spawn_app().await;
    let token = app.auth(&app.exporter);
    let url = format!("/api/v1/users/{}", app.exporter.id);
    let res = app
        .patch(&url, &app.auth(&app.admin), json!({"role": "inspector"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["role"], "inspector");
    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.body["role"], "inspector");
    let res = app
        .patch(&url, &app.auth(&app.admin), json!({"role": "owner"}))
        .await;
    assert_eq!(res.fields(), vec!["role"]);
    let res = app
        .patch(&url, &app.auth(&app.admin), json!({"email": "x@y"}))
        .await;
    assert_eq!(res.fields(), vec!["email"]);
    let res = app
        .patch(
            "/api/v1/users/nobody",
            &app.auth(&app.admin),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let url = format!("/api/v1/users/{}", app.admin.id);
    let res = app
        .patch(&url, &app.auth(&app.admin), json!({"disabled": true}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .patch(&url, &app.auth(&app.admin), json!({"role": "exporter"}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}
