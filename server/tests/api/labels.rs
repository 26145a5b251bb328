//! `GET /api/v1/products/{gtin}/label`: the served label is the very symbol the barcode crate
//! draws for the product, lot or serial (whose round trip through a decoder the crate tests), and
//! nothing the registry does not know is printed.

use barcode::{Layout, MatrixShape, Options, Symbol, Symbology, render};
use gs1::{
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, Options as ElementOptions},
    keys::Gtin,
};
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{Auth, TestApp},
    serials::{commission, setup},
};

/// The raw body, content type and status of a label request.
async fn label(
    app: &TestApp,
    auth: &Auth,
    gtin: &str,
    query: &str,
) -> (StatusCode, String, Vec<u8>) {
    let url = format!("{}/api/v1/products/{gtin}/label{query}", app.base);
    let rb = app.client.get(url);
    let rb = match auth {
        Auth::None => rb,
        Auth::Bearer(t) => rb.bearer_auth(t),
        Auth::Key(k) => rb.header("x-api-key", k),
    };
    let res = rb.send().await.expect("request");
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, ct, res.bytes().await.expect("body").to_vec())
}

fn svg_of(symbol: &Symbol) -> Vec<u8> {
    let layout = Layout::new(symbol, &Options::default()).expect("layout");
    render::svg(&layout).into_bytes()
}

/// The `field`s a problem document names.
fn fields(body: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    v["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_product_label_is_the_gtins_own_symbol_in_each_format() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let gtin = Gtin::parse(&g).expect("gtin");
    let own = Symbol::for_gtin(&gtin).expect("symbol");
    assert_eq!(own.symbology, Symbology::Ean13);

    let (status, ct, svg) = label(&app, &ex, &g, "").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&svg));
    assert_eq!(ct, "image/svg+xml");
    assert_eq!(svg, svg_of(&own));

    let (status, ct, png) = label(&app, &ex, &g, "?format=png&dpi=600").await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "image/png"));
    let layout = Layout::new(&own, &Options::default()).expect("layout");
    assert_eq!(png, render::png(&layout, 600).expect("png"));

    let (status, ct, pdf) = label(&app, &ex, &g, "?format=pdf&symbology=itf14&x_mm=0.6").await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-1.4"));

    // The admin may print any organisation's labels; others may not.
    let (status, _, _) = label(&app, &app.auth(&app.admin), &g, "").await;
    assert_eq!(status, StatusCode::OK);
    for who in [&app.exporter_b, &app.inspector] {
        let (status, _, _) = label(&app, &app.auth(who), &g, "").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _, _) = label(&app, &Auth::None, &g, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = label(&app, &ex, "08934567999999", "").await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn lots_and_serials_print_only_when_registered() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let lot = app
        .post(
            &format!("/api/v1/products/{g}/lots"),
            &ex,
            json!({"lot": "L-1"}),
        )
        .await;
    assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
    let c = commission(
        &app,
        &app.exporter,
        &g,
        "label-serials",
        json!({"serials": ["N1", "N2"], "lot": "L-1"}),
    )
    .await;
    assert!(c.status.is_success(), "{}", c.text);

    // A lot with an expiry: a Digital Link QR on this resolver by default.
    let (status, _, svg) = label(&app, &ex, &g, "?lot=L-1&expiry=2027-12-31").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&svg));
    let uri = format!("{}/01/{g}/10/L-1?17=271231", app.state.public_base_url);
    let link = DigitalLink::parse(&uri, &DlOptions::default()).expect("uri");
    let qr = Symbol::digital_link(Symbology::Qr, &link, MatrixShape::Square).expect("qr");
    assert_eq!(svg, svg_of(&qr), "{uri}");

    // A serial in GS1 DataMatrix.
    let (status, _, svg) = label(&app, &ex, &g, "?serial=N1&symbology=gs1-datamatrix").await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&svg));
    let ais = AiString::parse_bracketed(&format!("(01){g}(21)N1"), &ElementOptions::default())
        .expect("ais");
    let dm = Symbol::element_string(Symbology::Gs1DataMatrix, &ais).expect("dm");
    assert_eq!(svg, svg_of(&dm));

    // L-2 is not registered, and N1 is of lot L-1.
    let two: &[&str] = &["lot", "serial"];
    for (query, field) in [
        ("?lot=NOPE", &["lot"][..]),
        ("?serial=NEVER", &["serial"]),
        ("?serial=N1&lot=L-2", two),
        ("?lot=L-1&symbology=ean13", &["symbology"]),
        ("?x_mm=5", &["x_mm"]),
        ("?format=gif", &["format"]),
        ("?dpi=50", &["dpi"]),
        ("?format=png&dpi=100&x_mm=0.4", &["dpi"]),
        ("?symbology=code39", &["symbology"]),
        ("?expiry=2027-02-30", &["expiry"]),
    ] {
        let (status, ct, body) = label(&app, &ex, &g, query).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            String::from_utf8_lossy(&body)
        );
        assert_eq!(ct, "application/problem+json", "{query}");
        assert_eq!(fields(&body), field, "{query}");
    }

    // A decommissioned serial is no longer printed.
    let res = app
        .post(
            &format!("/api/v1/products/{g}/serials/N2/state"),
            &ex,
            json!({"state": "decommissioned", "reason": "damaged"}),
        )
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    let (status, _, _) = label(&app, &ex, &g, "?serial=N2").await;
    assert_eq!(status, StatusCode::CONFLICT);
}
