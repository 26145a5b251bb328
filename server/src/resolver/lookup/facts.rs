//! The registry's rows as the verdict's facts, in one place: the lookup and the status pack
//! both read a product's certificates, alerts, inspections and serials through these.

use db::{DbConn, inspections::Inspection};
use domain::{
    certificate_view::{self, CertificateView},
    inspections as insp, products, serials,
};
use verdict::{InspectionFacts, InspectionOutcome, ProductStatus, SerialState};

use crate::error::ApiError;

/// A stored product status as the verdict's (an unknown form reads as active).
pub fn product_status(stored: &str) -> ProductStatus {
    match stored.parse() {
        Ok(products::ProductStatus::Discontinued) => ProductStatus::Discontinued,
        Ok(products::ProductStatus::Active) | Err(_) => ProductStatus::Active,
    }
}

/// A stored serial state, read through the domain's own wire form.
pub fn serial_state(s: &str) -> Option<SerialState> {
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

/// An inspection row as the verdict's facts (none if its outcome is not a known form).
pub fn inspection(i: &Inspection) -> Option<InspectionFacts> {
    Some(InspectionFacts {
        outcome: match i.outcome.parse().ok()? {
            insp::Outcome::Compliant => InspectionOutcome::Compliant,
            insp::Outcome::NonCompliant => InspectionOutcome::NonCompliant,
            insp::Outcome::SuspectedCounterfeit => InspectionOutcome::SuspectedCounterfeit,
        },
        at: i.inspected_at,
        place: i.place.clone(),
    })
}

/// The certificates covering `gtin`, each with its accreditation chain at issue.
pub fn certificates(conn: &mut DbConn, gtin: &str) -> Result<Vec<CertificateView>, ApiError> {
    let ids = db::certificates::covering_ids(conn, gtin)?;
    let rows = db::scans::certificates_by_ids(conn, &ids)?;
    Ok(certificate_view::load_all(conn, rows)?)
}

pub use domain::alerts::ActiveAlert;

/// The active alerts on `gtin`.
pub fn active_alerts(conn: &mut DbConn, gtin: &str) -> Result<Vec<ActiveAlert>, ApiError> {
    Ok(domain::alerts::active(conn, gtin)?)
}

/// Whether an inspection concerns a scan of `lot` and `serial`: one naming no lot (or serial)
/// concerns every lot (or item).
pub fn concerns(i: &Inspection, lot: Option<&str>, serial: Option<&str>) -> bool {
    i.lot.as_deref().is_none_or(|l| Some(l) == lot)
        && i.serial.as_deref().is_none_or(|s| Some(s) == serial)
}
