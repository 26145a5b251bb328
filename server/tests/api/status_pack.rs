//! `GET /api/v1/status-pack` on the demo data set: signed with the platform key, judged offline
//! as the lookup judges online, incremental with `since`, cached by ETag, serials by role.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use reqwest::StatusCode;
use serde_json::{Value, json};
use verdict::{Scanned, StatusPack};

use crate::{
    demo::Demo,
    helpers::{Auth, Res, TestApp, spawn_app},
    lookup::{codes, lookup_code},
};

fn b64(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(s).expect("base64url")
}

/// Checks the JWS over `header.payload` with the served JWKS, independently of the server's
/// own helpers; returns its header and pack.
async fn verified(app: &TestApp, res: &Res) -> (Value, StatusPack) {
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/jose"));
    assert_eq!(res.header("cache-control"), Some("private, no-cache"));
    let parts: Vec<&str> = res.text.split('.').collect();
    assert_eq!(parts.len(), 3, "compact JWS");
    let header: Value = serde_json::from_slice(&b64(parts[0])).expect("header");
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "gs1dpp-status-pack+jws");
    assert_eq!(header["cty"], "application/json");
    let jwks = app.get("/.well-known/jwks.json", &Auth::None).await;
    let jwk = jwks.body["keys"]
        .as_array()
        .and_then(|ks| ks.iter().find(|k| k["kid"] == header["kid"]))
        .cloned()
        .expect("kid in the JWKS");
    let x: [u8; 32] = b64(jwk["x"].as_str().unwrap_or_default())
        .try_into()
        .expect("32-byte key");
    let key = VerifyingKey::from_bytes(&x).expect("Ed25519 key");
    let sig = Signature::from_slice(&b64(parts[2])).expect("signature");
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .expect("signature verifies");
    let pack: StatusPack = serde_json::from_slice(&b64(parts[1])).expect("a status pack");
    (header, pack)
}

/// A scanned code and its parts: GTIN, SSCC, lot, serial.
type Case<'a> = (
    String,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

async fn admin_get(d: &Demo, path: &str) -> Res {
    d.app.get(path, &d.app.auth(&d.app.admin)).await
}

#[tokio::test]
async fn a_signed_pack_judges_every_demo_scan_as_the_lookup_does() {
    let d = Demo::new().await;
    let path = d.s("status_pack");
    assert!(path.contains("serials=true"), "{path}");
    let res = admin_get(&d, &path).await;
    let (_, pack) = verified(&d.app, &res).await;
    assert_eq!(pack.format, verdict::PACK_FORMAT);
    assert!(pack.scope.serials && pack.since.is_none());
    let coffee = d.gtin("valid_certificate");
    let pepper = d.gtin("recalled");
    let p = pack.product(&coffee).expect("the coffee is in the pack");
    assert!(!p.certificates.is_empty());
    assert!(
        p.serials
            .as_ref()
            .is_some_and(|s| s.contains_key(&d.s("serial")))
    );
    assert!(pack.product(&pepper).is_some_and(|p| !p.alerts.is_empty()));
    assert!(!pack.key_holders.is_empty());

    let (lot, recalled, serial) = (d.s("lot"), d.s("recalled_lot"), d.s("serial"));
    let sscc = d.s("sscc");
    let unknown = d.s("unknown_valid_gtin");
    let (withdrawn, uncertified) = (d.gtin("withdrawn_certificate"), d.gtin("uncertified"));
    // (code, GTIN, SSCC, lot, serial)
    let cases: [Case<'_>; 9] = [
        (
            format!("(01){coffee}(10){lot}"),
            Some(&coffee),
            None,
            Some(&lot),
            None,
        ),
        (
            format!("(01){coffee}(21){serial}"),
            Some(&coffee),
            None,
            None,
            Some(&serial),
        ),
        (
            format!("(01){coffee}(21)NEVER9"),
            Some(&coffee),
            None,
            None,
            Some("NEVER9"),
        ),
        (
            format!("(01){pepper}(10){recalled}"),
            Some(&pepper),
            None,
            Some(&recalled),
            None,
        ),
        (format!("(01){pepper}"), Some(&pepper), None, None, None),
        (
            format!("(01){withdrawn}"),
            Some(&withdrawn),
            None,
            None,
            None,
        ),
        (
            format!("(01){uncertified}"),
            Some(&uncertified),
            None,
            None,
            None,
        ),
        (format!("(00){sscc}"), None, Some(&sscc), None, None),
        (format!("(01){unknown}"), Some(&unknown), None, None, None),
    ];
    let now = Utc::now().naive_utc();
    for (code, gtin, other_key, lot, serial) in cases {
        let scanned = Scanned {
            gtin,
            other_key,
            lot,
            serial,
            expiry: None,
        };
        let online = lookup_code(&d, &code).await;
        let offline = verdict::evaluate(&pack.facts(&scanned, now, 72));
        let offline_codes: Vec<String> = offline
            .reasons
            .iter()
            .map(|r| r.code.to_owned())
            .filter(|c| !c.starts_with("offline_"))
            .collect();
        assert_eq!(offline_codes, codes(&online), "{code}");
        assert_eq!(
            serde_json::to_value(offline.verdict).unwrap_or_default(),
            online.body["verdict"],
            "{code}"
        );
        assert!(
            offline.reasons.iter().any(|r| r.code == "offline_status"),
            "{code}"
        );
    }
    // The COUNT that bounds the pack counts what the pack carries.
    let mut conn = d.app.state.pool.get().expect("connection");
    let scope = db::status_pack::Scope {
        org_id: pack.scope.org.clone(),
        gtin_prefix: None,
    };
    let counted = db::status_pack::count_products(&mut conn, &scope).expect("count");
    assert_eq!(usize::try_from(counted).ok(), Some(pack.products.len()));
    let serials = db::status_pack::count_serials(&mut conn, &scope, None).expect("count");
    let carried: usize = pack
        .products
        .iter()
        .filter_map(|p| p.serials.as_ref())
        .map(|s| s.len())
        .sum();
    assert_eq!(usize::try_from(serials).ok(), Some(carried));
}

#[tokio::test]
async fn since_gives_only_what_changed_after_and_the_etag_holds_still() {
    let d = Demo::new().await;
    let path = d.s("status_pack");
    let first = admin_get(&d, &path).await;
    let (_, full) = verified(&d.app, &first).await;
    let etag = first.header("etag").expect("etag").to_owned();
    // The same content, issued later, has the same tag: 304.
    let again = d
        .app
        .get_with(
            &path,
            &d.app.auth(&d.app.admin),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{}", again.text);
    assert_eq!(again.header("etag"), Some(etag.as_str()));

    let since = full.issued_at.to_rfc3339();
    let q = |s: &str| format!("{path}&since={}", s.replace('+', "%2B"));
    let (_, nothing) = verified(&d.app, &admin_get(&d, &q(&since)).await).await;
    assert!(nothing.products.is_empty(), "{:?}", nothing.products);
    assert_eq!(nothing.since, Some(full.issued_at));

    // Suspend the pepper's certificate: only the products it covers come back.
    let pepper = d.gtin("expired_certificate");
    let online = lookup_code(&d, &format!("(01){pepper}")).await.body;
    let id = online["certificates"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let res = d
        .app
        .post(
            &format!("/api/v1/certificates/{id}/status"),
            &d.app.auth(&d.app.admin),
            json!({"status": "withdrawn", "reason": "test"}),
        )
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    let (_, changed) = verified(&d.app, &admin_get(&d, &q(&since)).await).await;
    let gtins: Vec<&str> = changed.products.iter().map(|p| p.gtin.as_str()).collect();
    assert!(gtins.contains(&pepper.as_str()), "{gtins:?}");
    assert!(
        !gtins.contains(&d.gtin("valid_certificate").as_str()),
        "{gtins:?}"
    );
    // Merged over the full pack, it judges as the lookup now does.
    let mut merged = full.clone();
    merged.merge(changed).expect("merges");
    let scanned = Scanned {
        gtin: Some(&pepper),
        ..Default::default()
    };
    let offline = verdict::evaluate(&merged.facts(&scanned, Utc::now().naive_utc(), 72));
    let online = lookup_code(&d, &format!("(01){pepper}")).await.body;
    assert_eq!(
        serde_json::to_value(offline.verdict).unwrap_or_default(),
        online["verdict"]
    );
    // And the full pack's tag moved.
    let later = admin_get(&d, &path).await;
    assert_ne!(later.header("etag"), Some(etag.as_str()));
}

#[tokio::test]
async fn serials_go_to_admins_inspectors_and_an_exporter_for_its_own_org() {
    let app = spawn_app().await;
    let pack =
        |org: &str, serials: bool| format!("/api/v1/status-pack?org={org}&serials={serials}");
    for (who, org, want) in [
        (&app.exporter, &app.org_a, StatusCode::OK),
        (&app.exporter, &app.org_b, StatusCode::FORBIDDEN),
        (&app.certifier, &app.org_a, StatusCode::FORBIDDEN),
        (&app.inspector, &app.org_b, StatusCode::OK),
        (&app.admin, &app.org_b, StatusCode::OK),
    ] {
        let res = app.get(&pack(org, true), &app.auth(who)).await;
        assert_eq!(res.status, want, "{:?} {org}: {}", who.role, res.text);
        if want == StatusCode::FORBIDDEN {
            assert_eq!(res.header("content-type"), Some("application/problem+json"));
        }
    }
    // Without serials anyone signed in may have a pack, even of another organisation.
    let res = app
        .get(&pack(&app.org_b, false), &app.auth(&app.certifier))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = app.get(&pack(&app.org_a, false), &Auth::None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_bad_query_is_422_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.auth(&app.admin);
    for (query, field) in [
        ("gtin_prefix=", "query.gtin_prefix"),
        ("gtin_prefix=89a", "query.gtin_prefix"),
        ("gtin_prefix=123456789012345", "query.gtin_prefix"),
        ("serials=yes", "query.serials"),
        ("since=yesterday", "query.since"),
        ("since=2026-12-01", "query.since"),
        ("org=", "query.org"),
        ("org=no-such-org", "query.org"),
    ] {
        let res = app
            .get(&format!("/api/v1/status-pack?{query}"), &admin)
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            res.text
        );
        assert_eq!(res.fields(), [field], "{query}");
    }
    let ok = app
        .get(
            "/api/v1/status-pack?gtin_prefix=893&since=2026-12-01T08:00:00%2B07:00",
            &admin,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}
