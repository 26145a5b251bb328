//! Fixtures of the certificates area: organisations, certifiers, accreditations, certificate
//! bodies, product rows, and the auth matrix's requests for this area's routes.

use chrono::{Days, NaiveDate, Utc};
use domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Account, TestApp};

pub const GTIN: &str = "08934567890120";
pub const GTIN_BRICK: &str = "09506000134352";
pub const BRICK: &str = "10000025";
pub const STD: &str = "TCVN 7087:2013";

/// The organisations and certifiers every test here needs.
pub struct World {
    pub boa: String,
    pub cab: String,
    pub cab2: String,
    pub boa_certifier: Account,
    pub cab_certifier: Account,
    pub cab2_certifier: Account,
}

pub fn day(offset: i64) -> String {
    let today = Utc::now().date_naive();
    let d = if offset >= 0 {
        today.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.unwrap_or(NaiveDate::MIN).to_string()
}

pub fn id(res: &crate::helpers::Res) -> String {
    res.body["id"].as_str().unwrap_or_default().to_owned()
}

pub async fn org(app: &TestApp, kind: &str, name: &str) -> String {
    let res = app
        .post(
            "/api/v1/orgs",
            &app.auth(&app.admin),
            json!({"kind": kind, "name": name, "country": "VN"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    id(&res)
}

pub async fn certifier(app: &TestApp, org: &str, email: &str) -> Account {
    let res = app
        .post(
            &format!("/api/v1/orgs/{org}/users"),
            &app.auth(&app.admin),
            json!({"email": email, "password": "long enough password", "role": "certifier"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    Account {
        id: id(&res),
        org_id: org.to_owned(),
        role: Role::Certifier,
    }
}

pub async fn world(app: &TestApp) -> World {
    let boa = org(app, "accreditation_body", "BoA").await;
    let cab = org(app, "certification_body", "Quacert").await;
    let cab2 = org(app, "testing_lab", "Quatest 3").await;
    World {
        boa_certifier: certifier(app, &boa, "assessor@boa.vn").await,
        cab_certifier: certifier(app, &cab, "auditor@quacert.vn").await,
        cab2_certifier: certifier(app, &cab2, "analyst@quatest.vn").await,
        boa,
        cab,
        cab2,
    }
}

/// Accredits `cab` against ISO/IEC 17065 for [`STD`] from `from` to `until`.
pub async fn accredit(app: &TestApp, w: &World, cab: &str, from: &str, until: &str) -> String {
    let res = app
        .post(
            "/api/v1/accreditations",
            &app.auth(&app.admin),
            json!({"body_org_id": w.boa, "cab_org_id": cab, "number": format!("VICAS {from}"),
                   "standard": "ISO/IEC 17065", "scope_standards": [STD, "QCVN 8-2:2011/BYT"],
                   "valid_from": from, "valid_until": until}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    id(&res)
}

pub fn cert(w: &World, app: &TestApp, number: &str, issue: &str) -> Value {
    json!({"number": number, "kind": "certificate", "cab_org_id": w.cab, "holder_org_id": app.org_a,
           "standards": [STD], "gtins": [GTIN], "issue_date": issue, "expiry_date": day(400),
           "document_sha256": "AB".repeat(32), "document_url": "https://quacert.vn/c/1.pdf"})
}

/// Inserts a product row directly: the products API is built elsewhere.
pub async fn product(app: &TestApp, org: &str, gtin: &str, brick: Option<&str>) {
    let brick = brick.map_or("NULL".to_owned(), |b| format!("'{b}'"));
    app.sql(&format!(
        "INSERT INTO products (id, org_id, gtin, name_vi, name_en, gpc_brick, target_markets, \
         standards, status, created_at, updated_at) VALUES ('{}', '{org}', '{gtin}', 'Cà phê', \
         'Coffee', {brick}, '[]', '[]', 'active', '2026-11-22 00:00:00', '2026-11-22 00:00:00')",
        uuid::Uuid::now_v7()
    ))
    .await;
}

/// The matrix's path id and body for this area's routes, building what each call needs as admin.
pub async fn matrix_fixture(
    app: &TestApp,
    method: &str,
    path: &str,
    n: u32,
) -> Option<(String, Option<Value>)> {
    let sig_body = json!({"arrangement": "iaf_mla", "scope": "product_certification", "status": "signatory", "valid_from": "2020-01-01"});
    let admin = app.auth(&app.admin);
    let accreditation = || async {
        let boa = org(app, "accreditation_body", &format!("BoA {n}")).await;
        let cab = org(app, "certification_body", &format!("CAB {n}")).await;
        let body = json!({"body_org_id": boa, "cab_org_id": cab, "number": format!("A-{n}"),
            "standard": "ISO/IEC 17065", "scope_standards": [STD],
            "valid_from": "2020-01-01", "valid_until": "2099-12-31"});
        (body, cab)
    };
    let certificate = |cab: String| {
        json!({"number": format!("M-{n}"), "kind": "test_report", "cab_org_id": cab,
               "holder_org_id": app.org_a, "standards": [STD], "gtins": [GTIN],
               "issue_date": "2026-01-01", "unaccredited": true})
    };
    let made = |res: crate::helpers::Res| {
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        id(&res)
    };
    Some(match (method, path) {
        ("POST", "/api/v1/accreditation-bodies/{id}/signatures") => (
            org(app, "accreditation_body", &format!("BoA {n}")).await,
            Some(sig_body),
        ),
        ("PATCH", "/api/v1/signatures/{id}") => {
            let boa = org(app, "accreditation_body", &format!("BoA {n}")).await;
            let path = format!("/api/v1/accreditation-bodies/{boa}/signatures");
            let sig = made(app.post(&path, &admin, sig_body).await);
            (sig, Some(json!({"status": "suspended"})))
        }
        ("POST", "/api/v1/accreditations") => (String::new(), Some(accreditation().await.0)),
        ("GET" | "PATCH", "/api/v1/accreditations/{id}") => {
            let body = accreditation().await.0;
            let acc = made(app.post("/api/v1/accreditations", &admin, body).await);
            (
                acc,
                (method == "PATCH").then(|| json!({"status": "suspended"})),
            )
        }
        ("POST", "/api/v1/certificates") => {
            let cab = org(app, "testing_lab", &format!("Lab {n}")).await;
            (String::new(), Some(certificate(cab)))
        }
        ("GET", "/api/v1/certificates/{id}") | ("POST", "/api/v1/certificates/{id}/status") => {
            let cab = org(app, "testing_lab", &format!("Lab {n}")).await;
            let cert = made(
                app.post("/api/v1/certificates", &admin, certificate(cab))
                    .await,
            );
            let body = json!({"status": "suspended", "reason": "matrix"});
            (cert, (method == "POST").then_some(body))
        }
        ("GET", "/api/v1/products/{gtin}/certificates") => (GTIN.to_owned(), None),
        _ => return None,
    })
}
