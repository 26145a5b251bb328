//! Loads every fact of a scan in one read and judges it.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use db::DbConn;
use gs1::scan::{Identifiers, PrimaryKey};
use verdict::{Facts, ScanPattern};

use super::{
    SCAN_WINDOW_HOURS, empty,
    wire::{InspectionOut, Lookup, LotOut, OrgRef, PassportOut, SerialOut, identifiers_out},
};
use crate::{
    api::{products::ProductOut, time},
    error::ApiError,
};

/// How many inspections a lookup reports.
const INSPECTIONS_SHOWN: i64 = 5;

pub(super) fn org_ref(conn: &mut DbConn, id: &str) -> Result<Option<OrgRef>, ApiError> {
    use diesel::OptionalExtension;
    Ok(db::orgs::get(conn, id).optional()?.map(OrgRef::from))
}

pub(super) fn load(
    conn: &mut DbConn,
    code: &str,
    ids: &Identifiers,
    now: NaiveDateTime,
    base: &str,
    place: Option<&str>,
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
    let (gtin, typed) = match &ids.primary {
        PrimaryKey::Gtin(g) => (g.as_str().to_owned(), *g),
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
            let a = verdict::evaluate(&facts);
            let mut out = empty(code, now, a, Some(ids_out));
            out.maker = maker;
            return Ok(out);
        }
    };
    let Some(product) = db::products::find(conn, &gtin)? else {
        let a = verdict::evaluate(&facts);
        return Ok(empty(code, now, a, Some(ids_out)));
    };
    facts.product = Some(super::facts::product_status(&product.status));
    let maker = org_ref(conn, &product.org_id)?;
    let (certificates, cert_facts) = super::certificates::covering(conn, &gtin, now.date())?;
    facts.certificates = cert_facts;
    let (alerts, alert_facts) = super::alerts::active(conn, &gtin)?;
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
    let mut lot_of_serial = None;
    let mut journey = Vec::new();
    let serial = match &ids_out.serial {
        Some(s) => {
            let row = db::serials::get_serial(conn, &gtin, s).optional()?;
            let since = now - Duration::hours(i64::from(SCAN_WINDOW_HOURS));
            let places = db::scans::distinct_places(conn, &gtin, s, since)?;
            let places = u32::try_from(places).unwrap_or(u32::MAX);
            facts.serial = Some(
                row.as_ref()
                    .and_then(|r| super::facts::serial_state(&r.state)),
            );
            facts.serial_since = row.as_ref().and_then(|r| r.state_since);
            journey = public_journey(conn, &typed, ("21", s))?;
            if let Some(country) = place.and_then(|p| p.get(..2)) {
                let mut reached: Vec<String> = Vec::new();
                for c in journey.iter().filter_map(|s| s.country) {
                    if !reached.iter().any(|r| r == c) {
                        reached.push(c.to_owned());
                    }
                }
                facts.whereabouts = Some(verdict::Whereabouts {
                    scanned_in: country.to_owned(),
                    journey_countries: reached,
                });
            }
            if facts.lot.is_none() {
                lot_of_serial = row
                    .as_ref()
                    .map(|r| r.lot.clone())
                    .filter(|l| !l.is_empty());
            }
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
    if ids_out.serial.is_none()
        && let Some(l) = &facts.lot
    {
        journey = public_journey(conn, &typed, ("10", l))?;
    }
    if facts.lot.is_some() || ids_out.serial.is_some() {
        let lot = facts.lot.as_deref().or(lot_of_serial.as_deref());
        facts.upstream_recalls =
            domain::custody::upstream_recalls(conn, &typed, lot, ids_out.serial.as_deref())?;
    }
    let (lot_s, serial_s) = (facts.lot.clone(), ids_out.serial.clone());
    let rows: Vec<_> = db::scans::latest_inspections(conn, &gtin, INSPECTIONS_SHOWN * 4)?
        .into_iter()
        .filter(|i| super::facts::concerns(i, lot_s.as_deref(), serial_s.as_deref()))
        .take(usize::try_from(INSPECTIONS_SHOWN).unwrap_or(5))
        .collect();
    facts.inspections = rows.iter().filter_map(super::facts::inspection).collect();
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
    let a = verdict::evaluate(&facts);
    let mut out = empty(code, now, a, Some(ids_out));
    out.product = Some(ProductOut::from(product));
    out.maker = maker;
    out.certificates = certificates;
    out.alerts = alerts;
    out.lot = lot;
    out.serial = serial;
    out.inspections = inspections;
    out.passport = passport;
    out.journey = journey;
    Ok(out)
}

/// How many journey steps a lookup shows (the latest ones): a page, not a report.
const JOURNEY_SHOWN: usize = 30;

/// The public summary of the journey of `gtin` with its lot or serial `qualifier`.
fn public_journey(
    conn: &mut DbConn,
    gtin: &gs1::keys::Gtin,
    qualifier: (&str, &str),
) -> Result<Vec<domain::journeys::Step>, ApiError> {
    let Ok(epc) = epcis::Epc::of_gtin(gtin, Some(qualifier)) else {
        return Ok(Vec::new());
    };
    let mut steps = domain::journeys::journey(conn, None, &epc)?.steps;
    let cut = steps.len().saturating_sub(JOURNEY_SHOWN);
    steps.drain(..cut);
    Ok(steps)
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
            let url = crate::resolver::item::passport_url(base, gtin, l, s, version);
            return Ok(Some(PassportOut {
                level,
                version,
                jws_url: crate::resolver::item::passport_jws_url(&url),
                url,
            }));
        }
    }
    Ok(None)
}
