//! `lookup`: one code's verdict, from the server or from the status pack.

use std::io::Write;

use serde_json::json;

use crate::judge::{Judge, Outcome};

/// Runs `lookup` for one code.
pub fn run(judge: &Judge, code: &str, json: bool, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let mut judged = judge.judge(&[code.to_owned()])?;
    let j = judged.remove(0);
    if json {
        writeln!(
            out,
            "{}",
            json!({"code": code, "verdict": j.verdict, "product": j.product, "maker": j.maker, "reasons": j.reasons})
        )?;
    } else {
        let verdict = serde_json::to_value(j.verdict)?;
        writeln!(
            out,
            "{}: {}",
            code,
            verdict.as_str().unwrap_or_default().to_uppercase()
        )?;
        if let Some(p) = &j.product {
            writeln!(out, "  product  {p}")?;
        }
        if let Some(m) = &j.maker {
            writeln!(out, "  maker    {m}")?;
        }
        for r in &j.reasons {
            writeln!(out, "  - {}: {}", r.code, r.detail)?;
        }
    }
    Ok(Outcome::of(j.verdict))
}
