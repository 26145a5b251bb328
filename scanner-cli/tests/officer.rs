//! gs1scan as an inspector uses it, against the real platform (started in this process with
//! the demo data, on SQLite or on `TEST_DATABASE_URL`'s PostgreSQL): labels printed by
//! `gs1scan label` are scanned online and offline, inspections are queued while the server is
//! down and sent once, passports verify with the network off.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::mpsc,
};

use serde_json::Value;
use server::config::Settings;

/// The platform, running on its own thread.
struct Platform {
    base: String,
    port: u16,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Platform {
    fn start(mut settings: Settings, port: u16) -> Self {
        settings.bind = format!("127.0.0.1:{port}");
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let app = server::startup::Application::build(settings)
                    .await
                    .expect("build the platform");
                tx.send((app.port(), app.handle()))
                    .expect("report the port");
                app.run_until_stopped().await.expect("serve");
            });
        });
        let (port, handle) = rx.recv().expect("the platform starts");
        Self {
            base: format!("http://127.0.0.1:{port}"),
            port,
            handle,
            thread: Some(thread),
        }
    }

    fn stop(mut self) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(self.handle.stop(false));
        if let Some(t) = self.thread.take() {
            t.join().expect("the platform thread ends");
        }
    }
}

/// A fresh database: SQLite in the data folder, or a schema of `TEST_DATABASE_URL`.
fn settings(dir: &Path) -> Settings {
    let url = match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(base) => {
            use diesel::{Connection, RunQueryDsl};
            let schema = format!("gs1scan_{}", uuid::Uuid::now_v7().simple());
            let mut conn = diesel::PgConnection::establish(&base).expect("TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE SCHEMA {schema}"))
                .execute(&mut conn)
                .expect("create schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-csearch_path%3D{schema}")
        }
        None => format!("sqlite://{}/test.db", dir.display()),
    };
    let mut s = Settings::new(url, dir.join("data"));
    s.workers = 1;
    s.db_pool_size = 4;
    s
}

/// Runs gs1scan with its state in `home`.
fn gs1scan(home: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_gs1scan"))
        .args(args)
        .env("GS1SCAN_HOME", home)
        .env_remove("GS1DPP_SERVER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gs1scan");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(s) = stdin {
        pipe.write_all(s.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("gs1scan ends")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "gs1scan failed ({:?}): {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `scan --json` rows by file name.
fn rows(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn verdict_of<'a>(rows: &'a [Value], file: &str) -> &'a str {
    rows.iter()
        .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(file)))
        .and_then(|r| r["verdict"].as_str())
        .unwrap_or_else(|| panic!("no row for {file} in {rows:?}"))
}

fn lookup(base: &str, code: &str) -> Value {
    let url = format!("{base}/api/v1/lookup");
    let mut res = ureq::get(&url).query("code", code).call().expect("lookup");
    serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("json")
}

#[test]
fn an_inspector_scans_labels_online_and_offline_and_inspects_once() {
    let tmp = std::env::temp_dir().join(format!("gs1scan-e2e-{}", uuid::Uuid::now_v7().simple()));
    let home = tmp.join("home");
    let labels = tmp.join("labels");
    std::fs::create_dir_all(&labels).expect("folders");
    let settings = settings(&tmp);
    let platform = Platform::start(settings.clone(), 0);
    let demo = server::seed::demo(&settings).expect("seed --demo");
    let base = platform.base.clone();
    let s = |k: &str| {
        demo[k]
            .as_str()
            .unwrap_or_else(|| panic!("demo has no {k}"))
            .to_owned()
    };
    let g = |k: &str| demo["gtins"][k].as_str().expect("gtin").to_owned();

    // Labels as the platform prints them, one per verdict the demo data holds.
    let cases: [(&str, String, &str); 5] = [
        (
            "coffee.png",
            format!(
                "(01){}(10){}(21){}",
                g("with_serial"),
                s("lot"),
                s("serial")
            ),
            "gs1-datamatrix",
        ),
        (
            "pepper.png",
            format!("(01){}(10){}", g("recalled"), s("recalled_lot")),
            "gs1-128",
        ),
        ("cashew.png", g("withdrawn_certificate"), "ean13"),
        ("rice.png", g("uncertified"), "ean13"),
        ("unknown.png", s("unknown_valid_gtin"), "ean13"),
    ];
    for (file, code, symbology) in &cases {
        let path = labels.join(file);
        ok(&gs1scan(
            &home,
            &[
                "label",
                code,
                "-o",
                path.to_str().expect("path"),
                "--symbology",
                symbology,
            ],
            None,
        ));
    }
    std::fs::write(labels.join("broken.png"), b"not a picture").expect("write");

    // Online: each label's verdict is the server's lookup of the same code.
    let online = gs1scan(
        &home,
        &[
            "scan",
            labels.to_str().expect("path"),
            "--json",
            "--server",
            &base,
        ],
        None,
    );
    let online_rows = rows(&online);
    assert_eq!(online_rows.len(), 6, "{online_rows:?}");
    assert_eq!(verdict_of(&online_rows, "broken.png"), "error");
    for (file, code, _) in &cases {
        let expected = lookup(&base, code)["verdict"]
            .as_str()
            .expect("verdict")
            .to_owned();
        assert_eq!(verdict_of(&online_rows, file), expected, "{file}");
    }
    assert_eq!(verdict_of(&online_rows, "pepper.png"), "non_compliant");
    assert_eq!(verdict_of(&online_rows, "cashew.png"), "non_compliant");
    assert_eq!(verdict_of(&online_rows, "unknown.png"), "unknown");
    assert_eq!(
        online.status.code(),
        Some(3),
        "an unreadable file is an error"
    );

    // Without the broken file the worst is a non-compliant product; the coffee alone passes.
    std::fs::remove_file(labels.join("broken.png")).expect("remove");
    let out = gs1scan(
        &home,
        &["scan", labels.to_str().expect("path"), "--server", &base],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("FILE"), "{table}");
    assert!(table.contains("certificate_withdrawn"), "{table}");
    let coffee = labels.join("coffee.png");
    let out = gs1scan(
        &home,
        &[
            "scan",
            coffee.to_str().expect("path"),
            "--csv",
            "--server",
            &base,
        ],
        None,
    );
    let expected_coffee = verdict_of(&online_rows, "coffee.png").to_owned();
    let exit = match expected_coffee.as_str() {
        "verified" => 0,
        "warning" => 1,
        other => panic!("the demo coffee is {other}"),
    };
    assert_eq!(out.status.code(), Some(exit));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("file,code,product,verdict,reasons\n")
    );

    // A decode that runs out of time is reported for its image; the others are judged. A
    // 16-megapixel photo of noise runs every pass and takes seconds; a label takes milliseconds.
    let slow = tmp.join("slow");
    std::fs::create_dir_all(&slow).expect("folder");
    std::fs::copy(&coffee, slow.join("coffee.png")).expect("copy");
    std::fs::write(slow.join("noise.bmp"), noise_bmp(4000)).expect("write");
    let out = gs1scan(
        &home,
        &[
            "scan",
            slow.to_str().expect("path"),
            "--json",
            "--timeout-ms",
            "500",
            "--server",
            &base,
        ],
        None,
    );
    let timed_out = rows(&out);
    assert_eq!(timed_out.len(), 2, "every image has its row: {timed_out:?}");
    assert_eq!(verdict_of(&timed_out, "coffee.png"), expected_coffee);
    let noise = timed_out
        .iter()
        .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with("noise.bmp")))
        .expect("noise row");
    assert_eq!(noise["verdict"], "error");
    assert!(
        noise["error"]
            .as_str()
            .is_some_and(|e| e.contains("longer than")),
        "{noise}"
    );
    assert_eq!(out.status.code(), Some(3));

    // The inspector signs in, caches keys and the pack; then the server goes away.
    let inspector = &demo["users"]["inspector"];
    let password = format!("{}\n", inspector["password"].as_str().expect("password"));
    ok(&gs1scan(
        &home,
        &[
            "login",
            "--server",
            &base,
            "--email",
            inspector["email"].as_str().expect("email"),
            "--password-stdin",
        ],
        Some(&password),
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.join("session.json"))
            .expect("session")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the token is readable by its owner only"
        );
    }
    // The customs check of the demo pallet: the demo serial is on it, judged.
    let sscc = s("sscc");
    let out = gs1scan(&home, &["shipment", &format!("(00){sscc}"), "--json"], None);
    let shipment: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let serial = s("serial");
    let items = shipment["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items.iter().any(|i| i["serial"] == serial.as_str()),
        "{shipment}"
    );
    assert_eq!(
        shipment["summary"]["items"].as_u64(),
        Some(items.len() as u64)
    );
    let text = gs1scan(&home, &["shipment", &sscc], None);
    let printed = String::from_utf8_lossy(&text.stdout);
    assert!(printed.starts_with(&format!("SSCC {sscc}: ")), "{printed}");
    assert!(printed.contains(serial.as_str()), "{printed}");
    assert!(matches!(text.status.code(), Some(0..=2)), "{printed}");
    let bad = gs1scan(&home, &["shipment", "08934567000017"], None);
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an SSCC"));
    let fetched = ok(&gs1scan(&home, &["pack", "fetch", "--serials"], None));
    assert!(fetched.contains("status pack"), "{fetched}");
    let again = ok(&gs1scan(&home, &["pack", "fetch", "--serials"], None));
    assert!(
        again.contains("up to date") || again.contains("0 product(s) changed"),
        "{again}"
    );

    let passport_url = s("passport_version_url");
    let jws_path = passport_url
        .find("/api/")
        .map(|i| &passport_url[i..])
        .expect("path");
    let mut res = ureq::get(&format!("{base}{jws_path}/jws"))
        .call()
        .expect("passport jws");
    let jws = res.body_mut().read_to_string().expect("jws");
    let jws_file = tmp.join("passport.jws");
    std::fs::write(&jws_file, &jws).expect("write");

    platform.stop();

    let offline = gs1scan(
        &home,
        &[
            "scan",
            labels.to_str().expect("path"),
            "--json",
            "--offline",
        ],
        None,
    );
    let offline_rows = rows(&offline);
    for (file, _, _) in &cases {
        assert_eq!(
            verdict_of(&offline_rows, file),
            verdict_of(&online_rows, file),
            "offline judges {file} as the server did"
        );
    }
    let coffee_row = offline_rows
        .iter()
        .find(|r| {
            r["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("coffee.png"))
        })
        .expect("coffee");
    let reasons: Vec<&str> = coffee_row["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert!(reasons.contains(&"offline_status"), "{reasons:?}");
    assert_eq!(offline.status.code(), Some(2));
    // A pack older than the allowed age warns.
    let stale = gs1scan(
        &home,
        &[
            "lookup",
            &cases[0].1,
            "--offline",
            "--max-pack-age",
            "0",
            "--json",
        ],
        None,
    );
    let stale: Value = serde_json::from_slice(&stale.stdout).expect("json");
    assert!(
        stale["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["code"] == "offline_pack_stale"),
        "{stale}"
    );

    // The passport verifies with the network off; an altered one does not.
    let verified = ok(&gs1scan(
        &home,
        &["verify", jws_file.to_str().expect("path")],
        None,
    ));
    assert!(verified.starts_with("VALID"), "{verified}");
    let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    std::fs::write(&jws_file, parts.join(".")).expect("write");
    let altered = gs1scan(&home, &["verify", jws_file.to_str().expect("path")], None);
    assert_eq!(altered.status.code(), Some(1));

    // An inspection while offline is queued, sent once the network is back, and only once.
    let queued = ok(&gs1scan(
        &home,
        &[
            "inspect",
            coffee.to_str().expect("path"),
            "--outcome",
            "suspect",
            "--note",
            "label looks reprinted",
            "--place",
            "VN-LS",
        ],
        None,
    ));
    assert!(queued.contains("queued"), "{queued}");
    let queue: Vec<PathBuf> = std::fs::read_dir(home.join("queue"))
        .expect("queue")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(queue.len(), 1);
    let kept = std::fs::read(&queue[0]).expect("read queued");

    let platform = Platform::start(settings.clone(), port_of(&base));
    let sent = ok(&gs1scan(&home, &["sync"], None));
    assert!(sent.contains("sent 1"), "{sent}");
    // The answer was lost, say: the same inspection is sent again, and recorded once.
    std::fs::write(&queue[0], &kept).expect("restore");
    let resent = ok(&gs1scan(&home, &["sync"], None));
    assert!(resent.contains("sent 1"), "{resent}");
    let empty = ok(&gs1scan(&home, &["sync"], None));
    assert!(empty.contains("sent 0"), "{empty}");
    let session: Value =
        serde_json::from_slice(&std::fs::read(home.join("session.json")).expect("session"))
            .expect("json");
    let token = session["credential"].as_str().expect("token");
    let mut res = ureq::get(&format!(
        "{base}/api/v1/inspections?gtin={}",
        g("with_serial")
    ))
    .header("Authorization", &format!("Bearer {token}"))
    .call()
    .expect("inspections");
    let list: Value =
        serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("json");
    let suspect: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["outcome"] == "suspected_counterfeit" && i["place"] == "VN-LS")
        .collect();
    assert_eq!(suspect.len(), 1, "{list}");
    assert_eq!(platform.port, port_of(&base));
    platform.stop();
    let _ = std::fs::remove_dir_all(&tmp);
}

/// An 8-bit greyscale BMP of `side`² pixels of noise (uncompressed, so it loads quickly).
fn noise_bmp(side: u32) -> Vec<u8> {
    let row = side.div_ceil(4) * 4;
    let pixels = row * side;
    let offset = 14 + 40 + 256 * 4;
    let mut b = Vec::with_capacity((offset + pixels) as usize);
    b.extend_from_slice(b"BM");
    b.extend_from_slice(&(offset + pixels).to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&offset.to_le_bytes());
    for v in [40u32, side, side] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&8u16.to_le_bytes());
    for v in [0u32, pixels, 2835, 2835, 256, 0] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for i in 0..=255u8 {
        b.extend_from_slice(&[i, i, i, 0]);
    }
    let mut x: u32 = 0x1234_5678;
    for _ in 0..pixels {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b.push(if x & 1 == 0 { 0 } else { 255 });
    }
    b
}

fn port_of(base: &str) -> u16 {
    base.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port")
}
