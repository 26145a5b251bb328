//! Lots of a product: creating them and changing their production and expiry dates.

use crate::error::InvalidValue;
use crate::error::invalid;
use chrono::NaiveDate;
use gs1::keys::{Gtin, Lot};

use super::{Actor, record};
use crate::{Role, caller::Caller, error::DomainError};
use db::{self, DbConn, serials::LotRow};

/// A calendar date written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(NaiveDate);

impl IsoDate {
    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|d| d.format("%Y-%m-%d").to_string() == s)
            .map(Self)
            .ok_or_else(|| invalid!("{s:?} is not a date written YYYY-MM-DD"))
    }

    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// A validated new lot.
#[derive(Clone, Debug)]
pub struct NewLot {
    /// The lot number.
    pub lot: Lot,
    /// Production date.
    pub production_date: Option<IsoDate>,
    /// Expiry date, after the production date.
    pub expiry_date: Option<IsoDate>,
}

/// A change of dates; `None` leaves a date, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct LotPatch {
    /// New or cleared production date.
    pub production_date: Option<Option<IsoDate>>,
    /// New or cleared expiry date.
    pub expiry_date: Option<Option<IsoDate>>,
}

/// Refuses an expiry date that is not after the production date.
pub fn check_order(
    production: Option<IsoDate>,
    expiry: Option<IsoDate>,
) -> Result<(), DomainError> {
    match (production, expiry) {
        (Some(p), Some(e)) if e <= p => Err(DomainError::field(
            "expiry_date",
            format!("must be after the production date {p}"),
        )),
        _ => Ok(()),
    }
}

/// Loads the product and checks the caller may read it (admin or member of its organisation).
pub fn readable(conn: &mut DbConn, who: &Caller, gtin: &Gtin) -> Result<String, DomainError> {
    let product = db::serials::product(conn, gtin.as_str())?.ok_or(DomainError::NotFound)?;
    who.require_member_of(&product.org_id)?;
    Ok(product.org_id)
}

/// Loads the product and checks the caller may change it: an admin, or an exporter of its
/// organisation.
pub fn writable(conn: &mut DbConn, who: &Caller, gtin: &Gtin) -> Result<String, DomainError> {
    let org_id = readable(conn, who, gtin)?;
    if who.is_admin() || who.role == Role::Exporter {
        Ok(org_id)
    } else {
        Err(DomainError::Forbidden("requires the exporter role"))
    }
}

fn text(d: Option<IsoDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Creates a lot of a product.
#[tracing::instrument(skip(conn, who, new))]
pub fn create(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    new: NewLot,
) -> Result<LotRow, DomainError> {
    let actor: Actor = who.actor();
    db::write_transaction(conn, |conn| {
        let org_id = writable(conn, who, gtin)?;
        let now = db::now();
        let row = LotRow {
            id: db::new_id(),
            org_id,
            gtin: gtin.as_str().to_owned(),
            lot: new.lot.as_str().to_owned(),
            production_date: text(new.production_date),
            expiry_date: text(new.expiry_date),
            created_at: now,
            updated_at: now,
        };
        db::serials::insert_lot(conn, &row).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DomainError::Conflict(format!("lot {} of GTIN {gtin} exists", new.lot)),
            other => other.into(),
        })?;
        record(
            conn,
            &actor,
            Some(&row.org_id),
            "lot.create",
            ("lot", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

/// Changes a lot's dates, keeping expiry after production.
#[tracing::instrument(skip(conn, who, patch))]
pub fn update(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    lot: &Lot,
    patch: LotPatch,
) -> Result<LotRow, DomainError> {
    let actor = who.actor();
    db::write_transaction(conn, |conn| {
        writable(conn, who, gtin)?;
        let mut row = db::serials::get_lot(conn, gtin.as_str(), lot.as_str())?;
        let parse = |s: &Option<String>| s.as_deref().and_then(|d| IsoDate::parse(d).ok());
        let production = patch
            .production_date
            .unwrap_or_else(|| parse(&row.production_date));
        let expiry = patch.expiry_date.unwrap_or_else(|| parse(&row.expiry_date));
        check_order(production, expiry)?;
        row.production_date = text(production);
        row.expiry_date = text(expiry);
        row.updated_at = db::now();
        db::serials::update_lot(conn, &row)?;
        record(
            conn,
            &actor,
            Some(&row.org_id),
            "lot.update",
            ("lot", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_and_ordered() {
        assert!(IsoDate::parse("2026-02-28").is_ok());
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "28/02/2026",
            "",
            "2026-02-28T00:00",
        ] {
            assert!(IsoDate::parse(bad).is_err(), "{bad}");
        }
        let d = |s| IsoDate::parse(s).ok();
        assert!(check_order(d("2026-01-01"), d("2026-01-02")).is_ok());
        assert!(check_order(d("2026-01-02"), d("2026-01-02")).is_err());
        assert!(check_order(None, d("2026-01-02")).is_ok());
    }
}
