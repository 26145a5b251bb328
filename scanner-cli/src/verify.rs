//! `verify`: a passport's signature checked against the cached platform keys, and what the
//! passport says, as of when it was signed.

use std::io::Write;

use anyhow::Context;
use serde_json::{Value, json};

use crate::{account, home::Home, jws, offline};

/// What to verify.
pub struct Config {
    /// A file holding a compact JWS, or a code whose passport is fetched.
    pub target: String,
    /// The server, for a code.
    pub server: Option<String>,
    /// Print JSON.
    pub json: bool,
}

/// Runs `verify`: Ok(true) when the signature is good.
pub fn run(home: &Home, cfg: &Config, out: &mut impl Write) -> anyhow::Result<bool> {
    let keys = offline::keys(home)?;
    let path = std::path::Path::new(&cfg.target);
    let document = if path.is_file() {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", cfg.target))?
    } else {
        fetch(home, cfg)?
    };
    let verified = match jws::verify(&document, &keys) {
        Ok(v) => v,
        Err(e) => {
            if cfg.json {
                writeln!(out, "{}", json!({"valid": false, "error": e.to_string()}))?;
            } else {
                writeln!(out, "NOT VALID: {e}")?;
            }
            return Ok(false);
        }
    };
    let vc: Value =
        serde_json::from_slice(&verified.payload).context("the signed payload is not JSON")?;
    let product = &vc["credentialSubject"]["product"];
    let summary = json!({
        "valid": true,
        "kid": verified.kid,
        "id": vc["id"],
        "issuer": vc["issuer"]["name"],
        "valid_from": vc["validFrom"],
        "product": product["name"],
        "gtin": product["registeredId"],
        "lot": product["batchNumber"],
        "serial": product["serialNumber"],
        "made_by": product["producedByParty"]["name"],
        "country_of_production": product["countryOfProduction"],
        "granularity": vc["credentialSubject"]["granularityLevel"],
    });
    if cfg.json {
        writeln!(out, "{summary}")?;
        return Ok(true);
    }
    writeln!(
        out,
        "VALID: signed by the platform key {} (as of {})",
        verified.kid,
        text(&summary["valid_from"])
    )?;
    for (label, key) in [
        ("passport", "id"),
        ("product", "product"),
        ("GTIN", "gtin"),
        ("lot", "lot"),
        ("serial", "serial"),
        ("made by", "made_by"),
        ("made in", "country_of_production"),
        ("level", "granularity"),
    ] {
        if !summary[key].is_null() {
            writeln!(out, "  {label:<9} {}", text(&summary[key]))?;
        }
    }
    Ok(true)
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// The passport JWS of a code, through the lookup (needs the network).
fn fetch(home: &Home, cfg: &Config) -> anyhow::Result<String> {
    let server = account::server(home, cfg.server.as_deref()).with_context(|| {
        format!(
            "{:?} is not a file; to verify a code its passport is fetched from a server",
            cfg.target
        )
    })?;
    let client = account::client(home, &server)?;
    let lookup = client
        .get(
            &format!("/api/v1/lookup?code={}", offline::encode(&cfg.target)),
            &[],
        )?
        .json(&server)?;
    let url = lookup["passport"]["jws_url"]
        .as_str()
        .with_context(|| format!("{} has no published passport", cfg.target))?;
    // The URL is on the server's public base, which may differ from the address used here.
    let path = url.find("/api/").map_or(url, |i| &url[i..]);
    Ok(client.get(path, &[("Accept", "application/jose")])?.body)
}
