//! Certificates: kinds, status rules, the computed effective status, and issuing or changing one
//! with its history and audit entry, refusing issue without a covering accreditation.

use crate::error::InvalidValue;
use chrono::NaiveDate;
use gs1::keys::Gtin;

use super::{
    Actor, OrgKind, Role,
    accreditation::{AccreditationStandard, covers, wire_enum},
    accreditations::accreditation,
    record,
};
use crate::{caller::Caller, error::DomainError};
use db::{
    self, DbConn,
    certificates::{CertificateEventRow, CertificateRow},
};

wire_enum!(
    /// What kind of conformity document this is.
    CertificateKind, "certificate kind" {
        /// A product or management system certificate (ISO/IEC 17065, 17021-1).
        Certificate = "certificate",
        /// A laboratory test report (ISO/IEC 17025).
        TestReport = "test_report",
        /// An inspection certificate (ISO/IEC 17020).
        InspectionCertificate = "inspection_certificate",
    }
);

impl CertificateKind {
    /// The accreditation standards under which a CAB may issue this kind.
    pub fn accredited_under(self) -> &'static [AccreditationStandard] {
        match self {
            Self::Certificate => &[
                AccreditationStandard::Iso17065,
                AccreditationStandard::Iso17021,
            ],
            Self::TestReport => &[AccreditationStandard::Iso17025],
            Self::InspectionCertificate => &[AccreditationStandard::Iso17020],
        }
    }
}

wire_enum!(
    /// The stored status; expiry is never stored.
    CertificateStatus, "certificate status" {
        /// In force (unless past its expiry date).
        Valid = "valid",
        /// Temporarily not in force.
        Suspended = "suspended",
        /// Ended for good.
        Withdrawn = "withdrawn",
    }
);

wire_enum!(
    /// The status a reader sees on a given day.
    EffectiveStatus, "effective status" {
        /// In force, expiring in more than 30 days or never.
        Valid = "valid",
        /// In force, expiring within 30 days.
        ExpiringSoon = "expiring_soon",
        /// Past its expiry date.
        Expired = "expired",
        /// Suspended.
        Suspended = "suspended",
        /// Withdrawn.
        Withdrawn = "withdrawn",
    }
);

/// How many days before expiry a certificate reads as `expiring_soon`.
pub const EXPIRING_SOON_DAYS: i64 = 30;

/// The status a reader sees on `today`: withdrawal and suspension first, then the dates.
pub fn effective_status(
    status: CertificateStatus,
    expiry: Option<NaiveDate>,
    today: NaiveDate,
) -> EffectiveStatus {
    match (status, expiry) {
        (CertificateStatus::Withdrawn, _) => EffectiveStatus::Withdrawn,
        (CertificateStatus::Suspended, _) => EffectiveStatus::Suspended,
        (CertificateStatus::Valid, Some(e)) if e < today => EffectiveStatus::Expired,
        (CertificateStatus::Valid, Some(e)) if (e - today).num_days() <= EXPIRING_SOON_DAYS => {
            EffectiveStatus::ExpiringSoon
        }
        (CertificateStatus::Valid, _) => EffectiveStatus::Valid,
    }
}

/// Why a status change is refused, if it is: withdrawal is final; no change to the same status.
pub fn transition_refusal(from: CertificateStatus, to: CertificateStatus) -> Option<&'static str> {
    match (from, to) {
        (CertificateStatus::Withdrawn, _) => Some("the certificate is withdrawn, which is final"),
        (a, b) if a == b => Some("the certificate already has this status"),
        _ => None,
    }
}

/// A validated new certificate.
#[derive(Clone, Debug)]
pub struct NewCertificate {
    /// Unique number.
    pub number: String,
    /// Kind.
    pub kind: CertificateKind,
    /// Issuing CAB.
    pub cab_org_id: String,
    /// Holder.
    pub holder_org_id: String,
    /// Standards and technical regulations covered (at least one).
    pub standards: Vec<String>,
    /// GTINs covered.
    pub gtins: Vec<Gtin>,
    /// All of the holder's products in this GPC brick.
    pub gpc_brick: Option<String>,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Expiry date.
    pub expiry_date: Option<NaiveDate>,
    /// Issue without a covering accreditation, flagged as such.
    pub unaccredited: bool,
    /// Document hash, lower-case hex.
    pub document_sha256: Option<String>,
    /// Document URL.
    pub document_url: Option<String>,
}

/// Admins, or certifiers (people or keys) of the issuing CAB.
pub fn require_cab_certifier(who: &Caller, cab_org_id: &str) -> Result<(), DomainError> {
    if who.is_admin() || (who.role == Role::Certifier && who.org_id == cab_org_id) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "requires the admin role or a certifier of the issuing body",
        ))
    }
}

/// Issues a certificate after checking the organisations and the CAB's accreditation.
#[tracing::instrument(skip(conn, new))]
pub fn issue(
    conn: &mut DbConn,
    actor: &Actor,
    new: NewCertificate,
) -> Result<CertificateRow, DomainError> {
    db::write_transaction(conn, |conn| {
        let cab = match db::orgs::get(conn, &new.cab_org_id) {
            Err(diesel::result::Error::NotFound) => {
                return Err(DomainError::field("cab_org_id", "no such organisation"));
            }
            other => other?,
        };
        let cab_ok = [
            OrgKind::CertificationBody,
            OrgKind::TestingLab,
            OrgKind::InspectionBody,
        ]
        .iter()
        .any(|k| k.as_str() == cab.kind);
        if !cab_ok {
            return Err(DomainError::field(
                "cab_org_id",
                "the organisation is not a certification body, testing lab or inspection body",
            ));
        }
        if let Err(diesel::result::Error::NotFound) = db::orgs::get(conn, &new.holder_org_id) {
            return Err(DomainError::field("holder_org_id", "no such organisation"));
        }
        let held = db::certificates::accreditations_of(conn, &new.cab_org_id)?
            .iter()
            .map(accreditation)
            .collect::<Result<Vec<_>, _>>()?;
        let fitting: Vec<_> = held
            .into_iter()
            .filter(|a| new.kind.accredited_under().contains(&a.standard))
            .collect();
        let mut accreditation_id = None;
        if !new.unaccredited {
            for s in &new.standards {
                match covers(&fitting, s, new.gpc_brick.as_deref(), new.issue_date) {
                    Some(a) => {
                        accreditation_id.get_or_insert_with(|| a.id.clone());
                    }
                    None => {
                        return Err(DomainError::field(
                            "standards",
                            format!(
                                "the issuing body holds no accreditation covering {s} on {} \
                                 (send \"unaccredited\": true to issue it flagged as unaccredited)",
                                new.issue_date
                            ),
                        ));
                    }
                }
            }
        }
        let now = db::now();
        let row = CertificateRow {
            id: db::new_id(),
            number: new.number.clone(),
            cab_org_id: new.cab_org_id.clone(),
            holder_org_id: new.holder_org_id.clone(),
            kind: new.kind.as_str().to_owned(),
            standards: serde_json::to_string(&new.standards).map_err(DomainError::internal)?,
            gpc_brick: new.gpc_brick.clone(),
            issue_date: new.issue_date.to_string(),
            expiry_date: new.expiry_date.map(|d| d.to_string()),
            status: CertificateStatus::Valid.as_str().to_owned(),
            unaccredited: new.unaccredited,
            accreditation_id,
            document_sha256: new.document_sha256.clone(),
            document_url: new.document_url.clone(),
            created_by: actor.as_str().to_owned(),
            created_at: now,
            updated_at: now,
        };
        let gtins: Vec<String> = new.gtins.iter().map(|g| g.as_str().to_owned()).collect();
        db::certificates::insert_certificate(conn, &row, &gtins).map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DomainError::Conflict("a certificate with this number exists".into()),
            other => other.into(),
        })?;
        db::certificates::insert_event(
            conn,
            &CertificateEventRow {
                id: db::new_id(),
                certificate_id: row.id.clone(),
                status: row.status.clone(),
                reason: "issued".to_owned(),
                actor: actor.as_str().to_owned(),
                at: now,
            },
        )?;
        record(
            conn,
            actor,
            Some(&row.cab_org_id),
            "certificate.issue",
            ("certificate", &row.id),
            &(&row, &gtins),
        )?;
        Ok(row)
    })
}

/// Changes a certificate's status with a reason; `authorise` sees the stored row first.
#[tracing::instrument(skip(conn, authorise))]
pub fn change_status(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    to: CertificateStatus,
    reason: &str,
    authorise: impl FnOnce(&CertificateRow) -> Result<(), DomainError>,
) -> Result<CertificateRow, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = db::certificates::get_certificate(conn, id)?;
        authorise(&row)?;
        let from: CertificateStatus = row
            .status
            .parse()
            .map_err(|e: InvalidValue| DomainError::internal(std::io::Error::other(e)))?;
        if let Some(why) = transition_refusal(from, to) {
            return Err(DomainError::Conflict(why.to_owned()));
        }
        let now = db::now();
        row.status = to.as_str().to_owned();
        row.updated_at = now;
        db::certificates::set_certificate_status(conn, id, &row.status, now)?;
        db::certificates::insert_event(
            conn,
            &CertificateEventRow {
                id: db::new_id(),
                certificate_id: row.id.clone(),
                status: row.status.clone(),
                reason: reason.to_owned(),
                actor: actor.as_str().to_owned(),
                at: now,
            },
        )?;
        let action = format!("certificate.{}", to.as_str());
        record(
            conn,
            actor,
            Some(&row.cab_org_id),
            &action,
            ("certificate", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accreditation::parse_date;

    #[test]
    fn effective_status_follows_status_then_dates() {
        let d = |s: &str| parse_date(s).unwrap_or_default();
        let today = d("2026-11-22");
        let check = |s: CertificateStatus, e: Option<&str>, want: EffectiveStatus| {
            assert_eq!(effective_status(s, e.map(d), today), want, "{s:?} {e:?}");
        };
        use CertificateStatus as S;
        use EffectiveStatus as E;
        check(S::Valid, None, E::Valid);
        check(S::Valid, Some("2026-12-23"), E::Valid);
        check(S::Valid, Some("2026-12-22"), E::ExpiringSoon);
        check(S::Valid, Some("2026-11-22"), E::ExpiringSoon);
        check(S::Valid, Some("2026-11-21"), E::Expired);
        check(S::Suspended, Some("2020-01-01"), E::Suspended);
        check(S::Withdrawn, None, E::Withdrawn);
    }

    #[test]
    fn withdrawal_is_final_and_changes_must_change() {
        use CertificateStatus as S;
        assert!(transition_refusal(S::Valid, S::Suspended).is_none());
        assert!(transition_refusal(S::Suspended, S::Valid).is_none());
        assert!(transition_refusal(S::Suspended, S::Withdrawn).is_none());
        assert!(transition_refusal(S::Withdrawn, S::Valid).is_some());
        assert!(transition_refusal(S::Valid, S::Valid).is_some());
    }
}
