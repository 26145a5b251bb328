//! `inspect` and `sync`: an inspection is written to the on-disk queue before it is sent, sent
//! with an `Idempotency-Key` the server deduplicates on, and removed from the queue only once the
//! server has it; so a crash, a timeout or a lost answer never records it twice or loses it.

use std::{io::Write, path::PathBuf};

use anyhow::{Context, bail};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    account,
    client::{Client, ClientError},
    home::{self, Home},
    scan, today,
};

/// What was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Finding {
    /// Conforms.
    Compliant,
    /// Does not conform.
    NonCompliant,
    /// Looks counterfeit.
    Suspect,
}

impl Finding {
    fn wire(self) -> &'static str {
        match self {
            Self::Compliant => "compliant",
            Self::NonCompliant => "non_compliant",
            Self::Suspect => "suspected_counterfeit",
        }
    }
}

/// What `inspect` records.
pub struct Config {
    /// A code, or an image file holding one.
    pub target: String,
    /// What was found.
    pub outcome: Finding,
    /// Notes.
    pub note: Option<String>,
    /// A photo kept as evidence (its SHA-256 is recorded); an image target is the default.
    pub photo: Option<PathBuf>,
    /// Coarse place (ISO 3166, e.g. `VN-HN`).
    pub place: String,
    /// The server.
    pub server: String,
}

/// A queued inspection.
#[derive(Debug, Serialize, Deserialize)]
struct Queued {
    idempotency_key: String,
    server: String,
    body: Value,
    queued_at: chrono::DateTime<Utc>,
}

/// `inspect`: queues the inspection, then tries to send it at once.
pub fn inspect(home: &Home, cfg: &Config, out: &mut impl Write) -> anyhow::Result<()> {
    account::signed_in(home, &cfg.server)?;
    let (code, image) = code_of(&cfg.target)?;
    let evidence = match (&cfg.photo, &image) {
        (Some(p), _) => {
            Some(std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?)
        }
        (None, Some(bytes)) => Some(bytes.clone()),
        (None, None) => None,
    };
    let mut body = json!({
        "code": code,
        "place": cfg.place,
        "outcome": cfg.outcome.wire(),
        "inspected_at": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    if let Some(n) = &cfg.note {
        body["notes"] = json!(n);
    }
    if let Some(bytes) = evidence {
        body["evidence_sha256"] = json!(hex::encode(Sha256::digest(&bytes)));
    }
    let q = Queued {
        idempotency_key: uuid::Uuid::now_v7().to_string(),
        server: cfg.server.clone(),
        body,
        queued_at: Utc::now(),
    };
    let path = home.queue_dir().join(format!("{}.json", q.idempotency_key));
    home::write_json(&path, &q)?;
    let client = account::client(home, &cfg.server)?;
    match send(&client, &q) {
        Ok(id) => {
            remove(&path)?;
            writeln!(out, "recorded inspection {id} of {code}")?;
        }
        Err(ClientError::Network { reason, .. }) => {
            writeln!(
                out,
                "offline ({reason}): queued; run `gs1scan sync` when the network is back"
            )?;
        }
        Err(e @ ClientError::Refused { status: 401, .. }) => {
            writeln!(out, "queued: {e}; run `gs1scan login`, then `gs1scan sync`")?;
        }
        Err(e) => {
            remove(&path)?;
            return Err(e.into());
        }
    }
    Ok(())
}

/// `sync`: sends every queued inspection, oldest first; stops at the first network failure.
pub fn sync(home: &Home, out: &mut impl Write) -> anyhow::Result<usize> {
    let dir = home.queue_dir();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    // Keys are UUIDv7: by name is by time.
    files.sort();
    let (mut sent, mut refused) = (0, 0);
    for path in &files {
        let Some(q) = home::read_json::<Queued>(path)? else {
            continue;
        };
        account::signed_in(home, &q.server)?;
        let client = account::client(home, &q.server)?;
        match send(&client, &q) {
            Ok(_) => {
                remove(path)?;
                sent += 1;
            }
            Err(e @ (ClientError::Network { .. } | ClientError::Refused { status: 401, .. })) => {
                writeln!(
                    out,
                    "sent {sent}, {} still queued",
                    files.len() - sent - refused
                )?;
                return Err(e.into());
            }
            Err(e) => {
                // The server will never take it; keep it beside the queue for the officer.
                let kept = path.with_extension("refused");
                std::fs::rename(path, &kept)
                    .with_context(|| format!("cannot move {}", path.display()))?;
                writeln!(out, "refused: {e} (kept as {})", kept.display())?;
                refused += 1;
            }
        }
    }
    writeln!(
        out,
        "sent {sent} queued inspection(s){}",
        if refused > 0 {
            format!(", {refused} refused")
        } else {
            String::new()
        }
    )?;
    Ok(refused)
}

/// Sends one; the server answers 201, or 200 when it already has this key.
fn send(client: &Client, q: &Queued) -> Result<String, ClientError> {
    let answer = client.post(
        "/api/v1/inspections",
        &q.body,
        &[("Idempotency-Key", q.idempotency_key.as_str())],
    )?;
    Ok(answer.json(client.server())?["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

fn remove(path: &std::path::Path) -> anyhow::Result<()> {
    std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))
}

/// The code to record: the target itself, or the one GS1 code read from the image it names.
fn code_of(target: &str) -> anyhow::Result<(String, Option<Vec<u8>>)> {
    let path = std::path::Path::new(target);
    if !path.is_file() {
        return Ok((target.to_owned(), None));
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {target}"))?;
    let found = barcode::decode::decode(&bytes, &Default::default(), today::utc_today())
        .with_context(|| format!("cannot decode {target}"))?;
    let mut codes: Vec<String> = found
        .iter()
        .filter(|f| f.misread.is_none() && f.reading.is_ok())
        .map(scan::scanner_output)
        .collect();
    codes.dedup();
    match codes.len() {
        1 => Ok((codes.remove(0), Some(bytes))),
        0 => bail!("no GS1 barcode found in {target}"),
        n => bail!("{n} GS1 codes in {target}: give the code to inspect instead"),
    }
}
