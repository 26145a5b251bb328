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
