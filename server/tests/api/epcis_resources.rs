//! `/epcis/`: the REST binding's resource endpoints (events by event type, EPC, business step,
//! location, read point, disposition; the collections of names), the query parameters
//! evaluated on the events themselves, `maxEventCount`, and the CBV version header.

use serde_json::{Value, json};

use crate::epcis::{capture, document, example, observe, query};
use crate::helpers::{Auth, TestApp, spawn_app};

const HERE: &str = "urn:epc:id:sgln:8934567.00001.0";
const HERE_DOCK: &str = "urn:epc:id:sgln:8934567.00001.7";
const THERE: &str = "urn:epc:id:sgln:8934568.00002.0";

fn escape(s: &str) -> String {
    gs1::digital_link::escape(s, gs1::digital_link::UriPart::Path).into_owned()
}

fn located(day: u32, epc: &str, step: &str, at: &str, disposition: &str) -> Value {
    let mut e = observe(day, epc, step);
    e["bizLocation"] = json!({"id": at});
    e["readPoint"] = json!({"id": at});
    e["disposition"] = json!(disposition);
    e
}

async fn events_at(app: &TestApp, auth: &Auth, path: &str) -> Vec<Value> {
    let res = app.get(path, auth).await;
    assert_eq!(res.status.as_u16(), 200, "{path}: {}", res.text);
    assert_eq!(res.body["type"], "EPCISQueryDocument", "{path}");
    res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn members(app: &TestApp, auth: &Auth, path: &str) -> Vec<String> {
    let res = app.get(path, auth).await;
    assert_eq!(res.status.as_u16(), 200, "{path}: {}", res.text);
    assert_eq!(res.body["type"], "Collection", "{path}");
    assert_eq!(res.header("gs1-cbv-version"), Some("2.0.0"));
    res.body["member"]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn epcis_resources_list_names_and_filter_events() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    let b = app.auth(&app.exporter_b);
    let item = "urn:epc:id:sgtin:8934567.000058.R1";
    let doc = document(vec![
        located(1, item, "shipping", HERE, "in_transit"),
        located(2, item, "receiving", HERE_DOCK, "in_progress"),
        located(
            3,
            "urn:epc:id:sgtin:8934567.000058.R2",
            "https://ex.vn/step/pack",
            HERE,
            "active",
        ),
    ]);
    assert_eq!(capture(&app, &a, doc, None).await["stored"], 3);
    let other = document(vec![located(
        4,
        "urn:epc:id:sgtin:8934568.000001.Q1",
        "shipping",
        THERE,
        "active",
    )]);
    assert_eq!(capture(&app, &b, other, None).await["stored"], 1);

    // Collections: the caller's own locations only; every CBV step plus the custom one.
    let here = epcis::Epc::parse(HERE)
        .map(|e| e.canonical().to_owned())
        .unwrap_or_default();
    let dock = epcis::Epc::parse(HERE_DOCK)
        .map(|e| e.canonical().to_owned())
        .unwrap_or_default();
    let mut want = vec![here.clone(), dock.clone()];
    want.sort();
    assert_eq!(members(&app, &a, "/epcis/bizLocations").await, want);
    assert_eq!(members(&app, &a, "/epcis/readPoints").await, want);
    let steps = members(&app, &a, "/epcis/bizSteps").await;
    assert!(
        steps.contains(&"https://ex.vn/step/pack".to_owned())
            && steps.contains(&"commissioning".to_owned())
    );
    assert!(
        members(&app, &a, "/epcis/dispositions")
            .await
            .contains(&"recalled".to_owned())
    );
    // Pages of one, each with the next one's Link.
    let first = app.get("/epcis/bizLocations?perPage=1", &a).await;
    assert_eq!(first.body["member"], json!([want[0]]));
    let link = first.header("link").expect("Link").to_owned();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap_or_default();
    let second = app.get(next, &a).await;
    assert_eq!(second.body["member"], json!([want[1]]), "{link}");
    assert!(second.header("link").is_none());
    let urns = app
        .get_with(
            "/epcis/bizLocations",
            &a,
            &[("GS1-EPC-Format", "Always_EPC_URN")],
        )
        .await;
    assert!(
        urns.body["member"]
            .as_array()
            .is_some_and(|m| m.contains(&json!(HERE))),
        "{}",
        urns.text
    );

    // The events of one resource, further filtered by the query string, in the caller's scope.
    assert_eq!(
        events_at(&app, &a, "/epcis/bizSteps/shipping/events")
            .await
            .len(),
        1
    );
    assert_eq!(
        events_at(&app, &b, "/epcis/bizSteps/shipping/events")
            .await
            .len(),
        1
    );
    let by_epc = format!("/epcis/epcs/{}/events", escape(item));
    assert_eq!(events_at(&app, &a, &by_epc).await.len(), 2);
    let dl = epcis::Epc::parse(item)
        .map(|e| e.canonical().to_owned())
        .unwrap_or_default();
    let by_dl = format!("/epcis/epcs/{}/events?EQ_bizStep=receiving", escape(&dl));
    assert_eq!(events_at(&app, &a, &by_dl).await.len(), 1);
    assert!(events_at(&app, &b, &by_epc).await.is_empty());
    let typed = "/epcis/eventTypes/ObjectEvent/events?EQ_disposition=active";
    assert_eq!(events_at(&app, &a, typed).await.len(), 1);
    assert!(
        events_at(&app, &a, "/epcis/eventTypes/AggregationEvent/events")
            .await
            .is_empty()
    );
    let at_here = format!("/epcis/bizLocations/{}/events", escape(HERE));
    assert_eq!(events_at(&app, &a, &at_here).await.len(), 2);
    let read_here = format!(
        "/epcis/readPoints/{}/events?EQ_bizStep=shipping",
        escape(HERE)
    );
    assert_eq!(events_at(&app, &a, &read_here).await.len(), 1);
    assert_eq!(
        events_at(&app, &a, "/epcis/dispositions/in_progress/events")
            .await
            .len(),
        1
    );
    // WD_: the GLN's extensions descend from it.
    let wd = format!("/epcis/events?WD_bizLocation={HERE}");
    assert_eq!(events_at(&app, &a, &wd).await.len(), 3);
    let wd = format!("/epcis/events?WD_readPoint={HERE_DOCK}");
    assert_eq!(events_at(&app, &a, &wd).await.len(), 1);
    // Pages of a resource's events link back to the resource.
    let res = app.get(&format!("{at_here}?perPage=1"), &a).await;
    assert!(
        res.header("link")
            .is_some_and(|l| l.starts_with("</epcis/bizLocations/")),
        "{:?}",
        res.header("link")
    );

    // No such resource; the path's parameter given again; no credentials.
    for path in [
        "/epcis/bizSteps/flying/events",
        "/epcis/eventTypes/ShipEvent/events",
        "/epcis/epcs/nonsense/events",
    ] {
        assert_eq!(app.get(path, &a).await.status.as_u16(), 404, "{path}");
    }
    let twice = app
        .get("/epcis/bizSteps/shipping/events?EQ_bizStep=receiving", &a)
        .await;
    assert_eq!(twice.status.as_u16(), 422, "{}", twice.text);
    assert!(twice.text.contains("EQ_bizStep"));
    let bad = app.get("/epcis/readPoints?colour=red", &a).await;
    assert_eq!(bad.status.as_u16(), 422);
    assert_eq!(
        app.get("/epcis/bizSteps", &Auth::None)
            .await
            .status
            .as_u16(),
        401
    );
}

#[tokio::test]
async fn epcis_queries_evaluate_fields_on_the_events_and_refuse_too_large_answers() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    for name in [
        "sensor/SensorDataExample1.jsonld",
        "PersistentDisposition-example.jsonld",
        "ErrorDeclarationAndCorrectiveEvent.jsonld",
        "Example_9.6.4-TransformationEvent.jsonld",
    ] {
        let job = capture(&app, &auth, example(name), None).await;
        assert_eq!(job["success"], true, "{name}: {job}");
    }
    let plain: Vec<Value> = (1..=5)
        .map(|d| {
            observe(
                d,
                &format!("urn:epc:id:sgtin:8934567.000058.P{d}"),
                "shipping",
            )
        })
        .collect();
    capture(&app, &auth, document(plain), None).await;

    let count = |qs: &'static str| {
        let app = &app;
        let auth = &auth;
        async move { query(app, auth, qs).await.len() }
    };
    assert_eq!(count("EQ_type=Temperature").await, 1);
    assert_eq!(count("GE_value_CEL=26&EQ_bizStep=inspecting").await, 1);
    assert_eq!(count("GT_value_CEL=99").await, 0);
    assert_eq!(count("EXISTS_sensorElementList").await, 1);
    assert_eq!(
        count("EQ_persistentDisposition_set=completeness_verified").await,
        1
    );
    assert_eq!(
        count("EQ_bizTransaction_po=urn:epcglobal:cbv:bt:9529999999991:XYZ567").await,
        2
    );
    assert_eq!(
        count("EQ_source_owning_party=urn:epc:id:pgln:9520001.11111").await,
        2
    );
    assert_eq!(count("EQ_errorReason=incorrect_data").await, 1);
    assert_eq!(count("EQ_quantity_KGM=452").await, 1);
    assert_eq!(count("EQ_ILMD_example:batch=XYZ").await, 1);
    assert_eq!(count("EXISTS_example:myField").await, 1);

    // Pages of a residual filter: short pages are allowed, the tokens carry on to the end.
    let mut seen = 0;
    let mut url = "/epcis/events?GE_quantity=1&perPage=1".to_owned();
    for _ in 0..20 {
        let res = app.get(&url, &auth).await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        seen += res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            .as_array()
            .map_or(0, Vec::len);
        match res.header("link") {
            Some(l) => {
                url = l
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            }
            None => break,
        }
    }
    assert_eq!(seen, count("GE_quantity=1&perPage=100").await);
    assert!(seen >= 3);

    // maxEventCount: 413 beyond it, never with eventCountLimit.
    assert_eq!(count("EQ_bizStep=shipping&maxEventCount=5").await, 5);
    let res = app
        .get("/epcis/events?EQ_bizStep=shipping&maxEventCount=4", &auth)
        .await;
    assert_eq!(res.status.as_u16(), 413, "{}", res.text);
    assert!(
        res.body["type"]
            .as_str()
            .is_some_and(|t| t == "epcisException:QueryTooLargeException")
    );
    assert!(
        res.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("maxEventCount"))
    );
    let res = app
        .get("/epcis/events?EQ_type=Temperature&maxEventCount=1", &auth)
        .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    let res = app
        .get(
            "/epcis/events?maxEventCount=4&eventCountLimit=2&orderBy=eventTime",
            &auth,
        )
        .await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    assert!(res.text.contains("maxEventCount"));

    // GS1-CBV-Version: 2.x, answered with 2.0.0.
    let res = app
        .get_with("/epcis/events", &auth, &[("GS1-CBV-Version", "2.0")])
        .await;
    assert_eq!(res.status.as_u16(), 200);
    assert_eq!(res.header("gs1-cbv-version"), Some("2.0.0"));
    let res = app
        .get_with("/epcis/events", &auth, &[("GS1-CBV-Version", "1.2")])
        .await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    assert!(res.text.contains("GS1-CBV-Version"));
}
