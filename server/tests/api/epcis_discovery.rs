//! `/epcis` discovery: the top-level resources, each resource's sub-resources, the caller's
//! capture jobs, the EPCs of the events it sees (two organisations apart), `OPTIONS` on the
//! binding's paths, the token release, and the `epcisException:*` problem types.

use reqwest::Method;
use serde_json::{Value, json};

use crate::epcis::{capture, document, observe};
use crate::helpers::{Auth, Res, TestApp, spawn_app};

fn escape(s: &str) -> String {
    gs1::digital_link::escape(s, gs1::digital_link::UriPart::Path).into_owned()
}

/// The canonical (stored) form of an EPC.
fn canonical(epc: &str) -> String {
    epcis::Epc::parse(epc).expect("EPC").canonical().to_owned()
}

/// The next page's path in a `Link` header.
fn next(res: &Res) -> Option<String> {
    let link = res.header("link")?;
    assert!(link.ends_with("rel=\"next\""), "{link}");
    link.trim_start_matches('<')
        .split('>')
        .next()
        .map(str::to_owned)
}

/// Every item of a paged list, following `Link`: `items` picks a page's items.
async fn all_pages(
    app: &TestApp,
    auth: &Auth,
    first: &str,
    headers: &[(&str, &str)],
    items: fn(&Value) -> Vec<Value>,
) -> Vec<Value> {
    let mut path = first.to_owned();
    let mut out = Vec::new();
    loop {
        let res = app.get_with(&path, auth, headers).await;
        assert_eq!(res.status.as_u16(), 200, "{path}: {}", res.text);
        assert_eq!(res.header("gs1-epcis-version"), Some("2.0.0"));
        out.extend(items(&res.body));
        match next(&res) {
            Some(p) => path = p,
            None => return out,
        }
    }
}

fn members(body: &Value) -> Vec<Value> {
    assert_eq!(body["type"], "Collection", "{body}");
    body["member"].as_array().cloned().unwrap_or_default()
}

fn jobs(body: &Value) -> Vec<Value> {
    body.as_array().cloned().unwrap_or_default()
}

fn strings(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Asserts `res` is a problem of `status` whose type is `epcisException:{exception}`.
#[track_caller]
fn problem(res: &Res, status: u16, exception: &str) {
    assert_eq!(res.status.as_u16(), status, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(
        res.body["type"],
        format!("epcisException:{exception}"),
        "{}",
        res.text
    );
    assert_eq!(res.body["status"], status);
    assert!(
        res.body["request_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(res.body["title"].is_string() && res.body["detail"].is_string());
}

#[tokio::test]
async fn the_top_level_and_each_resource_list_their_sub_resources() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    let res = app.get("/epcis", &a).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    assert_eq!(res.header("gs1-epcis-version"), Some("2.0.0"));
    assert_eq!(res.header("gs1-cbv-version"), Some("2.0.0"));
    assert_eq!(
        res.body["member"],
        json!([
            "capture",
            "events",
            "eventTypes",
            "epcs",
            "bizSteps",
            "bizLocations",
            "readPoints",
            "dispositions",
            "queries"
        ])
    );
    // Each listed resource answers.
    for m in strings(&members(&res.body)) {
        let res = app.get(&format!("/epcis/{m}"), &a).await;
        assert_eq!(res.status.as_u16(), 200, "/epcis/{m}: {}", res.text);
    }
    let sgln = escape("urn:epc:id:sgln:8934567.00001.0");
    for path in [
        "/epcis/eventTypes/ObjectEvent".to_owned(),
        "/epcis/eventTypes/TransformationEvent".to_owned(),
        format!(
            "/epcis/epcs/{}",
            escape("urn:epc:id:sgtin:8934567.000058.X1")
        ),
        format!(
            "/epcis/epcs/{}",
            escape("https://id.gs1.org/01/08934567000581/21/X1")
        ),
        "/epcis/bizSteps/shipping".to_owned(),
        format!("/epcis/bizSteps/{}", escape("https://ex.vn/step/pack")),
        format!("/epcis/bizLocations/{sgln}"),
        format!("/epcis/readPoints/{sgln}"),
        "/epcis/dispositions/in_transit".to_owned(),
    ] {
        let res = app.get(&path, &a).await;
        assert_eq!(res.status.as_u16(), 200, "{path}: {}", res.text);
        assert_eq!(res.header("gs1-epcis-version"), Some("2.0.0"), "{path}");
        assert_eq!(res.body["type"], "Collection", "{path}");
        assert_eq!(res.body["member"], json!(["events"]), "{path}");
    }
    // A value that names no resource of its kind is no resource.
    for path in [
        "/epcis/eventTypes/SensorEvent",
        "/epcis/epcs/not-an-epc",
        "/epcis/bizLocations/a%7Cb",
        "/epcis/dispositions/no%20such",
    ] {
        problem(&app.get(path, &a).await, 404, "NoSuchResourceException");
    }
    problem(
        &app.get("/epcis", &Auth::None).await,
        401,
        "SecurityException",
    );
}

#[tokio::test]
async fn capture_jobs_are_the_organisations_own_newest_first() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    let b = app.auth(&app.exporter_b);
    let mut mine = Vec::new();
    for n in 1..=3 {
        let epc = format!("urn:epc:id:sgtin:8934567.000058.J{n}");
        let job = capture(&app, &a, document(vec![observe(n, &epc, "shipping")]), None).await;
        mine.push(job);
    }
    // A member of the same organisation (another role) sees them too.
    let inspector = app.auth(&app.inspector);
    let theirs = capture(
        &app,
        &b,
        document(vec![observe(
            4,
            "urn:epc:id:sgtin:8934568.000001.J9",
            "receiving",
        )]),
        None,
    )
    .await;

    let seen = all_pages(&app, &a, "/epcis/capture?perPage=2", &[], jobs).await;
    mine.reverse();
    assert_eq!(
        seen, mine,
        "newest first, as GET /epcis/capture/{{id}} shows each"
    );
    let first = app.get("/epcis/capture?perPage=2", &a).await;
    assert_eq!(jobs(&first.body).len(), 2);
    assert!(next(&first).is_some_and(|p| p.contains("nextPageToken=")));
    assert_eq!(
        all_pages(&app, &inspector, "/epcis/capture", &[], jobs).await,
        mine
    );
    assert_eq!(
        all_pages(&app, &b, "/epcis/capture", &[], jobs).await,
        vec![theirs.clone()]
    );
    let everyone = all_pages(&app, &app.auth(&app.admin), "/epcis/capture", &[], jobs).await;
    for job in mine.iter().chain([&theirs]) {
        assert!(everyone.contains(job), "admins see every job");
    }

    // Refused parameters are QueryParameterExceptions naming the parameter.
    for (qs, name) in [
        ("perPage=0", "perPage"),
        ("perPage=abc", "perPage"),
        ("nextPageToken=bogus", "nextPageToken"),
        ("GE_eventTime=2026-01-01T00:00:00Z", "GE_eventTime"),
    ] {
        let res = app.get(&format!("/epcis/capture?{qs}"), &a).await;
        problem(&res, 422, "QueryParameterException");
        assert_eq!(res.fields(), [name], "{qs}");
    }
    problem(
        &app.get("/epcis/capture", &Auth::None).await,
        401,
        "SecurityException",
    );
}

#[tokio::test]
async fn epcs_are_those_the_callers_events_name() {
    let app = spawn_app().await;
    // B owns a GTIN; A captures an event about it and one about a foreign GTIN; B one of its
    // own about another item.
    let b_item = crate::epcis::b_owns_an_item(&app).await;
    let foreign = "urn:epc:id:sgtin:4012345.011111.F1";
    let pallet = "urn:epc:id:sscc:4012345.0000000011";
    let b_own = "urn:epc:id:sgtin:8934568.000001.B1";
    let a = app.auth(&app.exporter);
    let b = app.auth(&app.exporter_b);
    let packed = json!({
        "type": "AggregationEvent", "action": "ADD",
        "eventTime": "2026-11-03T08:00:00+07:00", "eventTimeZoneOffset": "+07:00",
        "parentID": pallet, "childEPCs": [foreign], "bizStep": "packing",
    });
    let job = capture(
        &app,
        &a,
        document(vec![
            observe(1, &b_item, "receiving"),
            observe(2, foreign, "receiving"),
            packed,
        ]),
        None,
    )
    .await;
    assert_eq!(job["success"], true, "{job}");
    capture(
        &app,
        &b,
        document(vec![observe(4, b_own, "shipping")]),
        None,
    )
    .await;

    let mut want_a = vec![canonical(&b_item), canonical(foreign), canonical(pallet)];
    want_a.sort();
    let mut want_b = vec![canonical(&b_item), canonical(b_own)];
    want_b.sort();
    let mut want_all = vec![
        canonical(&b_item),
        canonical(foreign),
        canonical(pallet),
        canonical(b_own),
    ];
    want_all.sort();
    // Pages of one follow Link to the same list.
    let listed = |auth: Auth| {
        let app = &app;
        async move {
            let paged = all_pages(app, &auth, "/epcis/epcs?perPage=1", &[], members).await;
            let whole = all_pages(app, &auth, "/epcis/epcs", &[], members).await;
            assert_eq!(paged, whole);
            strings(&whole)
        }
    };
    assert_eq!(listed(a.clone()).await, want_a, "what A captured");
    assert_eq!(
        listed(b.clone()).await,
        want_b,
        "B's own and what names B's GTIN"
    );
    assert_eq!(
        listed(app.auth(&app.admin)).await,
        want_all,
        "admins: every one"
    );
    // Each one listed has events at /epcis/epcs/{epc}/events for the same caller.
    for epc in &want_b {
        let res = app
            .get(&format!("/epcis/epcs/{}/events", escape(epc)), &b)
            .await;
        assert_eq!(res.status.as_u16(), 200, "{}", res.text);
        let events = &res.body["epcisBody"]["queryResults"]["resultsBody"]["eventList"];
        assert_eq!(events.as_array().map(Vec::len), Some(1), "{epc}");
    }
    // As URNs on request.
    let urns = all_pages(
        &app,
        &a,
        "/epcis/epcs",
        &[("GS1-EPC-Format", "Always_EPC_URN")],
        members,
    )
    .await;
    let urns = strings(&urns);
    assert!(urns.contains(&foreign.to_owned()), "{urns:?}");
    assert!(urns.contains(&pallet.to_owned()), "{urns:?}");
    problem(
        &app.get("/epcis/epcs?nextPageToken=%21%21", &a).await,
        422,
        "QueryParameterException",
    );
}

#[tokio::test]
async fn options_name_the_methods_and_the_versions() {
    let app = spawn_app().await;
    let opts = |path: &'static str| {
        let app = &app;
        async move {
            let res = app.req(Method::OPTIONS, path, &Auth::None, None).await;
            assert_eq!(res.status.as_u16(), 204, "{path}: {}", res.text);
            for (h, v) in [
                ("gs1-epcis-version", "2.0.0"),
                ("gs1-epcis-min", "2.0.0"),
                ("gs1-epcis-max", "2.0.0"),
                ("gs1-cbv-version", "2.0.0"),
                ("gs1-cbv-min", "2.0.0"),
                ("gs1-cbv-max", "2.0.0"),
                ("gs1-epc-format", "Always_GS1_Digital_Link"),
                ("gs1-extensions", ""),
            ] {
                assert_eq!(res.header(h), Some(v), "{path}: {h}");
            }
            assert!(
                res.header("gs1-vendor-version")
                    .is_some_and(|v| v.starts_with("gs1-dpp/")),
                "{path}"
            );
            res
        }
    };
    for (path, allow) in [
        ("/epcis", "OPTIONS, GET"),
        ("/epcis/events", "OPTIONS, POST, GET"),
        ("/epcis/events/x", "OPTIONS, GET"),
        ("/epcis/eventTypes/ObjectEvent", "OPTIONS, GET"),
        ("/epcis/epcs", "OPTIONS, GET"),
        ("/epcis/bizSteps/shipping/events", "OPTIONS, GET"),
        ("/epcis/queries", "OPTIONS, POST, GET"),
        ("/epcis/queries/q", "OPTIONS, GET, DELETE"),
        ("/epcis/queries/q/subscriptions", "OPTIONS, POST, GET"),
        ("/epcis/queries/q/subscriptions/s", "OPTIONS, GET, DELETE"),
    ] {
        let res = opts(path).await;
        assert_eq!(res.header("allow"), Some(allow), "{path}");
        assert!(res.header("gs1-epcis-capture-limit").is_none(), "{path}");
    }
    // The capture endpoint adds its limits.
    let res = opts("/epcis/capture").await;
    assert_eq!(res.header("allow"), Some("OPTIONS, POST, GET"));
    assert_eq!(res.header("gs1-epcis-capture-limit"), Some("10000"));
    assert_eq!(
        res.header("gs1-epcis-capture-file-size-limit"),
        Some("16777216")
    );
    assert_eq!(
        res.header("gs1-capture-error-behaviour"),
        Some("rollback, proceed")
    );
    // Another method names OPTIONS among those allowed.
    let res = app
        .req(Method::PUT, "/epcis/epcs", &app.auth(&app.exporter), None)
        .await;
    assert_eq!(res.status.as_u16(), 405);
    assert_eq!(res.header("allow"), Some("GET, OPTIONS"));
}

#[tokio::test]
async fn page_tokens_are_stateless_and_cannot_be_released() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    let events: Vec<Value> = (1..=3)
        .map(|n| {
            observe(
                n,
                &format!("urn:epc:id:sgtin:8934567.000058.T{n}"),
                "shipping",
            )
        })
        .collect();
    capture(&app, &a, document(events), None).await;
    let first = app.get("/epcis/events?perPage=1", &a).await;
    let path = next(&first).expect("a next page");
    let token = path
        .split("nextPageToken=")
        .nth(1)
        .expect("token")
        .to_owned();
    let res = app
        .req(
            Method::DELETE,
            &format!("/epcis/nextPageToken/{token}"),
            &a,
            None,
        )
        .await;
    problem(&res, 501, "ImplementationException");
    // It still pages.
    let again = app.get(&path, &a).await;
    assert_eq!(again.status.as_u16(), 200, "{}", again.text);
    let res = app
        .req(Method::DELETE, "/epcis/nextPageToken/%21%21", &a, None)
        .await;
    problem(&res, 404, "NoSuchResourceException");
    let res = app
        .req(
            Method::DELETE,
            &format!("/epcis/nextPageToken/{token}"),
            &Auth::None,
            None,
        )
        .await;
    problem(&res, 401, "SecurityException");
}

#[tokio::test]
async fn errors_under_epcis_are_the_bindings_exceptions() {
    let app = spawn_app().await;
    let a = app.auth(&app.exporter);
    // 401 and 403: SecurityException.
    problem(
        &app.get("/epcis/events", &Auth::None).await,
        401,
        "SecurityException",
    );
    let res = app
        .post(
            "/epcis/events",
            &app.auth(&app.certifier),
            observe(1, "urn:epc:id:sgtin:8934567.000058.E1", "shipping"),
        )
        .await;
    problem(&res, 403, "SecurityException");
    // Body problems: ValidationException, 422 for a value, 400 for the body as a whole.
    let mut bad = observe(1, "urn:epc:id:sgtin:8934567.000058.E1", "shipping");
    bad["action"] = json!("SOMETIMES");
    let res = app.post("/epcis/events", &a, bad).await;
    problem(&res, 422, "ValidationException");
    assert!(
        !res.fields().is_empty(),
        "errors name the field: {}",
        res.text
    );
    let res = app
        .post_raw("/epcis/capture", &a, "text/plain", "hello".to_owned())
        .await;
    problem(&res, 400, "ValidationException");
    // Query parameters: QueryParameterException, with the parameter in `errors`.
    for (path, name) in [
        ("/epcis/events?GE_eventTime=yesterday", "GE_eventTime"),
        ("/epcis/events?nope=1", "nope"),
        ("/epcis/bizSteps?perPage=0", "perPage"),
        ("/epcis/queries?perPage=x", "perPage"),
        (
            "/epcis/bizSteps/shipping/events?EQ_bizStep=receiving",
            "EQ_bizStep",
        ),
    ] {
        let res = app.get(path, &a).await;
        problem(&res, 422, "QueryParameterException");
        assert_eq!(res.fields(), [name], "{path}");
    }
    // 404: NoSuchResourceException; for a named query, NoSuchNameException.
    problem(
        &app.get("/epcis/events/no-such-event", &a).await,
        404,
        "NoSuchResourceException",
    );
    problem(
        &app.get("/epcis/capture/no-such-capture", &a).await,
        404,
        "NoSuchResourceException",
    );
    for path in ["/epcis/queries/nope", "/epcis/queries/nope/events"] {
        problem(&app.get(path, &a).await, 404, "NoSuchNameException");
    }
    // 409: the name is taken.
    let res = crate::epcis_queries::create(&app, &a, "taken", json!({})).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    let res = crate::epcis_queries::create(&app, &a, "taken", json!({})).await;
    problem(&res, 409, "ResourceAlreadyExistsException");
    // 413: more events than maxEventCount.
    let events: Vec<Value> = (1..=2)
        .map(|n| {
            observe(
                n,
                &format!("urn:epc:id:sgtin:8934567.000058.M{n}"),
                "shipping",
            )
        })
        .collect();
    capture(&app, &a, document(events), None).await;
    problem(
        &app.get("/epcis/events?maxEventCount=1", &a).await,
        413,
        "QueryTooLargeException",
    );
    // 413: a capture beyond GS1-EPCIS-Capture-Limit, with the limits.
    let many: Vec<Value> = (0..10_001)
        .map(|n| {
            observe(
                n % 28 + 1,
                &format!("urn:epc:id:sgtin:8934567.000058.L{n}"),
                "shipping",
            )
        })
        .collect();
    let res = app.post("/epcis/capture", &a, document(many)).await;
    problem(&res, 413, "CaptureLimitExceededException");
    assert_eq!(res.header("gs1-epcis-capture-limit"), Some("10000"));
    assert_eq!(
        res.header("gs1-epcis-capture-file-size-limit"),
        Some("16777216")
    );
    // Outside /epcis the service's own types stay.
    let res = app.get("/api/v1/products/nope", &a).await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    assert_eq!(res.body["type"], "urn:gs1dpp:problem:validation");
}
