//! Certificates over HTTP: refused without a covering accreditation, status rules, history,
//! computed expiry, GTIN lookup and validation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cert_support::{BRICK, GTIN, GTIN_BRICK, STD, accredit, cert, day, id, product, world};
use crate::helpers::{Auth, spawn_app};

#[tokio::test]
async fn issuing_without_accreditation_is_refused_unless_flagged_unaccredited() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let issue = day(-10);
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-1", &issue),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), vec!["standards"]);
    let reason = res.body["errors"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains(STD) && reason.contains(&issue), "{reason}");

    let mut body = cert(&w, &app, "C-1", &issue);
    body["unaccredited"] = json!(true);
    let res = app
        .post("/api/v1/certificates", &app.auth(&w.cab_certifier), body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["unaccredited"], true);
    assert_eq!(res.body["accreditation_chain"], Value::Null);
    assert_eq!(res.body["document_sha256"], "ab".repeat(32));
    let cid = id(&res);
    let read = app
        .get(&format!("/api/v1/certificates/{cid}"), &Auth::None)
        .await;
    assert_eq!(read.body["unaccredited"], true);
    let etag = read.header("etag").unwrap_or_default().to_owned();
    let again = app
        .get_with(
            &format!("/api/v1/certificates/{cid}"),
            &Auth::None,
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let list = app
        .get(&format!("/api/v1/certificates?cab={}", w.cab), &Auth::None)
        .await;
    assert_eq!(list.body["items"][0]["unaccredited"], true);
    let by_gtin = app
        .get(
            &format!("/api/v1/products/{GTIN}/certificates"),
            &Auth::None,
        )
        .await;
    assert_eq!(by_gtin.body["items"][0]["unaccredited"], true);

    let mut dup = cert(&w, &app, "C-1", &issue);
    dup["unaccredited"] = json!(true);
    let res = app
        .post("/api/v1/certificates", &app.auth(&app.admin), dup)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn accreditation_must_be_in_force_on_the_issue_date() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let acc = accredit(&app, &w, &w.cab, "2024-01-01", "2025-12-31").await;
    // Expired on the issue date.
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-2", "2026-01-05"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    // In force on an earlier issue date: accepted; not recognised while the body signs nothing.
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-2b", "2025-06-01"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        res.body["accreditation_chain"]["internationally_recognised"],
        false
    );
    assert_eq!(res.body["accreditation_chain"]["signature"], Value::Null);
    let sigs = format!("/api/v1/accreditation-bodies/{}/signatures", w.boa);
    let res = app
        .post(
            &sigs,
            &app.auth(&app.admin),
            json!({"arrangement": "iaf_mla", "scope": "product_certification", "status": "signatory", "valid_from": "2020-01-01"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-3", "2025-06-01"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["unaccredited"], false);
    assert_eq!(res.body["accreditation_id"], acc.as_str());
    let chain = &res.body["accreditation_chain"];
    assert_eq!(chain["body"]["id"], w.boa.as_str());
    assert_eq!(chain["internationally_recognised"], true);
    assert_eq!(chain["signature"]["arrangement"], "iaf_mla");
    // Suspended: refused even within its dates.
    let res = app
        .patch(
            &format!("/api/v1/accreditations/{acc}"),
            &app.auth(&app.admin),
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-4", "2025-06-01"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    // A test report needs a 17025 accreditation, not the 17065 one.
    let res = app
        .patch(
            &format!("/api/v1/accreditations/{acc}"),
            &app.auth(&app.admin),
            json!({"status": "active"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let mut report = cert(&w, &app, "R-1", "2025-06-01");
    report["kind"] = json!("test_report");
    let res = app
        .post("/api/v1/certificates", &app.auth(&w.cab_certifier), report)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
}

#[tokio::test]
async fn only_certifiers_of_the_issuing_cab_issue_and_change() {
    let app = spawn_app().await;
    let w = world(&app).await;
    accredit(&app, &w, &w.cab, "2024-01-01", "2099-12-31").await;
    let body = cert(&w, &app, "C-5", &day(-1));
    for who in [
        &w.cab2_certifier,
        &app.exporter,
        &app.certifier,
        &w.boa_certifier,
    ] {
        let res = app
            .post("/api/v1/certificates", &app.auth(who), body.clone())
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}: {}", res.text);
    }
    let res = app
        .post("/api/v1/certificates", &Auth::None, body.clone())
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = app
        .post("/api/v1/certificates", &app.auth(&app.admin), body)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let status = format!("/api/v1/certificates/{}/status", id(&res));
    let change = json!({"status": "suspended", "reason": "audit"});
    for who in [&w.cab2_certifier, &app.exporter] {
        let res = app.post(&status, &app.auth(who), change.clone()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.text);
    }
    let res = app.post(&status, &app.auth(&w.cab_certifier), change).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app
        .post(
            "/api/v1/certificates/nope/status",
            &app.auth(&app.admin),
            json!({"status": "valid", "reason": "x"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn withdrawal_is_final_and_history_is_in_order() {
    let app = spawn_app().await;
    let w = world(&app).await;
    accredit(&app, &w, &w.cab, "2024-01-01", "2099-12-31").await;
    let res = app
        .post(
            "/api/v1/certificates",
            &app.auth(&w.cab_certifier),
            cert(&w, &app, "C-6", &day(-1)),
        )
        .await;
    let cid = id(&res);
    let status = format!("/api/v1/certificates/{cid}/status");
    let by = app.auth(&w.cab_certifier);
    let res = app
        .post(&status, &by, json!({"status": "suspended", "reason": " "}))
        .await;
    assert_eq!(res.fields(), vec!["reason"]);
    let res = app
        .post(&status, &by, json!({"status": "expired", "reason": "x"}))
        .await;
    assert_eq!(res.fields(), vec!["status"]);
    let res = app
        .post(&status, &by, json!({"status": "valid", "reason": "again"}))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    for (s, reason) in [
        ("suspended", "nonconformity found"),
        ("valid", "corrective action closed"),
        ("withdrawn", "fraud"),
    ] {
        let res = app
            .post(&status, &by, json!({"status": s, "reason": reason}))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        assert_eq!(res.body["status"], s);
    }
    let res = app
        .post(&status, &by, json!({"status": "valid", "reason": "appeal"}))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    let read = app
        .get(&format!("/api/v1/certificates/{cid}"), &Auth::None)
        .await;
    assert_eq!(read.body["effective_status"], "withdrawn");
    let history: Vec<(String, String)> = read.body["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|e| {
                    (
                        e["status"].as_str().unwrap_or_default().to_owned(),
                        e["reason"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let want = [
        ("valid", "issued"),
        ("suspended", "nonconformity found"),
        ("valid", "corrective action closed"),
        ("withdrawn", "fraud"),
    ];
    assert_eq!(
        history,
        want.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
    );
    let list = app
        .get("/api/v1/certificates?status=withdrawn", &Auth::None)
        .await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn expiry_is_computed_on_read() {
    let app = spawn_app().await;
    let w = world(&app).await;
    accredit(&app, &w, &w.cab, "2020-01-01", "2099-12-31").await;
    let by = app.auth(&w.cab_certifier);
    for (n, expiry, want) in [
        ("E-1", day(-1), "expired"),
        ("E-2", day(10), "expiring_soon"),
        ("E-3", day(100), "valid"),
    ] {
        let mut body = cert(&w, &app, n, &day(-400));
        body["expiry_date"] = json!(expiry);
        let res = app.post("/api/v1/certificates", &by, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["status"], "valid");
        assert_eq!(res.body["effective_status"], want, "{n}");
    }
    let expired = app
        .get("/api/v1/certificates?status=expired", &Auth::None)
        .await;
    assert_eq!(expired.body["items"].as_array().map(Vec::len), Some(1));
    let valid = app
        .collect("/api/v1/certificates?status=valid", &Auth::None, 1)
        .await;
    assert_eq!(valid.len(), 2);
    let res = app
        .get("/api/v1/certificates?status=bogus", &Auth::None)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn gtin_lookup_finds_direct_and_brick_certificates() {
    let app = spawn_app().await;
    let w = world(&app).await;
    product(&app, &app.org_a, GTIN, Some("10000099")).await;
    product(&app, &app.org_a, GTIN_BRICK, Some(BRICK)).await;
    let by = app.auth(&w.cab_certifier);
    let mut direct = cert(&w, &app, "G-1", &day(-1));
    direct["unaccredited"] = json!(true);
    assert_eq!(
        app.post("/api/v1/certificates", &by, direct).await.status,
        StatusCode::CREATED
    );
    let mut brick = cert(&w, &app, "G-2", &day(-1));
    brick["gtins"] = json!([]);
    brick["gpc_brick"] = json!(BRICK);
    brick["unaccredited"] = json!(true);
    assert_eq!(
        app.post("/api/v1/certificates", &by, brick).await.status,
        StatusCode::CREATED
    );
    let mut other = cert(&w, &app, "G-3", &day(-1));
    other["holder_org_id"] = json!(app.org_b);
    other["gtins"] = json!([]);
    other["gpc_brick"] = json!(BRICK);
    other["unaccredited"] = json!(true);
    assert_eq!(
        app.post("/api/v1/certificates", &by, other).await.status,
        StatusCode::CREATED
    );
    let mut both = cert(&w, &app, "G-4", &day(-1));
    both["gtins"] = json!([GTIN_BRICK, "9506000134352"]);
    both["unaccredited"] = json!(true);
    let res = app.post("/api/v1/certificates", &by, both).await;
    assert_eq!(res.body["gtins"], json!([GTIN_BRICK]), "{}", res.text);

    let numbers = |res: &crate::helpers::Res| -> Vec<String> {
        res.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c["number"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let res = app
        .get(
            &format!("/api/v1/products/{GTIN}/certificates"),
            &Auth::None,
        )
        .await;
    assert_eq!(numbers(&res), vec!["G-1"]);
    let res = app
        .get("/api/v1/products/9506000134352/certificates", &Auth::None)
        .await;
    assert_eq!(numbers(&res), vec!["G-2", "G-4"]);
    let paged = app
        .collect(
            &format!("/api/v1/products/{GTIN_BRICK}/certificates"),
            &Auth::None,
            1,
        )
        .await;
    assert_eq!(paged.len(), 2);
    let res = app
        .get(
            &format!(
                "/api/v1/certificates?gtin={GTIN_BRICK}&holder={}",
                app.org_a
            ),
            &Auth::None,
        )
        .await;
    assert_eq!(numbers(&res), vec!["G-2", "G-4"]);
    let res = app
        .get("/api/v1/products/8934567890128/certificates", &Auth::None)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["gtin"]);
    let res = app
        .get("/api/v1/products/00614141000036/certificates", &Auth::None)
        .await;
    assert_eq!(res.body["items"], json!([]));
}

#[tokio::test]
async fn invalid_certificates_name_every_bad_field() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let by = app.auth(&w.cab_certifier);
    let mut body = cert(&w, &app, "V-1", "2026-01-10");
    body["document_sha256"] = json!("abc");
    body["gtins"] = json!(["8934567890128"]);
    body["expiry_date"] = json!("2026-01-01");
    body["document_url"] = json!("ftp://x");
    let res = app.post("/api/v1/certificates", &by, body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.fields(),
        vec!["gtins[0]", "expiry_date", "document_sha256", "document_url"]
    );
    let res = app
        .post(
            "/api/v1/certificates",
            &by,
            json!({"number": " ", "kind": "licence", "cab_org_id": w.cab, "holder_org_id": app.org_a,
                   "standards": [], "gpc_brick": "123", "issue_date": "10/01/2026"}),
        )
        .await;
    assert_eq!(
        res.fields(),
        vec!["number", "kind", "standards", "gpc_brick", "issue_date"]
    );
    let mut no_expiry = cert(&w, &app, "V-2", "2026-01-10");
    no_expiry["expiry_date"] = Value::Null;
    let res = app
        .post("/api/v1/certificates", &by, no_expiry.clone())
        .await;
    assert_eq!(res.fields(), vec!["expiry_date"]);
    no_expiry["kind"] = json!("test_report");
    no_expiry["cab_org_id"] = json!(w.cab);
    no_expiry["unaccredited"] = json!(true);
    let res = app.post("/api/v1/certificates", &by, no_expiry).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["expiry_date"], Value::Null);
    let mut to_holderless = cert(&w, &app, "V-3", "2026-01-10");
    to_holderless["holder_org_id"] = json!("missing");
    to_holderless["unaccredited"] = json!(true);
    let res = app.post("/api/v1/certificates", &by, to_holderless).await;
    assert_eq!(res.fields(), vec!["holder_org_id"]);
    let res = app.get("/api/v1/certificates/nope", &Auth::None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

/// `internationally_recognised` of every demo certificate, as `/api/v1/certificates/{id}` and as
/// `/api/v1/lookup` (for each GTIN it names) tell it: `(number, detail, lookup)`.
async fn recognition(d: &crate::demo::Demo) -> Vec<(String, bool, bool)> {
    let app = &d.app;
    let mut out = Vec::new();
    for c in app.collect("/api/v1/certificates", &Auth::None, 500).await {
        let id = c["id"].as_str().unwrap_or_default();
        let detail = app
            .get(&format!("/api/v1/certificates/{id}"), &Auth::None)
            .await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.text);
        let chain = &detail.body["accreditation_chain"];
        let by_detail = chain["internationally_recognised"]
            .as_bool()
            .unwrap_or(false);
        for gtin in c["gtins"].as_array().into_iter().flatten() {
            let gtin = gtin.as_str().unwrap_or_default();
            let res = crate::lookup::lookup_code(d, &format!("(01){gtin}")).await;
            let seen = res.body["certificates"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["id"] == c["id"])
                .unwrap_or_else(|| panic!("the lookup of {gtin} lists no {id}: {}", res.text));
            let by_lookup = seen["accreditation"]["internationally_recognised"]
                .as_bool()
                .unwrap_or(false);
            out.push((c["number"].to_string(), by_detail, by_lookup));
        }
    }
    out
}

/// One read model decides recognition: the certificate API and the lookup agree on every
/// demo certificate, also once the accreditation it was issued under is suspended (the API used
/// to keep reading the body's signature alone as recognition then).
#[tokio::test]
async fn the_certificate_api_and_the_lookup_agree_on_recognition() {
    let d = crate::demo::Demo::new().await;
    let before = recognition(&d).await;
    assert!(before.len() >= 3, "{before:?}");
    for (number, detail, lookup) in &before {
        assert_eq!(detail, lookup, "{number} before the suspension");
    }
    assert!(
        before.iter().any(|(_, recognised, _)| *recognised),
        "no demo certificate reads recognised: {before:?}"
    );

    let admin = d.app.auth(&d.app.admin);
    let accreditations = d.app.collect("/api/v1/accreditations", &admin, 500).await;
    assert!(!accreditations.is_empty());
    for a in &accreditations {
        let id = a["id"].as_str().unwrap_or_default();
        let res = d
            .app
            .patch(
                &format!("/api/v1/accreditations/{id}"),
                &admin,
                json!({"status": "suspended"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    }
    let after = recognition(&d).await;
    assert_eq!(after.len(), before.len());
    for (number, detail, lookup) in &after {
        assert_eq!(detail, lookup, "{number} after the suspension");
        assert!(
            !detail,
            "{number} still reads recognised under a suspended accreditation"
        );
    }
}
