//! The command line: `audit verify` (intact and tampered), `admin create-user`, `migrate`.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app};

fn run(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gs1dpp-server"));
    cmd.args(args)
        .arg("--database-url")
        .arg(&app.database_url)
        .arg("--data-dir")
        .arg(&app.data_dir)
        .env_remove("REDIS_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn gs1dpp-server");
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes()).expect("stdin");
    }
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn audit_verify_passes_then_names_the_tampered_entry() {
    let app = spawn_app().await;
    let out = run(&app, &["audit", "verify"], None);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "audit log OK: 8 entries");

    app.sql("UPDATE audit_log SET action = 'org.delete' WHERE seq = 3")
        .await;
    let out = run(&app, &["audit", "verify"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "audit log BROKEN at entry 3: entry 3: hash does not match its contents"
    );

    app.sql("UPDATE audit_log SET action = 'org.create' WHERE seq = 3")
        .await;
    app.sql("DELETE FROM audit_log WHERE seq = 5").await;
    let out = run(&app, &["audit", "verify"], None);
    assert!(
        stdout(&out).contains("BROKEN at entry 6"),
        "{}",
        stdout(&out)
    );
}

#[tokio::test]
async fn admin_create_user_bootstraps_an_account_that_can_log_in() {
    let app = spawn_app().await;
    let args = [
        "admin",
        "create-user",
        "--email",
        "boss@gs1.vn",
        "--org",
        "GS1 Vietnam",
        "--role",
        "admin",
        "--password-stdin",
    ];
    let out = run(&app, &args, Some("a password from stdin\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("created organisation \"GS1 Vietnam\""),
        "{text}"
    );
    assert!(!text.contains("a password from stdin"));
    assert_eq!(
        app.login("boss@gs1.vn", "a password from stdin")
            .await
            .status,
        StatusCode::OK
    );

    let args = [
        "admin",
        "create-user",
        "--email",
        "second@gs1.vn",
        "--org",
        "GS1 Vietnam",
        "--role",
        "inspector",
    ];
    let out = run(&app, &args, None);
    let text = stdout(&out);
    assert!(
        !text.contains("created organisation"),
        "the organisation is reused: {text}"
    );
    let pw = text
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .unwrap_or_default()
        .to_owned();
    assert!(pw.len() >= 20, "{text}");
    assert_eq!(app.login("second@gs1.vn", &pw).await.status, StatusCode::OK);

    let out = run(
        &app,
        &[
            "admin",
            "create-user",
            "--email",
            "x@y.vn",
            "--org",
            "Z",
            "--role",
            "king",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--role"));
    let out = run(&app, &["audit", "verify"], None);
    assert_eq!(stdout(&out).trim(), "audit log OK: 11 entries");
}

#[tokio::test]
async fn migrate_is_idempotent_and_bad_urls_fail_clearly() {
    let app = spawn_app().await;
    let out = run(&app, &["migrate"], None);
    assert!(out.status.success());
    assert_eq!(stdout(&out).trim(), "applied 0 migration(s)");
    let out = Command::new(env!("CARGO_BIN_EXE_gs1dpp-server"))
        .args(["migrate", "--database-url", "mysql://u:hunter2@h/db"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL scheme"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[tokio::test]
async fn serve_starts_on_an_empty_dir_logs_no_secret_and_stops_on_sigterm() {
    use std::io::BufRead;

    let dir = std::env::temp_dir().join(format!("gs1dpp-serve-{}", uuid::Uuid::now_v7()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gs1dpp-server"))
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .arg("--database-url")
        .arg(format!("sqlite://{}/db.sqlite", dir.display()))
        .env_remove("REDIS_URL")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line.clone());
            all.push(line);
        }
        all
    });
    let addr = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("a log line");
        let json: serde_json::Value = serde_json::from_str(&line).expect("JSON log line");
        if json["fields"]["message"] == "gs1dpp-server listening" {
            break json["fields"]["addr"].as_str().expect("addr").to_owned();
        }
    };
    let res = reqwest::get(format!("http://{addr}/readyz"))
        .await
        .expect("readyz");
    assert_eq!(res.status(), StatusCode::OK);

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(status.success(), "{status:?}");
    let logs = reader.join().expect("reader").join("\n");

    let secret = std::fs::read_to_string(dir.join("jwt_secret")).expect("jwt secret");
    let key = std::fs::read_to_string(dir.join("signing_key.pem")).expect("signing key");
    assert!(
        !logs.contains(secret.trim()),
        "the JWT secret leaked into the logs"
    );
    let key_body = key.lines().nth(1).unwrap_or("?");
    assert!(
        !logs.contains(key_body),
        "the signing key leaked into the logs"
    );
    assert!(logs.contains("generated a new JWT secret"));
    let _ = std::fs::remove_dir_all(dir);
}
