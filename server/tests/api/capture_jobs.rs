//! Large EPCIS documents are captured in the background: the `202` answers at once with a
//! running job, which the client polls; a job whose server died reads as failed.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::epcis::document;
use crate::helpers::{Auth, TestApp, spawn_app};

/// `n` commissioning events of serials of a foreign GTIN.
fn commissioning(n: usize) -> Value {
    let events: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "type": "ObjectEvent", "action": "ADD",
                "eventTime": format!("2026-11-{:02}T{:02}:{:02}:00+07:00", 1 + i / 1440 % 28, i / 60 % 24, i % 60),
                "eventTimeZoneOffset": "+07:00",
                "epcList": [format!("urn:epc:id:sgtin:4012345.011111.J{i}")],
                "bizStep": "commissioning",
            })
        })
        .collect();
    document(events)
}

/// Polls the job at `location` until it stops running.
pub async fn finished(app: &TestApp, auth: &Auth, location: &str) -> Value {
    let start = Instant::now();
    loop {
        let res = app.get(location, auth).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        if res.body["running"] == false {
            return res.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "still running: {}",
            res.text
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_document_of_10000_events_is_captured_in_the_background_once() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let doc = commissioning(10_000);
    let res = app.post("/epcis/capture", &auth, doc.clone()).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.text);
    assert_eq!(res.body["running"], true, "{}", res.text);
    assert_eq!(res.body["success"], false, "not yet");
    assert_eq!(res.body["events"], 10_000);
    let location = res.header("location").unwrap_or_default().to_owned();
    let job = finished(&app, &auth, &location).await;
    assert_eq!(job["success"], true, "{job}");
    assert_eq!(job["stored"], 10_000, "{job}");

    // Every event is there: the last one, by its identifier.
    let last = app
        .get(
            "/epcis/events?MATCH_epc=urn:epc:id:sgtin:4012345.011111.J9999",
            &auth,
        )
        .await;
    let found = &last.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{}", last.text);

    // The same document again: nothing new, every event a duplicate.
    let again = app.post("/epcis/capture", &auth, doc).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.text);
    let again = finished(&app, &auth, again.header("location").unwrap_or_default()).await;
    assert_eq!(
        (again["stored"].clone(), again["duplicates"].clone()),
        (json!(0), json!(10_000))
    );

    // A small document is finished when the 202 answers.
    let small = app.post("/epcis/capture", &auth, commissioning(3)).await;
    assert_eq!(small.body["running"], false, "{}", small.text);
    assert_eq!(small.body["success"], true);
}

#[tokio::test]
async fn a_job_whose_server_stopped_reads_as_failed_with_nothing_stored() {
    let app = spawn_app().await;
    // A running job under a lease no live process holds (its lock file never existed, or no
    // PostgreSQL session holds the advisory lock).
    let lease = if app.is_postgres() {
        "pg:987654321"
    } else {
        "sqlite:gone"
    };
    let id = "01a24170-0000-7000-8000-000000000001";
    app.sql(&format!(
        "INSERT INTO epcis_captures (id, org_id, actor, behaviour, events, stored, duplicates, \
         success, errors, created_at, finished_at, running, lease) VALUES ('{id}', '{}', \
         'user:x', 'rollback', 5000, 0, 0, FALSE, '[]', '2026-12-04 08:00:00', \
         '2026-12-04 08:00:00', TRUE, '{lease}')",
        app.org_a
    ))
    .await;
    let job = finished(
        &app,
        &app.auth(&app.exporter),
        &format!("/epcis/capture/{id}"),
    )
    .await;
    assert_eq!(job["success"], false);
    assert_eq!(job["stored"], 0);
    let reason = job["errors"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("capture the document again"), "{job}");
}
