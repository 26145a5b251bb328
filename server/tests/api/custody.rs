//! What captured events mean for the verdict: serial states follow business steps (through the
//! containers an item is packed in) and go back when an event is declared in error, a scan
//! where the journey never went, a recall flowing downstream through a transformation.

use serde_json::{Value, json};

use crate::epcis::{document, observe};
use crate::helpers::{Auth, TestApp};
use crate::serials::{commission, gtin, product, setup};

const FARM: &str = "https://id.gs1.org/414/8934567000017";
const IMPORTER: &str = "https://id.gs1.org/414/4012345000016";

fn item(g: &str, serial: &str) -> String {
    format!("https://id.gs1.org/01/{g}/21/{serial}")
}

pub async fn capture_as(app: &TestApp, who: &crate::helpers::Account, events: Vec<Value>) {
    let res = app
        .post("/epcis/capture", &app.auth(who), document(events))
        .await;
    assert_eq!(res.status.as_u16(), 202, "{}", res.text);
    assert_eq!(res.body["success"], true, "{}", res.text);
}

async fn state_of(app: &TestApp, g: &str, serial: &str) -> String {
    let res = app
        .get(
            &format!("/api/v1/products/{g}/serials/{serial}"),
            &app.auth(&app.exporter),
        )
        .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    res.body["state"].as_str().unwrap_or_default().to_owned()
}

async fn lookup(app: &TestApp, code: &str, place: Option<&str>) -> Value {
    let mut path = format!(
        "/api/v1/lookup?code={}",
        gs1::digital_link::escape(code, gs1::digital_link::UriPart::Query)
    );
    if let Some(p) = place {
        path.push_str(&format!("&place={p}"));
    }
    let res = app.get(&path, &Auth::None).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    res.body
}

fn codes(lookup: &Value) -> Vec<String> {
    lookup["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["code"].as_str().map(str::to_owned))
        .collect()
}

/// Issues `serials` of `g` to the exporter.
async fn commissioned(app: &TestApp, g: &str, serials: &[&str]) {
    let res = commission(app, &app.exporter, g, "c1", json!({ "serials": serials })).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
}

fn pack(day: u32, parent: &str, children: &[String], action: &str) -> Value {
    json!({
        "type": "AggregationEvent", "action": action,
        "eventTime": format!("2026-11-{day:02}T09:00:00+07:00"), "eventTimeZoneOffset": "+07:00",
        "parentID": parent, "childEPCs": children, "bizStep": "packing",
    })
}

#[tokio::test]
async fn serial_states_follow_events_directly_and_through_their_case() {
    let (app, g) = setup().await;
    commissioned(&app, &g, &["T1", "T2", "T3", "T4"]).await;
    let case = "https://id.gs1.org/00/389345670000000018";
    let (t1, t2, t3) = (item(&g, "T1"), item(&g, "T2"), item(&g, "T3"));
    let t4 = item(&g, "T4");
    // T1, T2 and T4 packed in a case; the case shipped: they are shipped, T3 is not.
    capture_as(
        &app,
        &app.exporter,
        vec![
            pack(2, case, &[t1.clone(), t2.clone(), t4.clone()], "ADD"),
            observe(3, case, "shipping"),
        ],
    )
    .await;
    assert_eq!(state_of(&app, &g, "T1").await, "shipped");
    assert_eq!(state_of(&app, &g, "T2").await, "shipped");
    assert_eq!(state_of(&app, &g, "T3").await, "commissioned");
    // T1 sold by a shop of another organisation (a supply-chain step anyone may record).
    capture_as(
        &app,
        &app.exporter_b,
        vec![observe(6, &t1, "retail_selling")],
    )
    .await;
    assert_eq!(state_of(&app, &g, "T1").await, "sold_dispensed");
    let sold = lookup(&app, &t1, None).await;
    assert!(codes(&sold).contains(&"serial_sold".to_owned()), "{sold}");
    assert_eq!(sold["verdict"], "warning", "{sold}");
    // An older event arriving late does not undo the sale.
    capture_as(&app, &app.exporter, vec![observe(5, &t1, "receiving")]).await;
    assert_eq!(state_of(&app, &g, "T1").await, "sold_dispensed");
    // Another organisation cannot end the owner's item; the owner can.
    capture_as(&app, &app.exporter_b, vec![observe(7, &t3, "destroying")]).await;
    assert_eq!(state_of(&app, &g, "T3").await, "commissioned");
    capture_as(&app, &app.exporter, vec![observe(8, &t3, "destroying")]).await;
    assert_eq!(state_of(&app, &g, "T3").await, "destroyed");
    let destroyed = lookup(&app, &t3, None).await;
    assert_eq!(destroyed["verdict"], "suspect", "{destroyed}");
    let detail = destroyed["reasons"][0]["detail"].as_str().unwrap_or("");
    assert!(detail.contains("2026-11-08"), "{detail}");
    // Taken out of the case, T4 no longer follows it: recalling the case recalls T2 only.
    let mut recalled = observe(10, case, "holding");
    recalled["disposition"] = json!("recalled");
    capture_as(
        &app,
        &app.exporter,
        vec![pack(9, case, std::slice::from_ref(&t4), "DELETE"), recalled],
    )
    .await;
    assert_eq!(state_of(&app, &g, "T2").await, "recalled");
    assert_eq!(state_of(&app, &g, "T4").await, "shipped");
}

/// `event` restated with an error declaration (EPCIS 2.0 §7.4.1.2).
fn declared_in_error(mut event: Value) -> Value {
    event["errorDeclaration"] = json!({
        "declarationTime": "2026-11-20T08:00:00+07:00", "reason": "incorrect_data",
    });
    event
}

#[tokio::test]
async fn declaring_an_event_in_error_puts_back_the_serial_states_it_set() {
    let (app, g) = setup().await;
    commissioned(&app, &g, &["R1", "R2", "R3"]).await;
    let case = "https://id.gs1.org/00/389345670000000025";
    let (r1, r2, r3) = (item(&g, "R1"), item(&g, "R2"), item(&g, "R3"));
    let shipped = observe(3, case, "shipping");
    let sold = observe(6, &r1, "retail_selling");
    let destroyed = observe(7, &r3, "destroying");
    capture_as(
        &app,
        &app.exporter,
        vec![
            pack(2, case, &[r1.clone(), r2.clone()], "ADD"),
            shipped.clone(),
            sold.clone(),
            destroyed.clone(),
        ],
    )
    .await;
    assert_eq!(state_of(&app, &g, "R1").await, "sold_dispensed");
    assert_eq!(state_of(&app, &g, "R2").await, "shipped");
    assert_eq!(state_of(&app, &g, "R3").await, "destroyed");
    // The sale did not happen: R1 is back to where the case's shipping left it.
    capture_as(&app, &app.exporter, vec![declared_in_error(sold)]).await;
    assert_eq!(state_of(&app, &g, "R1").await, "shipped");
    // R2 is sold later; then the shipping is declared in error too: R1, whose state the
    // shipping had set, is back to commissioned; R2 keeps the later sale's state, and R3,
    // which the declared event never named, stays destroyed.
    capture_as(&app, &app.exporter, vec![observe(9, &r2, "retail_selling")]).await;
    assert_eq!(state_of(&app, &g, "R2").await, "sold_dispensed");
    capture_as(&app, &app.exporter, vec![declared_in_error(shipped)]).await;
    assert_eq!(state_of(&app, &g, "R1").await, "commissioned");
    assert_eq!(state_of(&app, &g, "R2").await, "sold_dispensed");
    assert_eq!(state_of(&app, &g, "R3").await, "destroyed");
    // Declaring the destruction in error puts R3 back as well.
    capture_as(&app, &app.exporter, vec![declared_in_error(destroyed)]).await;
    assert_eq!(state_of(&app, &g, "R3").await, "commissioned");
}

#[tokio::test]
async fn a_scan_where_the_journey_never_went_is_a_warning() {
    let (app, g) = setup().await;
    let res = commission(&app, &app.exporter, &g, "c1", json!({"serials": ["J1"]})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let j1 = item(&g, "J1");
    let mut made = observe(1, &j1, "commissioning");
    made["action"] = json!("ADD");
    made["readPoint"] = json!({"id": FARM});
    let mut received = observe(4, &j1, "receiving");
    received["bizLocation"] = json!({"id": IMPORTER});
    capture_as(&app, &app.exporter, vec![made, received]).await;
    let elsewhere = lookup(&app, &j1, Some("NG")).await;
    assert!(
        codes(&elsewhere).contains(&"journey_elsewhere".to_owned()),
        "{elsewhere}"
    );
    let detail = elsewhere["reasons"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["code"] == "journey_elsewhere"))
        .and_then(|r| r["detail"].as_str())
        .unwrap_or("");
    assert!(detail.contains("VN") && detail.contains("DE"), "{detail}");
    for place in ["DE-BE", "VN"] {
        let here = lookup(&app, &j1, Some(place)).await;
        assert!(
            !codes(&here).contains(&"journey_elsewhere".to_owned()),
            "{place}: {here}"
        );
    }
}

#[tokio::test]
async fn a_lot_made_from_a_recalled_lot_is_non_compliant() {
    let (app, roasted) = setup().await;
    let beans = gtin(2);
    product(&app, &app.org_a, &beans).await;
    let roasted_lot = format!("(01){roasted}(10)R-1");
    // Cached before the transformation and before the recall: each must reach the answer.
    let before = lookup(&app, &roasted_lot, None).await;
    assert!(!codes(&before).contains(&"recall_upstream".to_owned()));
    let roast = json!({
        "type": "TransformationEvent",
        "eventTime": "2026-11-05T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
        "inputQuantityList": [{"epcClass": format!("https://id.gs1.org/01/{beans}/10/B-7"),
            "quantity": 500, "uom": "KGM"}],
        "outputQuantityList": [{"epcClass": format!("https://id.gs1.org/01/{roasted}/10/R-1"),
            "quantity": 420, "uom": "KGM"}],
        "bizStep": "commissioning",
    });
    capture_as(&app, &app.exporter, vec![roast]).await;
    let res = app
        .post(
            "/api/v1/alerts",
            &app.auth(&app.admin),
            json!({"kind": "recall", "source": "authority", "title": "Aflatoxin in green beans",
                   "targets": [{"gtin": beans, "lots": ["B-7"]}]}),
        )
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let after = lookup(&app, &roasted_lot, None).await;
    assert_eq!(after["verdict"], "non_compliant", "{after}");
    let reason = after["reasons"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["code"] == "recall_upstream"))
        .cloned()
        .unwrap_or_default();
    let detail = reason["detail"].as_str().unwrap_or("");
    assert!(detail.contains(&beans) && detail.contains("B-7"), "{after}");
    // Another lot of the roasted coffee, made from other beans, is not concerned.
    let other = lookup(&app, &format!("(01){roasted}(10)R-2"), None).await;
    assert!(
        !codes(&other).contains(&"recall_upstream".to_owned()),
        "{other}"
    );
    // Lifting the recall clears the downstream lot's cached answer too.
    let id = res.body["id"].as_str().unwrap_or_default();
    let lifted = app
        .post(
            &format!("/api/v1/alerts/{id}/lift"),
            &app.auth(&app.admin),
            json!({"reason": "lab retest negative"}),
        )
        .await;
    assert_eq!(lifted.status.as_u16(), 200, "{}", lifted.text);
    let cleared = lookup(&app, &roasted_lot, None).await;
    assert!(
        !codes(&cleared).contains(&"recall_upstream".to_owned()),
        "{cleared}"
    );
}

#[tokio::test]
async fn the_shipment_check_judges_every_item_on_the_pallet() {
    let (app, g) = setup().await;
    let res = commission(
        &app,
        &app.exporter,
        &g,
        "c1",
        json!({"serials": ["P1", "P2"]}),
    )
    .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let sscc = "389345670000000025";
    let pallet = format!("https://id.gs1.org/00/{sscc}");
    let case = "https://id.gs1.org/00/389345670000000032";
    let (p1, p2) = (item(&g, "P1"), item(&g, "P2"));
    let foreign = "https://id.gs1.org/01/04012345111118/21/F1";
    let bad_lot = format!("https://id.gs1.org/01/{g}/10/L-BAD");
    let mut made_here = observe(1, &p1, "commissioning");
    made_here["action"] = json!("ADD");
    made_here["readPoint"] = json!({"id": FARM});
    let mut made_abroad = observe(1, foreign, "commissioning");
    made_abroad["action"] = json!("ADD");
    made_abroad["readPoint"] = json!({"id": IMPORTER});
    let mut lot_in_pallet = pack(3, &pallet, &[case.to_owned()], "ADD");
    lot_in_pallet["childQuantityList"] =
        json!([{"epcClass": bad_lot, "quantity": 20, "uom": "KGM"}]);
    let mut shipped = observe(4, &pallet, "shipping");
    shipped["readPoint"] = json!({"id": FARM});
    capture_as(
        &app,
        &app.exporter,
        vec![
            made_here,
            made_abroad,
            pack(
                2,
                case,
                &[p1.clone(), p2.clone(), foreign.to_owned()],
                "ADD",
            ),
            lot_in_pallet,
            // P2 was taken out again before the pallet left: not on it now.
            pack(3, case, std::slice::from_ref(&p2), "DELETE"),
            shipped,
        ],
    )
    .await;
    let res = app
        .post(
            "/api/v1/alerts",
            &app.auth(&app.admin),
            json!({"kind": "recall", "source": "authority", "title": "Mould",
                   "targets": [{"gtin": g, "lots": ["L-BAD"]}]}),
        )
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);

    let path = format!("/api/v1/shipments/{sscc}");
    let res = app.get(&path, &app.auth(&app.exporter_b)).await;
    // Organisation B neither holds the SSCC nor captured an event naming it.
    assert_eq!(res.status.as_u16(), 404, "{}", res.text);
    let res = app.get(&path, &app.auth(&app.exporter)).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    let s = &res.body;
    let epcs: Vec<&str> = s["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["epc"].as_str())
        .collect();
    assert_eq!(epcs.len(), 3, "{s}");
    assert!(!epcs.contains(&p2.as_str()), "P2 was unpacked: {s}");
    assert_eq!(s["origin"]["country"], "VN", "{s}");
    assert_eq!(s["summary"]["items"], 3);
    assert_eq!(
        s["summary"]["verdicts"]["unknown"], 1,
        "the foreign item: {s}"
    );
    assert_eq!(s["summary"]["verdicts"]["non_compliant"], 1, "{s}");
    assert_eq!(s["summary"]["without_valid_certificate"], 3);
    assert_eq!(
        s["summary"]["recalled_lots"],
        json!([{"gtin": g, "lot": "L-BAD", "items": 1}])
    );
    assert_eq!(s["summary"]["origin_mismatch"], 1, "{s}");
    assert_eq!(s["items"][0]["verdict"], "unknown", "worst first: {s}");
    assert_eq!(s["items"][0]["journey_starts_in"], "DE");
    assert_eq!(s["items"][0]["container"], case);
    let admin = app.get(&path, &app.auth(&app.admin)).await;
    assert_eq!(admin.status.as_u16(), 200);
    let res = app
        .get(
            "/api/v1/shipments/389345670000000026",
            &app.auth(&app.admin),
        )
        .await;
    assert_eq!(
        res.status.as_u16(),
        422,
        "a wrong check digit: {}",
        res.text
    );
    assert_eq!(res.fields(), ["path.sscc"]);
    assert_eq!(app.get(&path, &Auth::None).await.status.as_u16(), 401);
}

/// The demo serial's journey: in its lookup, on its consumer page in both languages, and
/// behind the resolver's `gs1:traceability` and `gs1:epcis` links (for the pallet too).
#[tokio::test]
async fn the_journey_is_on_the_page_and_behind_the_resolvers_link_types() {
    let d = crate::demo::Demo::new().await;
    let gtin = format!("{:0>14}", d.gtin("with_serial"));
    let path = format!("/01/{gtin}/21/{}", d.s("serial"));
    let look = d
        .get(
            &format!("/api/v1/lookup?code=https://id.gs1.org{path}"),
            &[],
        )
        .await;
    let steps: Vec<&str> = look.body["journey"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["biz_step"].as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "commissioning",
            "packing",
            "packing",
            "shipping",
            "receiving"
        ],
        "{}",
        look.text
    );
    assert!(
        look.body["journey"][0].get("read_point").is_none(),
        "the public summary names no place"
    );
    for (lang, heading, received) in [
        ("vi", "Hành trình sản phẩm", "Nhận hàng"),
        ("en", "Journey", "Received"),
    ] {
        let page = d
            .get(
                &format!("{path}?linkType=gs1:verificationService&lang={lang}"),
                &[("Accept", "text/html")],
            )
            .await;
        assert_eq!(page.status.as_u16(), 200, "{}", page.text);
        let section = &page.text[page.text.find("data-testid=\"journey\"").unwrap_or(0)..];
        assert!(
            section.contains(heading) && section.contains(received),
            "{lang}: {section}"
        );
    }
    let res = d
        .get(&format!("{path}?linkType=gs1:traceability"), &[])
        .await;
    assert_eq!(res.status.as_u16(), 307, "{}", res.text);
    let to = res.header("location").unwrap_or_default().to_owned();
    assert!(to.contains("/api/v1/journeys?epc="), "{to}");
    let journey = d.get(&to[to.find("/api/").unwrap_or(0)..], &[]).await;
    assert_eq!(journey.status.as_u16(), 200, "{}", journey.text);
    assert_eq!(journey.body["steps"].as_array().map(Vec::len), Some(5));
    let res = d.get(&format!("{path}?linkType=gs1:epcis"), &[]).await;
    assert_eq!(res.status.as_u16(), 307, "{}", res.text);
    assert!(
        res.header("location")
            .unwrap_or_default()
            .contains("/epcis/events?MATCH_anyEPC=")
    );
    let pallet = d
        .get(
            &format!("/00/{}?linkType=gs1:traceability", d.s("sscc")),
            &[],
        )
        .await;
    assert_eq!(pallet.status.as_u16(), 307, "{}", pallet.text);
    // A serial nothing was recorded for lists no journey link (its page says nothing either).
    let set = d
        .get(&format!("/01/{gtin}/21/NEVER-MADE?linkType=linkset"), &[])
        .await;
    assert!(!set.text.contains("traceability"), "{}", set.text);
}
