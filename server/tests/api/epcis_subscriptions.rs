//! Webhook subscriptions to named queries: signed deliveries of the events recorded after
//! subscribing, bounded, retried with backoff (also by another node after a restart), never
//! delivered twice, the `signatureToken` never shown.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicU32, Ordering},
};
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use server::subscriptions::DeliveryConfig;
use sha2::Sha256;

use crate::epcis::{capture, document, observe};
use crate::epcis_queries::{create, epcs_of, events_of};
use crate::helpers::{TestApp, fresh_settings, spawn_with};

const TOKEN: &str = "s3cret-token-of-the-receiver-0042";

/// A request a test receiver got.
#[derive(Clone, Debug)]
struct Delivery {
    signature: Option<String>,
    version: Option<String>,
    body: Vec<u8>,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Delivery>>>,
    /// Requests answered `fail_status` before the first 204 (u32::MAX: every one).
    fail_first: Arc<AtomicU32>,
    /// 500 unless set.
    fail_status: u16,
}

impl Receiver {
    fn deliveries(&self) -> Vec<Delivery> {
        self.got.lock().map(|g| g.clone()).unwrap_or_default()
    }

    async fn wait_for(&self, n: usize) -> Vec<Delivery> {
        for _ in 0..200 {
            let got = self.deliveries();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{n} deliveries expected, got {}", self.deliveries().len());
    }
}

async fn hook(
    r: actix_web::web::Data<Receiver>,
    req: actix_web::HttpRequest,
    body: actix_web::web::Bytes,
) -> actix_web::HttpResponse {
    let header = |n: &str| {
        req.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let n = {
        let mut got = r.got.lock().expect("lock");
        got.push(Delivery {
            signature: header("gs1-signature"),
            version: header("gs1-epcis-version"),
            body: body.to_vec(),
        });
        got.len() as u32
    };
    if n <= r.fail_first.load(Ordering::SeqCst) {
        let status = actix_web::http::StatusCode::from_u16(r.fail_status).unwrap_or_default();
        actix_web::HttpResponse::build(status).finish()
    } else {
        actix_web::HttpResponse::NoContent().finish()
    }
}

/// Starts a webhook receiver failing its first `fail_first` requests with 500; its URL.
async fn receiver(fail_first: u32) -> (String, Receiver) {
    receiver_failing_with(fail_first, 500).await
}

/// Starts a webhook receiver failing its first `fail_first` requests with `status`.
async fn receiver_failing_with(fail_first: u32, status: u16) -> (String, Receiver) {
    let r = Receiver {
        fail_first: Arc::new(AtomicU32::new(fail_first)),
        fail_status: status,
        ..Receiver::default()
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let data = actix_web::web::Data::new(r.clone());
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            // A thousand events are more than actix's default 256 KiB.
            .app_data(actix_web::web::PayloadConfig::new(16 << 20))
            .route("/hook", actix_web::web::post().to(hook))
    })
    .workers(1)
    .listen(listener)
    .expect("listen")
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}/hook"), r)
}

/// A worker polling every 100 ms and retrying after 200 ms, 400 ms, ...
fn fast(attempts: u32) -> DeliveryConfig {
    DeliveryConfig {
        poll: Duration::from_millis(100),
        retry: Duration::from_millis(200),
        retry_max: Duration::from_secs(60),
        attempts,
        settle: Duration::ZERO,
        timeout: Duration::from_secs(5),
        // The test receivers listen on loopback.
        allow_private: true,
    }
}

/// An app with a [`fast`] worker.
async fn fast_app(attempts: u32) -> TestApp {
    let (mut settings, pg) = fresh_settings();
    settings.subscriptions = fast(attempts);
    spawn_with(settings, pg).await
}

fn expected_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(TOKEN.as_bytes()).expect("key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn no_token(res: &crate::helpers::Res) {
    assert!(
        !res.text.contains(TOKEN),
        "the token was shown: {}",
        res.text
    );
}

#[tokio::test]
async fn a_stream_subscription_delivers_new_events_signed_and_once() {
    let app = fast_app(5).await;
    let a = app.auth(&app.exporter);
    let (dest, hooked) = receiver(0).await;
    let res = create(&app, &a, "shipped", json!({"EQ_bizStep": ["shipping"]})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    // Recorded before subscribing: not delivered.
    let before = document(vec![observe(
        1,
        "urn:epc:id:sgtin:8934567.000058.S0",
        "shipping",
    )]);
    capture(&app, &a, before, None).await;

    // Refusals, by field.
    let path = "/epcis/queries/shipped/subscriptions";
    for (body, field) in [
        (
            json!({"dest": "ftp://x.vn/h", "signatureToken": TOKEN, "stream": true}),
            "dest",
        ),
        (
            json!({"dest": dest, "signatureToken": "short", "stream": true}),
            "signatureToken",
        ),
        (json!({"dest": dest, "stream": true}), "signatureToken"),
        (json!({"dest": dest, "signatureToken": TOKEN}), "stream"),
        (
            json!({"dest": dest, "signatureToken": TOKEN, "schedule": {"second": "0/30"}}),
            "schedule.second",
        ),
        (
            json!({"dest": dest, "signatureToken": TOKEN, "stream": true, "x": 1}),
            "x",
        ),
    ] {
        let res = app.post(path, &a, body).await;
        assert_eq!(res.status.as_u16(), 422, "{field}: {}", res.text);
        assert_eq!(res.fields(), [field], "{}", res.text);
        no_token(&res);
    }
    let b = app.auth(&app.exporter_b);
    let body = json!({"dest": dest, "signatureToken": TOKEN, "stream": true});
    let res = app.post(path, &b, body.clone()).await;
    assert_eq!(res.status.as_u16(), 404, "{}", res.text);

    let res = app.post(path, &a, body).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    no_token(&res);
    let id = res.body["subscriptionID"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let location = format!("{path}/{id}");
    assert_eq!(res.header("location"), Some(location.as_str()));
    assert_eq!(res.body["stream"], true);
    assert_eq!(res.body["dest"], dest);
    for read in [path, location.as_str()] {
        let res = app.get(read, &a).await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        no_token(&res);
    }
    assert_eq!(app.get(&location, &b).await.status.as_u16(), 404);

    let after = document(vec![
        observe(2, "urn:epc:id:sgtin:8934567.000058.S1", "shipping"),
        observe(3, "urn:epc:id:sgtin:8934567.000058.S2", "receiving"),
        observe(4, "urn:epc:id:sgtin:8934567.000058.S3", "shipping"),
    ]);
    capture(&app, &a, after, None).await;
    let got = hooked.wait_for(1).await;
    let doc: Value = serde_json::from_slice(&got[0].body).expect("JSON");
    assert_eq!(doc["type"], "EPCISQueryDocument");
    assert_eq!(doc["epcisBody"]["queryResults"]["subscriptionID"], id);
    assert_eq!(doc["epcisBody"]["queryResults"]["queryName"], "shipped");
    let mut epcs = epcs_of(&doc);
    epcs.sort();
    assert_eq!(epcs.len(), 2, "{doc}");
    assert!(
        epcs[0].ends_with("/21/S1") && epcs[1].ends_with("/21/S3"),
        "{epcs:?}"
    );
    assert_eq!(
        got[0].signature.as_deref(),
        Some(expected_signature(&got[0].body).as_str())
    );
    assert_eq!(got[0].version.as_deref(), Some("2.0.0"));

    // Several more looks deliver nothing again; a new event is delivered alone.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(hooked.deliveries().len(), 1, "delivered twice");
    let more = document(vec![observe(
        5,
        "urn:epc:id:sgtin:8934567.000058.S4",
        "shipping",
    )]);
    capture(&app, &a, more, None).await;
    let got = hooked.wait_for(2).await;
    let doc: Value = serde_json::from_slice(&got[1].body).expect("JSON");
    assert_eq!(epcs_of(&doc).len(), 1, "{doc}");
    assert!(epcs_of(&doc)[0].ends_with("/21/S4"));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hooked.deliveries().len(), 2);
    let res = app.get(&location, &a).await;
    assert!(res.body["lastNotifiedAt"].is_string(), "{}", res.text);
    assert!(res.body.get("lastError").is_none(), "{}", res.text);

    // Unsubscribed: nothing more.
    let res = app.req(Method::DELETE, &location, &a, None).await;
    assert_eq!(res.status.as_u16(), 204, "{}", res.text);
    assert_eq!(app.get(&location, &a).await.status.as_u16(), 404);
    let last = document(vec![observe(
        6,
        "urn:epc:id:sgtin:8934567.000058.S5",
        "shipping",
    )]);
    capture(&app, &a, last, None).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hooked.deliveries().len(), 2);
}

#[tokio::test]
async fn a_failing_receiver_gets_the_document_on_the_third_attempt() {
    let app = fast_app(3).await;
    let a = app.auth(&app.exporter);
    let (flaky, flaky_got) = receiver(2).await;
    let (down, down_got) = receiver(u32::MAX).await;
    let res = create(&app, &a, "all", json!({})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let path = "/epcis/queries/all/subscriptions";
    let mut locations = Vec::new();
    for dest in [&flaky, &down] {
        let body = json!({"dest": dest, "signatureToken": TOKEN, "stream": true});
        let res = app.post(path, &a, body).await;
        assert_eq!(res.status.as_u16(), 201, "{}", res.text);
        locations.push(res.header("location").unwrap_or_default().to_owned());
    }
    let doc = document(vec![observe(
        7,
        "urn:epc:id:sgtin:8934567.000058.F1",
        "shipping",
    )]);
    capture(&app, &a, doc, None).await;

    let got = flaky_got.wait_for(3).await;
    // The same events each time, the last one acknowledged; nothing after it.
    for d in &got {
        let doc: Value = serde_json::from_slice(&d.body).expect("JSON");
        assert_eq!(epcs_of(&doc).len(), 1, "{doc}");
        assert_eq!(
            d.signature.as_deref(),
            Some(expected_signature(&d.body).as_str())
        );
    }
    let down_seen = down_got.wait_for(3).await.len();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        flaky_got.deliveries().len(),
        3,
        "delivered after it was acknowledged"
    );
    // The dead receiver's failure is recorded after the last attempt, and it is left alone.
    assert_eq!(down_got.deliveries().len(), down_seen);
    assert_eq!(down_seen, 3);
    let flaky_sub = app.get(&locations[0], &a).await;
    assert!(
        flaky_sub.body["lastNotifiedAt"].is_string(),
        "{}",
        flaky_sub.text
    );
    assert!(
        flaky_sub.body["lastError"]
            .as_str()
            .is_some_and(|e| e.contains("500")),
        "{}",
        flaky_sub.text
    );
    let down_sub = app.get(&locations[1], &a).await;
    assert!(
        down_sub.body.get("lastNotifiedAt").is_none(),
        "{}",
        down_sub.text
    );
    assert!(
        down_sub.body["lastError"]
            .as_str()
            .is_some_and(|e| e.starts_with("gave up after 3 attempts")),
        "{}",
        down_sub.text
    );
    no_token(&down_sub);
}

#[tokio::test]
async fn a_scheduled_subscription_reports_even_when_empty() {
    let app = fast_app(3).await;
    let a = app.auth(&app.exporter);
    let (dest, hooked) = receiver(0).await;
    let res = create(&app, &a, "receipts", json!({"EQ_bizStep": ["receiving"]})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let every_second: Vec<String> = (0..60).map(|s| s.to_string()).collect();
    let body = json!({
        "dest": dest, "signatureToken": TOKEN, "reportIfEmpty": true,
        "schedule": {"second": every_second.join(",")},
    });
    let res = app
        .post("/epcis/queries/receipts/subscriptions", &a, body)
        .await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    assert!(res.body["schedule"]["second"].is_string(), "{}", res.text);
    let got = hooked.wait_for(1).await;
    let doc: Value = serde_json::from_slice(&got[0].body).expect("JSON");
    assert_eq!(events_of(&doc), Vec::<Value>::new(), "{doc}");
    assert_eq!(doc["epcisBody"]["queryResults"]["queryName"], "receipts");
}

#[tokio::test]
async fn more_than_a_thousand_events_arrive_in_bounded_deliveries_in_order() {
    let app = fast_app(3).await;
    let a = app.auth(&app.exporter);
    // Too large at first (413): the retry holds half as many.
    let (dest, hooked) = receiver_failing_with(1, 413).await;
    let res = create(&app, &a, "all", json!({})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let body = json!({"dest": dest, "signatureToken": TOKEN, "stream": true});
    let res = app.post("/epcis/queries/all/subscriptions", &a, body).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    // One capture: 1,001 events with one record time, ordered by their ids after it.
    let events: Vec<Value> = (0..1001)
        .map(|i| {
            observe(
                i % 28 + 1,
                &format!("urn:epc:id:sgtin:8934567.000058.B{i}"),
                "shipping",
            )
        })
        .collect();
    assert_eq!(
        capture(&app, &a, document(events), None).await["stored"],
        1001
    );
    let got = hooked.wait_for(3).await;
    let sizes: Vec<usize> = got
        .iter()
        .map(|d| serde_json::from_slice::<Value>(&d.body).map(|v| events_of(&v).len()))
        .collect::<Result<_, _>>()
        .expect("JSON");
    assert_eq!(sizes, [1000, 500, 501]);
    let mut all: Vec<String> = got[1..]
        .iter()
        .flat_map(|d| epcs_of(&serde_json::from_slice(&d.body).expect("JSON")))
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 1001, "every event once");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hooked.deliveries().len(), 3);
}

#[tokio::test]
async fn a_restarted_node_resumes_a_failed_delivery_from_the_database() {
    let app = fast_app(5).await;
    let a = app.auth(&app.exporter);
    let (dest, hooked) = receiver(1).await;
    let res = create(&app, &a, "all", json!({})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let body = json!({"dest": dest, "signatureToken": TOKEN, "stream": true});
    let res = app.post("/epcis/queries/all/subscriptions", &a, body).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let location = res.header("location").unwrap_or_default().to_owned();
    let doc = document(vec![observe(
        9,
        "urn:epc:id:sgtin:8934567.000058.R9",
        "shipping",
    )]);
    capture(&app, &a, doc, None).await;
    hooked.wait_for(1).await;
    // Stopped, the node's worker delivers nothing more, though the retry is due.
    app.handle.stop(true).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(hooked.deliveries().len(), 1);
    // Another node on the same database takes the delivery up where the first left it.
    let peer = app.spawn_peer(|s| s.subscriptions = fast(5)).await;
    let got = hooked.wait_for(2).await;
    let first: Value = serde_json::from_slice(&got[0].body).expect("JSON");
    let second: Value = serde_json::from_slice(&got[1].body).expect("JSON");
    assert_eq!(epcs_of(&first), epcs_of(&second));
    let res = crate::helpers::with_auth(peer.client.get(format!("{}{location}", peer.base)), &a)
        .send()
        .await
        .expect("request");
    let sub: Value = res.json().await.expect("JSON");
    assert!(sub["lastNotifiedAt"].is_string(), "{sub}");
    assert_eq!(sub["failedAttempts"], 0, "{sub}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hooked.deliveries().len(), 2);
}
