//! Runs every row of `shared/reference/gs1-syntax-vectors.jsonl` (GS1's Barcode Syntax Engine
//! test vectors) against the crate and prints the pass count per kind.

mod ai;
mod dict;
mod dl;
mod harness;
mod scan;

use harness::{Outcome, Row};

/// Rows we do not run, each with the reason. Keyed by `src` and `input`.
const EXCLUDED: &[(&str, &str, &str)] = &[];

#[test]
fn syntax_vectors() {
    let rows = harness::load();
    let mut report = harness::Report::default();
    for row in &rows {
        if let Some((_, _, why)) = EXCLUDED
            .iter()
            .find(|(src, input, _)| row.src() == *src && row.input_text() == *input)
        {
            report.exclude(row, why);
            continue;
        }
        let outcome = run(row);
        report.record(row, outcome);
    }
    report.finish();
}

fn run(row: &Row) -> Outcome {
    match row.kind() {
        "ai" => ai::run(row),
        "dict_entry" => dict::entry(row),
        "dict_attr_ref" => dict::attr_ref(row),
        "check_digit" => dict::check_digit(row),
        "scan_parse" => scan::parse(row),
        "scan_build" => scan::build(row),
        "plain" => scan::plain(row),
        "dl_parse" => dl::parse(row),
        "dl_build" => dl::build(row),
        "dl_path_seq" => dl::path_seq(row),
        "uri_escape" => dl::uri_escape(row),
        "uri_unescape" => dl::uri_unescape(row),
        other => Outcome::Fail(format!("kind {other} not implemented")),
    }
}
