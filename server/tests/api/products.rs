//! Products: creating (and issuing the GTIN with it), reading in any GTIN length, listing,
//! changing and discontinuing, with every field checked.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Auth, gtin13, spawn_app};

pub fn product(gtin: &str, name: &str) -> Value {
    json!({"gtin": gtin, "name_vi": format!("{name} (vi)"), "name_en": name})
}

#[tokio::test]
async fn a_product_issues_its_gtin_and_reads_back_in_any_length() {
    let app = spawn_app().await;
    let prefix = app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let g = gtin13("8934567", 42);
    let body = json!({
        "gtin": &g[1..],
        "name_vi": " Cà phê rang xay ",
        "name_en": "Ground coffee",
        "description_vi": "Cà phê Robusta\nĐắk Lắk",
        "description_en": "Robusta coffee",
        "brand": "Cao Nguyên",
        "gpc_brick": "10000115",
        "hs_code": "0901.21.20",
        "country_of_origin": "vn",
        "net_content": "0500.0",
        "net_content_unit": "grm",
        "image_url": "https://example.vn/img/caphe.jpg",
        "target_markets": ["us", "JP", "US"],
        "standards": ["TCVN 4193:2014", "iso 22000:2018"],
    });
    let res = app.post("/api/v1/products", &ex, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/products/{g}").as_str())
    );
    let p = &res.body;
    assert_eq!(p["gtin"], g.as_str());
    assert_eq!(p["org_id"], app.org_a.as_str());
    assert_eq!(p["name_vi"], "Cà phê rang xay");
    assert_eq!(p["hs_code"], "09012120");
    assert_eq!(p["country_of_origin"], "VN");
    assert_eq!(
        (&p["net_content"], &p["net_content_unit"]),
        (&json!("500"), &json!("GRM"))
    );
    assert_eq!(p["target_markets"], json!(["US", "JP"]));
    assert_eq!(p["standards"], json!(["TCVN 4193:2014", "ISO 22000:2018"]));
    assert_eq!(p["status"], "active");

    // Creating the product issued its GTIN.
    let keys = app
        .collect(
            &format!("/api/v1/prefixes/{prefix}/keys?kind=gtin"),
            &ex,
            10,
        )
        .await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["key"], g.as_str());
    let cap = app.get(&format!("/api/v1/prefixes/{prefix}"), &ex).await;
    assert_eq!(cap.body["capacity"]["gtin13"]["used"], 1);

    // Public read in any length; the answer carries the 14-digit form and an ETag.
    for form in [&g[1..], g.as_str()] {
        let res = app
            .get(&format!("/api/v1/products/{form}"), &Auth::None)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{form}");
        assert_eq!(res.body["gtin"], g.as_str());
    }
    let first = app.get(&format!("/api/v1/products/{g}"), &Auth::None).await;
    let etag = first.header("etag").unwrap_or_default().to_owned();
    let res = app
        .get_with(
            &format!("/api/v1/products/{g}"),
            &Auth::None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    let last = g.as_bytes()[13] - b'0';
    let bad_check = format!("{}{}", &g[1..13], (last + 1) % 10);
    let res = app
        .get(&format!("/api/v1/products/{bad_check}"), &Auth::None)
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "bad check digit"
    );
    assert_eq!(
        app.get("/api/v1/products/96385074", &Auth::None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .get(
            &format!("/api/v1/products/{g}"),
            &Auth::Bearer("garbage".into()),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "present credentials must be valid"
    );

    // Twice is a conflict.
    let res = app
        .post("/api/v1/products", &ex, product(&g, "Again"))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn gtin12_and_issued_gtins_make_products_without_issuing_again() {
    let app = spawn_app().await;
    let upc = app.license(&app.org_a, "0614141").await;
    let ex = app.auth(&app.exporter);
    let res = app
        .post("/api/v1/products", &ex, product("614141000036", "Widget"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["gtin"], "00614141000036");
    let res = app.get("/api/v1/products/614141000036", &Auth::None).await;
    assert_eq!(res.body["gtin"], "00614141000036");

    let issued = app
        .post(&format!("/api/v1/prefixes/{upc}/gtins"), &ex, json!({}))
        .await;
    let g = issued.body["key"].as_str().unwrap_or_default().to_owned();
    let res = app
        .post("/api/v1/products", &ex, product(&g, "Issued first"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let cap = app.get(&format!("/api/v1/prefixes/{upc}"), &ex).await;
    assert_eq!(cap.body["capacity"]["gtin13"]["used"], 2);
    let keys = app
        .collect(&format!("/api/v1/prefixes/{upc}/keys"), &ex, 10)
        .await;
    assert_eq!(keys.len(), 2);
}

#[tokio::test]
async fn every_field_is_checked_and_named() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            json!({
                "gtin": "8934567000011",
                "name_vi": "  ",
                "name_en": "x".repeat(201),
                "brand": "a\u{7}b",
                "gpc_brick": "1000011",
                "hs_code": "0901",
                "country_of_origin": "XX",
                "net_content": "1,5",
                "net_content_unit": "KGM",
                "image_url": "ftp://example.vn/a.jpg",
                "target_markets": ["VN", "ZZ"],
                "standards": ["ASTM D4236"],
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "brand",
            "country_of_origin",
            "gpc_brick",
            "gtin",
            "hs_code",
            "image_url",
            "name_en",
            "name_vi",
            "net_content",
            "standards[0]",
            "target_markets[1]"
        ]
    );
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            json!({"gtin": gtin13("8934567", 1), "name_vi": "A", "name_en": "A", "net_content_unit": "LBS"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["net_content"]);
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            json!({"gtin": gtin13("8934567", 1), "name_vi": "A", "name_en": "A", "net_content": "1", "net_content_unit": "LBS"}),
        )
        .await;
    assert_eq!(res.fields(), vec!["net_content_unit"]);
    assert!(
        res.text.contains("KGM"),
        "the error lists the units: {}",
        res.text
    );
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            json!({"gtin": gtin13("8934567", 1), "name_vi": "A"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["name_en"]);
}

#[tokio::test]
async fn gtins_of_others_outside_prefixes_or_of_revoked_prefixes_are_refused() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let b = app.license(&app.org_b, "8930002").await;
    let ex = app.auth(&app.exporter);
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            product(&gtin13("8930002", 1), "Theirs"),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    let res = app
        .post(
            "/api/v1/products",
            &ex,
            product(&gtin13("8939999", 1), "Nobody's"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), vec!["gtin"]);
    for who in [&app.certifier, &app.inspector] {
        let res = app
            .post(
                "/api/v1/products",
                &app.auth(who),
                product(&gtin13("8934567", 1), "X"),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    let res = app
        .post(
            "/api/v1/products",
            &Auth::None,
            product(&gtin13("8934567", 1), "X"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // Admins create for the GTIN's licensee.
    let res = app
        .post(
            "/api/v1/products",
            &app.auth(&app.admin),
            product(&gtin13("8930002", 1), "Theirs"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["org_id"], app.org_b.as_str());

    // A revoked prefix issues nothing more, not even through a product.
    app.patch(
        &format!("/api/v1/prefixes/{b}"),
        &app.auth(&app.admin),
        json!({"status": "revoked"}),
    )
    .await;
    let res = app
        .post(
            "/api/v1/products",
            &app.auth(&app.exporter_b),
            product(&gtin13("8930002", 2), "Late"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
}

#[tokio::test]
async fn a_discontinued_gtin_is_never_issued_again() {
    let app = spawn_app().await;
    let prefix = app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let g = gtin13("8934567", 7);
    let res = app.post("/api/v1/products", &ex, product(&g, "Old")).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = app
        .patch(
            &format!("/api/v1/products/{g}"),
            &ex,
            json!({"status": "discontinued"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "discontinued");

    let res = app
        .post(
            &format!("/api/v1/prefixes/{prefix}/gtins"),
            &ex,
            json!({"gtin": g}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    let res = app.post("/api/v1/products", &ex, product(&g, "New")).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(res.text.contains("discontinued"));

    // Out of public view, still visible to signed-in callers.
    assert_eq!(
        app.get(&format!("/api/v1/products/{g}"), &Auth::None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .get(&format!("/api/v1/products/{g}"), &app.auth(&app.inspector))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["status"], "discontinued");
}

#[tokio::test]
async fn products_change_field_by_field_and_only_by_their_owner() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let g = gtin13("8934567", 3);
    let mut body = product(&g, "Tea");
    body["brand"] = json!("Old brand");
    body["net_content"] = json!("100");
    body["net_content_unit"] = json!("GRM");
    body["target_markets"] = json!(["VN"]);
    assert_eq!(
        app.post("/api/v1/products", &ex, body).await.status,
        StatusCode::CREATED
    );
    let path = format!("/api/v1/products/{g}");

    let res = app
        .patch(&path, &ex, json!({"name_en": "Green tea", "brand": null, "net_content": "0.25", "net_content_unit": "KGM", "target_markets": ["JP", "KR"]}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["name_en"], "Green tea");
    assert_eq!(res.body["name_vi"], "Tea (vi)");
    assert_eq!(res.body["brand"], Value::Null);
    assert_eq!(res.body["net_content"], "0.25");
    assert_eq!(res.body["target_markets"], json!(["JP", "KR"]));

    let res = app
        .patch(
            &path,
            &ex,
            json!({"net_content": null, "net_content_unit": null}),
        )
        .await;
    assert_eq!(res.body["net_content"], Value::Null);
    assert_eq!(res.body["net_content_unit"], Value::Null);
    let res = app.patch(&path, &ex, json!({"net_content": "2"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .patch(
            &path,
            &ex,
            json!({"name_vi": "", "status": "gone", "gtin": "1"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    let res = app
        .patch(&path, &ex, json!({"name_vi": "", "status": "gone"}))
        .await;
    assert_eq!(res.fields(), vec!["name_vi", "status"]);

    assert_eq!(
        app.patch(&path, &app.auth(&app.exporter_b), json!({"brand": "x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.patch(&path, &app.auth(&app.certifier), json!({"brand": "x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.patch(&path, &app.auth(&app.admin), json!({"brand": "Admin"}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.patch(
            &format!("/api/v1/products/{}", gtin13("8934567", 4)),
            &ex,
            json!({"brand": "x"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .patch(&path, &ex, json!({"status": "discontinued"}))
        .await;
    assert_eq!(res.body["status"], "discontinued");
    let res = app.patch(&path, &ex, json!({"status": "active"})).await;
    assert_eq!(
        res.body["status"], "active",
        "a discontinued product may come back"
    );
}

#[tokio::test]
async fn lists_filter_by_organisation_status_and_text() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    app.license(&app.org_b, "8930002").await;
    let ex = app.auth(&app.exporter);
    let exb = app.auth(&app.exporter_b);
    for (r, name) in [
        (1, "Ground Coffee"),
        (2, "Instant coffee 50%"),
        (3, "Green tea"),
    ] {
        let res = app
            .post(
                "/api/v1/products",
                &ex,
                product(&gtin13("8934567", r), name),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let res = app
        .post(
            "/api/v1/products",
            &exb,
            product(&gtin13("8930002", 1), "Coffee beans"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    app.patch(
        &format!("/api/v1/products/{}", gtin13("8934567", 3)),
        &ex,
        json!({"status": "discontinued"}),
    )
    .await;

    let names = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .filter_map(|p| p["name_en"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        app.collect("/api/v1/products", &Auth::None, 1).await.len(),
        3,
        "public: active only"
    );
    assert_eq!(app.collect("/api/v1/products", &ex, 2).await.len(), 4);
    assert_eq!(
        names(
            app.collect("/api/v1/products?q=COFFEE", &Auth::None, 10)
                .await
        ),
        vec!["Ground Coffee", "Instant coffee 50%", "Coffee beans"]
    );
    assert_eq!(
        names(app.collect("/api/v1/products?q=50%25", &ex, 10).await),
        vec!["Instant coffee 50%"]
    );
    assert_eq!(
        names(app.collect("/api/v1/products?q=_", &ex, 10).await),
        Vec::<String>::new()
    );
    assert_eq!(
        app.collect("/api/v1/products?q=8934567", &ex, 10)
            .await
            .len(),
        3
    );
    assert_eq!(
        app.collect(&format!("/api/v1/products?org_id={}", app.org_b), &ex, 10)
            .await
            .len(),
        1
    );
    assert_eq!(
        names(
            app.collect("/api/v1/products?status=discontinued", &ex, 10)
                .await
        ),
        vec!["Green tea"]
    );
    assert!(
        app.collect("/api/v1/products?status=discontinued", &Auth::None, 10)
            .await
            .is_empty()
    );
    let res = app.get("/api/v1/products?status=gone", &ex).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app.get("/api/v1/products?colour=red", &ex).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
}

/// A JSON array is not an object, even when its items line up with the fields.
#[tokio::test]
async fn an_array_body_is_refused_where_an_object_is_expected() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let gtin = gtin13("8934567", 58);
    for (path, body) in [
        ("/api/v1/products".to_owned(), json!([gtin, "Tên", "Name"])),
        (
            format!("/api/v1/products/{gtin}/lots"),
            json!(["LOT1", null, null]),
        ),
        (
            format!("/api/v1/products/{gtin}/serials"),
            json!([{"from": 1}]),
        ),
    ] {
        let res = app
            .req_with(
                reqwest::Method::POST,
                &path,
                &ex,
                Some(body),
                &[("Idempotency-Key", "array-body-1")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            res.text
        );
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        assert_eq!(res.fields(), ["body"], "{path}");
        assert!(
            res.text.contains("expected a JSON object"),
            "{path}: {}",
            res.text
        );
    }
    let res = app.get(&format!("/api/v1/products/{gtin}"), &ex).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "nothing was created");
}
