//! The peak memory of the worst import bodies, measured on the real server binary in its own
//! process (the test harness runs other tests in threads of one process, whose memory would mix
//! with the server's). Issue 18: a 10 MB JSON array of `1`s answered with a 329 MB body and took
//! the server to 2.74 GB; an 8 MB CSV of `x,,` rows to 2.05 GB.

mod support;

use serde_json::{Value, json};

/// What the server may take at its peak: the body twice over (read, then parsed) and the
/// process's own footprint, well under the gigabytes each body used to cost.
const PEAK_LIMIT_MIB: u64 = 300;

/// VmHWM of `pid` in MiB: the most resident memory it ever had.
fn peak_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb / 1024
}

#[tokio::test]
async fn the_worst_import_bodies_keep_the_server_small_and_the_answer_short() {
    // Memory does not depend on the backend: SQLite, so the figure is the server's alone.
    let db = support::TestDb::new("memory", true);
    let demo = db.seed_demo();
    let server = db.serve().await;
    let http = reqwest::Client::new();
    let token = server.login(&demo["users"]["exporter"]).await;
    let before = peak_mib(server.child.id());

    // 10 MiB of `1,`: 5,242,880 rows, none an object.
    let mut ones = Vec::with_capacity(10 << 20);
    ones.push(b'[');
    while ones.len() < (10 << 20) - 1 {
        ones.extend_from_slice(b"1,");
    }
    ones.pop();
    ones.push(b']');
    let rows = ones.iter().filter(|&&b| b == b'1').count();
    // 8 MiB of `x,,` rows under a valid header.
    let mut xs = b"gtin,name_vi,name_en\n".to_vec();
    while xs.len() < 8 << 20 {
        xs.extend_from_slice(b"x,,\n");
    }
    let csv_rows = (xs.len() - 21) / 4;

    for (kind, body, rows) in [("application/json", ones, rows), ("text/csv", xs, csv_rows)] {
        let res = http
            .post(format!("{}/api/v1/products/import", server.base))
            .bearer_auth(&token)
            .header("content-type", kind)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{kind}");
        let text = res.text().await.unwrap();
        assert!(text.len() < 200_000, "{kind}: a {} byte answer", text.len());
        let report: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["failed"], json!(rows), "{kind}");
        assert_eq!(report["created"], json!(0), "{kind}");
        let listed = report["errors"].as_array().map_or(0, Vec::len);
        assert_eq!(listed, 1000, "{kind}");
        let omitted = report["errors_omitted"].as_u64().unwrap_or_default();
        assert!(omitted as usize >= rows - 1000, "{kind}: {omitted} omitted");
    }
    let peak = peak_mib(server.child.id());
    println!("server peak RSS: {before} MiB after start, {peak} MiB after both imports");
    assert!(
        peak < PEAK_LIMIT_MIB,
        "the server peaked at {peak} MiB (limit {PEAK_LIMIT_MIB})"
    );
}
