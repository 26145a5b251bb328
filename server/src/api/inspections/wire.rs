//! Inspections on the wire, and what a client sends.

use super::*;

/// An inspection on the wire.
#[derive(Debug, Serialize)]
pub struct InspectionOut {
    /// Id.
    pub id: String,
    /// The inspecting authority.
    pub org_id: String,
    /// Who inspected.
    pub inspector: String,
    /// The code as given.
    pub code: String,
    /// GTIN, if the code names one.
    pub gtin: Option<String>,
    /// Lot, if any.
    pub lot: Option<String>,
    /// Serial, if any.
    pub serial: Option<String>,
    /// Where.
    pub place: String,
    /// compliant, non_compliant or suspected_counterfeit.
    pub outcome: String,
    /// Notes.
    pub notes: Option<String>,
    /// SHA-256 of the evidence.
    pub evidence_sha256: Option<String>,
    /// When it took place (RFC 3339).
    pub inspected_at: String,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
}

impl From<Inspection> for InspectionOut {
    fn from(i: Inspection) -> Self {
        Self {
            inspected_at: time(&i.inspected_at),
            created_at: time(&i.created_at),
            id: i.id,
            org_id: i.org_id,
            inspector: i.inspector_id,
            code: i.code,
            gtin: i.gtin,
            lot: i.lot,
            serial: i.serial,
            place: i.place,
            outcome: i.outcome,
            notes: i.notes,
            evidence_sha256: i.evidence_sha256,
        }
    }
}

/// Body of `POST /inspections`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Anything scanned or typed.
    pub code: String,
    /// Where.
    pub place: String,
    /// What was found.
    pub outcome: String,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// SHA-256 of the evidence.
    #[serde(default)]
    pub evidence_sha256: Option<String>,
    /// When (RFC 3339; default now).
    #[serde(default)]
    pub inspected_at: Option<String>,
}

/// Today's date (UTC), which dates the expiry check of a scanned code.
pub(super) fn today() -> Option<Date> {
    use chrono::Datelike;
    let now = chrono::Utc::now().date_naive();
    Date::new(
        u16::try_from(now.year()).ok()?,
        u8::try_from(now.month()).ok()?,
        u8::try_from(now.day()).ok()?,
    )
}

impl TryFrom<CreateBody> for NewInspection {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let today = today().ok_or_else(|| ApiError::Unavailable("no valid clock".to_owned()))?;
        let mut f = Fields::default();
        let ids = f.check("code", scan::identify(&b.code, today));
        let place = f.check("place", text(&b.place, 500));
        let outcome = f.check("outcome", b.outcome.parse::<Outcome>());
        let notes = b.notes.map(|n| f.check("notes", text(&n, 4000)));
        let evidence = b
            .evidence_sha256
            .map(|e| f.check("evidence_sha256", sha256_hex(&e)));
        let at = b.inspected_at.map(|t| {
            let parsed = DateTime::parse_from_rfc3339(&t)
                .map(|d| d.naive_utc())
                .map_err(|e| format!("not an RFC 3339 time: {e}"))
                .and_then(|d| {
                    if d > db::now() + chrono::TimeDelta::minutes(5) {
                        Err("must not be in the future".to_owned())
                    } else {
                        Ok(d)
                    }
                });
            f.check("inspected_at", parsed)
        });
        f.finish()?;
        match (ids, place, outcome) {
            (Some(ids), Some(place), Some(outcome)) => Ok(NewInspection {
                code: b.code.trim().to_owned(),
                ids,
                place,
                outcome,
                notes: notes.flatten(),
                evidence_sha256: evidence.flatten(),
                inspected_at: at.flatten(),
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Query of `GET /inspections`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only this GTIN.
    pub gtin: Option<String>,
    /// Only this outcome.
    pub outcome: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}
