//! `GET /api/v1/shipments/{sscc}`: the customs check of a pallet or container. Every trade item
//! inside it now (through its cases, as the aggregation events say), each with its verdict,
//! and a summary an officer acts on in one look: counts per verdict, items without a valid
//! certificate, recalled lots, items whose journey does not start where the shipment comes from.
//!
//! The facts of a product (certificates, alerts, inspections) are read once per GTIN and those
//! of a lot once per lot, then each item is judged by the same [`verdict::evaluate`] as a scan.

use std::collections::{BTreeMap, HashMap, hash_map::Entry};

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use db::DbConn;
use domain::{
    Caller,
    custody::{self, Held, Origin},
    traceability::{self, Scope},
};
use epcis::Epc;
use gs1::keys::{Gtin, Sscc};
use serde::Serialize;
use verdict::{Facts, Reason, UpstreamRecall, Verdict};

use super::lookup::facts;
use crate::{api::time, auth::Authenticated, error::ApiError, state::AppState};

/// The most items one check judges: a 40-foot container of small cartons.
pub const MAX_ITEMS: usize = 20_000;

/// One item of the shipment.
#[derive(Debug, Serialize)]
pub struct ItemOut {
    /// The item or lot (canonical Digital Link).
    pub epc: String,
    /// Its GTIN.
    pub gtin: String,
    /// Its lot, if known.
    pub lot: Option<String>,
    /// Its serial, for an instance.
    pub serial: Option<String>,
    /// The case or pallet holding it directly.
    pub container: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Why, most severe first.
    pub reasons: Vec<Reason>,
    /// The country its journey starts in (its first event's place), if known.
    pub journey_starts_in: Option<&'static str>,
    /// Its journey starts in another country than the shipment's origin.
    pub origin_mismatch: bool,
}

/// A recalled lot found in the shipment.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RecalledLot {
    /// The GTIN.
    pub gtin: String,
    /// The lot; none when the recall covers every lot.
    pub lot: Option<String>,
    /// How many items of the shipment it concerns.
    pub items: usize,
}

/// The summary.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Items judged.
    pub items: usize,
    /// Items per verdict.
    pub verdicts: BTreeMap<&'static str, usize>,
    /// Items with no valid (or expiring) certificate.
    pub without_valid_certificate: usize,
    /// Lots recalled, directly or upstream.
    pub recalled_lots: Vec<RecalledLot>,
    /// Items whose journey starts elsewhere than the shipment's origin.
    pub origin_mismatch: usize,
    /// Whether [`MAX_ITEMS`] cut the items judged.
    pub truncated: bool,
}

/// Where the shipment was shipped from.
#[derive(Debug, Serialize)]
pub struct OriginOut {
    /// When (RFC 3339, UTC).
    pub shipped_at: String,
    /// The place (canonical Digital Link of its GLN).
    pub place: Option<String>,
    /// Its country.
    pub country: Option<&'static str>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct Shipment {
    /// The SSCC.
    pub sscc: String,
    /// When it was checked.
    pub checked_at: String,
    /// Its latest shipping event, if any.
    pub origin: Option<OriginOut>,
    /// The summary.
    pub summary: Summary,
    /// Every item, worst verdict first.
    pub items: Vec<ItemOut>,
}

/// `GET /api/v1/shipments/{sscc}`: authorities and admins, the SSCC's holder, and organisations
/// that recorded an event naming it.
#[tracing::instrument(skip(state, who))]
pub async fn shipment(
    state: web::Data<AppState>,
    who: Authenticated,
    sscc: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let sscc = Sscc::parse(&sscc).map_err(|e| ApiError::field("path.sscc", e.to_string()))?;
    let found = state
        .run(move |conn| check(conn, &who, &sscc, db::now()))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Judges every item inside `sscc` at `now`, if `who` may see it.
pub fn check(
    conn: &mut DbConn,
    who: &Caller,
    sscc: &Sscc,
    now: NaiveDateTime,
) -> Result<Shipment, ApiError> {
    let container = Epc::parse(&format!("https://id.gs1.org/00/{sscc}"))
        .map_err(|e| ApiError::field("path.sscc", e.to_string()))?;
    may_see(conn, who, sscc, &container)?;
    let origin = custody::origin(conn, &container)?;
    let mut held = custody::contents(conn, &container, now)?;
    let truncated = held.len() > MAX_ITEMS;
    held.truncate(MAX_ITEMS);
    let mut items = judge(conn, held, origin.as_ref(), now)?;
    items.sort_by(|a, b| b.verdict.cmp(&a.verdict).then_with(|| a.epc.cmp(&b.epc)));
    let summary = summarise(&items, truncated);
    Ok(Shipment {
        sscc: sscc.to_string(),
        checked_at: time(&now),
        origin: origin.map(|o| OriginOut {
            shipped_at: time(&o.shipped_at),
            place: o.place,
            country: o.country,
        }),
        summary,
        items,
    })
}

/// Not 403 but 404 for others: whether a shipment exists is information about a supply chain.
fn may_see(conn: &mut DbConn, who: &Caller, sscc: &Sscc, container: &Epc) -> Result<(), ApiError> {
    if traceability::scope(conn, who)? == Scope::All {
        return Ok(());
    }
    if db::prefixes::find_key(conn, "sscc", sscc.as_str())?.is_some_and(|k| k.org_id == who.org_id)
    {
        return Ok(());
    }
    let named = db::events::naming(conn, &[container.canonical().to_owned()], 1_000)?;
    if named.iter().any(|e| e.org_id == who.org_id) {
        return Ok(());
    }
    Err(ApiError::from(domain::error::DomainError::NotFound))
}

/// What is known of one GTIN, read once for every item of it.
struct ProductFacts {
    facts: Facts,
    /// Its latest inspections, for those that concern each item.
    inspections: Vec<db::inspections::Inspection>,
}

/// How many of a product's latest inspections are looked at per item.
const INSPECTIONS_READ: i64 = 20;

fn judge(
    conn: &mut DbConn,
    held: Vec<Held>,
    origin: Option<&Origin>,
    now: NaiveDateTime,
) -> Result<Vec<ItemOut>, ApiError> {
    use diesel::OptionalExtension;
    let mut products: HashMap<Gtin, ProductFacts> = HashMap::new();
    let mut lots: HashMap<(Gtin, String), (Option<NaiveDate>, Vec<UpstreamRecall>)> =
        HashMap::new();
    let mut serials: HashMap<Gtin, Vec<String>> = HashMap::new();
    for h in &held {
        if let (Some(g), Some(s)) = (h.epc.gtin(), h.epc.serial()) {
            serials.entry(g).or_default().push(s.to_owned());
        }
    }
    let mut serial_rows: HashMap<(Gtin, String), db::serials::SerialRow> = HashMap::new();
    for (g, names) in &serials {
        for row in db::serials::get_serials(conn, g.as_str(), names)? {
            serial_rows.insert((*g, row.serial.clone()), row);
        }
    }
    let epcs: Vec<String> = held.iter().map(|h| h.epc.canonical().to_owned()).collect();
    let starts = db::custody::first_places(conn, &epcs)?;
    let mut out = Vec::with_capacity(held.len());
    for h in held {
        let Some(gtin) = h.epc.gtin() else { continue };
        let product = match products.entry(gtin) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(product_facts(conn, &gtin, now)?),
        };
        let mut f = product.facts.clone();
        let serial = h.epc.serial().map(str::to_owned);
        let row = serial
            .as_ref()
            .and_then(|s| serial_rows.get(&(gtin, s.clone())));
        let lot = h
            .epc
            .lot()
            .map(str::to_owned)
            .or_else(|| row.map(|r| r.lot.clone()).filter(|l| !l.is_empty()));
        if serial.is_some() {
            f.serial = Some(row.and_then(|r| facts::serial_state(&r.state)));
            f.serial_since = row.and_then(|r| r.state_since);
        }
        if f.product.is_some()
            && let Some(l) = &lot
        {
            let (expiry, upstream) = match lots.entry((gtin, l.clone())) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let expiry = db::serials::get_lot(conn, gtin.as_str(), l)
                        .optional()?
                        .and_then(|r| r.expiry_date)
                        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
                    e.insert((
                        expiry,
                        custody::upstream_recalls(conn, &gtin, Some(l), None)?,
                    ))
                }
            };
            f.expiry = *expiry;
            f.upstream_recalls = upstream.clone();
        }
        f.lot = lot.clone();
        f.inspections = product
            .inspections
            .iter()
            .filter(|i| facts::concerns(i, f.lot.as_deref(), serial.as_deref()))
            .filter_map(facts::inspection)
            .collect();
        let a = verdict::evaluate(&f);
        let journey_starts_in = starts
            .get(h.epc.canonical())
            .and_then(|(_, place)| place.as_deref())
            .and_then(|p| Epc::parse(p).ok())
            .and_then(|p| domain::journeys::country_of(&p));
        let origin_mismatch = match (origin.and_then(|o| o.country), journey_starts_in) {
            (Some(o), Some(s)) => o != s,
            _ => false,
        };
        out.push(ItemOut {
            epc: h.epc.canonical().to_owned(),
            gtin: gtin.to_string(),
            lot,
            serial,
            container: h.container,
            verdict: a.verdict,
            reasons: a.reasons,
            journey_starts_in,
            origin_mismatch,
        });
    }
    Ok(out)
}

/// The facts every item of `gtin` shares: the product, its certificates, alerts, inspections.
fn product_facts(
    conn: &mut DbConn,
    gtin: &Gtin,
    now: NaiveDateTime,
) -> Result<ProductFacts, ApiError> {
    let mut f = Facts {
        product: None,
        ..Facts::registered(now)
    };
    let mut inspections = Vec::new();
    if let Some(p) = db::products::find(conn, gtin.as_str())? {
        inspections = db::scans::latest_inspections(conn, gtin.as_str(), INSPECTIONS_READ)?;
        f.product = Some(facts::product_status(&p.status));
        f.certificates = facts::certificates(conn, gtin.as_str())?
            .iter()
            .map(|c| c.facts())
            .collect();
        f.alerts = facts::active_alerts(conn, gtin.as_str())?
            .iter()
            .map(|a| a.facts())
            .collect();
    }
    Ok(ProductFacts {
        facts: f,
        inspections,
    })
}

fn summarise(items: &[ItemOut], truncated: bool) -> Summary {
    let mut verdicts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut recalled: Vec<RecalledLot> = Vec::new();
    for i in items {
        *verdicts.entry(i.verdict.as_str()).or_default() += 1;
        if i.reasons
            .iter()
            .any(|r| r.code == "recall" || r.code == "recall_upstream")
        {
            match recalled
                .iter_mut()
                .find(|r| r.gtin == i.gtin && r.lot == i.lot)
            {
                Some(r) => r.items += 1,
                None => recalled.push(RecalledLot {
                    gtin: i.gtin.clone(),
                    lot: i.lot.clone(),
                    items: 1,
                }),
            }
        }
    }
    let certified = |i: &&ItemOut| {
        i.reasons
            .iter()
            .any(|r| r.code == "certificate_valid" || r.code == "certificate_expiring")
    };
    Summary {
        items: items.len(),
        verdicts,
        without_valid_certificate: items.iter().filter(|i| !certified(i)).count(),
        recalled_lots: recalled,
        origin_mismatch: items.iter().filter(|i| i.origin_mismatch).count(),
        truncated,
    }
}
