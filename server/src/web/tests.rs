//! Rendering checks on the HTML text; the headless-browser checks are in `tests/api/page.rs`.

use chrono::NaiveDate;

use super::{
    Lang,
    page::{AccreditationView, AlertView, CertificateView, MakerView, PageView, ProductView},
    render,
};
use verdict::{
    AccreditationAtIssue, AlertFacts, AlertKind, CertificateFacts, CertificateStatus, Facts,
    Verdict, evaluate,
};

fn recall(lots: &[&str]) -> AlertView {
    AlertView {
        kind: "recall".into(),
        title: "Thu hồi lô hạt tiêu nhiễm nấm mốc".into(),
        description: None,
        raised_by: "Cục Quản lý thị trường".into(),
        lots: lots.iter().map(|l| l.to_string()).collect(),
        reference: Some("QLTT-2026-01".into()),
    }
}

/// A registered coffee with a valid, internationally recognised certificate, judged by the real
/// rules so the reasons are the ones the resolver would pass.
fn coffee(lang: Lang, alerts: Vec<AlertView>, lot: Option<&str>) -> PageView {
    let now = NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default();
    let mut facts = Facts::registered(now);
    facts.lot = lot.map(String::from);
    facts.certificates.push(CertificateFacts {
        number: "QUACERT-001".into(),
        status: CertificateStatus::Valid,
        issue_date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default(),
        expiry: NaiveDate::from_ymd_opt(2028, 5, 31),
        accreditation: AccreditationAtIssue::Accredited {
            internationally_recognised: true,
        },
    });
    facts.alerts = alerts
        .iter()
        .map(|a| AlertFacts {
            title: a.title.clone(),
            kind: AlertKind::Recall,
            lots: a.lots.clone(),
        })
        .collect();
    PageView {
        lang,
        scanned: "https://id.example.vn/01/08934567000014".into(),
        gtin: Some("08934567000014".into()),
        lot: lot.map(String::from),
        assessment: evaluate(&facts),
        product: Some(ProductView {
            gtin: "08934567000014".into(),
            name_vi: "Cà phê Robusta rang xay".into(),
            name_en: "Roasted ground Robusta coffee".into(),
            brand: Some("Tây Nguyên".into()),
            net_content: Some("500".into()),
            net_content_unit: Some("GRM".into()),
            country_of_origin: Some("VN".into()),
            ..Default::default()
        }),
        maker: Some(MakerView {
            name: "Công ty TNHH Cà phê Tây Nguyên".into(),
            country: Some("VN".into()),
        }),
        certificates: vec![CertificateView {
            number: "QUACERT-001".into(),
            kind: "certificate".into(),
            status: "valid".into(),
            issue_date: "2025-06-01".into(),
            expiry_date: Some("2028-05-31".into()),
            cab_name: "QUACERT".into(),
            accreditation: Some(AccreditationView {
                body_name: "Bureau of Accreditation (BoA)".into(),
                number: "VICAS-017".into(),
                internationally_recognised: true,
            }),
        }],
        alerts,
        passport_url: Some("https://id.example.vn/api/v1/products/08934567000014/passport".into()),
        ..Default::default()
    }
}

/// The text of the element carrying `data-testid="{id}"` (its first text run).
fn testid_text<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')?;
    Some(&rest[start..start + end])
}

#[test]
fn verified_coffee_in_vietnamese_and_english() {
    let vi = render(&coffee(Lang::Vi, vec![], None));
    assert!(vi.starts_with("<!DOCTYPE html><html lang=\"vi\">"), "{vi}");
    assert!(vi.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#));
    assert_eq!(testid_text(&vi, "verdict"), Some("Đã xác thực"));
    assert_eq!(
        testid_text(&vi, "product-name"),
        Some("Cà phê Robusta rang xay")
    );
    assert!(
        vi.contains("Roasted ground Robusta coffee"),
        "the other name as a second line"
    );
    assert!(vi.contains("Giấy chứng nhận còn hiệu lực."));
    assert!(
        vi.contains("certificate QUACERT-001 is valid"),
        "the English detail stays"
    );
    assert!(vi.contains("Bureau of Accreditation (BoA)") && vi.contains("VICAS-017"));
    assert!(vi.contains("Được thừa nhận quốc tế (ILAC/IAF)"));
    assert!(vi.contains("500 g") && vi.contains("Việt Nam"));
    assert!(vi.contains(r#"href="?lang=en""#));
    assert!(vi.contains(r#"data-testid="certificates""#));
    assert!(vi.contains(r#"data-testid="passport-link""#));
    assert!(!vi.contains("data-testid=\"recall-banner\""));

    let en = render(&coffee(Lang::En, vec![], None));
    assert!(en.starts_with("<!DOCTYPE html><html lang=\"en\">"));
    assert_eq!(testid_text(&en, "verdict"), Some("Verified"));
    assert_eq!(
        testid_text(&en, "product-name"),
        Some("Roasted ground Robusta coffee")
    );
    assert!(en.contains(r#"href="?lang=vi""#));
    assert!(en.contains("Tiếng Việt"));
}

#[test]
fn the_verdict_comes_first() {
    let html = render(&coffee(Lang::Vi, vec![recall(&[])], None));
    let at = |needle: &str| html.find(needle).unwrap_or(usize::MAX);
    assert!(at("data-testid=\"verdict\"") < at("data-testid=\"recall-banner\""));
    assert!(at("data-testid=\"recall-banner\"") < at("data-testid=\"product-name\""));
    assert!(at("data-testid=\"product-name\"") < at("data-testid=\"certificates\""));
}

#[test]
fn the_recall_banner_shows_only_for_a_recall_that_may_concern_the_pack() {
    let banner = |view: &PageView| render(view).contains("data-testid=\"recall-banner\"");
    assert!(!banner(&coffee(Lang::Vi, vec![], None)));
    // Every lot.
    let view = coffee(Lang::Vi, vec![recall(&[])], None);
    assert_eq!(view.assessment.verdict, Verdict::NonCompliant);
    let html = render(&view);
    assert!(html.contains("data-testid=\"recall-banner\""));
    assert!(html.contains("Sản phẩm bị thu hồi") && html.contains("Tất cả các lô"));
    assert!(html.contains("QLTT-2026-01") && html.contains("Cục Quản lý thị trường"));
    assert_eq!(testid_text(&html, "verdict"), Some("Không phù hợp"));
    // The scanned lot is recalled.
    assert!(banner(&coffee(Lang::Vi, vec![recall(&["L1"])], Some("L1"))));
    // Some lots are recalled and the scan has no lot: the consumer must check the pack.
    let html = render(&coffee(Lang::En, vec![recall(&["L1"])], None));
    assert!(html.contains("data-testid=\"recall-banner\""));
    assert!(html.contains("compare with the lot printed on the pack"));
    // Another lot is recalled: a note, no banner.
    let html = render(&coffee(Lang::Vi, vec![recall(&["L1"])], Some("L2")));
    assert!(!html.contains("data-testid=\"recall-banner\""));
    assert!(html.contains("không phải lô của bạn"));
}

#[test]
fn everything_is_escaped_and_nothing_runs() {
    let mut view = coffee(Lang::En, vec![recall(&[])], None);
    if let Some(p) = view.product.as_mut() {
        p.name_en = "<script>alert('x')</script> & co".into();
        p.image_url = Some("javascript:alert(1)".into());
    }
    view.alerts[0].title = "\"><img src=x onerror=alert(1)>".into();
    view.passport_url = Some("javascript:alert(1)".into());
    view.links = vec![super::page::LinkView {
        title: "Evil".into(),
        href: "JavaScript:alert(1)".into(),
    }];
    let html = render(&view);
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"));
    assert!(!html.contains("src=\"javascript:"));
    assert!(!html.contains("data-testid=\"passport-link\""));
    assert!(html.contains("Evil"), "an unsafe link stays as text");
}

#[test]
fn a_missing_name_falls_back_to_the_other_language() {
    let mut view = coffee(Lang::En, vec![], None);
    if let Some(p) = view.product.as_mut() {
        p.name_en = " ".into();
    }
    assert_eq!(
        testid_text(&render(&view), "product-name"),
        Some("Cà phê Robusta rang xay")
    );
}

#[test]
fn unknown_and_invalid_codes_have_no_product_section() {
    let now = NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default();
    let mut facts = Facts::registered(now);
    facts.product = None;
    let view = PageView {
        scanned: "https://id.example.vn/01/08934567999996".into(),
        gtin: Some("08934567999996".into()),
        assessment: evaluate(&facts),
        ..Default::default()
    };
    let html = render(&view);
    assert_eq!(testid_text(&html, "verdict"), Some("Chưa đăng ký"));
    assert!(!html.contains("data-testid=\"product-name\""));
    assert!(!html.contains("data-testid=\"certificates\""));
    assert!(html.contains("08934567999996"));
    assert!(html.contains("doanh nghiệp chưa đăng ký sản phẩm"));

    facts.invalid = Some("(01) check digit is wrong".into());
    let view = PageView {
        lang: Lang::En,
        scanned: "0108934567000015".into(),
        assessment: evaluate(&facts),
        ..Default::default()
    };
    let html = render(&view);
    assert_eq!(testid_text(&html, "verdict"), Some("Invalid code"));
    assert!(html.contains("(01) check digit is wrong"));
    assert!(html.contains("0108934567000015"));
    assert!(!html.contains("data-testid=\"product-name\""));
}

#[test]
fn a_scanned_serial_shows_its_state() {
    let mut view = coffee(Lang::Vi, vec![], Some("CF2026A"));
    view.serial = Some("CF0001".into());
    view.serial_state = Some("shipped".into());
    let html = render(&view);
    assert!(html.contains("CF0001") && html.contains("Đã xuất xưởng") && html.contains("CF2026A"));
    view.serial_state = None;
    assert!(render(&view).contains("Không có trong sổ đăng ký"));
}

#[test]
fn the_journey_shows_steps_dates_and_countries_in_either_language() {
    let step = |date: &str, biz: &str, country: &str| crate::web::journey::JourneyStep {
        date: date.into(),
        biz_step: Some(biz.into()),
        country: Some(country.into()),
    };
    let mut view = coffee(Lang::Vi, vec![], Some("L1"));
    assert!(
        !render(&view).contains("data-testid=\"journey\""),
        "no steps, no section"
    );
    view.journey = vec![
        step("2026-11-01", "commissioning", "VN"),
        step("2026-11-20", "receiving", "DE"),
        step("2026-11-21", "cbv-unknown-step", "ZZ"),
    ];
    let vi = render(&view);
    let section = &vi[vi.find("data-testid=\"journey\"").unwrap_or(0)..];
    assert!(section.contains("Hành trình sản phẩm"), "{section}");
    assert!(section.contains("2026-11-01") && section.contains("Sản xuất, cấp mã"));
    assert!(
        section.contains("Nhận hàng") && section.contains("Đức"),
        "{section}"
    );
    assert!(
        section.contains("cbv-unknown-step") && section.contains("ZZ"),
        "unknown words are shown as written"
    );
    view.lang = Lang::En;
    let en = render(&view);
    assert!(en.contains("Journey") && en.contains("Received") && en.contains("Germany"));
    let at = |h: &str, needle: &str| h.find(needle).unwrap_or(usize::MAX);
    assert!(at(&en, "data-testid=\"verdict\"") < at(&en, "data-testid=\"journey\""));
}
