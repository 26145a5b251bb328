//! `/epcis/events`: the query language (filters, order, pages, identifier formats) and error
//! declarations marking the event they restate.

use serde_json::{Value, json};

use crate::epcis::{ITEM, ITEM_DL, capture, document, observe, query};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_query_language_filters_orders_pages_and_translates() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let other = "urn:epc:id:sgtin:8934567.000058.S2";
    let mut pack = json!({
        "type": "AggregationEvent", "action": "ADD", "parentID": "urn:epc:id:sscc:8934567.0000000001",
        "childEPCs": [ITEM], "eventTime": "2026-11-03T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
        "bizStep": "packing",
    });
    pack["readPoint"] = json!({"id": "urn:epc:id:sgln:8934567.00001.0"});
    let events = vec![
        observe(1, ITEM, "commissioning"),
        observe(2, other, "commissioning"),
        pack,
        observe(4, ITEM, "shipping"),
    ];
    capture(&app, &auth, document(events), None).await;
    let steps = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["bizStep"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(
        steps(&query(&app, &auth, &format!("MATCH_anyEPC={ITEM}")).await),
        ["commissioning", "packing", "shipping"]
    );
    assert_eq!(
        steps(
            &query(
                &app,
                &auth,
                &format!("MATCH_epc={ITEM}&eventType=ObjectEvent")
            )
            .await
        ),
        ["commissioning", "shipping"]
    );
    assert_eq!(
        steps(
            &query(
                &app,
                &auth,
                "MATCH_anyEPC=urn:epc:idpat:sgtin:8934567.000058.*&EQ_bizStep=commissioning"
            )
            .await
        )
        .len(),
        2
    );
    assert_eq!(
        steps(
            &query(
                &app,
                &auth,
                "GE_eventTime=2026-11-02T08:00:00%2B07:00&LT_eventTime=2026-11-04T00:00:00Z"
            )
            .await
        ),
        ["commissioning", "packing"]
    );
    assert_eq!(
        steps(
            &query(
                &app,
                &auth,
                "EQ_readPoint=https://id.gs1.org/414/8934567000017"
            )
            .await
        ),
        ["packing"]
    );
    assert_eq!(
        steps(&query(&app, &auth, "orderDirection=DESC&eventCountLimit=2").await),
        ["shipping", "packing"]
    );
    // Pages: the Link header carries the token, the pages add up to the whole.
    let mut path = "/epcis/events?perPage=3".to_owned();
    let mut seen = Vec::new();
    loop {
        let res = app.get(&path, &auth).await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        seen.extend(steps(
            res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
                .as_array()
                .unwrap(),
        ));
        match res.header("link") {
            Some(link) => {
                path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap()
                    .to_owned();
            }
            None => break,
        }
    }
    assert_eq!(
        seen,
        ["commissioning", "commissioning", "packing", "shipping"]
    );
    // Identifiers come back as stored (Digital Links) or as URNs on request.
    let dl = query(
        &app,
        &auth,
        &format!("MATCH_epc={ITEM_DL}&EQ_bizStep=shipping"),
    )
    .await;
    assert_eq!(dl[0]["epcList"][0], ITEM_DL);
    let res = app
        .get_with(
            &format!("/epcis/events?MATCH_epc={ITEM}&EQ_bizStep=shipping"),
            &auth,
            &[("GS1-EPC-Format", "Always_EPC_URN")],
        )
        .await;
    assert_eq!(
        res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["epcList"][0],
        ITEM
    );
    for (qs, field) in [
        ("GT_quantity=many", "GT_quantity"),
        ("HASATTR_ex:colour=red", "HASATTR_ex:colour"),
        ("perPage=0", "perPage"),
        ("MATCH_epc=nonsense", "MATCH_epc"),
        ("nextPageToken=AAAA", "nextPageToken"),
    ] {
        let res = app.get(&format!("/epcis/events?{qs}"), &auth).await;
        assert_eq!(res.status.as_u16(), 422, "{qs}: {}", res.text);
        assert!(res.text.contains(field), "{qs}: {}", res.text);
    }
    let res = app
        .get_with("/epcis/events", &auth, &[("GS1-EPCIS-Version", "1.2")])
        .await;
    assert_eq!(res.status.as_u16(), 422);
}

/// A stored, declared event as a client would send it again (without the repository's fields).
fn declared_again(stored: &Value) -> Value {
    let mut e = stored.clone();
    if let Some(o) = e.as_object_mut() {
        o.remove("eventID");
        o.remove("recordTime");
    }
    e
}

#[tokio::test]
async fn an_error_declaration_marks_the_event_it_restates() {
    let app = spawn_app().await;
    let auth = app.auth(&app.exporter);
    let wrong = observe(5, ITEM, "shipping");
    capture(&app, &auth, document(vec![wrong.clone()]), None).await;
    assert!(
        query(&app, &auth, "EXISTS_errorDeclaration=true")
            .await
            .is_empty()
    );
    let mut declared = wrong;
    declared["errorDeclaration"] =
        json!({"declarationTime": "2026-11-06T08:00:00+07:00", "reason": "did_not_occur"});
    let job = capture(&app, &auth, document(vec![declared]), None).await;
    assert_eq!(job["success"], true, "{job}");
    let marked = query(&app, &auth, "EXISTS_errorDeclaration=true").await;
    assert_eq!(marked.len(), 1, "the original is marked, not copied");
    assert_eq!(marked[0]["errorDeclaration"]["reason"], "did_not_occur");
    assert_eq!(query(&app, &auth, "").await.len(), 1);
    // The declaration again changes nothing; an event and its declaration in one document
    // store one event, marked.
    let again = capture(
        &app,
        &auth,
        document(vec![declared_again(&marked[0])]),
        None,
    )
    .await;
    assert_eq!(again["duplicates"], 1, "{again}");
    let other = observe(8, ITEM, "receiving");
    let mut other_declared = other.clone();
    other_declared["errorDeclaration"] = json!({"declarationTime": "2026-11-09T08:00:00+07:00"});
    let job = capture(&app, &auth, document(vec![other, other_declared]), None).await;
    assert_eq!(job["stored"], 1, "{job}");
    assert_eq!(
        query(&app, &auth, "EXISTS_errorDeclaration=true")
            .await
            .len(),
        2
    );
    assert_eq!(query(&app, &auth, "").await.len(), 2);
}
