//! UNTP Digital Traceability Event credentials: issued for the GTIN's owner from the stored
//! events, schema-valid, signed, public and immutable, linked by digest from lot passports.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::custody::capture_as;
use crate::epcis::observe;
use crate::helpers::{Auth, TestApp};
use crate::passports::{assert_untp_valid, full_draft, verify};
use crate::serials::setup;

const FACTORY: &str = "https://id.gs1.org/414/8934567000017";
const IMPORTER_DOCK: &str = "https://id.gs1.org/414/4012345000016";
const PATH: &str = "/api/v1/traceability-credentials";

fn at(mut event: Value, place: &str) -> Value {
    event["bizLocation"] = json!({"id": place});
    event
}

fn dte_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/reference/untp/0.6.1/untp-dte-schema.json"
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("DTE schema")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// The path of one of our public URLs.
fn local(url: &str) -> String {
    url.split_once("/api/")
        .map(|(_, p)| format!("/api/{p}"))
        .unwrap_or_default()
}

async fn issue(app: &TestApp, auth: &Auth, epc: &str) -> crate::helpers::Res {
    app.post(PATH, auth, json!({ "epc": epc })).await
}

/// A lot of organisation A's product, commissioned by A at its factory and received by B's
/// importer at its dock.
async fn journey(app: &TestApp, g: &str) -> String {
    let lot = format!("https://id.gs1.org/01/{g}/10/LOT7");
    capture_as(
        app,
        &app.exporter,
        vec![at(observe(3, &lot, "commissioning"), FACTORY)],
    )
    .await;
    capture_as(
        app,
        &app.exporter_b,
        vec![at(observe(9, &lot, "receiving"), IMPORTER_DOCK)],
    )
    .await;
    lot
}

#[tokio::test]
async fn the_owner_gets_a_signed_schema_valid_credential_of_the_journey_once() {
    let (app, g) = setup().await;
    let lot = journey(&app, &g).await;
    let ex = app.auth(&app.exporter);
    let res = issue(&app, &ex, &lot).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let credential = &res.body["credential"];
    let errors: Vec<String> = dte_validator()
        .iter_errors(credential)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{credential:#}");
    let events = credential["credentialSubject"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{credential:#}");
    // A's own event in full; B's receipt without B's place.
    assert_eq!(
        events[0]["bizStep"],
        "https://ref.gs1.org/cbv/BizStep-commissioning"
    );
    assert_eq!(events[0]["bizLocation"], FACTORY);
    assert_eq!(events[0]["epcList"][0]["name"], "Coffee");
    assert_eq!(events[1]["processType"], "receiving");
    assert!(events[1].get("bizLocation").is_none(), "{:#}", events[1]);
    assert!(
        events[0]["id"]
            .as_str()
            .unwrap_or_default()
            .starts_with("ni:///sha-256;")
    );

    // Public, immutable, its digest the one announced; the JWS verifies against the JWKS.
    let url = res.body["url"].as_str().unwrap_or_default();
    let path = local(url);
    assert_eq!(res.header("location"), Some(path.as_str()));
    let read = app.get(&path, &Auth::None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, *credential);
    assert_eq!(
        hex::encode(Sha256::digest(read.text.as_bytes())),
        res.body["content_sha256"].as_str().unwrap_or_default()
    );
    let jwt = app
        .get_with(&path, &Auth::None, &[("Accept", "application/vc+jwt")])
        .await;
    assert_eq!(jwt.header("content-type"), Some("application/vc+jwt"));
    let jwks = app.get("/.well-known/jwks.json", &Auth::None).await;
    let (_, payload) = verify(&jwt.text, &jwks.body);
    assert_eq!(payload, *credential);
    let header = jwt.text.split('.').next().unwrap_or_default();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(header["typ"], "vc+jwt");

    // A retry with the same events gives the same credential; a new event, a new one.
    let again = issue(&app, &ex, &lot).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["id"], res.body["id"]);
    capture_as(&app, &app.exporter, vec![observe(12, &lot, "inspecting")]).await;
    let third = issue(&app, &ex, &lot).await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.text);
    assert_ne!(third.body["id"], res.body["id"]);
}

#[tokio::test]
async fn only_the_owner_may_ask_and_only_for_what_has_events() {
    let (app, g) = setup().await;
    let lot = journey(&app, &g).await;
    for who in [&app.exporter_b, &app.certifier] {
        let res = issue(&app, &app.auth(who), &lot).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    }
    assert_eq!(
        issue(&app, &Auth::None, &lot).await.status,
        StatusCode::UNAUTHORIZED
    );
    let ex = app.auth(&app.exporter);
    for (epc, why) in [
        ("not an identifier", "epc"),
        (
            "https://id.gs1.org/01/04012345000009/10/X",
            "not registered",
        ),
        (
            &format!("https://id.gs1.org/01/{g}/10/NOEVENTS"),
            "no stored EPCIS event",
        ),
        ("https://id.gs1.org/00/389345670000000018", "trade item"),
    ] {
        let res = issue(&app, &ex, epc).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{epc}: {}",
            res.text
        );
        assert_eq!(res.fields(), ["epc"], "{epc}");
        assert!(res.text.contains(why), "{epc}: {}", res.text);
    }
    let unknown = app
        .get(
            &format!("{PATH}/01a2416d-31ae-77fe-a1f2-18454086a2ac"),
            &Auth::None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_lot_passport_links_its_traceability_credential_by_digest() {
    let (app, g) = setup().await;
    let lot = journey(&app, &g).await;
    let ex = app.auth(&app.exporter);
    let path = format!("/api/v1/products/{g}/lots/LOT7/passport");
    let put = app
        .req(reqwest::Method::PUT, &path, &ex, Some(full_draft()))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let published = app.post(&format!("{path}/publish"), &ex, json!({})).await;
    assert_eq!(published.status, StatusCode::CREATED, "{}", published.text);
    assert_untp_valid(&published.body["content"]);
    let info = &published.body["content"]["credentialSubject"]["traceabilityInformation"];
    let link = info
        .as_array()
        .and_then(|l| l.iter().find(|t| t["traceabilityEvent"].is_array()))
        .map(|t| t["traceabilityEvent"][0].clone())
        .expect("a traceability link");
    assert_eq!(
        link["linkType"],
        "https://test.uncefact.org/vocabulary/linkTypes/dte"
    );
    assert_eq!(link["hashMethod"], "SHA-256");
    let url = link["linkURL"].as_str().unwrap_or_default();
    let dte_path = local(url);
    let dte = app.get(&dte_path, &Auth::None).await;
    assert_eq!(dte.status, StatusCode::OK, "{url}");
    assert_eq!(
        link["hashDigest"].as_str().unwrap_or_default(),
        hex::encode(Sha256::digest(dte.text.as_bytes()))
    );
    assert_eq!(
        dte.body["credentialSubject"][0]["epcList"][0]["id"],
        lot.as_str()
    );
    // The issue-on-request of the same journey is that very credential.
    let asked = issue(&app, &ex, &lot).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.text);
    assert_eq!(asked.body["url"], url);
}

#[tokio::test]
async fn the_demo_serials_passport_links_its_traceability_credential() {
    let d = crate::demo::Demo::new().await;
    let t = &d.v["traceability_credential"];
    let url = t["url"].as_str().unwrap_or_else(|| panic!("{}", d.v));
    let path = local(url);
    let dte = d.app.get(&path, &Auth::None).await;
    assert_eq!(dte.status, StatusCode::OK, "{url}");
    assert_eq!(
        hex::encode(Sha256::digest(dte.text.as_bytes())),
        t["sha256"].as_str().unwrap_or_default()
    );
    // Commissioning and packing of the serial, then its pallet's packing, shipping, receiving.
    let steps: Vec<&str> = dte.body["credentialSubject"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["processType"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "commissioning",
            "packing",
            "packing",
            "shipping",
            "receiving"
        ]
    );
    let passport = t["passport"].as_str().unwrap_or_default();
    let v1 = d
        .app
        .get(&format!("{passport}/versions/1"), &Auth::None)
        .await;
    assert_eq!(v1.status, StatusCode::OK, "{passport}");
    let link = &v1.body["content"]["credentialSubject"]["traceabilityInformation"][0]["traceabilityEvent"]
        [0];
    assert_eq!(link["linkURL"], url);
    assert_eq!(link["hashDigest"], t["sha256"]);
}
