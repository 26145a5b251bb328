//! Element strings: bracketed and unbracketed parsing, linting, message-level checks.

use gs1::element::{AiString, ElementError, Options, Validations};
use serde_json::Value;

use crate::harness::{Outcome, Row};

/// The options a row asks for, with the checks its scope covers.
pub fn options(row: &Row) -> Options {
    let mut validations = match row.scope() {
        "parse" => Validations::NONE,
        "requisites" => Validations {
            requisites: true,
            ..Validations::NONE
        },
        "mutex" => Validations {
            mutex: true,
            ..Validations::NONE
        },
        "repeats" => Validations {
            repeats: true,
            ..Validations::NONE
        },
        "digsig_serial_key" => Validations {
            digsig_serial: true,
            ..Validations::NONE
        },
        _ => Validations::default(),
    };
    if let Some(r) = row.flag(&["validations", "requisite_ais"]) {
        validations.requisites &= r;
    }
    if let Some(u) = row.flag(&["validations", "unknown_ai_not_dl_attr"]) {
        validations.unknown_ai_not_dl_attr = u;
    }
    Options {
        permit_unknown_ais: row.flag(&["permit_unknown_ais"]).unwrap_or(false),
        validations,
    }
}

pub fn parse(row: &Row, input: &str) -> Result<AiString, ElementError> {
    let opts = options(row);
    match row.v["input_format"].as_str() {
        Some("unbracketed") => AiString::parse_unbracketed(input, &opts),
        _ => AiString::parse_bracketed(input, &opts),
    }
}

pub fn run(row: &Row) -> Outcome {
    let got = parse(row, row.input());
    let expect = row.expect();
    if !row.ok() {
        let Err(e) = got else {
            return Outcome::Fail("accepted, expected a refusal".into());
        };
        if let Some(code) = expect["linter_error"].as_str() {
            return Outcome::eq(e.lint_kind().map(|k| k.code()), Some(code));
        }
        if let Some(markup) = expect["err_markup"].as_str() {
            return Outcome::eq(e.markup(), Some(markup));
        }
        return Outcome::Pass;
    }
    Outcome::check(true, got, |m| match expect {
        Value::String(s) => Outcome::eq(m.as_unbracketed(), s.as_str()),
        Value::Object(o) => {
            let titles = row.flag(&["include_data_titles_in_hri"]).unwrap_or(false);
            let mut fails = Vec::new();
            if let Some(d) = o.get("data_str").and_then(Value::as_str) {
                if m.as_unbracketed() != d {
                    fails.push(format!("data_str {:?} != {d:?}", m.as_unbracketed()));
                }
            }
            if let Some(a) = o.get("ai_data_str").and_then(Value::as_str) {
                if m.to_bracketed() != a {
                    fails.push(format!("ai_data_str {:?} != {a:?}", m.to_bracketed()));
                }
            }
            if let Some(h) = o.get("hri").and_then(Value::as_array) {
                let want: Vec<&str> = h.iter().filter_map(Value::as_str).collect();
                if m.hri(titles) != want {
                    fails.push(format!("hri {:?} != {want:?}", m.hri(titles)));
                }
            }
            if fails.is_empty() {
                Outcome::Pass
            } else {
                Outcome::Fail(fails.join("; "))
            }
        }
        _ => Outcome::Pass,
    })
}
