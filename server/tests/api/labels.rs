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
    helpers::{Auth, TestApp, with_auth},
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
    let res = with_auth(app.client.get(url), auth)
        .send()
        .await
        .expect("request");
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

/// The pages of `pdf` as greyscale images, by pdftoppm at `dpi`: `None` when pdftoppm is not
/// installed (then the caller skips, unless `REQUIRE_POPPLER` is set, as `.ci/run` does).
fn pages(pdf: &[u8], dpi: u32) -> Option<Vec<(u32, u32, Vec<u8>)>> {
    let dir = std::env::temp_dir().join(format!("gs1dpp-sheet-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("sheet.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let run = std::process::Command::new("pdftoppm")
        .args(["-gray", "-r", &dpi.to_string()])
        .arg(&file)
        .arg(dir.join("p"))
        .status();
    match run {
        Ok(s) => assert!(s.success(), "pdftoppm failed"),
        Err(_) if std::env::var_os("REQUIRE_POPPLER").is_some() => {
            panic!("REQUIRE_POPPLER is set but pdftoppm (poppler-utils) is not installed")
        }
        Err(_) => {
            eprintln!("pdftoppm not installed: skipping the sheet decode");
            return None;
        }
    }
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("pages")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pgm"))
        .collect();
    names.sort();
    let out = names
        .iter()
        .map(|p| {
            // P5 <w> <h> 255, one byte a pixel.
            let bytes = std::fs::read(p).expect("pgm");
            let mut fields = Vec::new();
            let mut i = 0;
            while fields.len() < 4 {
                while bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let start = i;
                while !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
            }
            let (w, h) = (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
            (w, h, bytes[i + 1..].to_vec())
        })
        .collect();
    let _ = std::fs::remove_dir_all(dir);
    Some(out)
}

/// Every QR code of a page cut into `columns` × `rows` cells inside `margin_mm`.
fn read_cells(page: &(u32, u32, Vec<u8>), columns: u32, rows: u32, margin_mm: f64) -> Vec<String> {
    let (w, h, px) = page;
    let per_mm = f64::from(*w) / 210.0;
    let m = (margin_mm * per_mm) as u32;
    let (cw, ch) = ((w - 2 * m) / columns, (h - 2 * m) / rows);
    let mut out = Vec::new();
    for r in 0..rows {
        for c in 0..columns {
            let (x0, y0) = (m + c * cw, m + r * ch);
            let mut cell = Vec::with_capacity((cw * ch) as usize);
            for y in y0..y0 + ch {
                let row = (y * w) as usize;
                cell.extend_from_slice(&px[row + x0 as usize..row + (x0 + cw) as usize]);
            }
            let mut hints =
                rxing::DecodeHints::default().with(rxing::DecodeHintValue::TryHarder(true));
            if let Ok(r) = rxing::helpers::detect_in_luma_with_hints(
                cell,
                cw,
                ch,
                Some(rxing::BarcodeFormat::QR_CODE),
                &mut hints,
            ) {
                out.push(r.getText().to_owned());
            }
        }
    }
    out
}

async fn post_sheet(
    app: &TestApp,
    body: serde_json::Value,
    key: Option<&str>,
) -> (StatusCode, Vec<u8>) {
    let mut rb = with_auth(
        app.client
            .post(format!("{}/api/v1/labels/sheets", app.base))
            .json(&body),
        &app.auth(&app.exporter),
    );
    if let Some(k) = key {
        rb = rb.header("Idempotency-Key", k);
    }
    let res = rb.send().await.expect("request");
    let status = res.status();
    (status, res.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn a_sheet_commissions_once_and_every_label_reads_back() {
    let (app, g) = setup().await;
    let ex = app.auth(&app.exporter);
    let lot = app
        .post(
            &format!("/api/v1/products/{g}/lots"),
            &ex,
            json!({"lot": "L-9"}),
        )
        .await;
    assert_eq!(lot.status, StatusCode::CREATED, "{}", lot.text);
    let body = json!({
        "gtin": g,
        "lot": "L-9",
        "range": {"prefix": "SH", "start": 1, "count": 30, "width": 3},
        "commission": true,
        "page": {"size": "a4", "columns": 4, "rows": 6, "margin_mm": 10},
    });
    // Commissioning needs an idempotency key.
    let (status, _) = post_sheet(&app, body.clone(), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, pdf) = post_sheet(&app, body.clone(), Some("sheet-1")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
    // The retry commissions nothing twice and prints the same sheet.
    let (status, again) = post_sheet(&app, body, Some("sheet-1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, pdf);
    let listed = app
        .collect(&format!("/api/v1/products/{g}/serials"), &ex, 500)
        .await;
    assert_eq!(listed.len(), 30);

    let Some(pages) = pages(&pdf, 200) else {
        return;
    };
    // 30 labels, 24 a page.
    assert_eq!(pages.len(), 2);
    let mut read: Vec<String> = pages
        .iter()
        .flat_map(|p| read_cells(p, 4, 6, 10.0))
        .collect();
    read.sort();
    let base = &app.state.public_base_url;
    let want: Vec<String> = (1..=30)
        .map(|i| format!("{base}/01/{g}/10/L-9/21/SH{i:03}"))
        .collect();
    assert_eq!(read, want);
}

#[tokio::test]
async fn a_sheet_never_holds_a_serial_the_registry_does_not_know() {
    let (app, g) = setup().await;
    let c = commission(
        &app,
        &app.exporter,
        &g,
        "known",
        json!({"serials": ["K1", "K2"]}),
    )
    .await;
    assert!(c.status.is_success(), "{}", c.text);
    for (body, field) in [
        (
            json!({"gtin": g, "serials": ["K1", "NOPE", "K2"]}),
            "serials",
        ),
        (json!({"gtin": g, "copies": 100_001}), "copies"),
        (
            json!({"gtin": g, "range": {"prefix": "R", "start": 1, "count": 100_001, "width": 6}}),
            "serials",
        ),
        (json!({"gtin": g, "symbology": "ean13"}), "symbology"),
        (
            json!({"gtin": g, "page": {"size": "a4", "columns": 10, "rows": 20}, "x_mm": 1.0}),
            "page",
        ),
        (json!({"gtin": g, "page": {"size": "letter"}}), "page.size"),
        (json!({"gtin": g, "language": "fr"}), "language"),
        (json!({"gtin": g, "commission": true}), "commission"),
    ] {
        let (status, res) = post_sheet(&app, body.clone(), None).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            String::from_utf8_lossy(&res)
        );
        assert_eq!(fields(&res), vec![field], "{body}");
    }
    let (status, res) = post_sheet(&app, json!({"gtin": g, "serials": ["K1", "NOPE"]}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&res).contains("NOPE were never commissioned"));
    // Copies of the product's own label on a roll: one a page.
    let (status, pdf) = post_sheet(
        &app,
        json!({"gtin": g, "copies": 3, "page": {"size": "roll", "width_mm": 40, "height_mm": 40}}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&pdf).contains("/Count 3 "));
}

/// A brand owner that runs its own resolver gets labels that point there.
#[tokio::test]
async fn labels_link_to_the_brand_owners_own_resolver_when_it_has_one() {
    let (app, g) = setup().await;
    let admin = app.auth(&app.admin);
    let org = format!("/api/v1/orgs/{}", app.org_a);
    for bad in [
        "http://id.brand.vn",
        "https://id.brand.vn/?x=1",
        "not a url",
    ] {
        let res = app.patch(&org, &admin, json!({"resolver_root": bad})).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(res.fields(), vec!["resolver_root"], "{bad}");
    }
    let res = app
        .patch(
            &org,
            &admin,
            json!({"resolver_root": "https://id.brand.vn/"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["resolver_root"], "https://id.brand.vn");

    let ex = app.auth(&app.exporter);
    let c = commission(
        &app,
        &app.exporter,
        &g,
        "own-resolver",
        json!({"serials": ["R1"]}),
    )
    .await;
    assert!(c.status.is_success(), "{}", c.text);
    let (status, _, svg) = label(&app, &ex, &g, "?serial=R1").await;
    assert_eq!(status, StatusCode::OK);
    let uri = format!("https://id.brand.vn/01/{g}/21/R1");
    let link = DigitalLink::parse(&uri, &DlOptions::default()).expect("uri");
    let qr = Symbol::digital_link(Symbology::Qr, &link, MatrixShape::Square).expect("qr");
    assert_eq!(svg, svg_of(&qr), "{uri}");

    // Cleared: back to this platform's resolver.
    let res = app
        .patch(&org, &admin, json!({"resolver_root": null}))
        .await;
    assert_eq!(res.body["resolver_root"], serde_json::Value::Null);
    let (_, _, svg) = label(&app, &ex, &g, "?serial=R1").await;
    let uri = format!("{}/01/{g}/21/R1", app.state.public_base_url);
    let link = DigitalLink::parse(&uri, &DlOptions::default()).expect("uri");
    let qr = Symbol::digital_link(Symbology::Qr, &link, MatrixShape::Square).expect("qr");
    assert_eq!(svg, svg_of(&qr), "{uri}");
}
