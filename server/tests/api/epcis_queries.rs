//! `/epcis/queries`: named queries, an organisation's own, validated like `GET /epcis/events`
//! and run with the caller's scope (their subscriptions: `epcis_subscriptions`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::epcis::{capture, document, observe};
use crate::helpers::{Auth, TestApp, spawn_app};

pub fn events_of(doc: &Value) -> Vec<Value> {
    doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn epcs_of(doc: &Value) -> Vec<String> {
    events_of(doc)
        .iter()
        .filter_map(|e| e["epcList"][0].as_str().map(str::to_owned))
        .collect()
}

pub async fn create(app: &TestApp, auth: &Auth, name: &str, query: Value) -> crate::helpers::Res {
    app.post(
        "/epcis/queries",
        auth,
        json!({"name": name, "query": query}),
    )
    .await
}

#[tokio::test]
async fn named_queries_are_an_organisations_own_and_run_in_its_scope() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    let b = app.auth(&app.exporter_b);
    let shipped = json!({"eventType": ["ObjectEvent"], "EQ_bizStep": ["shipping"]});

    let res = create(&app, &a, "shipped", shipped.clone()).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    assert_eq!(res.header("location"), Some("/epcis/queries/shipped"));
    assert_eq!(res.body, json!({"name": "shipped", "query": shipped}));
    assert_eq!(res.header("gs1-epcis-version"), Some("2.0.0"));
    let again = create(&app, &a, "shipped", json!({"eventType": ["ObjectEvent"]})).await;
    assert_eq!(again.status.as_u16(), 409, "{}", again.text);

    // Refused by the query language's own parser, naming the parameter.
    for (query, field) in [
        (json!({"GE_eventTime": "yesterday"}), "query.GE_eventTime"),
        (json!({"EQ_colour": ["red"]}), "query.EQ_colour"),
        (json!({"eventType": ["Sighting"]}), "query.eventType"),
        (json!({"perPage": {"n": 1}}), "query.perPage"),
    ] {
        let res = create(&app, &a, "bad", query).await;
        assert_eq!(res.status.as_u16(), 422, "{field}: {}", res.text);
        assert_eq!(res.fields(), [field], "{}", res.text);
    }
    let res = create(&app, &a, "no/slash", json!({})).await;
    assert_eq!(res.fields(), ["name"], "{}", res.text);
    let res = create(&app, &app.auth(&app.certifier), "mine", json!({})).await;
    assert_eq!(res.status.as_u16(), 403, "{}", res.text);

    // Another organisation neither sees nor deletes it, and has a namespace of its own.
    let list = app.get("/epcis/queries", &b).await;
    assert_eq!(list.body, json!([]), "{}", list.text);
    for method in [Method::GET, Method::DELETE] {
        let res = app.req(method, "/epcis/queries/shipped", &b, None).await;
        assert_eq!(res.status.as_u16(), 404, "{}", res.text);
    }
    let res = app.get("/epcis/queries/shipped/events", &b).await;
    assert_eq!(res.status.as_u16(), 404, "{}", res.text);
    let res = create(&app, &b, "shipped", json!({"EQ_bizStep": ["shipping"]})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    // An admin sees every organisation's; a name two use is ambiguous to it.
    let admin = app.auth(&app.admin);
    let all = app.get("/epcis/queries", &admin).await;
    assert_eq!(all.body.as_array().map(Vec::len), Some(2), "{}", all.text);
    let res = app.get("/epcis/queries/shipped", &admin).await;
    assert_eq!(res.status.as_u16(), 409, "{}", res.text);

    // Run: A's shipping events only, paged like GET /epcis/events.
    let doc = document(vec![
        observe(1, "urn:epc:id:sgtin:8934567.000058.N1", "shipping"),
        observe(2, "urn:epc:id:sgtin:8934567.000058.N1", "receiving"),
        observe(3, "urn:epc:id:sgtin:8934567.000058.N2", "shipping"),
    ]);
    assert_eq!(capture(&app, &a, doc, None).await["stored"], 3);
    let other = document(vec![observe(
        4,
        "urn:epc:id:sgtin:8934568.000001.N3",
        "shipping",
    )]);
    assert_eq!(capture(&app, &b, other, None).await["stored"], 1);
    let res = app.get("/epcis/queries/shipped/events", &a).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    assert_eq!(res.body["type"], "EPCISQueryDocument");
    assert_eq!(
        res.body["epcisBody"]["queryResults"]["queryName"],
        "shipped"
    );
    assert_eq!(events_of(&res.body).len(), 2, "{}", res.text);
    let first = app.get("/epcis/queries/shipped/events?perPage=1", &a).await;
    assert_eq!(events_of(&first.body).len(), 1);
    let link = first.header("link").expect("Link").to_owned();
    let next = link
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap_or_default();
    assert!(next.starts_with("/epcis/queries/shipped/events?"), "{link}");
    let second = app.get(next, &a).await;
    assert_eq!(events_of(&second.body).len(), 1, "{}", second.text);
    assert_ne!(epcs_of(&first.body), epcs_of(&second.body));
    assert!(second.header("link").is_none());
    // The definition fixes the filters.
    let res = app
        .get("/epcis/queries/shipped/events?EQ_bizStep=receiving", &a)
        .await;
    assert_eq!(res.fields(), ["EQ_bizStep"], "{}", res.text);

    let list = app.get("/epcis/queries?perPage=1", &a).await;
    assert_eq!(list.body[0]["name"], "shipped", "{}", list.text);
    let res = app
        .req(Method::DELETE, "/epcis/queries/shipped", &a, None)
        .await;
    assert_eq!(res.status.as_u16(), 204, "{}", res.text);
    let res = app.get("/epcis/queries/shipped", &a).await;
    assert_eq!(res.status.as_u16(), 404, "{}", res.text);
    // B's query of the same name is untouched.
    let res = app.get("/epcis/queries/shipped", &b).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
}

/// The auth matrix's request for a named-query route: a fresh query `mq{n}` of `owner`'s
/// organisation (and a subscription to it, far from due, for a subscription's path), and a
/// body for the POSTs. `None` for other routes.
pub async fn matrix_request(
    app: &TestApp,
    method: &str,
    path: &str,
    owner: &crate::helpers::Account,
    n: u32,
) -> Option<(String, Option<Value>)> {
    let subscription = json!({
        "dest": "http://127.0.0.1:9/hook", "signatureToken": "matrix-signature-token",
        "schedule": {"month": "1", "dayOfMonth": "1"},
    });
    if path == "/epcis/queries" {
        let body = (method == "POST").then(|| json!({"name": format!("mq{n}"), "query": {}}));
        return Some((path.to_owned(), body));
    }
    if !path.starts_with("/epcis/queries/{queryName}") {
        return None;
    }
    let auth = app.auth(owner);
    let name = format!("mq{n}");
    let res = create(app, &auth, &name, json!({"EQ_bizStep": ["shipping"]})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let mut filled = path.replace("{queryName}", &name);
    if path.contains("{subscriptionID}") {
        let res = app
            .post(
                &format!("/epcis/queries/{name}/subscriptions"),
                &auth,
                subscription.clone(),
            )
            .await;
        assert_eq!(res.status.as_u16(), 201, "{}", res.text);
        let id = res.body["subscriptionID"].as_str().unwrap_or_default();
        filled = filled.replace("{subscriptionID}", id);
    }
    let body = (method == "POST").then_some(subscription);
    Some((filled, body))
}
