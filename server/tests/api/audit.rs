//! The audit log over HTTP: every write appends a chained entry; admins page through it.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_write_appends_a_chained_entry() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    let before = app.collect("/api/v1/audit", &admin, 500).await.len();
    let org = app
        .post(
            "/api/v1/orgs",
            &admin,
            json!({"kind": "authority", "name": "Customs", "country": "VN"}),
        )
        .await;
    let org_id = org.body["id"].as_str().unwrap_or_default().to_owned();
    app.patch(
        &format!("/api/v1/orgs/{org_id}"),
        &admin,
        json!({"name": "Vietnam Customs"}),
    )
    .await;
    let user = app
        .post(
            &format!("/api/v1/orgs/{org_id}/users"),
            &admin,
            json!({"email": "officer@customs.vn", "password": "a long enough password", "role": "inspector"}),
        )
        .await;
    let user_id = user.body["id"].as_str().unwrap_or_default().to_owned();
    app.patch(
        &format!("/api/v1/users/{user_id}"),
        &admin,
        json!({"disabled": true}),
    )
    .await;
    let (key_id, _) = app.api_key(&app.admin, &org_id).await;
    app.req(
        reqwest::Method::DELETE,
        &format!("/api/v1/api-keys/{key_id}"),
        &admin,
        None,
    )
    .await;

    let entries = app.collect("/api/v1/audit", &admin, 3).await;
    let new: Vec<_> = entries[before..]
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default(),
                e["entity_id"].clone(),
            )
        })
        .collect();
    assert_eq!(
        new,
        vec![
            ("org.create", json!(org_id)),
            ("org.update", json!(org_id)),
            ("user.create", json!(user_id)),
            ("user.update", json!(user_id)),
            ("api_key.create", json!(key_id)),
            ("api_key.revoke", json!(key_id)),
        ]
    );
    let last = &entries[entries.len() - 1];
    assert_eq!(last["actor"], format!("user:{}", app.admin.id));
    assert_eq!(last["org_id"], org_id.as_str());
    assert_eq!(entries[0]["prev_hash"], "0".repeat(64));
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
}

#[tokio::test]
async fn only_admins_read_the_audit_log() {
    let app = spawn_app().await;
    for who in [&app.exporter, &app.certifier, &app.inspector] {
        assert_eq!(
            app.get("/api/v1/audit", &app.auth(who)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let res = app
        .get("/api/v1/audit?cursor=eHl6", &app.auth(&app.admin))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a cursor of another list is refused"
    );
}
