//! Scanner output: parsing with symbology identifiers, rendering for a symbology, plain data.

use gs1::{
    element::Options,
    scan::{DataStr, ScanData, Symbology},
};
use serde_json::Value;

use crate::harness::{Outcome, Row};

pub fn parse(row: &Row) -> Outcome {
    Outcome::check(
        row.ok(),
        ScanData::parse(row.input(), &Options::default()),
        |s| {
            let e = row.expect();
            let mut fails = Vec::new();
            if e["sym"].as_str() != Some(s.symbology.name()) {
                fails.push(format!("sym {} != {}", s.symbology.name(), e["sym"]));
            }
            if let Some(d) = e["data_str"].as_str() {
                if s.data.as_data_str() != d {
                    fails.push(format!("data_str {:?} != {d:?}", s.data.as_data_str()));
                }
            }
            compare_ais(&s.data, e, &mut fails);
            if fails.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail(fails.join("; "))
            }
        },
    )
}

pub fn build(row: &Row) -> Outcome {
    let sym: Symbology = row.v["sym"]
        .as_str()
        .unwrap_or("NONE")
        .parse()
        .unwrap_or(Symbology::None);
    let add = row.flag(&["add_check_digit"]).unwrap_or(false);
    let got = DataStr::parse(row.input(), &Options::default())
        .and_then(|d| ScanData::render(&d, sym, add));
    Outcome::check(row.ok(), got, |s| {
        Outcome::eq(s.as_str(), row.expect().as_str().unwrap_or_default())
    })
}

pub fn plain(row: &Row) -> Outcome {
    Outcome::check(
        row.ok(),
        DataStr::parse(row.input(), &Options::default()),
        |d| {
            let mut fails = Vec::new();
            if d.as_data_str() != row.expect()["data_str"].as_str().unwrap_or_default() {
                fails.push(format!("data_str {:?}", d.as_data_str()));
            }
            compare_ais(&d, row.expect(), &mut fails);
            if fails.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail(fails.join("; "))
            }
        },
    )
}

fn compare_ais(d: &DataStr, e: &Value, fails: &mut Vec<String>) {
    match &e["ai_data_str"] {
        Value::Null if e.get("ai_data_str").is_some() => {
            if let Some(b) = d.to_bracketed() {
                fails.push(format!("ai_data_str {b:?} != null"));
            }
        }
        Value::String(want) if d.to_bracketed().as_deref() != Some(want.as_str()) => {
            fails.push(format!("ai_data_str {:?} != {want:?}", d.to_bracketed()));
        }
        _ => {}
    }
    if let Some(h) = e["hri"].as_array() {
        let want: Vec<&str> = h.iter().filter_map(Value::as_str).collect();
        let got = d.ais().map(|m| m.hri(false)).unwrap_or_default();
        if got != want {
            fails.push(format!("hri {got:?} != {want:?}"));
        }
    }
}
