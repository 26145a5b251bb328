//! Alerts and their targets on the wire.

use super::*;

/// A targeted product on the wire.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetOut {
    /// GTIN.
    pub gtin: String,
    /// The targeted lots; empty means every lot.
    pub lots: Vec<String>,
}

/// An alert on the wire.
#[derive(Debug, Serialize)]
pub struct AlertOut {
    /// Id.
    pub id: String,
    /// The raising organisation.
    pub org_id: String,
    /// recall or safety_warning.
    pub kind: String,
    /// authority, certifier or wto_notification.
    pub source: String,
    /// External reference.
    pub reference: Option<String>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// active or lifted.
    pub status: String,
    /// Products and lots.
    pub targets: Vec<TargetOut>,
    /// Raised (RFC 3339).
    pub raised_at: String,
    /// Lifted (RFC 3339) or null.
    pub lifted_at: Option<String>,
    /// Why it was lifted.
    pub lift_reason: Option<String>,
}

impl AlertOut {
    pub(super) fn new(a: Alert, targets: &[Target]) -> Self {
        let mut by_gtin: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for t in targets.iter().filter(|t| t.alert_id == a.id) {
            let lots = by_gtin.entry(&t.gtin).or_default();
            if !t.lot.is_empty() {
                lots.push(t.lot.clone());
            }
        }
        Self {
            targets: by_gtin
                .into_iter()
                .map(|(gtin, lots)| TargetOut {
                    gtin: gtin.to_owned(),
                    lots,
                })
                .collect(),
            raised_at: time(&a.raised_at),
            lifted_at: a.lifted_at.as_ref().map(time),
            id: a.id,
            org_id: a.org_id,
            kind: a.kind,
            source: a.source,
            reference: a.reference,
            title: a.title,
            description: a.description,
            status: a.status,
            lift_reason: a.lift_reason,
        }
    }
}
