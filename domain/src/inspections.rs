//! Market-surveillance inspections: who may record and read them, and recording one with its audit entry.

use crate::error::InvalidValue;
use crate::error::invalid;
use std::str::FromStr;

use chrono::NaiveDateTime;
use gs1::scan::{Identifiers, PrimaryKey};
use sha2::{Digest, Sha256};

use super::{OrgKind, Role, record};
use crate::{caller::Caller, error::DomainError};
use db::{self, DbConn, inspections::Inspection};

/// What an inspection found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The product conforms.
    Compliant,
    /// The product does not conform.
    NonCompliant,
    /// The product is probably fake.
    SuspectedCounterfeit,
}

impl Outcome {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compliant => "compliant",
            Self::NonCompliant => "non_compliant",
            Self::SuspectedCounterfeit => "suspected_counterfeit",
        }
    }
}

impl FromStr for Outcome {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, InvalidValue> {
        [
            Self::Compliant,
            Self::NonCompliant,
            Self::SuspectedCounterfeit,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
        .ok_or_else(|| {
            invalid!("unknown outcome {s:?}: use compliant, non_compliant or suspected_counterfeit")
        })
    }
}

/// Trims `s` and checks it is non-empty, at most `max` characters and free of control characters
/// (line breaks allowed).
pub fn text(s: &str, max: usize) -> Result<String, InvalidValue> {
    let s = s.trim();
    match s.chars().count() {
        0 => Err("must not be empty".into()),
        n if n > max => Err(invalid!("must be at most {max} characters, got {n}")),
        _ if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
            Err("must not contain control characters".into())
        }
        _ => Ok(s.to_owned()),
    }
}

/// A lower-case SHA-256 hex digest.
pub fn sha256_hex(s: &str) -> Result<String, InvalidValue> {
    let s = s.trim().to_ascii_lowercase();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s)
    } else {
        Err("must be a SHA-256 digest: 64 hexadecimal digits".into())
    }
}

/// A validated new inspection.
#[derive(Clone, Debug)]
pub struct NewInspection {
    /// The code as given.
    pub code: String,
    /// What the code says.
    pub ids: Identifiers,
    /// Where.
    pub place: String,
    /// What was found.
    pub outcome: Outcome,
    /// Notes.
    pub notes: Option<String>,
    /// Evidence digest.
    pub evidence_sha256: Option<String>,
    /// When (default: now).
    pub inspected_at: Option<NaiveDateTime>,
}

/// Inspectors of an authority organisation, and admins.
pub fn require_authority_inspector(conn: &mut DbConn, who: &Caller) -> Result<(), DomainError> {
    if who.is_admin() {
        return Ok(());
    }
    if who.role != Role::Inspector {
        return Err(DomainError::Forbidden("requires the inspector role"));
    }
    let org = db::orgs::get(conn, &who.org_id)?;
    if org.kind != OrgKind::Authority.as_str() {
        return Err(DomainError::Forbidden(
            "inspectors must belong to an authority",
        ));
    }
    Ok(())
}

/// Records an inspection.
pub fn create(
    conn: &mut DbConn,
    who: &Caller,
    new: NewInspection,
) -> Result<Inspection, DomainError> {
    record_once(conn, who, new, None).map(|r| r.row)
}

/// An inspection recorded, or the one recorded earlier under the same `Idempotency-Key`.
#[derive(Debug)]
pub struct Recorded {
    /// The inspection.
    pub row: Inspection,
    /// True when the key had already recorded it: nothing was written.
    pub replayed: bool,
}

/// The SHA-256 of what a request asks to record: the same body under the same key replays.
fn digest(new: &NewInspection) -> String {
    let fields = serde_json::json!([
        new.code,
        new.place,
        new.outcome.as_str(),
        new.notes,
        new.evidence_sha256,
        new.inspected_at.map(|t| db::audit::format_time(&t)),
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// The earlier inspection under `key` if its request was the same; a conflict if not.
fn replay(row: Inspection, digest: &str, key: &str) -> Result<Recorded, DomainError> {
    if row.request_digest.as_deref() == Some(digest) {
        Ok(Recorded {
            row,
            replayed: true,
        })
    } else {
        Err(DomainError::Conflict(format!(
            "Idempotency-Key {key:?} already recorded a different inspection ({})",
            row.id
        )))
    }
}

/// Records an inspection once per organisation and `key` (when given): a retry with the same
/// body gets the first row back, a different body under the same key is a conflict. The unique
/// index on (org, key) decides between concurrent requests: the loser reads the winner's row.
#[tracing::instrument(skip(conn, new))]
pub fn record_once(
    conn: &mut DbConn,
    who: &Caller,
    new: NewInspection,
    key: Option<String>,
) -> Result<Recorded, DomainError> {
    let digest = digest(&new);
    let attempt = db::write_transaction(conn, |conn| {
        require_authority_inspector(conn, who)?;
        if let Some(key) = &key
            && let Some(row) = db::inspections::by_idempotency_key(conn, &who.org_id, key)?
        {
            return Ok(replay(row, &digest, key)?);
        }
        let now = db::now();
        let gtin = match &new.ids.primary {
            PrimaryKey::Gtin(g) => Some(g.to_string()),
            _ => None,
        };
        let row = Inspection {
            id: db::new_id(),
            org_id: who.org_id.clone(),
            inspector_id: who.actor().as_str().to_owned(),
            code: new.code,
            gtin,
            lot: new.ids.lot.map(|l| l.to_string()),
            serial: new.ids.serial.map(|s| s.to_string()),
            place: new.place,
            outcome: new.outcome.as_str().to_owned(),
            notes: new.notes,
            evidence_sha256: new.evidence_sha256,
            inspected_at: new.inspected_at.unwrap_or(now),
            created_at: now,
            request_digest: key.as_ref().map(|_| digest.clone()),
            idempotency_key: key.clone(),
        };
        match db::inspections::insert(conn, &row) {
            // A concurrent request with the same key committed first (PostgreSQL waits for
            // it on the index); this transaction rolls back and its row is read below.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) if key.is_some() => return Err(Attempt::Raced),
            other => other?,
        }
        record(
            conn,
            &who.actor(),
            Some(&row.org_id),
            "inspection.create",
            ("inspection", &row.id),
            &row,
        )?;
        Ok(Recorded {
            row,
            replayed: false,
        })
    });
    match (attempt, key) {
        (Ok(recorded), _) => Ok(recorded),
        (Err(Attempt::Failed(e)), _) => Err(e),
        (Err(Attempt::Raced), Some(key)) => {
            let row = db::inspections::by_idempotency_key(conn, &who.org_id, &key)?
                .ok_or(DomainError::NotFound)?;
            replay(row, &digest, &key)
        }
        (Err(Attempt::Raced), None) => Err(DomainError::Conflict(
            "a resource with the same unique value exists".to_owned(),
        )),
    }
}

/// Why one recording attempt rolled back.
enum Attempt {
    /// A rule or the database refused.
    Failed(DomainError),
    /// Another request recorded the same key first.
    Raced,
}

impl From<DomainError> for Attempt {
    fn from(e: DomainError) -> Self {
        Self::Failed(e)
    }
}

impl From<diesel::result::Error> for Attempt {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e.into())
    }
}

/// Who sees which inspections: `None` = all (inspectors, admins); `Some(org)` = those on `org`'s
/// products (exporters); certifiers see none.
pub fn visible_to(who: &Caller) -> Result<Option<String>, DomainError> {
    match who.role {
        Role::Admin | Role::Inspector => Ok(None),
        Role::Exporter => Ok(Some(who.org_id.clone())),
        Role::Certifier => Err(DomainError::Forbidden(
            "inspections are for inspectors and the product's exporter",
        )),
    }
}

/// One inspection, if the caller may see it.
pub fn get(conn: &mut DbConn, who: &Caller, id: &str) -> Result<Inspection, DomainError> {
    let scope = visible_to(who)?;
    let row = db::inspections::get(conn, id)?;
    if let Some(org) = scope {
        let owner = match &row.gtin {
            Some(g) => db::inspections::product_owner(conn, g)?,
            None => None,
        };
        if owner.as_deref() != Some(org.as_str()) {
            return Err(DomainError::Forbidden("not an inspection of your products"));
        }
    }
    Ok(row)
}
