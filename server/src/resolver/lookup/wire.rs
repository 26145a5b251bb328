//! What a lookup answers, on the wire.

use gs1::scan::{Identifiers, PrimaryKey, Source};
use serde::Serialize;
use verdict::{Reason, Verdict};

use crate::api::products::ProductOut;

/// Everything one scan tells: identifiers, what the registry holds about them, and the verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Lookup {
    /// The code as given.
    pub code: String,
    /// When it was judged (RFC 3339).
    pub checked_at: String,
    /// The overall verdict.
    pub verdict: Verdict,
    /// Every reason behind it, most severe first.
    pub reasons: Vec<Reason>,
    /// What the code says; null when it is not valid GS1 data.
    pub identifiers: Option<IdentifiersOut>,
    /// The product, when the GTIN is registered.
    pub product: Option<ProductOut>,
    /// The brand owner (or, for an SSCC or GLN, the organisation it was issued to).
    pub maker: Option<OrgRef>,
    /// Certificates covering the product, with their accreditation chain.
    pub certificates: Vec<CertificateOut>,
    /// Active recalls and safety warnings that concern the scanned item.
    pub alerts: Vec<AlertOut>,
    /// The scanned lot, when registered.
    pub lot: Option<LotOut>,
    /// The scanned serial's state; `state` is null when the serial was never commissioned.
    pub serial: Option<SerialOut>,
    /// Latest inspections of the product (or the scanned lot or serial), latest first.
    pub inspections: Vec<InspectionOut>,
    /// The most specific published passport (serial, lot, then product).
    pub passport: Option<PassportOut>,
    /// The public journey of the scanned lot or item (steps, dates, countries), in time order.
    pub journey: Vec<domain::journeys::Step>,
}

/// The identifiers read from the code.
#[derive(Clone, Debug, Serialize)]
pub struct IdentifiersOut {
    /// How the code was written: `scanner`, `digital_link`, `element_string`, `bare_key`.
    pub source: &'static str,
    /// The key's AI, e.g. `01`.
    pub key_ai: String,
    /// The key, e.g. a 14-digit GTIN.
    pub key: String,
    /// Lot (AI 10).
    pub lot: Option<String>,
    /// Serial (AI 21).
    pub serial: Option<String>,
    /// Expiry (AI 17), `YYYY-MM-DD`.
    pub expiry: Option<String>,
    /// Every AI, bracketed.
    pub element_string: Option<String>,
    /// The canonical GS1 Digital Link URI on this resolver.
    pub digital_link: Option<String>,
    /// What a checker should know (expired, restricted circulation, ...).
    pub warnings: Vec<String>,
}

/// An organisation, briefly.
#[derive(Clone, Debug, Serialize)]
pub struct OrgRef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// A certificate as a scan sees it.
#[derive(Clone, Debug, Serialize)]
pub struct CertificateOut {
    /// Id.
    pub id: String,
    /// Number.
    pub number: String,
    /// `certificate`, `test_report` or `inspection_certificate`.
    pub kind: String,
    /// Standards covered.
    pub standards: Vec<String>,
    /// Issue date.
    pub issue_date: String,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// `valid`, `expiring_soon`, `expired`, `suspended`, `withdrawn` (today).
    pub effective_status: String,
    /// The issuing conformity assessment body.
    pub cab: Option<OrgRef>,
    /// Declared issued without accreditation.
    pub unaccredited: bool,
    /// The accreditation behind it, as it stood on the issue date.
    pub accreditation: Option<ChainOut>,
    /// Document URL.
    pub document_url: Option<String>,
}

/// A certificate's accreditation chain.
#[derive(Clone, Debug, Serialize)]
pub struct ChainOut {
    /// Accreditation number.
    pub number: String,
    /// ISO/IEC standard accredited against.
    pub standard: String,
    /// The accreditation body.
    pub body: Option<OrgRef>,
    /// Whether it covered the certificate's scope on the issue date.
    pub covered_at_issue: bool,
    /// Whether the body signed the ILAC/IAF arrangement for that scope on the issue date.
    pub internationally_recognised: bool,
    /// The recognising arrangement (`ilac` / `iaf`) and scope, if any.
    pub arrangement: Option<String>,
}

/// An alert concerning the item.
#[derive(Clone, Debug, Serialize)]
pub struct AlertOut {
    /// Id.
    pub id: String,
    /// `recall` or `safety_warning`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// External reference (e.g. a WTO notification).
    pub reference: Option<String>,
    /// Who raised it.
    pub raised_by: Option<OrgRef>,
    /// When (RFC 3339).
    pub raised_at: String,
    /// Lots concerned; empty means every lot.
    pub lots: Vec<String>,
}

/// A registered lot.
#[derive(Clone, Debug, Serialize)]
pub struct LotOut {
    /// The lot number.
    pub lot: String,
    /// `YYYY-MM-DD`.
    pub production_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
}

/// The scanned serial.
#[derive(Clone, Debug, Serialize)]
pub struct SerialOut {
    /// The serial number.
    pub serial: String,
    /// Its state, or null if it was never commissioned.
    pub state: Option<String>,
    /// Distinct places it was scanned from in the last `window_hours`.
    pub distinct_places: u32,
    /// The window.
    pub window_hours: u32,
}

/// An inspection.
#[derive(Clone, Debug, Serialize)]
pub struct InspectionOut {
    /// `compliant`, `non_compliant`, `suspected_counterfeit`.
    pub outcome: String,
    /// Where.
    pub place: String,
    /// When (RFC 3339).
    pub inspected_at: String,
    /// Lot, if the inspection named one.
    pub lot: Option<String>,
    /// Serial, if the inspection named one.
    pub serial: Option<String>,
}

/// The latest signed passport version.
#[derive(Clone, Debug, Serialize)]
pub struct PassportOut {
    /// `product`, `lot` or `serial`.
    pub level: &'static str,
    /// Version number.
    pub version: i64,
    /// The credential (JSON).
    pub url: String,
    /// Its compact JWS, verifiable with `/.well-known/jwks.json`.
    pub jws_url: String,
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Scanner(_) => "scanner",
        Source::DigitalLink => "digital_link",
        Source::ElementString => "element_string",
        _ => "bare_key",
    }
}

pub(super) fn identifiers_out(ids: &Identifiers, base: &str) -> IdentifiersOut {
    let digital_link = ids
        .ais
        .as_ref()
        .and_then(|m| m.to_digital_link(Some(base)).ok());
    let digital_link = digital_link.or_else(|| match &ids.primary {
        PrimaryKey::Gtin(g) => Some(format!("{base}/01/{g}")),
        PrimaryKey::Sscc(s) => Some(format!("{base}/00/{s}")),
        PrimaryKey::Gln(g) => Some(format!("{base}/414/{g}")),
        _ => None,
    });
    IdentifiersOut {
        source: source_name(ids.source),
        key_ai: ids.primary.ai().to_owned(),
        key: ids.primary.value().to_owned(),
        lot: ids.lot.as_ref().map(|l| l.as_str().to_owned()),
        serial: ids.serial.as_ref().map(|s| s.as_str().to_owned()),
        expiry: ids.expiry.map(|d| d.to_string()),
        element_string: ids.ais.as_ref().map(|m| m.to_bracketed()),
        digital_link,
        warnings: ids.warnings.iter().map(ToString::to_string).collect(),
    }
}

impl From<db::models::Org> for OrgRef {
    fn from(o: db::models::Org) -> Self {
        Self {
            id: o.id,
            name: o.name,
            country: o.country,
        }
    }
}
