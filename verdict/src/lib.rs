//! gs1dpp-verdict: one verdict per scan, a pure function from the facts known about a scanned
//! code (product, certificates and their accreditation, alerts, serial state, inspections, scan
//! pattern) to a verdict with every reason behind it. No database, no clock ("now" is one of the
//! facts), no I/O: the resolver and an offline scanner judge with this very function, and the
//! facts and verdict are serde data so a scanner can load facts from a file. A signed status
//! pack ([`StatusPack`]) carries the facts of many products; [`StatusPack::facts`] gives the
//! facts of one scan from it, marked offline.

mod facts;
mod pack;
#[cfg(test)]
mod pack_tests;
mod rules;
#[cfg(test)]
mod tests;

pub use facts::{
    AccreditationAtIssue, AlertFacts, AlertKind, CertificateFacts, CertificateStatus, Facts,
    InspectionFacts, InspectionOutcome, Offline, ProductStatus, ScanPattern, SerialState,
    UpstreamRecall, Whereabouts,
};
pub use pack::{
    KeyHolder, PACK_FORMAT, PACK_INSPECTIONS, PackCertificate, PackError, PackInspection, PackOrg,
    PackProduct, PackScope, Scanned, StatusPack,
};
pub use rules::{REASON_CODES, evaluate};

/// The verdict, from best to worst; the worst reason decides it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Registered, certified by an accredited body, nothing against it.
    Verified,
    /// Usable, but something deserves attention (expiring certificate, no certificate, ...).
    Warning,
    /// Known not to conform: withdrawn or suspended certificate, recall, failed inspection.
    NonCompliant,
    /// Signs of counterfeiting or diversion: unknown serial, serial seen in many places.
    Suspect,
    /// A valid code that nobody registered here.
    Unknown,
    /// Not a valid GS1 code.
    Invalid,
}

impl Verdict {
    /// The wire form, as serde writes it (`non_compliant`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Warning => "warning",
            Verdict::NonCompliant => "non_compliant",
            Verdict::Suspect => "suspect",
            Verdict::Unknown => "unknown",
            Verdict::Invalid => "invalid",
        }
    }
}

/// One reason behind a verdict: a stable code (for translations and clients), the verdict it
/// alone would give, and a detail in English naming the thing concerned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    /// Stable machine-readable code, e.g. `certificate_withdrawn`.
    pub code: &'static str,
    /// What this reason alone implies.
    pub severity: Verdict,
    /// Human-readable detail, e.g. the certificate number.
    pub detail: String,
}

/// The verdict and every reason, most severe first.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    /// The overall verdict.
    pub verdict: Verdict,
    /// Why, most severe first.
    pub reasons: Vec<Reason>,
}
