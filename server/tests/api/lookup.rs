//! `/api/v1/lookup` over HTTP on the demo data set: one verdict with its reasons for any input.

use reqwest::StatusCode;
use serde_json::Value;

use crate::{demo::Demo, helpers::Res};

/// `GET /api/v1/lookup?code=` for `code`, anonymously.
pub(crate) async fn lookup_code(d: &Demo, code: &str) -> Res {
    let res = d
        .get(&format!("/api/v1/lookup?code={}", urlencode(code)), &[])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{code}: {}", res.text);
    res
}

fn urlencode(s: &str) -> String {
    gs1::digital_link::escape(s, gs1::digital_link::UriPart::Query).into_owned()
}

pub(crate) fn codes(res: &Res) -> Vec<String> {
    res.body["reasons"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["code"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn lookup_gives_one_verdict_with_its_reasons_for_any_input() {
    let d = Demo::new().await;
    let coffee = d.gtin("valid_certificate");
    // Element string, Digital Link and bare GTIN-13 all read the same product.
    for code in [
        format!("(01){coffee}(10){}", d.s("lot")),
        format!("https://id.gs1.org/01/{coffee}"),
        coffee[1..].to_owned(),
    ] {
        let res = lookup_code(&d, &code).await;
        assert_eq!(res.body["verdict"], "verified", "{code}: {}", res.text);
        assert_eq!(res.body["identifiers"]["key"], coffee);
        let cert = &res.body["certificates"][0];
        assert_eq!(cert["effective_status"], "valid");
        assert_eq!(
            cert["accreditation"]["internationally_recognised"], true,
            "{cert}"
        );
        assert!(cert["cab"]["name"].is_string());
        assert!(res.body["passport"]["jws_url"].is_string());
        assert!(codes(&res).contains(&"internationally_recognised".to_owned()));
    }
    let cases = [
        (
            d.gtin("withdrawn_certificate"),
            "non_compliant",
            "certificate_withdrawn",
        ),
        (d.gtin("uncertified"), "warning", "no_certificate"),
        (
            d.gtin("expired_certificate"),
            "warning",
            "certificate_expired",
        ),
        (
            format!("(01){}(10){}", d.gtin("recalled"), d.s("recalled_lot")),
            "non_compliant",
            "recall",
        ),
        (
            format!("(01){}(10){}", d.gtin("recalled"), d.s("recalled_lot")),
            "non_compliant",
            "inspection_non_compliant",
        ),
        (d.s("unknown_valid_gtin"), "unknown", "unregistered"),
        (format!("(00){}", d.s("sscc")), "verified", "key_issued"),
        ("(01)08934567890121".to_owned(), "invalid", "invalid_code"),
    ];
    for (code, want, reason) in cases {
        let res = lookup_code(&d, &code).await;
        assert_eq!(res.body["verdict"], want, "{code}: {}", res.text);
        assert!(
            codes(&res).contains(&reason.to_owned()),
            "{code}: {}",
            res.text
        );
    }
    // The serial: its state (the demo journey shipped its pallet, and with it the serial), and a
    // serial nobody commissioned.
    let res = lookup_code(&d, &format!("(01){coffee}(21){}", d.s("serial"))).await;
    assert_eq!(res.body["serial"]["state"], "shipped", "{}", res.text);
    let res = lookup_code(&d, &format!("(01){coffee}(21)NEVER-MADE")).await;
    assert_eq!(res.body["verdict"], "suspect", "{}", res.text);
    assert!(res.body["serial"]["state"].is_null());
    // Bad requests name the field.
    let res = d.get("/api/v1/lookup", &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.fields(), ["query.code"]);
    let res = d
        .get(
            "/api/v1/lookup?code=8934567890120&place=Hanoi%20street%201",
            &[],
        )
        .await;
    assert_eq!(res.fields(), ["query.place"]);
}

#[tokio::test]
async fn the_same_serial_from_many_places_turns_suspect() {
    let d = Demo::new().await;
    let coffee = d.gtin("with_serial");
    let serial = d.s("serial");
    let code = urlencode(&format!("(01){coffee}(21){serial}"));
    for place in ["VN-HN", "VN-SG", "VN-DN"] {
        let res = d
            .get(&format!("/api/v1/lookup?code={code}&place={place}"), &[])
            .await;
        assert_eq!(res.status, StatusCode::OK);
    }
    // Scans are written in the background: poll until the signal shows.
    let mut last = Value::Null;
    for _ in 0..50 {
        let res = d.get(&format!("/api/v1/lookup?code={code}"), &[]).await;
        last = res.body.clone();
        if codes(&res).contains(&"scan_pattern".to_owned()) {
            assert_eq!(res.body["verdict"], "suspect");
            assert_eq!(res.body["serial"]["distinct_places"], 3);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no scan_pattern reason after 5 s: {last}");
}

#[tokio::test]
async fn the_verification_service_answers_html_or_json() {
    let d = Demo::new().await;
    let pepper = d.gtin("recalled");
    let lot = d.s("recalled_lot");
    let path = format!("/01/{pepper}/10/{lot}?linkType=gs1:verificationService");
    let json_ = d.get(&path, &[("accept", "application/json")]).await;
    assert_eq!(json_.status, StatusCode::OK, "{}", json_.text);
    assert_eq!(json_.body["verdict"], "non_compliant");
    assert!(json_.body["alerts"][0]["title"].is_string());
    let html = d.get(&path, &[("accept", "text/html")]).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.text.contains("data-testid=\"verdict\""),
        "{}",
        html.text
    );
}
