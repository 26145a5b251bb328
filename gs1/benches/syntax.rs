//! Speed of the operations and inputs of `shared/reference/gs1-bench-inputs.json`, measured with
//! criterion and then once more with the anchor's own method (median of 5 passes of 1,000,000
//! calls after a warm-up pass) to print ns/op next to the GS1 C engine's figures.

use std::{hint::black_box, time::Instant};

use criterion::{Criterion, criterion_group};
use gs1::{
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, Options},
    scan::ScanData,
};

const ANCHOR: &str = include_str!("../../../shared/reference/gs1-bench-inputs.json");

struct Inputs {
    bracketed: String,
    unbracketed: String,
    scan_dm: String,
    dl_uri: String,
}

fn inputs() -> Inputs {
    let v: serde_json::Value = serde_json::from_str(ANCHOR).expect("bench anchor is JSON");
    let get = |k: &str| v["inputs"][k].as_str().expect("input present").to_string();
    Inputs {
        bracketed: get("ai_bracketed"),
        unbracketed: get("ai_unbracketed"),
        scan_dm: get("scan_datamatrix"),
        dl_uri: get("dl_uri"),
    }
}

/// One benchmarked operation: its anchor name and a closure returning a length (so the work is
/// observable).
type Op<'a> = (&'static str, Box<dyn Fn() -> usize + 'a>);

/// The operations, named as in the anchor file.
fn operations(i: &Inputs) -> Vec<Op<'_>> {
    let opts = Options::default();
    vec![
        (
            "ai_bracketed_parse_validate",
            Box::new(move || {
                AiString::parse_bracketed(black_box(&i.bracketed), &opts)
                    .map_or(0, |m| m.as_unbracketed().len())
            }),
        ),
        (
            "ai_unbracketed_parse_validate",
            Box::new(move || {
                AiString::parse_unbracketed(black_box(&i.unbracketed), &opts)
                    .map_or(0, |m| m.as_unbracketed().len())
            }),
        ),
        (
            "scan_dm_parse_validate",
            Box::new(move || {
                ScanData::parse(black_box(&i.scan_dm), &opts)
                    .map_or(0, |s| s.data.as_data_str().len())
            }),
        ),
        (
            "dl_uri_to_element_string",
            Box::new(move || {
                DigitalLink::parse(black_box(&i.dl_uri), &DlOptions::default())
                    .map_or(0, |d| d.ai_string().to_bracketed().len())
            }),
        ),
        (
            "dl_uri_parse_validate_only",
            Box::new(move || {
                DigitalLink::parse(black_box(&i.dl_uri), &DlOptions::default())
                    .map_or(0, |d| d.as_str().len())
            }),
        ),
        (
            "element_string_to_dl_uri",
            Box::new(move || {
                AiString::parse_bracketed(black_box(&i.bracketed), &opts)
                    .ok()
                    .and_then(|m| m.to_digital_link(None).ok())
                    .map_or(0, |u| u.len())
            }),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let i = inputs();
    for (name, op) in operations(&i) {
        assert!(op() > 0, "{name} failed on its anchor input");
        c.bench_function(name, |b| b.iter(&op));
    }
}

/// The anchor's method: one warm-up pass, then the median of five timed passes.
fn anchor_ns_per_op(op: &dyn Fn() -> usize) -> f64 {
    const CALLS: u32 = 1_000_000;
    let pass = || {
        let t = Instant::now();
        for _ in 0..CALLS {
            black_box(op());
        }
        t.elapsed().as_nanos() as f64 / f64::from(CALLS)
    };
    pass();
    let mut runs: Vec<f64> = (0..5).map(|_| pass()).collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn summary() {
    let v: serde_json::Value = serde_json::from_str(ANCHOR).expect("bench anchor is JSON");
    let i = inputs();
    println!(
        "\n{:<32} {:>10} {:>10} {:>8} {:>8}",
        "operation", "ours ns", "C ns", "ratio", "target"
    );
    for (name, op) in operations(&i) {
        let ours = anchor_ns_per_op(&op);
        let c = v["results_ns_per_op"][name]["median"]
            .as_f64()
            .unwrap_or(f64::NAN);
        let verdict = if ours <= c / 2.0 { "met" } else { "MISSED" };
        println!(
            "{name:<32} {ours:>10.0} {c:>10.0} {:>8.2} {verdict:>8}",
            ours / c
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Profiling runs (`--profile-time`) want one operation alone.
    if !std::env::args().any(|a| a == "--profile-time") {
        summary();
    }
}
