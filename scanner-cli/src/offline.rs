//! What lets gs1scan judge with the network off: the platform's signing keys (`keys fetch`) and
//! the signed status pack (`pack fetch`).
//!
//! The pack is kept as the signed documents the server sent (a full pack, then incremental ones)
//! and verified again each time it is loaded, so a pack edited on disk is refused, not believed.

use std::io::Write;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use verdict::StatusPack;

use crate::{
    client::Client,
    home::{self, Home},
    jws::{self, Jwks},
};

/// The JWS `typ` of a status pack.
const PACK_TYPE: &str = "gs1dpp-status-pack+jws";

/// After this many incremental packs the next fetch asks for a full one again.
const MAX_INCREMENTS: usize = 50;

/// The pack as stored: the server's signed documents, oldest first, and the latest ETag.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    etag: Option<String>,
    documents: Vec<String>,
}

/// What the pack covers, as asked for.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Organisation id.
    pub org: Option<String>,
    /// GTIN prefix.
    pub gtin_prefix: Option<String>,
    /// With serial states.
    pub serials: bool,
}

/// `keys fetch`: saves the platform's JWKS.
pub fn fetch_keys(home: &Home, client: &Client, out: &mut impl Write) -> anyhow::Result<()> {
    let answer = client.get("/.well-known/jwks.json", &[])?;
    let keys: Jwks = serde_json::from_str(&answer.body).context("the JWKS is not valid")?;
    anyhow::ensure!(!keys.keys.is_empty(), "the server's JWKS holds no key");
    home::write_json(&home.keys_file(), &keys)?;
    writeln!(
        out,
        "saved {} signing key(s) of {} to {}",
        keys.keys.len(),
        client.server(),
        home.keys_file().display()
    )?;
    Ok(())
}

/// The cached keys, or a message saying how to get them.
pub fn keys(home: &Home) -> anyhow::Result<Jwks> {
    home::read_json(&home.keys_file())?
        .context("no signing keys cached: run `gs1scan keys fetch` while online")
}

/// `pack fetch`: downloads the pack (incrementally when one of the same scope is stored),
/// verifies it and stores it.
pub fn fetch_pack(
    home: &Home,
    client: &Client,
    scope: &Scope,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    // Keys first: a pack signed by a rotated-in key must verify.
    fetch_keys(home, client, &mut std::io::sink())?;
    let keys = keys(home)?;
    let mut stored: Stored = home::read_json(&home.pack_file())?.unwrap_or_default();
    let current = match load_documents(&stored.documents, &keys) {
        Ok(p) if same_scope(&p, scope) && stored.documents.len() <= MAX_INCREMENTS => Some(p),
        _ => None,
    };
    let mut query = vec![format!("serials={}", scope.serials)];
    if let Some(o) = &scope.org {
        query.push(format!("org={}", encode(o)));
    }
    if let Some(p) = &scope.gtin_prefix {
        query.push(format!("gtin_prefix={}", encode(p)));
    }
    if let Some(p) = &current {
        query.push(format!("since={}", encode(&p.issued_at.to_rfc3339())));
    }
    let etag = current.as_ref().and(stored.etag.clone());
    let mut headers = vec![("Accept", "application/jose")];
    if let Some(e) = &etag {
        headers.push(("If-None-Match", e.as_str()));
    }
    let answer = client.get(
        &format!("/api/v1/status-pack?{}", query.join("&")),
        &headers,
    )?;
    if answer.status == 304 {
        if let Some(p) = &current {
            writeln!(out, "the pack is up to date (as of {})", p.issued_at)?;
        }
        return Ok(());
    }
    let newer = open(&answer.body, &keys)?;
    let (pack, documents) = match current {
        Some(mut p) if newer.since.is_some() => {
            let changed = newer.products.len();
            p.merge(newer)
                .context("the incremental pack does not fit the stored one")?;
            stored.documents.push(answer.body.trim().to_owned());
            writeln!(out, "{changed} product(s) changed")?;
            (p, stored.documents)
        }
        _ => (newer, vec![answer.body.trim().to_owned()]),
    };
    home::write_json(
        &home.pack_file(),
        &Stored {
            etag: answer.etag,
            documents,
        },
    )?;
    writeln!(
        out,
        "status pack of {}: {} product(s), {} serial state(s), as of {}; saved to {}",
        client.server(),
        pack.products.len(),
        pack.products
            .iter()
            .filter_map(|p| p.serials.as_ref())
            .map(|s| s.len())
            .sum::<usize>(),
        pack.issued_at.format("%Y-%m-%d %H:%M UTC"),
        home.pack_file().display()
    )?;
    Ok(())
}

/// The stored pack, verified with the cached keys.
pub fn load_pack(home: &Home) -> anyhow::Result<StatusPack> {
    let keys = keys(home)?;
    let stored: Stored = home::read_json(&home.pack_file())?
        .context("no status pack: run `gs1scan pack fetch` while online")?;
    load_documents(&stored.documents, &keys)
        .with_context(|| format!("the status pack in {}", home.pack_file().display()))
}

fn load_documents(documents: &[String], keys: &Jwks) -> anyhow::Result<StatusPack> {
    let Some((first, rest)) = documents.split_first() else {
        bail!("it is empty");
    };
    let mut pack = open(first, keys)?;
    for doc in rest {
        pack.merge(open(doc, keys)?)?;
    }
    Ok(pack)
}

/// Verifies one signed pack and reads its payload.
fn open(jws: &str, keys: &Jwks) -> anyhow::Result<StatusPack> {
    let v = jws::verify(jws, keys)?;
    // A passport is signed by the same key: the type keeps one from passing for a pack.
    anyhow::ensure!(
        v.header["typ"] == PACK_TYPE,
        "the signed document is not a status pack (typ {})",
        v.header["typ"]
    );
    let pack: StatusPack =
        serde_json::from_slice(&v.payload).context("the signed pack is not a status pack")?;
    anyhow::ensure!(
        pack.format == verdict::PACK_FORMAT,
        "pack format {:?} is not {:?}; update gs1scan",
        pack.format,
        verdict::PACK_FORMAT
    );
    Ok(pack)
}

fn same_scope(p: &StatusPack, s: &Scope) -> bool {
    p.scope.org == s.org && p.scope.gtin_prefix == s.gtin_prefix && p.scope.serials == s.serials
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jws::testing::{jwks, sign};
    use ed25519_dalek::SigningKey;
    use serde_json::json;

    fn pack(issued: &str, since: Option<&str>, gtins: &[&str]) -> String {
        let products: Vec<_> = gtins
            .iter()
            .map(|g| {
                json!({"gtin": g, "name_vi": "Cà phê", "name_en": "Coffee",
                "maker": {"id": "o1", "name": "Maker"}, "status": "active",
                "certificates": [], "alerts": [], "inspections": [], "serials": null})
            })
            .collect();
        json!({"format": verdict::PACK_FORMAT, "issued_at": issued, "since": since,
            "scope": {"org": null, "gtin_prefix": null, "serials": false},
            "products": products, "key_holders": []})
        .to_string()
    }

    fn signed(key: &SigningKey, typ: &str, payload: &str) -> String {
        sign(
            key,
            &format!(r#"{{"alg":"EdDSA","kid":"k","typ":"{typ}"}}"#),
            payload,
        )
    }

    #[test]
    fn stored_documents_are_verified_and_merged_in_order() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let keys = jwks(&key, "k");
        let full = signed(
            &key,
            PACK_TYPE,
            &pack("2026-12-01T00:00:00Z", None, &["08934567000017"]),
        );
        let inc = signed(
            &key,
            PACK_TYPE,
            &pack(
                "2026-12-02T00:00:00Z",
                Some("2026-12-01T00:00:00Z"),
                &["08934567000024"],
            ),
        );
        let p = load_documents(&[full.clone(), inc], &keys).unwrap();
        assert_eq!(p.products.len(), 2);
        assert_eq!(p.issued_at.to_rfc3339(), "2026-12-02T00:00:00+00:00");

        // A pack edited on disk is refused, not believed.
        let mut parts: Vec<String> = full.split('.').map(str::to_owned).collect();
        parts[1] = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            pack("2026-12-01T00:00:00Z", None, &[]),
        );
        assert!(load_documents(&[parts.join(".")], &keys).is_err());
        assert!(load_documents(&[], &keys).is_err());
    }

    #[test]
    fn a_passport_signed_by_the_same_key_is_not_a_pack() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let doc = signed(&key, "JWT", &pack("2026-12-01T00:00:00Z", None, &[]));
        let err = open(&doc, &jwks(&key, "k")).unwrap_err().to_string();
        assert!(err.contains("not a status pack"), "{err}");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode("2026-12-01T00:00:00+00:00"),
            "2026-12-01T00%3A00%3A00%2B00%3A00"
        );
        assert_eq!(encode("]C1\u{1d}x"), "%5DC1%1Dx");
    }
}
