//! Writing signatures and accreditations, each with its audit entry; who may write them.

use crate::error::InvalidValue;
use chrono::NaiveDate;

use super::{
    Actor, OrgKind, Role,
    accreditation::{
        Accreditation, AccreditationStandard, AccreditationStatus, Arrangement, Signature,
        SignatureScope, SignatureStatus, parse_date,
    },
    record,
};
use crate::{caller::Caller, error::DomainError};
use db::{
    self, DbConn,
    certificates::{AccreditationRow, SignatureRow},
};

/// A validated new signature.
#[derive(Clone, Debug)]
pub struct NewSignature {
    /// Arrangement.
    pub arrangement: Arrangement,
    /// Scope.
    pub scope: SignatureScope,
    /// Status.
    pub status: SignatureStatus,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day, if bounded.
    pub valid_until: Option<NaiveDate>,
}

/// A validated change of a signature; `valid_until: Some(None)` makes it open-ended.
#[derive(Clone, Debug, Default)]
pub struct SignaturePatch {
    /// New status.
    pub status: Option<SignatureStatus>,
    /// New first day.
    pub valid_from: Option<NaiveDate>,
    /// New or cleared last day.
    pub valid_until: Option<Option<NaiveDate>>,
}

/// A validated new accreditation.
#[derive(Clone, Debug)]
pub struct NewAccreditation {
    /// The accrediting body.
    pub body_org_id: String,
    /// The accredited CAB.
    pub cab_org_id: String,
    /// The body's number for it.
    pub number: String,
    /// The standard.
    pub standard: AccreditationStandard,
    /// Normative documents in scope.
    pub scope_standards: Vec<String>,
    /// Categories in scope.
    pub scope_categories: Vec<String>,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day.
    pub valid_until: NaiveDate,
}

/// A validated change of an accreditation.
#[derive(Clone, Debug, Default)]
pub struct AccreditationPatch {
    /// New status.
    pub status: Option<AccreditationStatus>,
    /// New first day.
    pub valid_from: Option<NaiveDate>,
    /// New last day.
    pub valid_until: Option<NaiveDate>,
}

fn org_kind(conn: &mut DbConn, id: &str, field: &str) -> Result<OrgKind, DomainError> {
    match db::orgs::get(conn, id) {
        Ok(o) => o
            .kind
            .parse()
            .map_err(|e: InvalidValue| DomainError::internal(std::io::Error::other(e))),
        Err(diesel::result::Error::NotFound) => {
            Err(DomainError::field(field, format!("no organisation {id:?}")))
        }
        Err(e) => Err(e.into()),
    }
}

fn check_period(from: NaiveDate, until: Option<NaiveDate>) -> Result<(), DomainError> {
    match until {
        Some(u) if u < from => Err(DomainError::field(
            "valid_until",
            "must not be before valid_from",
        )),
        _ => Ok(()),
    }
}

/// Admins, or certifiers of the accrediting body itself.
pub fn require_body_certifier(who: &Caller, body_org_id: &str) -> Result<(), DomainError> {
    if who.is_admin() || (who.role == Role::Certifier && who.org_id == body_org_id) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "requires the admin role or a certifier of the accrediting body",
        ))
    }
}

/// Records a signature of `body_org_id`, which must be an accreditation body.
#[tracing::instrument(skip(conn, new))]
pub fn create_signature(
    conn: &mut DbConn,
    actor: &Actor,
    body_org_id: &str,
    new: NewSignature,
) -> Result<SignatureRow, DomainError> {
    check_period(new.valid_from, new.valid_until)?;
    if !new.arrangement.admits(new.scope) {
        return Err(DomainError::field(
            "scope",
            format!(
                "{} is not a scope of {}",
                new.scope.as_str(),
                new.arrangement.as_str()
            ),
        ));
    }
    db::write_transaction(conn, |conn| {
        match db::orgs::get(conn, body_org_id) {
            Err(diesel::result::Error::NotFound) => return Err(DomainError::NotFound),
            other => {
                if other?.kind != OrgKind::AccreditationBody.as_str() {
                    return Err(DomainError::field(
                        "org_id",
                        "the organisation is not an accreditation body",
                    ));
                }
            }
        }
        let now = db::now();
        let row = SignatureRow {
            id: db::new_id(),
            body_org_id: body_org_id.to_owned(),
            arrangement: new.arrangement.as_str().to_owned(),
            scope: new.scope.as_str().to_owned(),
            status: new.status.as_str().to_owned(),
            valid_from: new.valid_from.to_string(),
            valid_until: new.valid_until.map(|d| d.to_string()),
            created_at: now,
            updated_at: now,
        };
        db::certificates::insert_signature(conn, &row)?;
        record(
            conn,
            actor,
            Some(body_org_id),
            "signature.create",
            ("signature", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

/// Changes a signature.
#[tracing::instrument(skip(conn, patch))]
pub fn update_signature(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    patch: SignaturePatch,
) -> Result<SignatureRow, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = db::certificates::get_signature(conn, id)?;
        if let Some(s) = patch.status {
            row.status = s.as_str().to_owned();
        }
        if let Some(f) = patch.valid_from {
            row.valid_from = f.to_string();
        }
        if let Some(u) = patch.valid_until {
            row.valid_until = u.map(|d| d.to_string());
        }
        let sig = signature(&row)?;
        check_period(sig.valid_from, sig.valid_until)?;
        row.updated_at = db::now();
        db::certificates::update_signature(conn, &row)?;
        let org = row.body_org_id.clone();
        record(
            conn,
            actor,
            Some(&org),
            "signature.update",
            ("signature", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

/// Records an accreditation after checking both organisations' kinds.
#[tracing::instrument(skip(conn, new))]
pub fn create_accreditation(
    conn: &mut DbConn,
    actor: &Actor,
    new: NewAccreditation,
) -> Result<AccreditationRow, DomainError> {
    check_period(new.valid_from, Some(new.valid_until))?;
    db::write_transaction(conn, |conn| {
        if org_kind(conn, &new.body_org_id, "body_org_id")? != OrgKind::AccreditationBody {
            return Err(DomainError::field(
                "body_org_id",
                "the organisation is not an accreditation body",
            ));
        }
        let cab_kind = org_kind(conn, &new.cab_org_id, "cab_org_id")?;
        if !matches!(
            cab_kind,
            OrgKind::CertificationBody | OrgKind::TestingLab | OrgKind::InspectionBody
        ) {
            return Err(DomainError::field(
                "cab_org_id",
                "the organisation is not a certification body, testing lab or inspection body",
            ));
        }
        let now = db::now();
        let json = |v: &Vec<String>| serde_json::to_string(v).map_err(DomainError::internal);
        let row = AccreditationRow {
            id: db::new_id(),
            body_org_id: new.body_org_id.clone(),
            cab_org_id: new.cab_org_id.clone(),
            number: new.number.clone(),
            standard: new.standard.as_str().to_owned(),
            scope_standards: json(&new.scope_standards)?,
            scope_categories: json(&new.scope_categories)?,
            valid_from: new.valid_from.to_string(),
            valid_until: new.valid_until.to_string(),
            status: AccreditationStatus::Active.as_str().to_owned(),
            created_at: now,
            updated_at: now,
        };
        db::certificates::insert_accreditation(conn, &row).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DomainError::Conflict(
                "the body already has an accreditation with this number".into(),
            ),
            other => other.into(),
        })?;
        record(
            conn,
            actor,
            Some(&row.cab_org_id),
            "accreditation.create",
            ("accreditation", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

/// Changes an accreditation; `authorise` sees the stored row before anything is written.
#[tracing::instrument(skip(conn, patch, authorise))]
pub fn update_accreditation(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    patch: AccreditationPatch,
    authorise: impl FnOnce(&AccreditationRow) -> Result<(), DomainError>,
) -> Result<AccreditationRow, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = db::certificates::get_accreditation(conn, id)?;
        authorise(&row)?;
        if let Some(s) = patch.status {
            row.status = s.as_str().to_owned();
        }
        if let Some(f) = patch.valid_from {
            row.valid_from = f.to_string();
        }
        if let Some(u) = patch.valid_until {
            row.valid_until = u.to_string();
        }
        let a = accreditation(&row)?;
        check_period(a.valid_from, Some(a.valid_until))?;
        row.updated_at = db::now();
        db::certificates::update_accreditation(conn, &row)?;
        record(
            conn,
            actor,
            Some(&row.cab_org_id),
            "accreditation.update",
            ("accreditation", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::internal(std::io::Error::other(format!("stored {what}: {e}")))
}

/// The pure view of a stored signature.
pub fn signature(r: &SignatureRow) -> Result<Signature, DomainError> {
    Ok(Signature {
        body_org_id: r.body_org_id.clone(),
        arrangement: r
            .arrangement
            .parse()
            .map_err(|e| corrupt("arrangement", e))?,
        scope: r.scope.parse().map_err(|e| corrupt("scope", e))?,
        status: r.status.parse().map_err(|e| corrupt("status", e))?,
        valid_from: parse_date(&r.valid_from).map_err(|e| corrupt("date", e))?,
        valid_until: r
            .valid_until
            .as_deref()
            .map(parse_date)
            .transpose()
            .map_err(|e| corrupt("date", e))?,
    })
}

/// The pure view of a stored accreditation.
pub fn accreditation(r: &AccreditationRow) -> Result<Accreditation, DomainError> {
    Ok(Accreditation {
        id: r.id.clone(),
        body_org_id: r.body_org_id.clone(),
        cab_org_id: r.cab_org_id.clone(),
        standard: r.standard.parse().map_err(|e| corrupt("standard", e))?,
        scope_standards: serde_json::from_str(&r.scope_standards)
            .map_err(|e| corrupt("scope", e))?,
        scope_categories: serde_json::from_str(&r.scope_categories)
            .map_err(|e| corrupt("scope", e))?,
        valid_from: parse_date(&r.valid_from).map_err(|e| corrupt("date", e))?,
        valid_until: parse_date(&r.valid_until).map_err(|e| corrupt("date", e))?,
        status: r.status.parse().map_err(|e| corrupt("status", e))?,
    })
}
