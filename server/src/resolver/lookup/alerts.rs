//! The active recalls and safety warnings a lookup reports and judges.

use db::DbConn;
use verdict::AlertFacts;

use super::{load::org_ref, wire::AlertOut};
use crate::{api::time, error::ApiError};

/// Active alerts on `gtin` on the lookup's wire, and as facts.
pub(super) fn active(
    conn: &mut DbConn,
    gtin: &str,
) -> Result<(Vec<AlertOut>, Vec<AlertFacts>), ApiError> {
    let rows = super::facts::active_alerts(conn, gtin)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut facts = Vec::with_capacity(rows.len());
    for a in rows {
        facts.push(a.facts());
        let (a, lots) = (a.row, a.lots);
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
