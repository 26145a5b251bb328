//! Market surveillance: inspections recorded by authority inspectors, alerts raised and lifted.

use domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{Account, Auth, PASSWORD, TestApp, spawn_app},
    passports::{GTIN_A, GTIN_B, insert_product},
};

/// An inspector of a new authority organisation.
pub(crate) async fn authority_inspector(app: &TestApp) -> Account {
    let admin = app.auth(&app.admin);
    let org = app
        .post(
            "/api/v1/orgs",
            &admin,
            json!({"kind": "authority", "name": "QLTT TP.HCM", "country": "VN"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.text);
    let org_id = org.body["id"].as_str().unwrap_or_default().to_owned();
    let user = app
        .post(
            &format!("/api/v1/orgs/{org_id}/users"),
            &admin,
            json!({"email": "inspector@qltt.gov.vn", "password": PASSWORD, "role": "inspector"}),
        )
        .await;
    assert_eq!(user.status, StatusCode::CREATED, "{}", user.text);
    Account {
        id: user.body["id"].as_str().unwrap_or_default().to_owned(),
        org_id,
        role: Role::Inspector,
    }
}

pub(crate) fn inspection(code: &str, outcome: &str) -> Value {
    json!({"code": code, "place": "Cat Lai port, HCMC", "outcome": outcome})
}

const DL_A: &str = "https://id.gs1.org/01/09506000134352/10/L1/21/S7";

#[tokio::test]
async fn authority_inspectors_record_inspections_from_any_code() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    let mut body = inspection(DL_A, "suspected_counterfeit");
    body["notes"] = json!("label misprinted");
    body["evidence_sha256"] =
        json!("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08");
    body["inspected_at"] = json!("2026-11-20T08:30:00+07:00");
    let res = app.post("/api/v1/inspections", &insp, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["gtin"], GTIN_A);
    assert_eq!(res.body["lot"], "L1");
    assert_eq!(res.body["serial"], "S7");
    assert_eq!(res.body["inspected_at"], "2026-11-20T01:30:00.000000Z");
    assert_eq!(
        res.body["evidence_sha256"],
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    );
    let id = res.body["id"].as_str().unwrap_or_default();
    let read = app.get(&format!("/api/v1/inspections/{id}"), &insp).await;
    assert_eq!(read.body, res.body);
    let typed = app
        .post(
            "/api/v1/inspections",
            &insp,
            inspection("(01)09520123456788", "compliant"),
        )
        .await;
    assert_eq!(typed.status, StatusCode::CREATED, "{}", typed.text);
    assert_eq!(typed.body["gtin"], GTIN_B);
    assert_eq!(typed.body["lot"], Value::Null);

    let all = app.collect("/api/v1/inspections", &insp, 1).await;
    assert_eq!(all.len(), 2);
    let admin = app.auth(&app.admin);
    let only = app
        .collect("/api/v1/inspections?outcome=compliant", &admin, 10)
        .await;
    assert_eq!(only.len(), 1);
    let only = app
        .collect(&format!("/api/v1/inspections?gtin={GTIN_A}"), &admin, 10)
        .await;
    assert_eq!(only[0]["id"], id);
}

#[tokio::test]
async fn invalid_inspections_name_the_field_and_the_parser_reason() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    let res = app
        .post(
            "/api/v1/inspections",
            &insp,
            inspection("09506000134353", "fine"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), ["code", "outcome"]);
    assert!(
        res.body["errors"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("check digit")),
        "{}",
        res.text
    );
    let mut body = inspection("hello world", "compliant");
    body["place"] = json!("  ");
    body["evidence_sha256"] = json!("abc");
    body["inspected_at"] = json!("yesterday");
    let res = app.post("/api/v1/inspections", &insp, body).await;
    assert_eq!(
        res.fields(),
        ["code", "place", "evidence_sha256", "inspected_at"]
    );
    let res = app.get("/api/v1/inspections?outcome=bad", &insp).await;
    assert_eq!(res.fields(), ["outcome"]);
}

#[tokio::test]
async fn only_authority_inspectors_record_and_exporters_see_their_own_products() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    insert_product(&app, &app.org_b, GTIN_B, "Tieu").await;
    let insp = app.auth(&authority_inspector(&app).await);
    for who in [&app.inspector, &app.exporter, &app.certifier] {
        let res = app
            .post(
                "/api/v1/inspections",
                &app.auth(who),
                inspection(DL_A, "compliant"),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let on_a = app
        .post(
            "/api/v1/inspections",
            &insp,
            inspection(GTIN_A, "non_compliant"),
        )
        .await;
    let on_b = app
        .post(
            "/api/v1/inspections",
            &insp,
            inspection(GTIN_B, "compliant"),
        )
        .await;
    let ex = app.auth(&app.exporter);
    let seen = app.collect("/api/v1/inspections", &ex, 10).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["id"], on_a.body["id"]);
    let id_b = on_b.body["id"].as_str().unwrap_or_default();
    let res = app.get(&format!("/api/v1/inspections/{id_b}"), &ex).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let id_a = on_a.body["id"].as_str().unwrap_or_default();
    let res = app.get(&format!("/api/v1/inspections/{id_a}"), &ex).await;
    assert_eq!(res.status, StatusCode::OK);
    let res = app
        .get("/api/v1/inspections", &app.auth(&app.certifier))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.get("/api/v1/inspections/nope", &insp).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let audit = app
        .collect("/api/v1/audit", &app.auth(&app.admin), 500)
        .await;
    let n = audit
        .iter()
        .filter(|e| e["action"] == "inspection.create")
        .count();
    assert_eq!(n, 2, "one audit entry per inspection");
}

fn recall() -> Value {
    json!({
        "kind": "recall",
        "source": "wto_notification",
        "reference": "G/TBT/N/VNM/123",
        "title": "Aflatoxin above limits",
        "description": "Lots L1 and L2 exceed the EU limit.",
        "targets": [{"gtin": GTIN_A, "lots": ["L1", "L2", "L1"]}, {"gtin": GTIN_B}]
    })
}

#[tokio::test]
async fn alerts_target_products_and_lots_and_are_public() {
    let app = spawn_app().await;
    insert_product(&app, &app.org_a, GTIN_A, "Ca phe").await;
    insert_product(&app, &app.org_b, GTIN_B, "Tieu").await;
    let insp = app.auth(&authority_inspector(&app).await);
    let res = app.post("/api/v1/alerts", &insp, recall()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["status"], "active");
    assert_eq!(
        res.body["targets"],
        json!([{"gtin": GTIN_A, "lots": ["L1", "L2"]}, {"gtin": GTIN_B, "lots": []}])
    );
    let id = res.body["id"].as_str().unwrap_or_default().to_owned();
    let read = app.get(&format!("/api/v1/alerts/{id}"), &Auth::None).await;
    assert_eq!(read.body, res.body);
    let warning = json!({"kind": "safety_warning", "source": "certifier", "title": "Certificate suspended", "targets": [{"gtin": GTIN_B}]});
    let res = app
        .post("/api/v1/alerts", &app.auth(&app.certifier), warning)
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

    let on_a = app
        .collect(&format!("/api/v1/alerts?gtin={GTIN_A}"), &Auth::None, 10)
        .await;
    assert_eq!(on_a.len(), 1);
    assert_eq!(app.collect("/api/v1/alerts", &Auth::None, 1).await.len(), 2);
    let mine = app
        .collect(
            &format!("/api/v1/orgs/{}/alerts", app.org_a),
            &app.auth(&app.exporter),
            10,
        )
        .await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], id.as_str());
    let theirs = app
        .collect(
            &format!("/api/v1/orgs/{}/alerts", app.org_b),
            &app.auth(&app.exporter_b),
            10,
        )
        .await;
    assert_eq!(theirs.len(), 2);
    let res = app
        .get(
            &format!("/api/v1/orgs/{}/alerts", app.org_a),
            &app.auth(&app.exporter_b),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn exporters_cannot_raise_and_bad_alerts_name_their_fields() {
    let app = spawn_app().await;
    for who in [&app.exporter, &app.inspector] {
        let res = app.post("/api/v1/alerts", &app.auth(who), recall()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}: {}", res.text);
    }
    let cert = app.auth(&app.certifier);
    let mut body = recall();
    body["source"] = json!("authority");
    let res = app.post("/api/v1/alerts", &cert, body).await;
    assert_eq!(res.fields(), ["source"]);
    let bad = json!({"kind": "ban", "source": "rumour", "title": "", "targets": [{"gtin": "123", "lots": [""]}]});
    let res = app.post("/api/v1/alerts", &cert, bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        res.fields(),
        [
            "kind",
            "source",
            "title",
            "targets[0].gtin",
            "targets[0].lots[0]"
        ]
    );
    let empty = json!({"kind": "recall", "source": "certifier", "title": "x", "targets": []});
    assert_eq!(
        app.post("/api/v1/alerts", &cert, empty).await.fields(),
        ["targets"]
    );
    let res = app.get("/api/v1/alerts?status=gone", &Auth::None).await;
    assert_eq!(res.fields(), ["status"]);
    assert_eq!(
        app.get("/api/v1/alerts/nope", &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_raising_organisation_lifts_an_alert_once() {
    let app = spawn_app().await;
    let insp = app.auth(&authority_inspector(&app).await);
    let res = app.post("/api/v1/alerts", &insp, recall()).await;
    let id = res.body["id"].as_str().unwrap_or_default().to_owned();
    let lift = format!("/api/v1/alerts/{id}/lift");
    let reason = json!({"reason": "lab retest within limits"});
    for who in [&app.certifier, &app.exporter] {
        let res = app.post(&lift, &app.auth(who), reason.clone()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let res = app.post(&lift, &insp, json!({"reason": " "})).await;
    assert_eq!(res.fields(), ["reason"]);
    let res = app.post(&lift, &insp, reason.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["status"], "lifted");
    assert_eq!(res.body["lift_reason"], "lab retest within limits");
    let again = app.post(&lift, &app.auth(&app.admin), reason).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let lifted = app
        .collect("/api/v1/alerts?status=lifted", &Auth::None, 10)
        .await;
    assert_eq!(lifted.len(), 1);
    assert!(
        app.collect("/api/v1/alerts?status=active", &Auth::None, 10)
            .await
            .is_empty()
    );
    let audit = app
        .collect("/api/v1/audit", &app.auth(&app.admin), 500)
        .await;
    let actions: Vec<&str> = audit.iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.ends_with(&["alert.raise", "alert.lift"]),
        "{actions:?}"
    );
}

/// What the auth matrix needs for the passport and surveillance routes.
pub struct Fixtures {
    inspection_a: String,
    inspection_b: String,
    alert: String,
}

/// Products of A and B, each with a published product, lot and serial passport, an inspection
/// of each, and a public alert.
pub async fn fixtures(app: &TestApp) -> Fixtures {
    insert_product(app, &app.org_a, GTIN_A, "Ca phe").await;
    insert_product(app, &app.org_b, GTIN_B, "Tieu").await;
    let admin = app.auth(&app.admin);
    for gtin in [GTIN_A, GTIN_B] {
        for tail in ["", "/lots/L1", "/serials/S1"] {
            let p = format!("/api/v1/products/{gtin}{tail}/passport");
            let res = app
                .req(reqwest::Method::PUT, &p, &admin, Some(json!({})))
                .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.text);
            let res = app.post(&format!("{p}/publish"), &admin, json!({})).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
        }
    }
    let mut ids = Vec::new();
    for gtin in [GTIN_A, GTIN_B] {
        let res = app
            .post("/api/v1/inspections", &admin, inspection(gtin, "compliant"))
            .await;
        ids.push(res.body["id"].as_str().unwrap_or_default().to_owned());
    }
    let alert = app.post("/api/v1/alerts", &admin, recall()).await;
    Fixtures {
        inspection_b: ids.pop().unwrap_or_default(),
        inspection_a: ids.pop().unwrap_or_default(),
        alert: alert.body["id"].as_str().unwrap_or_default().to_owned(),
    }
}

/// The path and body for one of this area's routes, or `None` for other routes.
pub async fn matrix_request(
    app: &TestApp,
    fx: &Fixtures,
    method: &str,
    path: &str,
    own: bool,
    n: u32,
) -> Option<(String, Option<Value>)> {
    let gtin = if own { GTIN_A } else { GTIN_B };
    if path.contains("/passport") {
        let url = path
            .replace("{gtin}", gtin)
            .replace("{lot}", "L1")
            .replace("{serial}", "S1")
            .replace("{n}", "1");
        let body = (method == "PUT").then(|| json!({}));
        return Some((url, body));
    }
    let alert_body = json!({"kind": "recall", "source": "certifier", "title": format!("t{n}"), "targets": [{"gtin": GTIN_A}]});
    match (method, path) {
        ("POST", "/api/v1/inspections") => {
            Some((path.to_owned(), Some(inspection(GTIN_A, "compliant"))))
        }
        ("GET", "/api/v1/inspections/{id}") => {
            let id = if own {
                &fx.inspection_a
            } else {
                &fx.inspection_b
            };
            Some((path.replace("{id}", id), None))
        }
        ("POST", "/api/v1/alerts") => Some((path.to_owned(), Some(alert_body))),
        ("GET", "/api/v1/alerts/{id}") => Some((path.replace("{id}", &fx.alert), None)),
        ("POST", "/api/v1/alerts/{id}/lift") => {
            // Own: raised by organisation A's certifier; foreign: raised by the platform.
            let raiser = if own { &app.certifier } else { &app.admin };
            let res = app
                .post("/api/v1/alerts", &app.auth(raiser), alert_body)
                .await;
            let id = res.body["id"].as_str().unwrap_or_default();
            Some((
                path.replace("{id}", id),
                Some(json!({"reason": "withdrawn"})),
            ))
        }
        _ => None,
    }
}
