//! Company prefixes: licensing and its refusals, status, and issuing GTINs, SSCCs and GLNs.

use gs1::keys::{CompanyPrefix, Gln, Gtin, Sscc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, gtin13, spawn_app};

fn cp(s: &str) -> CompanyPrefix {
    s.parse().expect("prefix")
}

async fn issue(
    app: &TestApp,
    auth: &Auth,
    id: &str,
    kind: &str,
    body: Value,
) -> crate::helpers::Res {
    app.post(&format!("/api/v1/prefixes/{id}/{kind}"), auth, body)
        .await
}

#[tokio::test]
async fn admins_license_and_revoke_members_read_their_own() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    let res = app
        .post(
            "/api/v1/prefixes",
            &admin,
            json!({"org_id": app.org_a, "prefix": " 8934567 "}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/prefixes/{id}").as_str())
    );
    assert_eq!(res.body["prefix"], "8934567");
    assert_eq!(res.body["status"], "active");
    assert_eq!(res.body["class"], "issued by GS1 Vietnam");
    assert_eq!(
        res.body["capacity"],
        json!({
            "gtin13": {"total": 100_000, "used": 0, "left": 100_000},
            "sscc": {"total": 10_000_000_000u64, "used": 0, "left": 10_000_000_000u64},
            "gln": {"total": 100_000, "used": 0, "left": 100_000},
        })
    );
    app.license(&app.org_b, "8930002").await;

    let mine = app
        .collect("/api/v1/prefixes", &app.auth(&app.exporter), 10)
        .await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], id.as_str());
    assert_eq!(app.collect("/api/v1/prefixes", &admin, 1).await.len(), 2);
    let filtered = app
        .collect(
            &format!("/api/v1/prefixes?org_id={}", app.org_b),
            &admin,
            10,
        )
        .await;
    assert_eq!(filtered.len(), 1);
    let res = app
        .get(
            &format!("/api/v1/prefixes?org_id={}", app.org_b),
            &app.auth(&app.exporter),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let path = format!("/api/v1/prefixes/{id}");
    assert_eq!(
        app.get(&path, &app.auth(&app.exporter)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&path, &app.auth(&app.exporter_b)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            "/api/v1/prefixes",
            &app.auth(&app.exporter),
            json!({"org_id": app.org_a, "prefix": "8939999"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let res = app.patch(&path, &admin, json!({"status": "paused"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["status"]);
    let res = app.patch(&path, &admin, json!({"status": "revoked"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "revoked");
    let ex = app.auth(&app.exporter);
    for kind in ["gtins", "ssccs", "glns"] {
        let res = issue(&app, &ex, &id, kind, json!({})).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{kind}: {}", res.text);
        assert!(
            res.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("revoked")
        );
    }
    app.patch(&path, &admin, json!({"status": "active"})).await;
    let res = issue(&app, &ex, &id, "gtins", json!({})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        app.patch(&path, &ex, json!({"status": "revoked"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn overlapping_special_and_misplaced_prefixes_are_refused() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    app.license(&app.org_a, "8934567").await;
    let license = |org: &str, prefix: &str| {
        app.post(
            "/api/v1/prefixes",
            &admin,
            json!({"org_id": org, "prefix": prefix}),
        )
    };
    // Overlap either way, or the same prefix, for any organisation.
    for (prefix, why) in [
        ("893456", "would contain the licensed prefix 8934567"),
        ("89345678", "lies inside the licensed prefix 8934567"),
        ("893456712345", "lies inside the licensed prefix 8934567"),
        ("8934567", "is already licensed"),
    ] {
        let res = license(&app.org_b, prefix).await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{prefix}: {}", res.text);
        assert!(
            res.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(why),
            "{prefix}: {}",
            res.text
        );
    }
    assert_eq!(
        license(&app.org_b, "8934568").await.status,
        StatusCode::CREATED
    );

    // Ranges the GS1 prefix table keeps out of licensing.
    for (prefix, class) in [
        ("0412345", "restricted circulation within a company"),
        ("2001234", "restricted circulation within a region"),
        ("9521234", "demonstration number"),
        ("9781234", "book (ISBN)"),
        ("9771234", "serial publication (ISSN)"),
        ("9790123", "printed music (ISMN)"),
        ("9811234", "coupon"),
        ("9912345", "coupon"),
        ("9801234", "refund receipt"),
        ("0501234", "reserved by GS1"),
        ("1501234", "unassigned GS1 prefix"),
    ] {
        let res = license(&app.org_a, prefix).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{prefix}: {}",
            res.text
        );
        assert_eq!(res.fields(), vec!["prefix"]);
        assert!(res.text.contains(class), "{prefix}: {}", res.text);
    }
    for bad in ["893", "8934567890123", "89345a7", ""] {
        let res = license(&app.org_a, bad).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert_eq!(res.fields(), vec!["prefix"]);
    }

    // Only exporters hold prefixes.
    let res = license(&app.admin.org_id, "8935000").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["org_id"]);
    assert!(res.text.contains("not to a authority"), "{}", res.text);
    let res = license("no-such-org", "8935000").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["org_id"]);
}

#[tokio::test]
async fn gtins_are_issued_in_order_skipping_those_asked_for_and_never_twice() {
    let app = spawn_app().await;
    let id = app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);

    let res = issue(
        &app,
        &ex,
        &id,
        "gtins",
        json!({"gtin": gtin13("8934567", 1)[1..].to_owned(), "description": "Cà phê 500 g"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["key"], gtin13("8934567", 1));
    assert_eq!(res.body["kind"], "gtin");
    assert_eq!(res.body["reference"], 1);
    assert_eq!(res.body["description"], "Cà phê 500 g");
    assert_eq!(
        res.body["capacity"],
        json!({"total": 100_000, "used": 1, "left": 99_999})
    );

    // No body at all: the next free GTIN-13.
    let res = app
        .req(
            Method::POST,
            &format!("/api/v1/prefixes/{id}/gtins"),
            &ex,
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["key"], gtin13("8934567", 0));
    let res = issue(&app, &ex, &id, "gtins", json!({})).await;
    assert_eq!(
        res.body["key"],
        gtin13("8934567", 2),
        "reference 1 is skipped"
    );
    assert_eq!(res.body["capacity"]["used"], 3);

    // The same item reference at another packaging level uses no more capacity.
    let case = Gtin::parse(&gtin13("8934567", 2)).expect("gtin");
    let case = case.with_indicator(1).expect("gtin-14").to_string();
    let res = issue(&app, &ex, &id, "gtins", json!({"gtin": case})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["capacity"]["used"], 3);

    // Refusals: issued already, outside the prefix, malformed.
    let res = issue(
        &app,
        &ex,
        &id,
        "gtins",
        json!({"gtin": gtin13("8934567", 0)}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(res.text.contains("never issued twice"));
    let res = issue(
        &app,
        &ex,
        &id,
        "gtins",
        json!({"gtin": gtin13("8934568", 5)}),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), vec!["gtin"]);
    assert!(res.text.contains("does not lie in company prefix 8934567"));
    let res = issue(&app, &ex, &id, "gtins", json!({"gtin": "8934567000011"})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["gtin"]);
    let res = issue(
        &app,
        &ex,
        &id,
        "gtins",
        json!({"gtin": gtin13("8934567", 9), "colour": "red"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .req_with(
            Method::POST,
            &format!("/api/v1/prefixes/{id}/gtins"),
            &ex,
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let res = app
        .post_raw(
            &format!("/api/v1/prefixes/{id}/gtins"),
            &ex,
            "application/json",
            "{".into(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    // Foreign organisations and other roles may not issue.
    for who in [&app.exporter_b, &app.certifier, &app.inspector] {
        let res = issue(&app, &app.auth(who), &id, "gtins", json!({})).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let res = issue(&app, &app.auth(&app.admin), &id, "gtins", json!({})).await;
    assert_eq!(res.status, StatusCode::CREATED, "admins may issue");

    let keys = app
        .collect(&format!("/api/v1/prefixes/{id}/keys?kind=gtin"), &ex, 2)
        .await;
    let got: Vec<&str> = keys.iter().filter_map(|k| k["key"].as_str()).collect();
    assert_eq!(got.len(), 6);
    assert_eq!(got[0], gtin13("8934567", 1));
    assert_eq!(
        app.get(&format!("/api/v1/prefixes/{id}/keys?kind=isbn"), &ex)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/prefixes/{id}/keys"),
            &app.auth(&app.exporter_b)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let prefix = app.get(&format!("/api/v1/prefixes/{id}"), &ex).await;
    assert_eq!(prefix.body["capacity"]["gtin13"]["used"], 5);
}

#[tokio::test]
async fn a_twelve_digit_prefix_holds_one_gtin_and_one_gln() {
    let app = spawn_app().await;
    let id = app.license(&app.org_a, "893456789012").await;
    let ex = app.auth(&app.exporter);
    let res = issue(&app, &ex, &id, "gtins", json!({})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["key"], gtin13("893456789012", 0));
    assert_eq!(
        res.body["capacity"],
        json!({"total": 1, "used": 1, "left": 0})
    );
    let res = issue(&app, &ex, &id, "gtins", json!({})).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
    assert!(
        res.text.contains("no GTIN-13 item reference left"),
        "{}",
        res.text
    );

    let res = issue(
        &app,
        &ex,
        &id,
        "glns",
        json!({"description": "Kho Bình Dương"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let gln = res.body["key"].as_str().unwrap_or_default();
    assert_eq!(gln, cp("893456789012").gln(0).expect("gln").to_string());
    assert!(Gln::parse(gln).is_ok());
    assert_eq!(res.body["capacity"]["left"], 0);
    let res = issue(&app, &ex, &id, "glns", json!({})).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_eleven_digit_prefix_fills_up_around_a_gtin_asked_for() {
    let app = spawn_app().await;
    let id = app.license(&app.org_a, "89345678901").await;
    let ex = app.auth(&app.exporter);
    let res = issue(
        &app,
        &ex,
        &id,
        "gtins",
        json!({"gtin": gtin13("89345678901", 9)}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    for r in 0..9 {
        let res = issue(&app, &ex, &id, "gtins", json!({})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        assert_eq!(res.body["key"], gtin13("89345678901", r));
        assert_eq!(res.body["capacity"]["left"], 8 - r);
    }
    let res = issue(&app, &ex, &id, "gtins", json!({})).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text);
}

#[tokio::test]
async fn ssccs_fill_each_extension_digit_band_in_order() {
    let app = spawn_app().await;
    let prefix = "893456789012";
    let id = app.license(&app.org_a, prefix).await;
    let ex = app.auth(&app.exporter);
    let p = cp(prefix);
    let sscc = |e: u8, serial: u64| p.sscc(e, serial).expect("sscc").to_string();

    let res = issue(&app, &ex, &id, "ssccs", json!({"extension_digit": 9})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["key"], sscc(9, 0));
    assert_eq!(
        res.body["capacity"],
        json!({"total": 100_000, "used": 1, "left": 99_999})
    );
    let key = res.body["key"].as_str().unwrap_or_default();
    assert_eq!(Sscc::parse(key).map(|s| s.extension_digit()), Ok(9));

    let next = |body: Value| issue(&app, &ex, &id, "ssccs", body);
    assert_eq!(next(json!({})).await.body["key"], sscc(0, 0));
    assert_eq!(
        next(json!({"extension_digit": 0})).await.body["key"],
        sscc(0, 1)
    );
    assert_eq!(next(json!({})).await.body["key"], sscc(0, 2));
    assert_eq!(
        next(json!({"extension_digit": 9})).await.body["key"],
        sscc(9, 1)
    );
    assert_eq!(
        next(json!({"extension_digit": 3, "description": "pallet"}))
            .await
            .body["key"],
        sscc(3, 0)
    );
    let res = next(json!({"extension_digit": 10})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), vec!["extension_digit"]);

    let keys = app
        .collect(&format!("/api/v1/prefixes/{id}/keys?kind=sscc"), &ex, 100)
        .await;
    assert_eq!(keys.len(), 6);
    let gtins = app
        .collect(&format!("/api/v1/prefixes/{id}/keys?kind=gtin"), &ex, 100)
        .await;
    assert!(gtins.is_empty());
}

#[tokio::test]
async fn concurrent_issues_never_hand_out_the_same_gtin() {
    let app = spawn_app().await;
    let id = app.license(&app.org_a, "8934567").await;
    let token = app.token_with_exp(&app.exporter, 600);
    let mut handles = Vec::new();
    for _ in 0..20 {
        let request = app
            .client
            .post(format!("{}/api/v1/prefixes/{id}/gtins", app.base))
            .bearer_auth(token.clone())
            .json(&json!({}));
        handles.push(tokio::spawn(async move {
            let res = request.send().await.expect("send");
            let status = res.status();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            (status, body)
        }));
    }
    let mut keys = Vec::new();
    for h in handles {
        let (status, body) = h.await.expect("task");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        keys.push(body["key"].as_str().unwrap_or_default().to_owned());
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 20);
    assert_eq!(keys.last(), Some(&gtin13("8934567", 19)));
}
