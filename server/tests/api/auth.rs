//! Login, tokens, `/me`, password changes and login throttling.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Auth, PASSWORD, spawn_app};

#[tokio::test]
async fn login_returns_a_token_that_works_on_me() {
    let app = spawn_app().await;
    let res = app.login("EXPORTER@a.vn", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["token_type"], "Bearer");
    assert_eq!(res.body["expires_in"], 900);
    assert_eq!(res.body["user"]["role"], "exporter");
    assert!(res.body["user"].get("password_hash").is_none());
    let token = res.body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let me = app.get("/api/v1/me", &Auth::Bearer(token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["kind"], "user");
    assert_eq!(me.body["email"], "exporter@a.vn");
    assert_eq!(me.body["org"]["id"], app.org_a.as_str());
}

#[tokio::test]
async fn wrong_credentials_are_401_alike() {
    let app = spawn_app().await;
    let wrong_pw = app.login("exporter@a.vn", "not the password").await;
    let unknown = app.login("nobody@a.vn", PASSWORD).await;
    assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_pw.body["detail"], unknown.body["detail"]);
    assert_eq!(wrong_pw.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn malformed_login_bodies_name_the_field() {
    let app = spawn_app().await;
    let url = "/api/v1/auth/login";
    let res = app
        .post(
            url,
            &Auth::None,
            json!({"email": "a@b", "password": "x", "extra": 1}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), vec!["extra"]);
    let res = app.post(url, &Auth::None, json!({"email": "a@b"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["password"]);
    let res = app
        .client
        .post(format!("{}{url}", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn expired_forged_and_garbage_tokens_are_401() {
    let app = spawn_app().await;
    let expired = app.token_with_exp(&app.admin, -1);
    assert_eq!(
        app.get("/api/v1/me", &Auth::Bearer(expired)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", &Auth::Bearer("garbage".into()))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let now = chrono::Utc::now().timestamp();
    let claims = server::auth::jwt::Claims {
        sub: app.admin.id.clone(),
        org: app.admin.org_id.clone(),
        role: "admin".into(),
        iat: now,
        exp: now + 600,
    };
    let forged = server::auth::jwt::issue(b"some other secret that is long enough", &claims)
        .unwrap_or_default();
    assert_eq!(
        app.get("/api/v1/me", &Auth::Bearer(forged)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let res = app
        .get_with("/api/v1/me", &Auth::None, &[("authorization", "Basic abc")])
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn disabling_a_user_stops_login_and_existing_tokens() {
    let app = spawn_app().await;
    let token = app.auth(&app.exporter);
    assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
    let res = app
        .patch(
            &format!("/api/v1/users/{}", app.exporter.id),
            &app.auth(&app.admin),
            json!({"disabled": true}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        app.get("/api/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("exporter@a.vn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn me_has_an_etag_and_answers_304() {
    let app = spawn_app().await;
    let auth = app.auth(&app.certifier);
    let res = app.get("/api/v1/me", &auth).await;
    let etag = res.header("etag").unwrap_or_default().to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let again = app
        .get_with("/api/v1/me", &auth, &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn users_change_their_own_password() {
    let app = spawn_app().await;
    let auth = app.auth(&app.inspector);
    let url = "/api/v1/me/password";
    let res = app
        .post(
            url,
            &auth,
            json!({"current_password": "wrong", "new_password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["current_password"]);
    let res = app
        .post(
            url,
            &auth,
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["new_password"]);
    let res = app
        .post(
            url,
            &auth,
            json!({"current_password": PASSWORD, "new_password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text);
    assert_eq!(
        app.login("inspector@a.vn", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("inspector@a.vn", "a brand new password")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            app.login("certifier@a.vn", "wrong password").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let res = app.login("certifier@a.vn", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.text);
    // Other accounts are unaffected.
    assert_eq!(
        app.login("exporter@a.vn", PASSWORD).await.status,
        StatusCode::OK
    );
}

/// Five failures from one address lock that address out of the account, not its owner from
/// theirs (OWASP ASVS 2.2.1): a stranger who knows an e-mail cannot keep its owner out.
#[tokio::test]
async fn a_strangers_failures_do_not_lock_the_owner_out() {
    let app = spawn_app().await;
    let from = |ip: [u8; 4]| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .expect("client")
    };
    let login = |client: reqwest::Client, password: &'static str| {
        let url = format!("{}/api/v1/auth/login", app.base);
        async move {
            client
                .post(url)
                .json(&json!({"email": "certifier@a.vn", "password": password}))
                .send()
                .await
                .expect("login")
                .status()
        }
    };
    let stranger = from([127, 0, 0, 2]);
    for _ in 0..5 {
        assert_eq!(
            login(stranger.clone(), "guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(stranger.clone(), PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address is refused, even with the right password"
    );
    assert_eq!(
        login(from([127, 0, 0, 3]), PASSWORD).await,
        StatusCode::OK,
        "the owner, from their own address, gets in"
    );
    assert_eq!(
        login(stranger, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the owner's login does not lift the stranger's block"
    );
}
