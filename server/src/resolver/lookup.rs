//! One verdict per scan: read anything scanned or typed, load every fact the verdict needs in
//! one read, and judge it with the pure [`status::evaluate`](crate::domain::status::evaluate).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use gs1::{
    date::Date,
    scan::{Identifiers, PrimaryKey, Source, identify},
};
use serde::Serialize;

use crate::{
    api::{products::ProductOut, time},
    db::{self, DbConn, certificates::CertificateRow},
    domain::{
        accreditation::{covers, parse_date, recognising_signature},
        accreditations::{accreditation, signature},
        alerts,
        certificates::{CertificateStatus as StoredStatus, effective_status},
        inspections, products, serials,
        status::{
            self, AccreditationAtIssue, AlertFacts, AlertKind, CertificateFacts, CertificateStatus,
            Facts, InspectionFacts, InspectionOutcome, ProductStatus, Reason, ScanPattern,
            SerialState, Verdict,
        },
    },
    error::ApiError,
};

/// The window over which distinct scan places of one serial are counted.
pub const SCAN_WINDOW_HOURS: u32 = 24;
/// How many inspections a lookup reports.
const INSPECTIONS_SHOWN: i64 = 5;
/// How many active alerts on one GTIN a lookup reads.
const ALERTS_READ: i64 = 100;

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

/// Reads `code` (as `identify` does) and judges it at `now`; `base` is the public root.
pub fn lookup(
    conn: &mut DbConn,
    code: &str,
    now: NaiveDateTime,
    base: &str,
) -> Result<Lookup, ApiError> {
    let today = gs1_date(now.date());
    match identify(code, today) {
        Ok(ids) => load(conn, code, &ids, now, base),
        Err(e) => {
            let facts = Facts {
                invalid: Some(e.to_string()),
                ..Facts::registered(now)
            };
            let a = status::evaluate(&facts);
            Ok(empty(code, now, a, None))
        }
    }
}

/// A chrono date as a GS1 date (the calendar both share).
pub fn gs1_date(d: NaiveDate) -> Date {
    use chrono::Datelike;
    // Any date chrono produces for "now" is one gs1's calendar accepts.
    Date::new(d.year() as u16, d.month() as u8, d.day() as u8)
        .unwrap_or_else(|| unreachable!("today is a valid calendar date"))
}

fn empty(
    code: &str,
    now: NaiveDateTime,
    a: status::Assessment,
    identifiers: Option<IdentifiersOut>,
) -> Lookup {
    Lookup {
        code: code.to_owned(),
        checked_at: time(&now),
        verdict: a.verdict,
        reasons: a.reasons,
        identifiers,
        product: None,
        maker: None,
        certificates: Vec::new(),
        alerts: Vec::new(),
        lot: None,
        serial: None,
        inspections: Vec::new(),
        passport: None,
    }
}

fn source_name(s: Source) -> &'static str {
    match s {
        Source::Scanner(_) => "scanner",
        Source::DigitalLink => "digital_link",
        Source::ElementString => "element_string",
        _ => "bare_key",
    }
}

fn identifiers_out(ids: &Identifiers, base: &str) -> IdentifiersOut {
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

fn org_ref(conn: &mut DbConn, id: &str) -> Result<Option<OrgRef>, ApiError> {
    use diesel::OptionalExtension;
    Ok(db::orgs::get(conn, id).optional()?.map(|o| OrgRef {
        id: o.id,
        name: o.name,
        country: o.country,
    }))
}

fn load(
    conn: &mut DbConn,
    code: &str,
    ids: &Identifiers,
    now: NaiveDateTime,
    base: &str,
) -> Result<Lookup, ApiError> {
    use diesel::OptionalExtension;
    let ids_out = identifiers_out(ids, base);
    let mut facts = Facts {
        product: None,
        lot: ids_out.lot.clone(),
        expiry: ids.expiry.and_then(|d| {
            NaiveDate::from_ymd_opt(
                i32::from(d.year()),
                u32::from(d.month()),
                u32::from(d.day()),
            )
        }),
        serial: None,
        certificates: Vec::new(),
        ..Facts::registered(now)
    };
    let gtin = match &ids.primary {
        PrimaryKey::Gtin(g) => g.as_str().to_owned(),
        other => {
            let kind = match other {
                PrimaryKey::Sscc(_) => "sscc",
                PrimaryKey::Gln(_) => "gln",
                _ => "",
            };
            let key = db::prefixes::find_key(conn, kind, other.value())?;
            let maker = match key {
                Some(k) => org_ref(conn, &k.org_id)?,
                None => None,
            };
            facts.key_holder = maker.as_ref().map(|m| m.name.clone());
            let a = status::evaluate(&facts);
            let mut out = empty(code, now, a, Some(ids_out));
            out.maker = maker;
            return Ok(out);
        }
    };
    let Some(product) = db::products::find(conn, &gtin)? else {
        let a = status::evaluate(&facts);
        return Ok(empty(code, now, a, Some(ids_out)));
    };
    facts.product = Some(match product.status.parse() {
        Ok(products::ProductStatus::Discontinued) => ProductStatus::Discontinued,
        Ok(products::ProductStatus::Active) | Err(_) => ProductStatus::Active,
    });
    let maker = org_ref(conn, &product.org_id)?;
    let (certificates, cert_facts) = certificates(conn, &gtin, now.date())?;
    facts.certificates = cert_facts;
    let (alerts, alert_facts) = active_alerts(conn, &gtin)?;
    facts.alerts = alert_facts;

    let lot = match &facts.lot {
        Some(l) => db::serials::get_lot(conn, &gtin, l)
            .optional()?
            .map(|r| LotOut {
                lot: r.lot,
                production_date: r.production_date,
                expiry_date: r.expiry_date,
            }),
        None => None,
    };
    let serial = match &ids_out.serial {
        Some(s) => {
            let row = db::serials::get_serial(conn, &gtin, s).optional()?;
            let since = now - Duration::hours(i64::from(SCAN_WINDOW_HOURS));
            let places = db::scans::distinct_places(conn, &gtin, s, since)?;
            let places = u32::try_from(places).unwrap_or(u32::MAX);
            facts.serial = Some(row.as_ref().and_then(|r| serial_state(&r.state)));
            facts.scans = ScanPattern {
                distinct_places: places,
                window_hours: SCAN_WINDOW_HOURS,
            };
            Some(SerialOut {
                serial: s.clone(),
                state: row.map(|r| r.state),
                distinct_places: places,
                window_hours: SCAN_WINDOW_HOURS,
            })
        }
        None => None,
    };
    let concerns = |i: &db::inspections::Inspection| {
        i.lot.as_ref().is_none_or(|l| Some(l) == facts.lot.as_ref())
            && i.serial
                .as_ref()
                .is_none_or(|s| Some(s) == ids_out.serial.as_ref())
    };
    let rows: Vec<_> = db::scans::latest_inspections(conn, &gtin, INSPECTIONS_SHOWN * 4)?
        .into_iter()
        .filter(concerns)
        .take(usize::try_from(INSPECTIONS_SHOWN).unwrap_or(5))
        .collect();
    facts.inspections = rows
        .iter()
        .filter_map(|i| {
            Some(InspectionFacts {
                outcome: match i.outcome.parse().ok()? {
                    inspections::Outcome::Compliant => InspectionOutcome::Compliant,
                    inspections::Outcome::NonCompliant => InspectionOutcome::NonCompliant,
                    inspections::Outcome::SuspectedCounterfeit => {
                        InspectionOutcome::SuspectedCounterfeit
                    }
                },
                at: i.inspected_at,
                place: i.place.clone(),
            })
        })
        .collect();
    let inspections = rows
        .into_iter()
        .map(|i| InspectionOut {
            outcome: i.outcome,
            place: i.place,
            inspected_at: time(&i.inspected_at),
            lot: i.lot,
            serial: i.serial,
        })
        .collect();
    let passport = passport(
        conn,
        &gtin,
        facts.lot.as_deref(),
        ids_out.serial.as_deref(),
        base,
    )?;
    let a = status::evaluate(&facts);
    let mut out = empty(code, now, a, Some(ids_out));
    out.product = Some(ProductOut::from(product));
    out.maker = maker;
    out.certificates = certificates;
    out.alerts = alerts;
    out.lot = lot;
    out.serial = serial;
    out.inspections = inspections;
    out.passport = passport;
    Ok(out)
}

/// A stored serial state, read through the domain's own wire form.
fn serial_state(s: &str) -> Option<SerialState> {
    use serials::SerialState as Stored;
    Some(match s.parse().ok()? {
        Stored::Commissioned => SerialState::Commissioned,
        Stored::Shipped => SerialState::Shipped,
        Stored::SoldDispensed => SerialState::SoldDispensed,
        Stored::Decommissioned => SerialState::Decommissioned,
        Stored::Recalled => SerialState::Recalled,
        Stored::Destroyed => SerialState::Destroyed,
    })
}

/// The certificates covering `gtin`, on the wire and as facts.
fn certificates(
    conn: &mut DbConn,
    gtin: &str,
    today: NaiveDate,
) -> Result<(Vec<CertificateOut>, Vec<CertificateFacts>), ApiError> {
    let ids = db::certificates::covering_ids(conn, gtin)?;
    let rows = db::scans::certificates_by_ids(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut facts = Vec::with_capacity(rows.len());
    for row in rows {
        let (o, f) = certificate(conn, row, today)?;
        out.push(o);
        facts.push(f);
    }
    Ok((out, facts))
}

fn certificate(
    conn: &mut DbConn,
    row: CertificateRow,
    today: NaiveDate,
) -> Result<(CertificateOut, CertificateFacts), ApiError> {
    let bad = |e: String| ApiError::internal(std::io::Error::other(e));
    let stored: StoredStatus = row.status.parse().unwrap_or(StoredStatus::Withdrawn);
    let issue_date = parse_date(&row.issue_date).map_err(bad)?;
    let expiry = row.expiry_date.as_deref().and_then(|d| parse_date(d).ok());
    let standards: Vec<String> = serde_json::from_str(&row.standards).unwrap_or_default();
    let (chain, at_issue) = match (&row.accreditation_id, row.unaccredited) {
        (_, true) | (None, _) => (None, AccreditationAtIssue::DeclaredUnaccredited),
        (Some(aid), false) => {
            let a_row = db::certificates::get_accreditation(conn, aid)?;
            let a = accreditation(&a_row)?;
            let category = row.gpc_brick.as_deref();
            let covered = standards
                .iter()
                .any(|s| covers(std::slice::from_ref(&a), s, category, issue_date).is_some());
            let sigs = db::certificates::signatures_of(conn, &a.body_org_id)?
                .iter()
                .map(signature)
                .collect::<Result<Vec<_>, _>>()?;
            let sig = recognising_signature(&sigs, &a, issue_date);
            let recognised = covered && sig.is_some();
            let chain = ChainOut {
                number: a_row.number.clone(),
                standard: a_row.standard.clone(),
                body: org_ref(conn, &a.body_org_id)?,
                covered_at_issue: covered,
                internationally_recognised: recognised,
                arrangement: sig
                    .map(|s| format!("{} {}", s.arrangement.as_str(), s.scope.as_str())),
            };
            let at_issue = if covered {
                AccreditationAtIssue::Accredited {
                    internationally_recognised: recognised,
                }
            } else {
                AccreditationAtIssue::NotAccredited
            };
            (Some(chain), at_issue)
        }
    };
    let facts = CertificateFacts {
        number: row.number.clone(),
        status: match stored {
            StoredStatus::Valid => CertificateStatus::Valid,
            StoredStatus::Suspended => CertificateStatus::Suspended,
            StoredStatus::Withdrawn => CertificateStatus::Withdrawn,
        },
        issue_date,
        expiry,
        accreditation: at_issue,
    };
    let out = CertificateOut {
        effective_status: effective_status(stored, expiry, today).as_str().to_owned(),
        cab: org_ref(conn, &row.cab_org_id)?,
        id: row.id,
        number: row.number,
        kind: row.kind,
        standards,
        issue_date: row.issue_date,
        expiry_date: row.expiry_date,
        unaccredited: row.unaccredited,
        accreditation: chain,
        document_url: row.document_url,
    };
    Ok((out, facts))
}

/// Active alerts on `gtin`, each with the lots it names (empty: every lot); which of them
/// concern the scanned lot is the verdict's rule to decide.
fn active_alerts(
    conn: &mut DbConn,
    gtin: &str,
) -> Result<(Vec<AlertOut>, Vec<AlertFacts>), ApiError> {
    let filter = db::alerts::Filter {
        gtin: Some(gtin.to_owned()),
        status: Some(alerts::AlertStatus::Active.as_str().to_owned()),
        product_owner: None,
    };
    let page = crate::domain::pagination::PageRequest {
        after: None,
        limit: ALERTS_READ,
    };
    let rows = db::alerts::list(conn, &filter, &page)?;
    let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
    let targets = db::alerts::targets(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut facts = Vec::with_capacity(rows.len());
    for a in rows {
        let lots: Vec<String> = targets
            .iter()
            .filter(|t| t.alert_id == a.id && t.gtin == gtin)
            .map(|t| t.lot.clone())
            .collect();
        // A target row with lot '' covers every lot.
        let lots = if lots.iter().any(String::is_empty) {
            Vec::new()
        } else {
            lots
        };
        facts.push(AlertFacts {
            title: a.title.clone(),
            kind: match a.kind.parse() {
                Ok(alerts::AlertKind::Recall) => AlertKind::Recall,
                Ok(alerts::AlertKind::SafetyWarning) | Err(_) => AlertKind::SafetyWarning,
            },
            lots: lots.clone(),
        });
        out.push(AlertOut {
            raised_by: org_ref(conn, &a.org_id)?,
            raised_at: time(&a.raised_at),
            id: a.id,
            kind: a.kind,
            title: a.title,
            description: a.description,
            reference: a.reference,
            lots,
        });
    }
    Ok((out, facts))
}

/// The most specific published passport: the serial's, the lot's, then the product's.
fn passport(
    conn: &mut DbConn,
    gtin: &str,
    lot: Option<&str>,
    serial: Option<&str>,
    base: &str,
) -> Result<Option<PassportOut>, ApiError> {
    let levels = [
        serial.map(|s| ("serial", "", s)),
        lot.map(|l| ("lot", l, "")),
        Some(("product", "", "")),
    ];
    for (level, l, s) in levels.into_iter().flatten() {
        if let Some(version) = db::passports::published_version(conn, gtin, l, s)? {
            let url = super::item::passport_url(base, gtin, l, s, version);
            return Ok(Some(PassportOut {
                level,
                version,
                jws_url: super::item::passport_jws_url(&url),
                url,
            }));
        }
    }
    Ok(None)
}
