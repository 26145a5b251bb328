//! Digital Link: parsing, generation, key-qualifier sequences and percent-encoding.

use gs1::ai::Ai;
use gs1::digital_link::{DigitalLink, DlOptions, UriPart, escape, unescape};
use gs1::element::AiString;
use serde_json::Value;

use crate::ai;
use crate::harness::{Outcome, Row};

/// The element options of the row (as for element strings) plus the Digital Link switches.
/// A scope of "parse" switches off the message-level association checks only; whether an
/// unknown AI may be a query parameter is a Digital Link rule, on unless the row says otherwise.
fn options(row: &Row) -> DlOptions {
    let mut element = ai::options(row);
    element.validations.unknown_ai_not_dl_attr = row
        .flag(&["validations", "unknown_ai_not_dl_attr"])
        .unwrap_or(true);
    DlOptions {
        element,
        permit_zero_suppressed_gtin: row
            .flag(&["permit_zero_suppressed_gtin_in_dl"])
            .unwrap_or(false),
        permit_convenience_alphas: row.flag(&["permit_convenience_alphas"]).unwrap_or(false),
    }
}

/// `expect` is the `^` form of the extracted AIs, or (for rows run through the engine's public
/// API) an object whose null `ai_data_str` means the engine did not read the input as a
/// Digital Link at all, which `DigitalLink::parse` must refuse.
pub fn parse(row: &Row) -> Outcome {
    let got = DigitalLink::parse(row.input(), &options(row));
    let expect = row.expect();
    if row.ok() && expect.get("ai_data_str") == Some(&Value::Null) {
        return Outcome::check(false, got, |_| Outcome::Pass);
    }
    Outcome::check(row.ok(), got, |dl| match expect {
        Value::String(s) => Outcome::eq(dl.ai_string().as_unbracketed(), s.as_str()),
        Value::Object(o) => {
            let mut fails = Vec::new();
            let m = dl.ai_string();
            if let Some(d) = o.get("data_str").and_then(Value::as_str) {
                if dl.as_str() != d {
                    fails.push(format!("data_str {:?} != {d:?}", dl.as_str()));
                }
            }
            if let Some(a) = o.get("ai_data_str").and_then(Value::as_str) {
                if m.to_bracketed() != a {
                    fails.push(format!("ai_data_str {:?} != {a:?}", m.to_bracketed()));
                }
            }
            if let Some(h) = o.get("hri").and_then(Value::as_array) {
                let want: Vec<&str> = h.iter().filter_map(Value::as_str).collect();
                if m.hri(false) != want {
                    fails.push(format!("hri {:?} != {want:?}", m.hri(false)));
                }
            }
            if let Some(h) = o.get("dl_ignored_query_params").and_then(Value::as_array) {
                let want: Vec<&str> = h.iter().filter_map(Value::as_str).collect();
                let got: Vec<&str> = dl.other_params().map(|p| p.raw()).collect();
                if got != want {
                    fails.push(format!("ignored params {got:?} != {want:?}"));
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

/// Generation from a bracketed or `^` message, or regeneration from a Digital Link URI.
pub fn build(row: &Row) -> Outcome {
    let stem = row.v["stem"].as_str();
    let got = match row.v["input_format"].as_str() {
        Some("dl_uri") => {
            DigitalLink::parse(row.input(), &options(row)).map(|dl| dl.to_canonical(stem))
        }
        _ => {
            let opts = options(row).element;
            match ai::parse(row, row.input()) {
                Ok(m) => AiString::to_digital_link_with(&m, stem, &opts),
                Err(e) => Err(e.into()),
            }
        }
    };
    Outcome::check(row.ok(), got, |uri| match row.expect().as_str() {
        Some(want) => Outcome::eq(uri.as_str(), want),
        None => Outcome::Fail("row has no expected URI".into()),
    })
}

pub fn path_seq(row: &Row) -> Outcome {
    let ais: Option<Vec<Ai>> = row.v["input"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| Ai::new(v.as_str().unwrap_or_default().as_bytes()))
                .collect()
        })
        .unwrap_or_default();
    let valid = ais.is_some_and(|ais| DigitalLink::is_key_qualifier_sequence(&ais));
    Outcome::eq(valid, row.ok())
}

pub fn uri_escape(row: &Row) -> Outcome {
    let got = (
        escape(row.input(), UriPart::Path).into_owned(),
        escape(row.input(), UriPart::Query).into_owned(),
    );
    let want = |k: &str| row.expect()[k].as_str().unwrap_or_default().to_string();
    Outcome::eq(got, (want("path"), want("query")))
}

/// Expected strings hold one character per decoded byte (`%FF` is `\u{ff}`).
pub fn uri_unescape(row: &Row) -> Outcome {
    let decode = |part| unescape(row.input(), part).map(|b| b.into_owned());
    let (path, query) = (decode(UriPart::Path), decode(UriPart::Query));
    if !row.ok() {
        return Outcome::eq(path.is_err() && query.is_err(), true);
    }
    let bytes = |k: &str| -> Vec<u8> {
        row.expect()[k]
            .as_str()
            .unwrap_or_default()
            .chars()
            .map(|c| c as u8)
            .collect()
    };
    match (path, query) {
        (Ok(p), Ok(q)) => Outcome::eq((p, q), (bytes("path"), bytes("query"))),
        (p, q) => Outcome::Fail(format!("unexpected error {p:?} / {q:?}")),
    }
}
