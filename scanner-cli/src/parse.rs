//! `gs1scan parse`: identify codes and print them as text or JSON lines.

use std::{
    io::{BufRead, Write},
    process::ExitCode,
};

use gs1::{
    date::Date,
    scan::{Identifiers, Source, identify},
};
use serde_json::json;

/// Inputs of `gs1scan parse`.
pub struct Config {
    /// Codes given as arguments (empty: read standard input).
    pub codes: Vec<String>,
    /// JSON lines instead of text.
    pub json: bool,
    /// `--today`, unparsed.
    pub today: Option<String>,
}

/// Parses every code; exit status 1 if any is invalid.
pub fn run(cfg: &Config, today: Date, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut one = |code: &str, out: &mut dyn Write| -> std::io::Result<()> {
        let result = identify(code, today);
        failed |= result.is_err();
        match (&result, cfg.json) {
            (Ok(ids), true) => writeln!(out, "{}", to_json(code, ids)),
            (Err(e), true) => writeln!(
                out,
                "{}",
                json!({ "input": code, "valid": false, "error": e.to_string() })
            ),
            (Ok(ids), false) => write_text(out, code, ids),
            (Err(e), false) => writeln!(out, "{code}\n  invalid: {e}"),
        }
    };
    if cfg.codes.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            if !line.trim().is_empty() {
                one(&line, out)?;
            }
        }
    } else {
        for code in &cfg.codes {
            one(code, out)?;
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn source(s: Source) -> String {
    match s {
        Source::Scanner(sym) => format!("scanner:{sym}"),
        Source::DigitalLink => "digital-link".into(),
        Source::ElementString => "element-string".into(),
        Source::BareKey => "bare-key".into(),
        _ => "other".into(),
    }
}

fn to_json(code: &str, ids: &Identifiers) -> serde_json::Value {
    let pairs = |v: &[(gs1::ai::Ai, String)]| {
        v.iter()
            .map(|(ai, value)| json!({ "ai": ai.as_str(), "value": value }))
            .collect::<Vec<_>>()
    };
    json!({
        "input": code,
        "valid": true,
        "source": source(ids.source),
        "primary": { "ai": ids.primary.ai(), "value": ids.primary.value() },
        "lot": ids.lot.as_ref().map(|l| l.as_str()),
        "serial": ids.serial.as_ref().map(|s| s.as_str()),
        "expiry": ids.expiry.map(|d| d.to_string()),
        "qualifiers": pairs(&ids.qualifiers),
        "attributes": pairs(&ids.attributes),
        "element_string": ids.ais.as_ref().map(|m| m.to_bracketed()),
        "warnings": ids.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn write_text(out: &mut dyn Write, code: &str, ids: &Identifiers) -> std::io::Result<()> {
    writeln!(out, "{code}")?;
    writeln!(
        out,
        "  ({}) {}  [{}]",
        ids.primary.ai(),
        ids.primary.value(),
        source(ids.source)
    )?;
    for (ai, value) in ids.qualifiers.iter().chain(&ids.attributes) {
        writeln!(out, "  ({ai}) {value}")?;
    }
    for w in &ids.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
