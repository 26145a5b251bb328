//! Resolver links: registering, the one default per (gtin, lot, serial), changing, deleting.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    helpers::{Auth, TestApp, gtin13, spawn_app},
    products::product,
};

/// An app with a product of organisation A; returns it with the product's GTIN.
async fn with_product() -> (TestApp, String) {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let g = gtin13("8934567", 1);
    let res = app
        .post(
            "/api/v1/products",
            &app.auth(&app.exporter),
            product(&g, "Coffee"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    (app, g)
}

fn link(link_type: &str, href: &str, default: bool) -> Value {
    json!({"link_type": link_type, "href": href, "title": "Info", "lang": "vi", "default": default})
}

fn defaults(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter(|l| l["default"] == true)
        .filter_map(|l| l["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn one_default_per_gtin_lot_and_serial() {
    let (app, g) = with_product().await;
    let ex = app.auth(&app.exporter);
    let path = format!("/api/v1/products/{g}/links");

    let res = app
        .post(&path, &ex, link("gs1:pip", "https://example.vn/p", true))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let first = res.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/links/{first}").as_str())
    );
    assert_eq!(res.body["link_type"], "gs1:pip");
    assert_eq!(res.body["lot"], Value::Null);

    let res = app
        .post(&path, &ex, json!({"link_type": "https://gs1.org/voc/certificationInfo", "href": "https://example.vn/c", "title": "Certificates", "lang": "EN-gb", "media_type": "text/HTML", "context": "export", "default": true}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let second = res.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(res.body["link_type"], "gs1:certificationInfo");
    assert_eq!(
        (&res.body["lang"], &res.body["media_type"]),
        (&json!("en-GB"), &json!("text/html"))
    );

    // The new default cleared the old one.
    let all = app.collect(&path, &Auth::None, 10).await;
    assert_eq!(defaults(&all), vec![second.clone()]);

    // A lot has its own default, which leaves the GTIN's alone.
    let mut lot_link = link("gs1:traceability", "https://example.vn/t/L1", true);
    lot_link["lot"] = json!("L1");
    let res = app.post(&path, &ex, lot_link).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let lot_default = res.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(res.body["lot"], "L1");
    let mut serial_link = link("gs1:pip", "https://example.vn/s/7", true);
    serial_link["lot"] = json!("L1");
    serial_link["serial"] = json!("7");
    assert_eq!(
        app.post(&path, &ex, serial_link).await.status,
        StatusCode::CREATED
    );
    let all = app.collect(&path, &Auth::None, 2).await;
    assert_eq!(all.len(), 4);
    assert_eq!(defaults(&all).len(), 3);
    assert!(defaults(&all).contains(&second) && defaults(&all).contains(&lot_default));
    let lot_only = app
        .collect(&format!("{path}?lot=L1&serial="), &Auth::None, 10)
        .await;
    assert_eq!(lot_only.len(), 1);
    let gtin_only = app
        .collect(&format!("{path}?lot=&serial="), &Auth::None, 10)
        .await;
    assert_eq!(gtin_only.len(), 2);

    // Switching back by PATCH.
    let res = app
        .patch(
            &format!("/api/v1/links/{first}"),
            &ex,
            json!({"default": true, "title": "Product page", "lang": null}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["title"], "Product page");
    assert_eq!(res.body["lang"], Value::Null);
    let all = app.collect(&format!("{path}?lot="), &Auth::None, 10).await;
    assert_eq!(defaults(&all), vec![first.clone()]);
    let res = app
        .patch(
            &format!("/api/v1/links/{first}"),
            &ex,
            json!({"default": false}),
        )
        .await;
    assert_eq!(res.body["default"], false);
    assert!(defaults(&app.collect(&format!("{path}?lot="), &Auth::None, 10).await).is_empty());

    // Deleting.
    let res = app
        .req(
            Method::DELETE,
            &format!("/api/v1/links/{second}"),
            &ex,
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = app
        .req(
            Method::DELETE,
            &format!("/api/v1/links/{second}"),
            &ex,
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.collect(&path, &Auth::None, 10).await.len(), 3);

    // Every change is in the audit log, the cleared default included.
    let audit = app
        .collect("/api/v1/audit", &app.auth(&app.admin), 500)
        .await;
    let actions: Vec<&str> = audit
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("link."))
        .collect();
    assert_eq!(
        actions,
        vec![
            "link.create",
            "link.update",
            "link.create",
            "link.create",
            "link.create",
            "link.update",
            "link.update",
            "link.update",
            "link.delete"
        ]
    );
}

#[tokio::test]
async fn links_are_checked_and_written_only_by_the_owner() {
    let (app, g) = with_product().await;
    let ex = app.auth(&app.exporter);
    let path = format!("/api/v1/products/{g}/links");
    let res = app
        .post(&path, &ex, json!({"link_type": "gs1:teleport", "href": "ftp://x", "title": "", "lang": "vietnamese", "media_type": "html", "lot": "a b", "serial": ""}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(
        res.fields(),
        vec![
            "link_type",
            "href",
            "title",
            "lang",
            "media_type",
            "lot",
            "serial"
        ]
    );
    let res = app
        .post(&path, &ex, json!({"href": "https://x.vn", "title": "t"}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    let ok = link("gs1:pip", "https://example.vn/p", false);
    assert_eq!(
        app.post(&path, &app.auth(&app.exporter_b), ok.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, &app.auth(&app.certifier), ok.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, &Auth::None, ok.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let other = format!("/api/v1/products/{}/links", gtin13("8934567", 2));
    assert_eq!(
        app.post(&other, &ex, ok.clone()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&other, &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );

    let res = app.post(&path, &ex, ok).await;
    let id = res.body["id"].as_str().unwrap_or_default().to_owned();
    let link_path = format!("/api/v1/links/{id}");
    assert_eq!(
        app.patch(
            &link_path,
            &app.auth(&app.exporter_b),
            json!({"title": "x"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.req(Method::DELETE, &link_path, &app.auth(&app.exporter_b), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let res = app
        .patch(&link_path, &ex, json!({"href": "mailto:a@b", "lot": "L2"}))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .patch(&link_path, &ex, json!({"href": "mailto:a@b"}))
        .await;
    assert_eq!(res.fields(), vec!["href"]);
    assert_eq!(
        app.patch(
            &link_path,
            &app.auth(&app.admin),
            json!({"title": "By admin"})
        )
        .await
        .status,
        StatusCode::OK
    );

    // Links of a discontinued product leave public view with it.
    app.patch(
        &format!("/api/v1/products/{g}"),
        &ex,
        json!({"status": "discontinued"}),
    )
    .await;
    assert_eq!(
        app.get(&path, &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, &ex).await.status, StatusCode::OK);
}
