//! Runs every linter vector taken from the GS1 Barcode Syntax Engine against our linters.

use std::cell::Cell;
use std::collections::BTreeMap;

use gs1::lint::{GcpLookup, GcpStatus, LintError, Linter};
use serde::Deserialize;

const VECTORS_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/gs1-linter-vectors.jsonl"
);

fn vectors() -> String {
    std::fs::read_to_string(VECTORS_PATH)
        .unwrap_or_else(|e| panic!("cannot read {VECTORS_PATH}: {e}"))
}

/// Rows that cannot be reproduced, as (linter, input, reason). Empty: every row passes.
const EXCLUDED: &[(&str, &str, &str)] = &[];

#[derive(Deserialize)]
struct Vector {
    kind: String,
    linter: String,
    input: String,
    input_hex: Option<String>,
    ok: bool,
    expect: Option<Expect>,
    options: Option<Options>,
    src: Option<String>,
}

#[derive(Deserialize)]
struct Expect {
    error: String,
    highlight: String,
    highlight_hex: Option<String>,
}

#[derive(Deserialize)]
struct Options {
    gcp_lookup_hook: Option<String>,
    gcp_lookup_hook_first_n_calls_valid: Option<usize>,
}

/// Stands in for the engine's test GCP hook: answers `Valid` for the first `valid_calls` calls,
/// then `verdict`.
struct TestGcpLookup {
    verdict: GcpStatus,
    valid_calls: Cell<usize>,
}

impl GcpLookup for TestGcpLookup {
    fn lookup(&self, _: &[u8]) -> GcpStatus {
        let left = self.valid_calls.get();
        if left > 0 {
            self.valid_calls.set(left - 1);
            GcpStatus::Valid
        } else {
            self.verdict
        }
    }
}

fn hook_for(options: &Options) -> Option<TestGcpLookup> {
    let verdict = match options.gcp_lookup_hook.as_deref()? {
        "reports invalid GCP" => GcpStatus::Invalid,
        "reports data source offline" => GcpStatus::Offline,
        other => panic!("unknown gcp_lookup_hook option {other:?}"),
    };
    Some(TestGcpLookup {
        verdict,
        valid_calls: Cell::new(options.gcp_lookup_hook_first_n_calls_valid.unwrap_or(0)),
    })
}

fn decode_hex(hex: &str) -> Vec<u8> {
    assert!(hex.len() % 2 == 0, "odd-length hex {hex:?}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("valid hex"))
        .collect()
}

/// The input with the error span wrapped in `*`, as the vectors write it.
fn highlight(input: &[u8], err: &LintError) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + 2);
    out.extend_from_slice(&input[..err.start]);
    out.push(b'*');
    out.extend_from_slice(&input[err.start..err.start + err.len]);
    out.push(b'*');
    out.extend_from_slice(&input[err.start + err.len..]);
    out
}

fn show(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Checks one vector, describing the mismatch if there is one.
fn run(v: &Vector) -> Result<(), String> {
    let linter =
        Linter::from_name(&v.linter).ok_or_else(|| format!("unknown linter {}", v.linter))?;
    let input = match &v.input_hex {
        Some(hex) => decode_hex(hex),
        None => v.input.as_bytes().to_vec(),
    };
    let hook = v.options.as_ref().and_then(hook_for);
    let got = linter.check_with(&input, hook.as_ref().map(|h| h as &dyn GcpLookup));
    match (got, v.ok, &v.expect) {
        (Ok(()), true, _) => Ok(()),
        (Ok(()), false, _) => Err("accepted, expected a refusal".to_string()),
        (Err(e), true, _) => Err(format!(
            "refused with {} at {}, expected acceptance",
            e.kind.code(),
            show(&highlight(&input, &e))
        )),
        (Err(e), false, None) => Err(format!("refused with {}, no expectation", e.kind.code())),
        (Err(e), false, Some(expect)) => {
            if e.start + e.len > input.len() {
                return Err(format!("span {:?} outside the input", e.span()));
            }
            let want_highlight = match &expect.highlight_hex {
                Some(hex) => decode_hex(hex),
                None => expect.highlight.as_bytes().to_vec(),
            };
            let got_highlight = highlight(&input, &e);
            if e.kind.code() != expect.error || got_highlight != want_highlight {
                Err(format!(
                    "got {} {}, expected {} {}",
                    e.kind.code(),
                    show(&got_highlight),
                    expect.error,
                    show(&want_highlight)
                ))
            } else {
                Ok(())
            }
        }
    }
}

#[test]
fn linter_vectors() {
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut excluded = 0;
    let mut rows = 0;
    for (n, line) in vectors().lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Vector = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {}: bad vector: {e}", n + 1));
        assert_eq!(v.kind, "lint", "line {}", n + 1);
        rows += 1;
        if EXCLUDED
            .iter()
            .any(|&(linter, input, _)| linter == v.linter && input == v.input)
        {
            excluded += 1;
            continue;
        }
        match run(&v) {
            Ok(()) => *passed.entry(v.linter.clone()).or_default() += 1,
            Err(why) => failures.push(format!(
                "line {} {} {:?} ({}): {why}",
                n + 1,
                v.linter,
                v.input,
                v.src.as_deref().unwrap_or("?")
            )),
        }
    }
    for (linter, count) in &passed {
        println!("{linter:>16}: {count} passed");
    }
    let total: usize = passed.values().sum();
    println!(
        "{:>16}: {total} of {rows} passed, {excluded} excluded",
        "total"
    );
    assert_eq!(rows, 5656, "the vector file changed size");
    assert!(
        failures.is_empty(),
        "{} of {rows} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_vector_linter_is_known_and_every_linter_has_vectors() {
    let mut seen = std::collections::BTreeSet::new();
    for line in vectors().lines().filter(|l| !l.trim().is_empty()) {
        let v: Vector = serde_json::from_str(line).expect("valid vector");
        assert!(Linter::from_name(&v.linter).is_some(), "{}", v.linter);
        seen.insert(v.linter);
    }
    for l in Linter::ALL {
        assert!(seen.contains(l.name()), "no vectors for {}", l.name());
    }
}
