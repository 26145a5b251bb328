//! Dictionary-line parsing, AI reference patterns and check digits.

use gs1::ai::{AiPattern, parse_entry_line};
use serde_json::{Value, json};

use crate::harness::{Outcome, Row};

pub fn entry(row: &Row) -> Outcome {
    Outcome::check(row.ok(), parse_entry_line(row.input(), 1), |entries| {
        let got: Vec<Value> = entries
            .iter()
            .map(|e| {
                json!({
                    "ai": e.ai().as_str(),
                    "fnc1_required": e.fnc1_required(),
                    "dl_data_attr": e.dl_data_attr(),
                    "components": e.components().iter().map(|c| json!({
                        "cset": c.cset.letter().to_string(),
                        "min": c.min, "max": c.max,
                        "linters": c.linters.iter().map(|l| l.name()).collect::<Vec<_>>(),
                        "optional": c.optional,
                    })).collect::<Vec<_>>(),
                    "attrs": e.attrs().as_str(),
                    "title": e.title(),
                })
            })
            .collect();
        Outcome::eq(&Value::Array(got), row.expect())
    })
}

pub fn attr_ref(row: &Row) -> Outcome {
    let pattern = row.input().strip_prefix("ex=").unwrap_or(row.input());
    Outcome::eq(AiPattern::parse(pattern).is_some(), row.ok())
}

pub fn check_digit(row: &Row) -> Outcome {
    let digits = row.input().as_bytes();
    if row.ok() {
        return Outcome::eq(gs1::check_digit::verify(digits), true);
    }
    let (_, body) = digits.split_last().unwrap_or((&b'0', b""));
    let want = row.expect()["correct_check_digit"]
        .as_str()
        .unwrap_or_default();
    let got = gs1::check_digit::compute(body)
        .map(|c| (c as char).to_string())
        .unwrap_or_default();
    match Outcome::eq(gs1::check_digit::verify(digits), false) {
        Outcome::Pass => Outcome::eq(got.as_str(), want),
        fail => fail,
    }
}
