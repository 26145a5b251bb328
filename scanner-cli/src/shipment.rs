//! `shipment`: the customs check of a pallet or container by its SSCC, from the server: every
//! item inside with its verdict, and the summary an officer acts on.

use std::io::Write;

use anyhow::{Context, bail};
use gs1::scan::{PrimaryKey, identify};
use serde_json::Value;
use verdict::Verdict;

use crate::{client::Client, judge::Outcome, today};

/// The SSCC in anything scanned or typed: 18 digits, `(00)...`, a GS1-128 read, a Digital Link.
pub fn sscc_of(input: &str) -> anyhow::Result<String> {
    let ids = identify(input, today::utc_today())
        .with_context(|| format!("{input:?} is not a GS1 code"))?;
    match ids.primary {
        PrimaryKey::Sscc(s) => Ok(s.to_string()),
        _ => bail!("{input:?} is not an SSCC (AI 00)"),
    }
}

/// Runs `shipment`; the exit status is the worst item's.
pub fn run(
    client: &Client,
    input: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<Outcome> {
    let sscc = sscc_of(input)?;
    let answer = client.get(&format!("/api/v1/shipments/{sscc}"), &[])?;
    let v = answer.json(client.server())?;
    let worst = v["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| serde_json::from_value::<Verdict>(i["verdict"].clone()).ok())
        .max();
    if json {
        writeln!(out, "{v}")?;
    } else {
        print_text(&v, worst, out)?;
    }
    // Nothing recorded inside is itself worth a look, not a pass.
    Ok(worst.map_or(Outcome::Warn, Outcome::of))
}

fn print_text(v: &Value, worst: Option<Verdict>, out: &mut impl Write) -> anyhow::Result<()> {
    let s = &v["summary"];
    let counts: Vec<String> = s["verdicts"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    writeln!(
        out,
        "SSCC {}: {} ({} item(s){}{})",
        v["sscc"].as_str().unwrap_or_default(),
        worst.map_or("EMPTY", |w| w.as_str()).to_uppercase(),
        s["items"],
        if counts.is_empty() { "" } else { ": " },
        counts.join(", ")
    )?;
    let text = |x: &Value| x.as_str().unwrap_or("?").to_owned();
    match v["origin"].as_object() {
        Some(o) => writeln!(
            out,
            "  shipped {} from {} ({})",
            text(&o["shipped_at"]),
            text(&o["country"]),
            text(&o["place"])
        )?,
        None => writeln!(out, "  no shipping event recorded")?,
    }
    writeln!(
        out,
        "  without a valid certificate: {}",
        s["without_valid_certificate"]
    )?;
    for r in s["recalled_lots"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  RECALLED lot: {} {} ({} item(s))",
            text(&r["gtin"]),
            r["lot"].as_str().unwrap_or("(every lot)"),
            r["items"]
        )?;
    }
    writeln!(
        out,
        "  journey starts elsewhere than the origin: {}",
        s["origin_mismatch"]
    )?;
    if s["truncated"] == true {
        writeln!(out, "  (only the first items were judged)")?;
    }
    for i in v["items"].as_array().into_iter().flatten() {
        let start = i["journey_starts_in"]
            .as_str()
            .map(|c| format!(", starts in {c}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<14} {} (in {}{start})",
            text(&i["verdict"]).to_uppercase(),
            text(&i["epc"]),
            text(&i["container"])
        )?;
        for r in i["reasons"].as_array().into_iter().flatten() {
            writeln!(out, "    - {}: {}", text(&r["code"]), text(&r["detail"]))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sscc_reads_from_any_form_and_other_keys_are_refused() {
        for input in [
            "389345670000000018",
            "(00)389345670000000018",
            "https://id.gs1.org/00/389345670000000018",
        ] {
            assert_eq!(
                sscc_of(input).ok().as_deref(),
                Some("389345670000000018"),
                "{input}"
            );
        }
        assert!(sscc_of("389345670000000019").is_err(), "check digit");
        let e = sscc_of("08934567000017")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an SSCC"), "{e}");
    }
}
