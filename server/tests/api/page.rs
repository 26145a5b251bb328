//! The consumer page in a real browser: headless Chromium driven through chromedriver's W3C
//! WebDriver HTTP API, in a 375 px wide window (a small phone). Checks that the verdict and the
//! product name are shown, inside the screen, with no sideways scrolling, and saves screenshots
//! to `target/screenshots/`.
//!
//! Without `chromium`/`chromedriver` the tests say so and pass, unless `REQUIRE_CHROMIUM` is set
//! (CI sets it), so `cargo test` still works on a machine without a browser.

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    time::{Duration, Instant},
};

use base64::Engine;
use serde_json::{Value, json};
use server::web::{
    Lang,
    page::{AccreditationView, AlertView, CertificateView, MakerView, PageView, ProductView},
    render,
};
use verdict::{Assessment, Reason, Verdict};

use crate::{helpers::spawn_app, seed::seed};

const WIDTH: i64 = 375;
const HEIGHT: i64 = 812;
/// The W3C name of the key holding an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `name` on `PATH`, then in `/usr/bin`.
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The browser and its driver, or `None` (after saying why) when they are missing and not
/// required.
fn tools() -> Option<(PathBuf, PathBuf)> {
    match (find("chromium"), find("chromedriver")) {
        (Some(browser), Some(driver)) => Some((browser, driver)),
        _ if std::env::var_os("REQUIRE_CHROMIUM").is_some() => panic!(
            "REQUIRE_CHROMIUM is set but chromium or chromedriver is not installed \
             (apt-get install chromium chromium-driver)"
        ),
        _ => {
            eprintln!(
                "skipped: chromium or chromedriver is not installed; set REQUIRE_CHROMIUM=1 to \
                 make this a failure"
            );
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A chromedriver process with one Chromium session; dropping it ends the session, kills the
/// driver and removes the browser profile.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
    http: reqwest::Client,
}

impl Browser {
    async fn start(browser: &Path, driver: &Path) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let profile = std::env::temp_dir().join(format!(
            "gs1dpp-chromium-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&profile).expect("profile dir");
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let mut me = Self {
            driver: child,
            port,
            session: String::new(),
            profile,
            http,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = me.call(reqwest::Method::GET, "/status", None).await;
            if ready.as_ref().is_ok_and(|v| v["ready"] == true) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver is not ready: {ready:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            // Phones draw overlay scrollbars; a classic one would take 15 of the 375 px.
            "--hide-scrollbars".to_owned(),
            format!("--window-size={WIDTH},{HEIGHT}"),
            format!("--user-data-dir={}", me.profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": browser, "args": args},
        }}});
        let session = me
            .call(reqwest::Method::POST, "/session", Some(caps))
            .await
            .unwrap_or_else(|e| panic!("no Chromium session: {e}"));
        me.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        me
    }

    /// One WebDriver command; its `value`, or the error it returned.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = res.status();
        let body: Value = res.json().await.map_err(|e| format!("{path}: {e}"))?;
        if status.is_success() {
            Ok(body["value"].clone())
        } else {
            let v = &body["value"];
            Err(format!("{path}: {status} {}: {}", v["error"], v["message"]))
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    async fn get(&self, path: &str) -> Value {
        self.cmd(reqwest::Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.cmd(reqwest::Method::POST, path, Some(body)).await
    }

    async fn script(&self, js: &str) -> Value {
        self.post("/execute/sync", json!({"script": js, "args": []}))
            .await
    }

    /// Sizes the window so that the viewport (not the window) is 375 × 812, whatever the
    /// window's own decorations take.
    async fn phone_viewport(&self) {
        self.viewport(HEIGHT).await;
        assert_eq!(self.script("return window.innerWidth").await, json!(WIDTH));
    }

    async fn viewport(&self, height: i64) {
        let size = self
            .script("return [window.innerWidth, window.innerHeight, window.outerWidth, window.outerHeight]")
            .await;
        let n = |i: usize| size[i].as_i64().unwrap_or_default();
        if (n(0), n(1)) != (WIDTH, height) {
            let rect = json!({"width": WIDTH + n(2) - n(0), "height": height + n(3) - n(1)});
            self.post("/window/rect", rect).await;
        }
    }
    async fn find(&self, css: &str) -> String {
        let found = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    /// Saves the viewport as `target/screenshots/{name}.png`.
    async fn screenshot(&self, name: &str) -> PathBuf {
        save_png(name, &self.get("/screenshot").await)
    }
}

/// Decodes a base64 PNG, checks it is 375 px wide and saves it as
/// `target/screenshots/{name}.png`.
fn save_png(name: &str, b64: &Value) -> PathBuf {
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64.as_str().expect("base64 screenshot"))
        .expect("valid base64");
    assert_eq!(png.get(1..4), Some(&b"PNG"[..]), "not a PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().expect("IHDR width"));
    assert_eq!(i64::from(width), WIDTH, "{name}: screenshot width");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write screenshot");
    path
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session makes chromedriver close Chromium; killing the driver alone would
        // leave the browser running. Drop cannot await, so this is one plain HTTP request.
        if !self.session.is_empty()
            && let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port))
        {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let req = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n",
                self.session, self.port
            );
            if s.write_all(req.as_bytes()).is_ok() {
                let _ = s.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Loads `url` and checks the verdict and the product name as a phone user would see them.
async fn check_page(b: &Browser, url: &str, shot: &str, verdict: &str, product: &str) {
    b.post("/url", json!({"url": url})).await;
    b.phone_viewport().await;
    for (css, want) in [
        ("[data-testid=verdict]", verdict),
        ("[data-testid=product-name]", product),
    ] {
        let el = b.find(css).await;
        assert_eq!(
            b.get(&format!("/element/{el}/displayed")).await,
            json!(true),
            "{css} is hidden"
        );
        let text = b.get(&format!("/element/{el}/text")).await;
        assert_eq!(text.as_str().map(str::trim), Some(want), "{css} on {url}");
        let r = b.get(&format!("/element/{el}/rect")).await;
        let (x, y, w) = (
            r["x"].as_f64().unwrap_or(-1.0),
            r["y"].as_f64().unwrap_or(f64::MAX),
            r["width"].as_f64().unwrap_or(f64::MAX),
        );
        assert!(
            x >= 0.0 && x + w <= WIDTH as f64,
            "{css} is outside the 375 px screen: {r}"
        );
        if css.contains("verdict") {
            assert!(
                y < HEIGHT as f64,
                "the verdict is below the first screen: {r}"
            );
        }
    }
    let scroll = b
        .script("return document.documentElement.scrollWidth")
        .await;
    assert!(
        scroll.as_i64().is_some_and(|w| w <= WIDTH),
        "the page scrolls sideways: scrollWidth {scroll}"
    );
    let path = b.screenshot(shot).await;
    eprintln!("screenshot: {}", path.display());
    // The whole page too, for a person to look at (Chromium's own command: WebDriver only
    // captures the viewport, and a window taller than the screen gets resized).
    let height = b
        .script("return document.documentElement.scrollHeight")
        .await;
    let clip = json!({"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1});
    let full = b
        .post(
            "/goog/cdp/execute",
            json!({"cmd": "Page.captureScreenshot",
                   "params": {"captureBeyondViewport": true, "clip": clip}}),
        )
        .await;
    let path = save_png(&format!("{shot}-full"), &full["data"]);
    eprintln!("screenshot: {}", path.display());
}

/// Answers every request on a fresh local port with `html`; the thread ends with the process.
fn serve(html: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 8192];
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                html.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(html.as_bytes());
        }
    });
    format!("http://{addr}/01/08934567000021/10/PP2025R")
}

fn reason(code: &'static str, severity: Verdict, detail: &str) -> Reason {
    Reason {
        code,
        severity,
        detail: detail.to_owned(),
    }
}

/// The demo pepper, scanned with its recalled lot: a recall, an expired certificate and a
/// valid one, an accredited CAB.
fn recalled_pepper() -> PageView {
    PageView {
        lang: Lang::Vi,
        scanned: "https://id.gs1dpp.vn/01/08934567000021/10/PP2025R".into(),
        gtin: Some("08934567000021".into()),
        lot: Some("PP2025R".into()),
        assessment: Assessment {
            verdict: Verdict::NonCompliant,
            reasons: vec![
                reason(
                    "recall",
                    Verdict::NonCompliant,
                    "recalled: Thu hồi lô hạt tiêu nhiễm nấm mốc / Recall of mould-contaminated pepper lot",
                ),
                reason(
                    "certificate_expired",
                    Verdict::Warning,
                    "certificate QUACERT-DEMO-002 expired on 2024-01-14",
                ),
                reason(
                    "internationally_recognised",
                    Verdict::Verified,
                    "certificate QUACERT-DEMO-002 was issued under an accreditation recognised through ILAC/IAF",
                ),
            ],
        },
        product: Some(ProductView {
            gtin: "08934567000021".into(),
            name_vi: "Hạt tiêu đen Tây Nguyên loại 1".into(),
            name_en: "Central Highlands black pepper, grade 1".into(),
            brand: Some("Tây Nguyên".into()),
            description_vi: Some("Hạt tiêu đen phơi nắng, đóng gói 250 g.".into()),
            description_en: Some("Sun-dried black pepper, 250 g pack.".into()),
            net_content: Some("250".into()),
            net_content_unit: Some("GRM".into()),
            country_of_origin: Some("VN".into()),
            ..Default::default()
        }),
        maker: Some(MakerView {
            name: "Công ty TNHH Cà phê Tây Nguyên".into(),
            country: Some("VN".into()),
        }),
        certificates: vec![
            CertificateView {
                number: "QUACERT-DEMO-002".into(),
                kind: "certificate".into(),
                status: "expired".into(),
                issue_date: "2021-01-15".into(),
                expiry_date: Some("2024-01-14".into()),
                cab_name: "QUACERT".into(),
                accreditation: Some(AccreditationView {
                    body_name: "Bureau of Accreditation (BoA)".into(),
                    number: "VICAS-DEMO-017".into(),
                    internationally_recognised: true,
                }),
            },
            CertificateView {
                number: "VINACONTROL-TR-88".into(),
                kind: "test_report".into(),
                status: "valid".into(),
                issue_date: "2026-02-10".into(),
                expiry_date: None,
                cab_name: "Vinacontrol".into(),
                accreditation: None,
            },
        ],
        alerts: vec![AlertView {
            kind: "recall".into(),
            title: "Thu hồi lô hạt tiêu nhiễm nấm mốc / Recall of mould-contaminated pepper lot"
                .into(),
            description: Some("Phát hiện nấm mốc trong lô PP2025R.".into()),
            raised_by: "Cục Quản lý thị trường".into(),
            lots: vec!["PP2025R".into()],
            reference: Some("QLTT-DEMO-2026-01".into()),
        }],
        passport_url: Some(
            "https://id.gs1dpp.vn/api/v1/products/08934567000021/passport/versions/1".into(),
        ),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_rendered_page_fits_a_phone_in_chromium() {
    let Some((browser, driver)) = tools() else {
        return;
    };
    let view = recalled_pepper();
    let url = serve(render(&view));
    let b = Browser::start(&browser, &driver).await;
    check_page(
        &b,
        &url,
        "page-recall-vi",
        "Không phù hợp",
        "Hạt tiêu đen Tây Nguyên loại 1",
    )
    .await;
    let banner = b.find("[data-testid=recall-banner]").await;
    assert_eq!(
        b.get(&format!("/element/{banner}/displayed")).await,
        json!(true)
    );
    let certs = b.find("[data-testid=certificates]").await;
    let text = b.get(&format!("/element/{certs}/text")).await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("QUACERT-DEMO-002") && text.contains("Bureau of Accreditation (BoA)"),
        "{text}"
    );
    b.find("[data-testid=passport-link]").await;

    // The same product in English once the recall is lifted and the certificate renewed.
    let mut view = recalled_pepper();
    view.lang = Lang::En;
    view.alerts.clear();
    view.certificates[0].status = "valid".into();
    view.certificates[0].expiry_date = Some("2029-01-14".into());
    view.assessment = Assessment {
        verdict: Verdict::Verified,
        reasons: vec![
            reason(
                "certificate_valid",
                Verdict::Verified,
                "certificate QUACERT-DEMO-002 is valid",
            ),
            reason(
                "internationally_recognised",
                Verdict::Verified,
                "certificate QUACERT-DEMO-002 was issued under an accreditation recognised through ILAC/IAF",
            ),
        ],
    };
    let url = serve(render(&view));
    check_page(
        &b,
        &url,
        "page-verified-en",
        "Verified",
        "Central Highlands black pepper, grade 1",
    )
    .await;
    let none = b
        .post(
            "/elements",
            json!({"using": "css selector", "value": "[data-testid=recall-banner]"}),
        )
        .await;
    assert_eq!(none, json!([]), "a banner without a recall");
}

#[tokio::test]
async fn the_demo_coffee_page_fits_a_phone_in_chromium() {
    let Some((browser, driver)) = tools() else {
        return;
    };
    let app = spawn_app().await;
    let demo = seed(&app, &["--demo"]);
    let gtin = demo["gtins"]["valid_certificate"]
        .as_str()
        .expect("the coffee's GTIN");
    let b = Browser::start(&browser, &driver).await;
    // The coffee: registered, a valid certificate from an accredited CAB, nothing against it.
    for (lang, verdict, name) in [
        ("vi", "Đã xác thực", "Cà phê Robusta rang xay"),
        ("en", "Verified", "Roasted ground Robusta coffee"),
    ] {
        // The coffee has a brand-owner default; our page is its verification service.
        let url = format!(
            "{}/01/{gtin}?linkType=gs1:verificationService&lang={lang}",
            app.base
        );
        check_page(&b, &url, &format!("demo-coffee-{lang}"), verdict, name).await;
    }
    // What a phone does with the QR of a product without a brand-owner default: the resolver
    // redirects (307) to our page, which Chromium follows.
    let rice = demo["gtins"]["uncertified"]
        .as_str()
        .expect("the rice's GTIN");
    let url = format!("{}/01/{rice}?lang=vi", app.base);
    check_page(&b, &url, "demo-rice-vi", "Cần lưu ý", "Gạo ST25").await;
}
