//! The whole registry flow over HTTP, across areas: an exporter licensed a prefix registers a
//! product, an accredited CAB certifies it, the exporter publishes a signed passport that
//! references the certificate, and anyone can read and verify it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    cert_support::{STD, accredit, day, id, world},
    helpers::{Auth, gtin13, spawn_app},
    passports::{assert_untp_valid, full_draft, verify},
};

#[tokio::test]
async fn exporter_product_certificate_and_signed_passport_end_to_end() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    let exporter = app.auth(&app.exporter);
    let w = world(&app).await;

    // The platform licenses a Vietnamese prefix; the exporter registers a product under it.
    app.license(&app.org_a, "8934567").await;
    let gtin13_str = gtin13("8934567", 42);
    let res = app
        .post(
            "/api/v1/products",
            &exporter,
            json!({"gtin": gtin13_str, "name_vi": "Cà phê rang xay", "name_en": "Roasted coffee",
                   "gpc_brick": "10000115", "country_of_origin": "VN", "standards": [STD]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let gtin = res.body["gtin"].as_str().unwrap_or_default().to_owned();
    assert_eq!(gtin.len(), 14);
    // The GTIN is now issued: asking for it again is refused.
    let prefix_list = app.get("/api/v1/prefixes", &exporter).await;
    let prefix_id = prefix_list.body["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let again = app
        .post(
            &format!("/api/v1/prefixes/{prefix_id}/gtins"),
            &exporter,
            json!({"gtin": gtin13_str}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    // The accreditation body signs the IAF MLA and accredits the CAB for the standard.
    let res = app
        .post(
            &format!("/api/v1/accreditation-bodies/{}/signatures", w.boa),
            &admin,
            json!({"arrangement": "iaf_mla", "scope": "product_certification",
                   "status": "signatory", "valid_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    accredit(&app, &w, &w.cab, &day(-365), &day(365)).await;

    // A standard outside the accreditation is refused; the accredited one is certified.
    let certificate = |number: &str, standard: &str| {
        json!({"number": number, "kind": "certificate", "cab_org_id": w.cab,
               "holder_org_id": app.org_a, "standards": [standard], "gtins": [gtin],
               "issue_date": day(-1), "expiry_date": day(400),
               "document_sha256": "ab".repeat(32), "document_url": "https://quacert.vn/c/7.pdf"})
    };
    let cab = app.auth(&w.cab_certifier);
    let res = app
        .post(
            "/api/v1/certificates",
            &cab,
            certificate("VN-X-1", "ISO 22000:2018"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    // Only the issuing CAB's certifiers may issue: the exporter may not certify itself.
    let res = app
        .post(
            "/api/v1/certificates",
            &exporter,
            certificate("VN-X-2", STD),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    let res = app
        .post("/api/v1/certificates", &cab, certificate("VN-QC-7", STD))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let cert_id = id(&res);
    let covering = app
        .get(
            &format!("/api/v1/products/{gtin}/certificates"),
            &Auth::None,
        )
        .await;
    assert_eq!(covering.status, StatusCode::OK, "{}", covering.text);
    let found: Vec<&Value> = covering.body["items"]
        .as_array()
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    assert_eq!(found.len(), 1, "{}", covering.text);
    assert_eq!(found[0]["number"], "VN-QC-7");
    assert_eq!(found[0]["effective_status"], "valid");

    // The exporter publishes a passport whose conformity claim references the certificate.
    let mut draft = full_draft();
    draft["conformityClaim"][0]["id"] =
        json!(format!("{}/api/v1/certificates/{cert_id}", app.base));
    draft["conformityClaim"][0]["conformityEvidence"]["hashDigest"] = json!("ab".repeat(32));
    let passport = format!("/api/v1/products/{gtin}/passport");
    let res = app
        .req(reqwest::Method::PUT, &passport, &exporter, Some(draft))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app
        .post(&format!("{passport}/publish"), &exporter, json!({}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

    // Anyone reads version 1, verifies its signature offline with the JWKS, and gets a UNTP DPP.
    let v1 = app
        .get(&format!("{passport}/versions/1"), &Auth::None)
        .await;
    assert_eq!(v1.status, StatusCode::OK, "{}", v1.text);
    let jwks = app.get("/.well-known/jwks.json", &Auth::None).await;
    let (_, payload) = verify(v1.body["jws"].as_str().unwrap_or_default(), &jwks.body);
    assert_eq!(payload, v1.body["content"]);
    assert_untp_valid(&v1.body["content"]);
    let subject = &v1.body["content"]["credentialSubject"];
    assert_eq!(subject["product"]["registeredId"], gtin.as_str());
    assert_eq!(
        subject["conformityClaim"][0]["conformityEvidence"]["hashDigest"],
        "ab".repeat(32)
    );

    // A foreign exporter can neither edit nor publish it.
    let other = app.auth(&app.exporter_b);
    let res = app
        .post(&format!("{passport}/publish"), &other, json!({}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);

    // Serials are commissioned while the product is active, refused once it is discontinued.
    let serials = format!("/api/v1/products/{gtin}/serials");
    let body = json!({"range": {"prefix": "S", "start": 1, "count": 10, "width": 4}});
    let post = reqwest::Method::POST;
    let res = app
        .req_with(
            post.clone(),
            &serials,
            &exporter,
            Some(body.clone()),
            &[("Idempotency-Key", "flow-1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let res = app
        .patch(
            &format!("/api/v1/products/{gtin}"),
            &exporter,
            json!({"status": "discontinued"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app
        .req_with(
            post,
            &serials,
            &exporter,
            Some(body),
            &[("Idempotency-Key", "flow-2")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(res.text.contains("discontinued"), "{}", res.text);
}
