//! `seed --demo` (idempotent, then checked over HTTP) and `seed --products N`.

use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::Value;

use crate::{
    helpers::{Auth, TestApp, spawn_app},
    passports::verify,
};

pub(crate) fn seed(app: &TestApp, args: &[&str]) -> Value {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_gs1dpp-server"))
        .arg("seed")
        .args(args)
        .arg("--database-url")
        .arg(&app.database_url)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .env_remove("REDIS_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run gs1dpp-server seed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

async fn product_count(app: &TestApp) -> usize {
    app.collect("/api/v1/products", &app.auth(&app.admin), 500)
        .await
        .len()
}

#[tokio::test]
async fn seed_demo_loads_a_consistent_data_set_once() {
    let app = spawn_app().await;
    let first = seed(&app, &["--demo"]);
    assert_eq!(first["admin"]["email"], "admin@demo.gs1dpp.vn");
    assert!(
        first["admin"]["password"]
            .as_str()
            .is_some_and(|p| p.len() >= 12)
    );
    let admin = app
        .login(
            "admin@demo.gs1dpp.vn",
            first["admin"]["password"].as_str().unwrap_or(""),
        )
        .await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.text);
    let auth = app.auth(&app.admin);
    let gtins = &first["gtins"];
    let g = |k: &str| gtins[k].as_str().unwrap_or_default().to_owned();

    let status_of = |body: &Value| {
        body["items"][0]["effective_status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    for (key, want) in [
        ("valid_certificate", "valid"),
        ("expired_certificate", "expired"),
        ("withdrawn_certificate", "withdrawn"),
    ] {
        let res = app
            .get(&format!("/api/v1/products/{}/certificates", g(key)), &auth)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(status_of(&res.body), want, "{key}: {}", res.text);
    }
    let res = app
        .get(
            &format!("/api/v1/products/{}/certificates", g("uncertified")),
            &auth,
        )
        .await;
    assert_eq!(
        res.body["items"].as_array().map(Vec::len),
        Some(0),
        "{}",
        res.text
    );

    // The passport version is served and its JWS verifies against the JWKS.
    let url = first["passport_version_url"].as_str().unwrap_or_default();
    let path = &url[url.find("/api/").expect("an API path")..];
    let version = app.get(path, &Auth::None).await;
    assert_eq!(version.status, StatusCode::OK, "{}", version.text);
    let jwks = app.get("/.well-known/jwks.json", &Auth::None).await;
    let (kid, payload) = verify(version.body["jws"].as_str().unwrap_or_default(), &jwks.body);
    assert_eq!(kid, version.body["kid"].as_str().unwrap_or_default());
    assert_eq!(payload, version.body["content"]);

    // Every demo label prints for the exporter, in the symbology and format it names; the
    // printable serials are commissioned.
    let exporter = app
        .login(
            first["users"]["exporter"]["email"]
                .as_str()
                .unwrap_or_default(),
            first["users"]["exporter"]["password"]
                .as_str()
                .unwrap_or_default(),
        )
        .await;
    let token = exporter.body["access_token"].as_str().unwrap_or_default();
    let labels = first["labels"].as_object().expect("labels");
    assert!(labels.len() >= 7, "{labels:?}");
    for (name, url) in labels {
        let url = url.as_str().unwrap_or_default();
        let path = &url[url.find("/api/").expect("an API path")..];
        let res = app.get(path, &Auth::Bearer(token.to_owned())).await;
        assert_eq!(res.status, StatusCode::OK, "{name}: {}", res.text);
        let want = if url.contains("format=png") {
            "image/png"
        } else if url.contains("format=pdf") {
            "application/pdf"
        } else {
            "image/svg+xml"
        };
        assert_eq!(res.header("content-type"), Some(want), "{name}");
    }
    let last = first["printable_serials"]["last"]
        .as_str()
        .unwrap_or_default();
    let serial = app
        .get(
            &format!("/api/v1/products/{}/serials/{last}", g("with_serial")),
            &auth,
        )
        .await;
    assert_eq!(serial.status, StatusCode::OK, "{}", serial.text);
    assert_eq!(serial.body["state"], "commissioned");
    assert_eq!(first["printable_serials"]["count"], 20);

    // The recalled lot has an active alert.
    let alerts = app
        .get(
            &format!("/api/v1/alerts?gtin={}&status=active", g("recalled")),
            &auth,
        )
        .await;
    assert_eq!(alerts.status, StatusCode::OK, "{}", alerts.text);
    let text = alerts.text.clone();
    assert!(
        text.contains(first["recalled_lot"].as_str().unwrap_or("?")),
        "{text}"
    );

    // Lot, serial, links.
    let lot = app
        .get(
            &format!(
                "/api/v1/products/{}/lots/{}",
                g("with_lot"),
                first["lot"].as_str().unwrap_or("")
            ),
            &auth,
        )
        .await;
    assert_eq!(lot.status, StatusCode::OK, "{}", lot.text);
    let links = app
        .get(
            &format!("/api/v1/products/{}/links", g("with_links")),
            &auth,
        )
        .await;
    assert!(links.text.contains("gs1:pip"), "{}", links.text);

    // The unknown GTIN has a valid check digit and is not registered.
    let unknown = first["unknown_valid_gtin"].as_str().unwrap_or_default();
    let res = app.get(&format!("/api/v1/products/{unknown}"), &auth).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.text);
    assert!(first["sscc"].as_str().is_some_and(|s| s.len() == 18));
    assert!(first["gln"].as_str().is_some_and(|s| s.len() == 13));

    // A second run creates nothing and names the same things.
    let before = product_count(&app).await;
    let second = seed(&app, &["--demo"]);
    assert_eq!(product_count(&app).await, before);
    assert_eq!(before, 4);
    for key in [
        "gtins",
        "lot",
        "recalled_lot",
        "serial",
        "sscc",
        "gln",
        "unknown_valid_gtin",
        "certificates",
        "passport_version_url",
    ] {
        assert_eq!(first[key], second[key], "{key}");
    }
}

#[tokio::test]
async fn seed_products_creates_that_many() {
    let app = spawn_app().await;
    let out = seed(&app, &["--products", "2000"]);
    assert_eq!(out["created"], 2000, "{out}");
    assert!(out["seconds"].is_number());
    assert_eq!(product_count(&app).await, 2000);
}
