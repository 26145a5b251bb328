//! One verdict per scan: read anything scanned or typed, load every fact the verdict needs in
//! one read (`load`), and judge it with the pure [`verdict::evaluate`]. The answer's wire types
//! are in `wire`; a certificate's accreditation chain comes from `domain::certificate_view`, as
//! it does for the certificate API.

mod alerts;
mod certificates;
pub mod facts;
mod load;
mod wire;

use chrono::{NaiveDate, NaiveDateTime};
use db::DbConn;
use gs1::{date::Date, scan::identify};
use verdict::Facts;

pub use wire::{
    AlertOut, CertificateOut, ChainOut, IdentifiersOut, InspectionOut, Lookup, LotOut, OrgRef,
    PassportOut, SerialOut,
};

use crate::{api::time, error::ApiError};

/// The window over which distinct scan places of one serial are counted.
pub const SCAN_WINDOW_HOURS: u32 = 24;

/// Reads `code` (as `identify` does) and judges it at `now`, scanned at the coarse `place`
/// (`VN-HN`) if known; `base` is the public root.
pub fn lookup(
    conn: &mut DbConn,
    code: &str,
    now: NaiveDateTime,
    base: &str,
    place: Option<&str>,
) -> Result<Lookup, ApiError> {
    let today = gs1_date(now.date());
    match identify(code, today) {
        Ok(ids) => load::load(conn, code, &ids, now, base, place),
        Err(e) => {
            let facts = Facts {
                invalid: Some(e.to_string()),
                ..Facts::registered(now)
            };
            let a = verdict::evaluate(&facts);
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
    a: verdict::Assessment,
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
        journey: Vec::new(),
    }
}
