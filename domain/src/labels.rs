//! What may be printed: a label names a registered product, and a lot or serial only when the
//! registry knows it, so that no label carries an identifier the platform never issued.

use db::DbConn;
use gs1::keys::{Gtin, Lot, Serial};

use crate::{Caller, DomainError, FieldError, lots, serials::SerialState};

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
            Ok(row) => {
                let state = row.state.parse::<SerialState>().ok();
                if matches!(
                    state,
                    Some(SerialState::Decommissioned | SerialState::Destroyed)
                ) {
                    return Err(DomainError::Conflict(format!(
                        "serial {:?} is {}: it is no longer printed",
                        s.as_str(),
                        row.state
                    )));
                }
                if let Some(l) = lot
                    && !row.lot.is_empty()
                    && row.lot != l.as_str()
                {
                    errors.push(FieldError::new(
                        "serial",
                        format!("serial {:?} belongs to lot {:?}", s.as_str(), row.lot),
                    ));
                }
            }
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
    })
}
