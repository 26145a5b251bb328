//! The active recalls and safety warnings a lookup reports and judges.

use db::DbConn;
use domain::alerts;
use verdict::{AlertFacts, AlertKind};

use super::{load::org_ref, wire::AlertOut};
use crate::{api::time, error::ApiError};

/// How many active alerts on one GTIN a lookup reads.
const ALERTS_READ: i64 = 100;

/// Active alerts on `gtin`, each with the lots it names (empty: every lot); which of them
/// concern the scanned lot is the verdict's rule to decide.
pub(super) fn active(
    conn: &mut DbConn,
    gtin: &str,
) -> Result<(Vec<AlertOut>, Vec<AlertFacts>), ApiError> {
    let filter = db::alerts::Filter {
        gtin: Some(gtin.to_owned()),
        status: Some(alerts::AlertStatus::Active.as_str().to_owned()),
        product_owner: None,
    };
    let page = db::page::PageRequest {
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
