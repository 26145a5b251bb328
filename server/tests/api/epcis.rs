//! `/epcis/`: capture (documents and single events), one stored copy per event, error
//! behaviour, who sees what, the XML binding, the demo journey; the query language and error
//! declarations are in `epcis_query_language`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Auth, TestApp, gtin13, spawn_app};

/// One of GS1's example documents.
pub fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../shared/reference/epcis/examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("JSON")
}

/// An EPCIS document of `events`.
pub fn document(events: Vec<Value>) -> Value {
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2026-12-03T08:00:00+07:00",
        "epcisBody": {"eventList": events},
    })
}

/// An ObjectEvent observing `epc` on day `day` of November 2026.
pub fn observe(day: u32, epc: &str, step: &str) -> Value {
    json!({
        "type": "ObjectEvent", "action": "OBSERVE",
        "eventTime": format!("2026-11-{day:02}T08:00:00+07:00"), "eventTimeZoneOffset": "+07:00",
        "epcList": [epc], "bizStep": step,
    })
}

/// Captures `doc`; the capture job, read back.
pub async fn capture(app: &TestApp, auth: &Auth, doc: Value, behaviour: Option<&str>) -> Value {
    let headers: Vec<(&str, &str)> = behaviour
        .map(|b| vec![("GS1-Capture-Error-Behaviour", b)])
        .unwrap_or_default();
    let res = app
        .req_with(Method::POST, "/epcis/capture", auth, Some(doc), &headers)
        .await;
    assert_eq!(res.status.as_u16(), 202, "{}", res.text);
    assert_eq!(res.header("gs1-epcis-version"), Some("2.0.0"));
    let location = res.header("location").expect("Location").to_owned();
    if res.body["running"] == true {
        // A large document is captured in the background (capture_jobs.rs).
        return crate::capture_jobs::finished(app, auth, &location).await;
    }
    let job = app.get(&location, auth).await;
    assert_eq!(job.status.as_u16(), 200, "{}", job.text);
    assert_eq!(job.body, res.body, "the job read back is the one answered");
    job.body
}

/// The events `GET /epcis/events?{qs}` answers.
pub async fn query(app: &TestApp, auth: &Auth, qs: &str) -> Vec<Value> {
    let res = app.get(&format!("/epcis/events?{qs}"), auth).await;
    assert_eq!(res.status.as_u16(), 200, "{qs}: {}", res.text);
    assert_eq!(res.body["type"], "EPCISQueryDocument");
    res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A capture by `who` of one event; its capture id and the event's id, percent-encoded.
pub async fn captured(app: &TestApp, who: &crate::helpers::Account, n: u32) -> (String, String) {
    let epc = format!("urn:epc:id:sgtin:8934567.000058.C{n}");
    let job = capture(
        app,
        &app.auth(who),
        document(vec![observe(n % 28 + 1, &epc, "shipping")]),
        None,
    )
    .await;
    let events = query(app, &app.auth(who), &format!("MATCH_epc={epc}")).await;
    let id = events[0]["eventID"].as_str().unwrap_or_default();
    (
        job["captureID"].as_str().unwrap_or_default().to_owned(),
        gs1::digital_link::escape(id, gs1::digital_link::UriPart::Path).into_owned(),
    )
}

/// A serialised item, as an EPC URN and as a Digital Link.
pub const ITEM: &str = "urn:epc:id:sgtin:8934567.000058.S1";
pub const ITEM_DL: &str = "https://id.gs1.org/01/08934567000581/21/S1";

#[tokio::test]
async fn gs1_examples_capture_once_and_query_back() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let mut n = 0;
    for name in [
        "Example_9.6.1-ObjectEvent.jsonld",
        "Example_9.6.2-ObjectEvent.jsonld",
        "Example_9.6.3-AggregationEvent.jsonld",
        "Example_9.6.4-TransformationEvent.jsonld",
        "AssociationEvent-a.jsonld",
        "full/transaction_event_all_possible_fields.jsonld",
    ] {
        let doc = example(name);
        let events = doc["epcisBody"]["eventList"].as_array().map_or(0, Vec::len);
        let job = capture(&app, &auth, doc.clone(), None).await;
        assert_eq!(job["success"], true, "{name}: {job}");
        assert_eq!(job["stored"], events, "{name}");
        let again = capture(&app, &auth, doc, None).await;
        assert_eq!(
            (again["stored"].as_u64(), again["duplicates"].as_u64()),
            (Some(0), Some(events as u64)),
            "{name}"
        );
        n += events;
    }
    let all = query(&app, &auth, "perPage=1000").await;
    assert_eq!(all.len(), n, "each event stored once");
    let kinds: std::collections::BTreeSet<&str> =
        all.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    // Every event carries the id and record time the repository gave it, and reads by id.
    let first = &all[0];
    let id = first["eventID"].as_str().expect("eventID");
    assert!(first["recordTime"].is_string());
    let enc = gs1::digital_link::escape(id, gs1::digital_link::UriPart::Path);
    let one = app.get(&format!("/epcis/events/{enc}"), &auth).await;
    assert_eq!(one.status.as_u16(), 200, "{}", one.text);
    assert_eq!(one.body["eventID"], id);
    let audit = app
        .get("/api/v1/audit?limit=500", &app.auth(&app.admin))
        .await;
    let captures = audit.text.matches("epcis.capture").count();
    assert_eq!(captures, 12, "every capture is audited");
}

#[tokio::test]
async fn rollback_stores_nothing_proceed_stores_the_valid_events() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let mut bad = observe(2, ITEM, "shipping");
    bad["readPoint"] = json!({"id": "urn:epc:id:sgln:8934567.00001"});
    let doc = document(vec![observe(1, ITEM, "commissioning"), bad]);
    let job = capture(&app, &auth, doc.clone(), None).await;
    assert_eq!(job["success"], false);
    assert_eq!(job["stored"], 0, "rollback is the default: {job}");
    assert_eq!(job["errors"][0]["index"], 1);
    assert_eq!(
        job["errors"][0]["path"],
        "epcisBody.eventList[1].readPoint.id"
    );
    assert!(query(&app, &auth, "").await.is_empty());
    let job = capture(&app, &auth, doc, Some("proceed")).await;
    assert_eq!(
        (job["success"].as_bool(), job["stored"].as_u64()),
        (Some(false), Some(1))
    );
    assert_eq!(query(&app, &auth, "").await.len(), 1);
    // A malformed document is refused whole.
    let res = app
        .post("/epcis/capture", &auth, json!({"type": "EPCISDocument"}))
        .await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    assert!(res.text.contains("schemaVersion"), "{}", res.text);
    let res = app
        .post_raw("/epcis/capture", &auth, "application/json", "{".into())
        .await;
    assert_eq!(res.status.as_u16(), 400);
    let res = app
        .req_with(
            Method::POST,
            "/epcis/capture",
            &auth,
            Some(document(vec![])),
            &[("GS1-Capture-Error-Behaviour", "sometimes")],
        )
        .await;
    assert_eq!(res.status.as_u16(), 422);
}

#[tokio::test]
async fn single_events_capture_and_read_by_location() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let res = app
        .post("/epcis/events", &auth, observe(7, ITEM, "receiving"))
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let location = res.header("location").expect("Location").to_owned();
    let again = app
        .post("/epcis/events", &auth, observe(7, ITEM, "receiving"))
        .await;
    assert_eq!(
        again.header("location"),
        Some(location.as_str()),
        "the same event, the same place"
    );
    let one = app.get(&location, &auth).await;
    assert_eq!(one.status.as_u16(), 200, "{}", one.text);
    assert_eq!(one.body["bizStep"], "receiving");
    let mut bad = observe(7, ITEM, "receiving");
    bad["action"] = json!("MOVE");
    let res = app.post("/epcis/events", &auth, bad).await;
    assert_eq!(res.status.as_u16(), 422);
    assert!(res.text.contains("action"), "{}", res.text);
    let res = app
        .req(Method::OPTIONS, "/epcis/capture", &Auth::None, None)
        .await;
    assert_eq!(res.status.as_u16(), 204);
    assert_eq!(res.header("gs1-epcis-capture-limit"), Some("10000"));
    assert!(res.header("gs1-epcis-capture-file-size-limit").is_some());
    let types = app.get("/epcis/eventTypes", &auth).await;
    assert_eq!(types.body["member"].as_array().map(Vec::len), Some(5));
}

/// Registers a product of organisation B; an item of its GTIN, as a Digital Link.
pub async fn b_owns_an_item(app: &TestApp) -> String {
    app.license(&app.org_b, "8930002").await;
    let b_gtin = gtin13("8930002", 7);
    let res = app
        .post(
            "/api/v1/products",
            &app.auth(&app.admin),
            json!({"gtin": b_gtin, "name_vi": "Hàng", "name_en": "Goods"}),
        )
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    format!("https://id.gs1.org/01/{b_gtin}/21/X1")
}

#[tokio::test]
async fn who_captures_and_who_sees() {
    let app = spawn_app().await;
    // Organisation B owns a GTIN; A captures an event about it and one about a foreign GTIN.
    let b_item = b_owns_an_item(&app).await;
    let foreign = "urn:epc:id:sgtin:4012345.011111.F1";
    let a = app.auth(&app.exporter);
    let job = capture(
        &app,
        &a,
        document(vec![
            observe(1, &b_item, "receiving"),
            observe(2, foreign, "receiving"),
        ]),
        None,
    )
    .await;
    assert_eq!(job["success"], true, "{job}");
    assert_eq!(
        query(&app, &a, "").await.len(),
        2,
        "the capturer sees its events"
    );
    let b = app.auth(&app.exporter_b);
    let seen = query(&app, &b, "").await;
    assert_eq!(seen.len(), 1, "the GTIN's owner sees the event naming it");
    assert_eq!(seen[0]["epcList"][0], b_item.as_str());
    let hidden = query(&app, &a, &format!("MATCH_epc={foreign}")).await;
    let id = hidden[0]["eventID"].as_str().unwrap().to_owned();
    let enc = gs1::digital_link::escape(&id, gs1::digital_link::UriPart::Path);
    assert_eq!(
        app.get(&format!("/epcis/events/{enc}"), &b)
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        query(&app, &app.auth(&app.admin), "").await.len(),
        2,
        "admins see all"
    );
    // Certifiers do not capture; anonymous callers do nothing.
    let res = app
        .post(
            "/epcis/capture",
            &app.auth(&app.certifier),
            document(vec![]),
        )
        .await;
    assert_eq!(res.status.as_u16(), 403);
    assert_eq!(
        app.get("/epcis/events", &Auth::None).await.status.as_u16(),
        401
    );
    // Another organisation cannot read A's capture job.
    let job = capture(&app, &a, document(vec![]), None).await;
    let path = format!("/epcis/capture/{}", job["captureID"].as_str().unwrap());
    assert_eq!(app.get(&path, &b).await.status.as_u16(), 403);
}

#[tokio::test]
async fn the_demo_serial_travels_on_the_named_pallet() {
    let d = crate::demo::Demo::new().await;
    let sscc = d.s("sscc");
    assert_eq!(sscc.len(), 18, "{}", d.v);
    let admin = d.app.auth(&d.app.admin);
    let steps = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["bizStep"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let item = d.v["journey"]["query"].as_str().expect("journey query");
    let res = d.app.get(item, &admin).await;
    let own = res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(steps(&own), ["commissioning", "packing"], "{}", res.text);
    let pallet = query(
        &d.app,
        &admin,
        &format!("MATCH_anyEPC=https://id.gs1.org/00/{sscc}"),
    )
    .await;
    assert_eq!(steps(&pallet), ["packing", "shipping", "receiving"]);
    assert_eq!(
        pallet[2]["bizLocation"]["id"], "https://id.gs1.org/414/4012345000016",
        "received at the importer's GLN"
    );
}

#[tokio::test]
async fn xml_documents_capture_and_queries_answer_in_xml() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let path = format!(
        "{}/../../shared/reference/epcis/examples/xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml",
        env!("CARGO_MANIFEST_DIR")
    );
    let xml = std::fs::read_to_string(path).expect("XML example");
    let res = app
        .post_raw("/epcis/capture", &auth, "application/xml", xml)
        .await;
    assert_eq!(res.status.as_u16(), 202, "{}", res.text);
    assert_eq!(res.body["success"], true, "{}", res.text);
    let stored = res.body["stored"].as_u64().unwrap_or(0);
    assert!(stored >= 1, "{}", res.text);
    let json = query(&app, &auth, "").await;
    assert_eq!(json.len() as u64, stored);
    let res = app
        .get_with("/epcis/events", &auth, &[("Accept", "application/xml")])
        .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/xml"));
    let back = epcis::xml::read_document(res.text.as_bytes()).expect("our XML reads");
    let events = &back["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
    assert_eq!(events.as_array().map(Vec::len), Some(json.len()));
    let res = app
        .post_raw(
            "/epcis/capture",
            &auth,
            "application/xml",
            "<EPCISDocument".into(),
        )
        .await;
    assert_eq!(res.status.as_u16(), 400, "{}", res.text);
}

#[tokio::test]
async fn the_demo_serials_journey_follows_its_pallet_in_full_or_in_summary() {
    let d = crate::demo::Demo::new().await;
    let gtin = d.gtin("with_serial");
    let item = format!("https://id.gs1.org/01/{gtin:0>14}/21/{}", d.s("serial"));
    let path = format!("/api/v1/journeys?epc={item}");
    let public = d.get(&path, &[]).await;
    assert_eq!(public.status.as_u16(), 200, "{}", public.text);
    assert_eq!(public.body["view"], "summary");
    let steps = public.body["steps"].as_array().cloned().unwrap_or_default();
    let line: Vec<String> = steps
        .iter()
        .map(|s| {
            format!(
                "{}/{}/{}",
                s["biz_step"].as_str().unwrap_or(""),
                s["via"].as_str().unwrap_or(""),
                s["country"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        line,
        [
            "commissioning/direct/VN",
            "packing/direct/VN",
            "packing/container/VN",
            "shipping/container/VN",
            "receiving/container/DE"
        ]
    );
    assert!(
        steps
            .iter()
            .all(|s| s.get("read_point").is_none() && s.get("event_id").is_none())
    );
    let full = d.app.get(&path, &d.app.auth(&d.app.admin)).await;
    assert_eq!(full.body["view"], "full");
    let sscc = d.s("sscc");
    assert_eq!(
        full.body["steps"][3]["via_epc"],
        format!("https://id.gs1.org/00/{sscc}")
    );
    assert!(full.body["steps"][0]["read_point"].is_string());
    let bad = d.get("/api/v1/journeys?epc=not-an-epc", &[]).await;
    assert_eq!(bad.status.as_u16(), 422);
}
