//! What may be printed: a label names a registered product, and a lot or serial only when the
//! registry knows it, so that no label carries an identifier the platform never issued.

use std::collections::HashMap;

use db::DbConn;
use gs1::keys::{Gtin, Lot, Serial};

use crate::{
    Caller, DomainError, FieldError, lots,
    serials::{SerialSet, SerialState},
};

/// At most this many labels in one sheet.
pub const SHEET_MAX: u64 = 100_000;
/// Serials read per query while checking a sheet.
const CHUNK: u64 = 1_000;
/// How many offending serials a refusal names.
const NAMED: usize = 5;

/// An item the caller may print, checked against the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printable {
    /// The product.
    pub gtin: Gtin,
    /// Its lot, if the label names one (registered).
    pub lot: Option<Lot>,
    /// Its serial, if the label names one (commissioned, not taken out of use).
    pub serial: Option<Serial>,
    /// The brand owner.
    pub org_id: String,
    /// The product's name in Vietnamese.
    pub name_vi: String,
    /// The product's name in English.
    pub name_en: String,
    /// The brand owner's own resolver root, when it registered one: its labels' Digital Link
    /// URIs start there rather than on this platform.
    pub resolver_root: Option<String>,
}

impl Printable {
    /// The root of this item's Digital Link URI: the brand owner's resolver, or `platform`.
    pub fn link_root<'a>(&'a self, platform: &'a str) -> &'a str {
        self.resolver_root.as_deref().unwrap_or(platform)
    }
}

/// Why a commissioned serial may not go on a label.
enum Unprintable {
    /// Decommissioned or destroyed.
    Gone,
    /// Not in the label's lot (a serial commissioned without a lot is in none).
    OtherLot,
}

/// The one rule for a single label and a sheet: what keeps `row` off a label of `lot`.
fn unprintable(row: &db::serials::SerialRow, lot: Option<&Lot>) -> Option<Unprintable> {
    if matches!(
        row.state.parse::<SerialState>(),
        Ok(SerialState::Decommissioned | SerialState::Destroyed)
    ) {
        Some(Unprintable::Gone)
    } else if lot.is_some_and(|l| row.lot != l.as_str()) {
        Some(Unprintable::OtherLot)
    } else {
        None
    }
}

/// Checks that `who` may print labels of `gtin` (admins, exporters of its organisation), that
/// `lot` is registered and `serial` commissioned for it, and that they agree.
pub fn printable(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    lot: Option<&Lot>,
    serial: Option<&Serial>,
) -> Result<Printable, DomainError> {
    let org_id = lots::writable(conn, who, gtin)?;
    let (name_vi, name_en) = db::products::find(conn, gtin.as_str())?
        .map(|p| (p.name_vi, p.name_en))
        .unwrap_or_default();
    let resolver_root = db::orgs::get(conn, &org_id)?.resolver_root;
    let mut errors = Vec::new();
    if let Some(l) = lot {
        match db::serials::get_lot(conn, gtin.as_str(), l.as_str()) {
            Ok(_) => {}
            Err(diesel::result::Error::NotFound) => errors.push(FieldError::new(
                "lot",
                format!("lot {:?} is not registered for this product", l.as_str()),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(s) = serial {
        match db::serials::get_serial(conn, gtin.as_str(), s.as_str()) {
            Ok(row) => match unprintable(&row, lot) {
                Some(Unprintable::Gone) => {
                    return Err(DomainError::Conflict(format!(
                        "serial {:?} is {}: it is no longer printed",
                        s.as_str(),
                        row.state
                    )));
                }
                Some(Unprintable::OtherLot) => errors.push(FieldError::new(
                    "serial",
                    format!("serial {:?} belongs to lot {:?}", s.as_str(), row.lot),
                )),
                None => {}
            },
            Err(diesel::result::Error::NotFound) => errors.push(FieldError::new(
                "serial",
                format!(
                    "serial {:?} was never commissioned for this product",
                    s.as_str()
                ),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    Ok(Printable {
        gtin: *gtin,
        lot: lot.cloned(),
        serial: serial.cloned(),
        org_id,
        name_vi,
        name_en,
        resolver_root,
    })
}

/// Checks a sheet: the product and lot as [`printable`], and every serial of `set`
/// commissioned for the product (in `lot`, when given) and not taken out of use. Reads the
/// serials a thousand at a time; a refusal names the first few offenders and counts them all.
pub fn printable_serials(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    lot: Option<&Lot>,
    set: &SerialSet,
) -> Result<Printable, DomainError> {
    let item = printable(conn, who, gtin, lot, None)?;
    let total = set.len();
    if total > SHEET_MAX {
        return Err(DomainError::field(
            "serials",
            format!("at most {SHEET_MAX} labels a sheet; this asks for {total}"),
        ));
    }
    let (mut missing, mut gone, mut elsewhere) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_missing, mut n_gone, mut n_elsewhere) = (0usize, 0usize, 0usize);
    let mut from = 0;
    while from < total {
        let to = (from + CHUNK).min(total);
        let part = set.slice(from, to);
        let rows = db::serials::get_serials(conn, gtin.as_str(), &part)?;
        let found: HashMap<&str, &db::serials::SerialRow> =
            rows.iter().map(|r| (r.serial.as_str(), r)).collect();
        for s in &part {
            let note = |list: &mut Vec<String>, n: &mut usize| {
                *n += 1;
                if list.len() < NAMED {
                    list.push(s.clone());
                }
            };
            match found.get(s.as_str()).map(|r| unprintable(r, lot)) {
                None => note(&mut missing, &mut n_missing),
                Some(Some(Unprintable::Gone)) => note(&mut gone, &mut n_gone),
                Some(Some(Unprintable::OtherLot)) => note(&mut elsewhere, &mut n_elsewhere),
                Some(None) => {}
            }
        }
        from = to;
    }
    let mut errors = Vec::new();
    let mut say = |names: &[String], n: usize, why: &str| {
        if n > 0 {
            let more = if n > names.len() {
                format!(" and {} more", n - names.len())
            } else {
                String::new()
            };
            errors.push(FieldError::new(
                "serials",
                format!("{}{more} {why}", names.join(", ")),
            ));
        }
    };
    say(
        &missing,
        n_missing,
        "were never commissioned for this product",
    );
    say(&gone, n_gone, "are decommissioned or destroyed");
    say(&elsewhere, n_elsewhere, "belong to another lot");
    if errors.is_empty() {
        Ok(item)
    } else {
        Err(DomainError::Invalid(errors))
    }
}
