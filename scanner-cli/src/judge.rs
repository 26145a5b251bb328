//! One verdict per code: from the server's lookup, or offline from the signed status pack with
//! the very function the server judges with (`verdict::evaluate`).

use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use gs1::scan::{self, PrimaryKey};
use serde::Serialize;
use serde_json::{Value, json};
use verdict::{Scanned, StatusPack, Verdict};

use crate::{
    client::{Client, ClientError},
    today,
};

/// How many codes one `POST /api/v1/lookups` carries (the server's limit).
pub const BATCH: usize = 100;

/// A reason as printed.
#[derive(Clone, Debug, Serialize)]
pub struct ReasonOut {
    /// Stable code, e.g. `certificate_withdrawn`.
    pub code: String,
    /// What this reason alone implies.
    pub severity: Verdict,
    /// Detail.
    pub detail: String,
}

/// A judged code.
#[derive(Clone, Debug, Serialize)]
pub struct Judged {
    /// The verdict.
    pub verdict: Verdict,
    /// The product's name (Vietnamese / English), when registered.
    pub product: Option<String>,
    /// The brand owner or key holder.
    pub maker: Option<String>,
    /// Every reason, most severe first.
    pub reasons: Vec<ReasonOut>,
}

/// Where verdicts come from.
pub enum Judge {
    /// The server's lookup.
    Online {
        /// The client.
        client: Client,
        /// Coarse place of the scans (ISO 3166), sent with the lookup.
        place: Option<String>,
    },
    /// The status pack.
    Offline {
        /// The verified pack.
        pack: Box<StatusPack>,
        /// A pack older than this warns.
        max_age_hours: u32,
    },
}

impl Judge {
    /// Judges every code, in order. Online, the codes go in batches; a network failure fails all.
    pub fn judge(&self, codes: &[String]) -> Result<Vec<Judged>, ClientError> {
        match self {
            Judge::Online { client, place } => {
                let mut out = Vec::with_capacity(codes.len());
                for chunk in codes.chunks(BATCH) {
                    let mut body = json!({ "codes": chunk });
                    if let Some(p) = place {
                        body["place"] = json!(p);
                    }
                    let answer = client.post("/api/v1/lookups", &body, &[])?;
                    let v = answer.json(client.server())?;
                    let results = v["results"].as_array().filter(|r| r.len() == chunk.len());
                    let Some(results) = results else {
                        return Err(ClientError::Unexpected {
                            server: client.server().to_owned(),
                            reason: "the lookups do not match the codes sent".to_owned(),
                        });
                    };
                    out.extend(results.iter().map(from_lookup));
                }
                Ok(out)
            }
            Judge::Offline {
                pack,
                max_age_hours,
            } => Ok(codes
                .iter()
                .map(|c| offline(pack, c, *max_age_hours))
                .collect()),
        }
    }
}

/// A lookup answer as a verdict.
pub fn from_lookup(v: &Value) -> Judged {
    let verdict = serde_json::from_value(v["verdict"].clone()).unwrap_or(Verdict::Invalid);
    let reasons = v["reasons"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| ReasonOut {
                    code: r["code"].as_str().unwrap_or_default().to_owned(),
                    severity: serde_json::from_value(r["severity"].clone())
                        .unwrap_or(Verdict::Invalid),
                    detail: r["detail"].as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    let p = &v["product"];
    Judged {
        verdict,
        product: p["name_vi"]
            .as_str()
            .map(|vi| name(vi, p["name_en"].as_str())),
        maker: v["maker"]["name"].as_str().map(str::to_owned),
        reasons,
    }
}

fn name(vi: &str, en: Option<&str>) -> String {
    match en {
        Some(en) if !en.is_empty() && en != vi => format!("{vi} / {en}"),
        _ => vi.to_owned(),
    }
}

/// Judges one code from the pack.
pub fn offline(pack: &StatusPack, code: &str, max_age_hours: u32) -> Judged {
    let now = Utc::now().naive_utc();
    let today = today::utc_today();
    let facts = match scan::identify(code, today) {
        Err(e) => verdict::Facts {
            invalid: Some(e.to_string()),
            product: None,
            ..verdict::Facts::registered(now)
        },
        Ok(ids) => {
            let (gtin, other) = match &ids.primary {
                PrimaryKey::Gtin(g) => (Some(g.as_str()), None),
                other => (None, Some(other.value())),
            };
            let expiry = ids.expiry.and_then(|d| {
                NaiveDate::from_ymd_opt(
                    i32::from(d.year()),
                    u32::from(d.month()),
                    u32::from(d.day()),
                )
            });
            let scanned = Scanned {
                gtin,
                other_key: other,
                lot: ids.lot.as_ref().map(|l| l.as_str()),
                serial: ids.serial.as_ref().map(|s| s.as_str()),
                expiry,
            };
            let facts = pack.facts(&scanned, now, max_age_hours);
            let product = gtin.and_then(|g| pack.product(g));
            let a = verdict::evaluate(&facts);
            return Judged {
                verdict: a.verdict,
                product: product.map(|p| name(&p.name_vi, p.name_en.as_deref())),
                maker: product.map(|p| p.maker.name.clone()).or(facts.key_holder),
                reasons: reasons(a),
            };
        }
    };
    let a = verdict::evaluate(&facts);
    Judged {
        verdict: a.verdict,
        product: None,
        maker: None,
        reasons: reasons(a),
    }
}

fn reasons(a: verdict::Assessment) -> Vec<ReasonOut> {
    a.reasons
        .into_iter()
        .map(|r| ReasonOut {
            code: r.code.to_owned(),
            severity: r.severity,
            detail: r.detail,
        })
        .collect()
}

/// What an officer does next, as the process's exit status: 0 all verified, 1 something to look
/// at, 2 non-compliant or suspect goods, 3 an error (unreadable file, no network).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything verified.
    Verified = 0,
    /// A warning, an unknown or unregistered code, a code that is not GS1.
    Warn = 1,
    /// Non-compliant or suspect.
    Stop = 2,
    /// Something could not be judged.
    Error = 3,
}

impl Outcome {
    /// The outcome a verdict alone gives.
    pub fn of(v: Verdict) -> Self {
        match v {
            Verdict::Verified => Self::Verified,
            Verdict::Warning | Verdict::Unknown | Verdict::Invalid => Self::Warn,
            Verdict::NonCompliant | Verdict::Suspect => Self::Stop,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(o as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_verdict_decides_the_exit_status() {
        assert_eq!(Outcome::of(Verdict::Verified), Outcome::Verified);
        assert_eq!(Outcome::of(Verdict::Warning), Outcome::Warn);
        assert_eq!(Outcome::of(Verdict::Unknown), Outcome::Warn);
        assert_eq!(Outcome::of(Verdict::NonCompliant), Outcome::Stop);
        assert_eq!(Outcome::of(Verdict::Suspect), Outcome::Stop);
        let worst = [Outcome::Warn, Outcome::Stop, Outcome::Verified]
            .into_iter()
            .max();
        assert_eq!(worst, Some(Outcome::Stop));
        assert!(Outcome::Error > Outcome::Stop);
    }

    #[test]
    fn a_lookup_answer_reads_as_a_verdict() {
        let v = json!({"verdict": "non_compliant",
            "reasons": [{"code": "recall", "severity": "non_compliant", "detail": "R1"}],
            "product": {"name_vi": "Tiêu đen", "name_en": "Black pepper"},
            "maker": {"name": "M"}});
        let j = from_lookup(&v);
        assert_eq!(j.verdict, Verdict::NonCompliant);
        assert_eq!(j.product.as_deref(), Some("Tiêu đen / Black pepper"));
        assert_eq!(j.reasons[0].code, "recall");
        assert_eq!(j.maker.as_deref(), Some("M"));
    }
}
