//! Commissioning jobs and serials on the wire.

use super::*;

/// A commission job on the wire.
#[derive(Debug, Serialize)]
pub struct JobOut {
    /// Id.
    pub id: String,
    /// The product.
    pub gtin: String,
    /// Serials requested.
    pub total: i64,
    /// Serials committed.
    pub done: i64,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Why it failed, or null.
    pub error: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last progress (RFC 3339).
    pub updated_at: String,
}

impl From<JobRow> for JobOut {
    fn from(j: JobRow) -> Self {
        Self {
            created_at: time(&j.created_at),
            updated_at: time(&j.updated_at),
            id: j.id,
            gtin: j.gtin,
            total: j.total,
            done: j.done,
            status: j.status,
            error: j.error,
        }
    }
}

/// A serial on the wire.
#[derive(Debug, Serialize)]
pub struct SerialOut {
    /// The product.
    pub gtin: String,
    /// The serial number.
    pub serial: String,
    /// The lot, or null.
    pub lot: Option<String>,
    /// The state.
    pub state: String,
    /// Last state change (RFC 3339).
    pub updated_at: String,
}

impl From<SerialRow> for SerialOut {
    fn from(s: SerialRow) -> Self {
        Self {
            updated_at: time(&s.updated_at),
            gtin: s.gtin,
            serial: s.serial,
            lot: Some(s.lot).filter(|l| !l.is_empty()),
            state: s.state,
        }
    }
}

/// The answer to a bulk state change.
#[derive(Debug, Serialize)]
pub struct BulkOut {
    /// Serials changed.
    pub updated: usize,
    /// Their new state.
    pub state: SerialState,
}
