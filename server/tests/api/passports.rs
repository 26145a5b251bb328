//! Passports: drafts, publishing signed UNTP credentials, immutable versions, the JWKS and key rotation.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::Jwk};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Auth, TestApp, fresh_settings, spawn_app, spawn_with};

/// A valid GTIN owned by organisation A in these tests.
pub const GTIN_A: &str = "09506000134352";
/// A valid GTIN owned by organisation B.
pub const GTIN_B: &str = "09520123456788";

/// Inserts a product row straight into the database (the products API is built elsewhere).
pub async fn insert_product(app: &TestApp, org_id: &str, gtin: &str, name: &str) {
    app.sql(&format!(
        "INSERT INTO products (id, org_id, gtin, name_vi, name_en, description_en, \
         country_of_origin, target_markets, standards, status, created_at, updated_at) \
         VALUES ('{}', '{org_id}', '{gtin}', '{name}', '{name}', 'Robusta coffee beans', 'VN', \
         '[]', '[]', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        uuid::Uuid::now_v7()
    ))
    .await;
}

/// A draft with every part of a ProductPassport the exporter fills.
pub fn full_draft() -> Value {
    json!({
        "product": {
            "description": "Roasted Robusta, 500 g",
            "countryOfProduction": "VN",
            "productionDate": "2026-11-01",
            "productImage": {"linkURL": "https://example.vn/img/1.png", "linkName": "Pack shot"},
            "furtherInformation": [{"linkURL": "https://example.vn/p/1", "linkType": "gs1:pip"}],
            "productCategory": [{"id": "https://unstats.un.org/unsd/classifications/Econ/cpc/01610", "code": "01610", "name": "Coffee, green", "schemeName": "UN CPC"}]
        },
        "facility": {"id": "https://example.vn/facilities/1", "name": "Buon Ma Thuot roastery"},
        "conformityClaim": [{
            "type": ["Claim", "Declaration"],
            "assessmentDate": "2026-10-15",
            "id": "https://dpp.example.vn/certificates/0190-cert",
            "conformance": true,
            "conformityTopic": "environment.deforestation",
            "conformityEvidence": {
                "linkURL": "https://dpp.example.vn/api/v1/certificates/0190-cert",
                "linkName": "EUDR due diligence certificate",
                "hashDigest": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "hashMethod": "SHA-256"
            }
        }],
        "materialsProvenance": [{"type": ["Material"], "name": "Coffee cherries", "originCountry": "VN", "massFraction": 1.0}],
        "emissionsScorecard": {"carbonFootprint": 3.2, "declaredUnit": "KGM", "operationalScope": "CradleToGate", "primarySourcedRatio": 0.8},
        "circularityScorecard": {"recyclableContent": 0.9},
        "dueDiligenceDeclaration": {"linkURL": "https://example.vn/dds.pdf", "linkName": "EUDR DDS"}
    })
}

/// Checks `doc` against the UNTP DPP v0.6.0 JSON schema (test data beside the repository).
pub fn assert_untp_valid(doc: &Value) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/untp/dpp-schema-v0.6.0.json"
    );
    let text = std::fs::read_to_string(path).expect("UNTP DPP schema in shared/reference");
    let schema: Value = serde_json::from_str(&text).expect("schema JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not a UNTP DPP: {errors:#?}\n{doc:#}");
}

/// Verifies a compact JWS with the key of its `kid` in `jwks`; returns (kid, payload).
pub fn verify(jws: &str, jwks: &Value) -> (String, Value) {
    let header = jsonwebtoken::decode_header(jws).expect("JWS header");
    assert_eq!(header.alg, Algorithm::EdDSA);
    let kid = header.kid.expect("kid");
    let jwk = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid.as_str()))
        .cloned()
        .expect("kid in the JWKS");
    let jwk: Jwk = serde_json::from_value(jwk).expect("JWK");
    let key = DecodingKey::from_jwk(&jwk).expect("decoding key");
    let mut v = Validation::new(Algorithm::EdDSA);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    v.validate_aud = false;
    let data = jsonwebtoken::decode::<Value>(jws, &key, &v).expect("signature verifies");
    (kid, data.claims)
}

async fn put(app: &TestApp, path: &str, auth: &Auth, body: Value) -> crate::helpers::Res {
    app.req(Method::PUT, path, auth, Some(body)).await
}

const P: &str = "/api/v1/products/09506000134352/passport";

#[tokio::test]
async fn a_published_passport_is_a_signed_untp_credential() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    let ex = app.auth(&app.exporter);
    // Before anything was signed the JWKS already holds the current key.
    let before = app.get("/.well-known/jwks.json", &Auth::None).await;
    assert_eq!(
        before.header("content-type"),
        Some("application/jwk-set+json")
    );
    assert_eq!(before.body["keys"].as_array().map(Vec::len), Some(1));
    assert_eq!(before.body["keys"][0]["crv"], "Ed25519");
    assert!(before.body["keys"][0].get("d").is_none(), "no private part");

    let res = put(&app, P, &ex, full_draft()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["latest_version"], 0);
    let draft = app.get(P, &ex).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert_eq!(draft.body["draft"], full_draft());

    let res = app.post(&format!("{P}/publish"), &ex, json!({})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        res.header("location"),
        Some(format!("{P}/versions/1").as_str())
    );
    assert_eq!(res.body["version"], 1);

    let v1 = app.get(&format!("{P}/versions/1"), &Auth::None).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert_eq!(
        v1.header("cache-control"),
        Some("public, max-age=86400, immutable")
    );
    assert_eq!(v1.body, res.body);
    let content = &v1.body["content"];
    assert_untp_valid(content);
    let subject = &content["credentialSubject"];
    let dl = format!(
        "{}/01/{GTIN_A}",
        app.state.public_base_url.trim_end_matches('/')
    );
    assert_eq!(subject["product"]["id"], dl.as_str());
    assert_eq!(subject["product"]["registeredId"], GTIN_A);
    assert_eq!(subject["product"]["name"], "Ca phe");
    assert_eq!(subject["product"]["countryOfProduction"], "VN");
    assert_eq!(subject["product"]["producedByParty"]["name"], "Exporter A");
    assert_eq!(
        subject["product"]["producedAtFacility"]["name"],
        "Buon Ma Thuot roastery"
    );
    assert_eq!(subject["granularityLevel"], "model");
    assert_eq!(subject["conformityClaim"], full_draft()["conformityClaim"]);

    let jwks = app.get("/.well-known/jwks.json", &Auth::None).await;
    assert_eq!(jwks.status, StatusCode::OK);
    let jws = v1.body["jws"].as_str().unwrap_or_default();
    let (kid, payload) = verify(jws, &jwks.body);
    assert_eq!(&payload, content);
    assert_eq!(v1.body["kid"], kid.as_str());
    let signed = jws.split('.').nth(1).unwrap_or_default();
    let signed = URL_SAFE_NO_PAD.decode(signed).unwrap_or_default();
    assert_eq!(
        v1.body["content_sha256"],
        hex::encode(Sha256::digest(&signed)).as_str()
    );

    let raw = app.get(&format!("{P}/versions/1/jws"), &Auth::None).await;
    assert_eq!(raw.status, StatusCode::OK);
    assert_eq!(raw.header("content-type"), Some("application/jose"));
    assert_eq!(raw.text, jws);
    let list = app.get(&format!("{P}/versions"), &Auth::None).await;
    assert_eq!(list.body["items"][0]["version"], 1);
    assert_eq!(list.body["items"][0]["kid"], kid.as_str());
}

#[tokio::test]
async fn versions_are_immutable_and_republishing_makes_the_next() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    let ex = app.auth(&app.exporter);
    assert_eq!(put(&app, P, &ex, full_draft()).await.status, StatusCode::OK);
    let first = app.post(&format!("{P}/publish"), &ex, json!({})).await;
    let changed = json!({"product": {"description": "Now 1 kg"}});
    assert_eq!(put(&app, P, &ex, changed).await.status, StatusCode::OK);
    let second = app.post(&format!("{P}/publish"), &ex, json!({})).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.body["version"], 2);
    assert_eq!(
        second.body["content"]["credentialSubject"]["product"]["description"],
        "Now 1 kg"
    );
    let v1 = app.get(&format!("{P}/versions/1"), &Auth::None).await;
    assert_eq!(v1.body, first.body);
    for m in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let res = app
            .req(
                m,
                &format!("{P}/versions/1"),
                &app.auth(&app.admin),
                Some(json!({})),
            )
            .await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    }
    let items = app.collect(&format!("{P}/versions"), &Auth::None, 1).await;
    let numbers: Vec<&Value> = items.iter().map(|i| &i["version"]).collect();
    assert_eq!(numbers, [&json!(1), &json!(2)]);
    let audit = app
        .collect("/api/v1/audit", &app.auth(&app.admin), 500)
        .await;
    let actions: Vec<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    let expected = [
        "passport.draft",
        "passport.publish",
        "passport.draft",
        "passport.publish",
    ];
    assert!(actions.ends_with(&expected), "{actions:?}");
    let missing = app.get(&format!("{P}/versions/3"), &Auth::None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app.get(&format!("{P}/versions/zero"), &Auth::None).await;
    assert_eq!(bad.fields(), ["n"]);
    let bad = app
        .get(&format!("{P}/versions?cursor=eA"), &Auth::None)
        .await;
    assert_eq!(bad.fields(), ["cursor"]);
}

#[tokio::test]
async fn lot_and_serial_passports_name_their_batch_or_item() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    let ex = app.auth(&app.exporter);
    let base = app.state.public_base_url.trim_end_matches('/').to_owned();
    for (path, granularity, id, field, value) in [
        (
            "/api/v1/products/09506000134352/lots/L%2601/passport",
            "batch",
            "/10/L%2601",
            "batchNumber",
            "L&01",
        ),
        (
            "/api/v1/products/09506000134352/serials/S-9/passport",
            "item",
            "/21/S-9",
            "serialNumber",
            "S-9",
        ),
    ] {
        assert_eq!(
            put(&app, path, &ex, full_draft()).await.status,
            StatusCode::OK
        );
        let res = app.post(&format!("{path}/publish"), &ex, json!({})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        let content = &res.body["content"];
        assert_untp_valid(content);
        let product = &content["credentialSubject"]["product"];
        assert_eq!(
            content["credentialSubject"]["granularityLevel"],
            granularity
        );
        assert_eq!(product["id"], format!("{base}/01/{GTIN_A}{id}").as_str());
        assert_eq!(product[field], value);
        let read = app.get(&format!("{path}/versions/1"), &Auth::None).await;
        assert_eq!(read.body["content"], *content);
    }
    // The product-level passport is separate and has no draft yet.
    assert_eq!(app.get(P, &ex).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{P}/versions"), &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_drafts_are_refused_naming_each_field() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    let ex = app.auth(&app.exporter);
    let bad = json!({
        "colour": "red",
        "product": {"id": "https://elsewhere/x"},
        "conformityClaim": [{"id": "c1", "conformityEvidence": {"linkURL": "https://x", "hashDigest": "abc"}}],
        "emissionsScorecard": {"carbonFootprint": 1, "declaredUnit": "KGM", "operationalScope": "x"}
    });
    let res = put(&app, P, &ex, bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    let mut fields = res.fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "colour",
            "conformityClaim[0].conformance",
            "conformityClaim[0].conformityEvidence.hashDigest",
            "conformityClaim[0].conformityTopic",
            "emissionsScorecard.operationalScope",
            "emissionsScorecard.primarySourcedRatio",
            "product.id",
        ]
    );
    let res = put(&app, P, &ex, json!(["not", "an", "object"])).await;
    assert_eq!(res.fields(), ["body"]);
    let res = put(
        &app,
        "/api/v1/products/09506000134353/passport",
        &ex,
        json!({}),
    )
    .await;
    assert_eq!(res.fields(), ["gtin"]);
    let res = put(
        &app,
        "/api/v1/products/04006381333931/passport",
        &ex,
        json!({}),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app.post(&format!("{P}/publish"), &ex, json!({})).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "no draft yet");
}

#[tokio::test]
async fn only_the_owning_exporter_or_an_admin_edits_and_publishes() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    insert_product(&app, &app.org_b, GTIN_B, "Tieu").await;
    let b = app.auth(&app.exporter_b);
    assert_eq!(
        put(&app, P, &app.auth(&app.exporter), full_draft())
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        put(&app, P, &b, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get(P, &b).await.status, StatusCode::FORBIDDEN);
    let res = app.post(&format!("{P}/publish"), &b, json!({})).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    for who in [&app.certifier, &app.inspector] {
        assert_eq!(
            put(&app, P, &app.auth(who), json!({})).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        put(&app, P, &Auth::None, json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
    let admin = app.auth(&app.admin);
    let other = "/api/v1/products/09520123456788/passport";
    assert_eq!(
        put(&app, other, &admin, json!({})).await.status,
        StatusCode::OK
    );
    let res = app
        .post(&format!("{other}/publish"), &admin, json!({}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_untp_valid(&res.body["content"]);
}

#[tokio::test]
async fn after_a_key_rotation_old_versions_still_verify() {
    let (settings, pg) = fresh_settings();
    let app = spawn_with(settings.clone(), pg).await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    let ex = app.auth(&app.exporter);
    assert_eq!(put(&app, P, &ex, full_draft()).await.status, StatusCode::OK);
    let v1 = app.post(&format!("{P}/publish"), &ex, json!({})).await;
    assert_eq!(v1.status, StatusCode::CREATED);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gs1dpp-server"))
        .args(["admin", "rotate-signing-key", "--database-url"])
        .arg(&app.database_url)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .env_remove("REDIS_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run gs1dpp-server");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let old_kid = v1.body["kid"].as_str().unwrap_or_default().to_owned();
    assert!(
        stdout.contains(&format!("retired signing key {old_kid};")),
        "{stdout}"
    );
    assert!(!stdout.contains("PRIVATE"), "{stdout}");

    // A server started after the rotation signs with the new key.
    let restarted = server::Application::build(settings).await.expect("restart");
    let base = format!("http://127.0.0.1:{}", restarted.port());
    tokio::spawn(restarted.run_until_stopped());
    let client = reqwest::Client::new();
    let token = app.token_with_exp(&app.exporter, 600);
    let v2: Value = client
        .post(format!("{base}{P}/publish"))
        .bearer_auth(token)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("publish v2")
        .json()
        .await
        .expect("json");
    assert_eq!(v2["version"], 2);
    let new_kid = v2["kid"].as_str().unwrap_or_default().to_owned();
    assert_ne!(new_kid, old_kid);
    assert!(
        stdout.contains(&format!("new signing key {new_kid} ")),
        "{stdout}"
    );
    let jwks: Value = client
        .get(format!("{base}/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    assert_eq!(jwks["keys"].as_array().map(Vec::len), Some(2));
    let (kid1, payload1) = verify(v1.body["jws"].as_str().unwrap_or_default(), &jwks);
    assert_eq!((&kid1, &payload1), (&old_kid, &v1.body["content"]));
    let (kid2, payload2) = verify(v2["jws"].as_str().unwrap_or_default(), &jwks);
    assert_eq!((&kid2, &payload2), (&new_kid, &v2["content"]));
}
