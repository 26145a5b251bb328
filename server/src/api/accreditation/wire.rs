//! Signatory status and accreditations on the wire.

use super::*;

/// A signature on the wire.
#[derive(Debug, Serialize)]
pub struct SignatureOut {
    /// Id.
    pub id: String,
    /// The accreditation body.
    pub body_org_id: String,
    /// `ilac_mra`, `iaf_mla` or `apac_mra`.
    pub arrangement: String,
    /// Scope.
    pub scope: String,
    /// `signatory`, `suspended` or `withdrawn`.
    pub status: String,
    /// First day.
    pub valid_from: String,
    /// Last day or null.
    pub valid_until: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<SignatureRow> for SignatureOut {
    fn from(r: SignatureRow) -> Self {
        Self {
            created_at: time(&r.created_at),
            updated_at: time(&r.updated_at),
            id: r.id,
            body_org_id: r.body_org_id,
            arrangement: r.arrangement,
            scope: r.scope,
            status: r.status,
            valid_from: r.valid_from,
            valid_until: r.valid_until,
        }
    }
}

/// An accreditation on the wire.
#[derive(Debug, Serialize)]
pub struct AccreditationOut {
    /// Id.
    pub id: String,
    /// The accrediting body.
    pub body_org_id: String,
    /// The accredited CAB.
    pub cab_org_id: String,
    /// The body's number for it.
    pub number: String,
    /// The standard.
    pub standard: String,
    /// Normative documents in scope.
    pub scope_standards: Vec<String>,
    /// Categories in scope.
    pub scope_categories: Vec<String>,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_until: String,
    /// `active`, `suspended` or `withdrawn`.
    pub status: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<AccreditationRow> for AccreditationOut {
    fn from(r: AccreditationRow) -> Self {
        Self {
            created_at: time(&r.created_at),
            updated_at: time(&r.updated_at),
            scope_standards: serde_json::from_str(&r.scope_standards).unwrap_or_default(),
            scope_categories: serde_json::from_str(&r.scope_categories).unwrap_or_default(),
            id: r.id,
            body_org_id: r.body_org_id,
            cab_org_id: r.cab_org_id,
            number: r.number,
            standard: r.standard,
            valid_from: r.valid_from,
            valid_until: r.valid_until,
            status: r.status,
        }
    }
}
