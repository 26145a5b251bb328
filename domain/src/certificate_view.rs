//! A certificate as every reader sees it: its stored row, its dates, and the accreditation behind
//! it as it stood on the issue date. The one place that decides whether a certificate was
//! accredited and internationally recognised: the certificate API, the lookup and the verdict's
//! facts all read it from here, so they cannot disagree.
//!
//! The rule: a certificate is internationally recognised when the accreditation it was issued
//! under covered its scope on the issue date **and** the accreditation body then signed the
//! ILAC/IAF arrangement whose scope recognises that accreditation. A signature alone, for an
//! accreditation that did not cover the certificate, is not recognition.

use std::collections::HashMap;

use chrono::NaiveDate;
use db::{
    DbConn,
    certificates::{AccreditationRow, CertificateRow},
    models::Org,
};
use verdict::{AccreditationAtIssue, CertificateFacts};

use crate::{
    accreditation::{Signature, covers, parse_date, recognising_signature},
    accreditations::{accreditation, signature},
    certificates::{CertificateStatus, EffectiveStatus, effective_status},
    error::DomainError,
};

/// The accreditation behind a certificate, as it stood on the issue date.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The accreditation the certificate was issued under.
    pub accreditation: AccreditationRow,
    /// The accreditation body.
    pub body: Org,
    /// Whether the accreditation covered the certificate's standards (and category) then.
    pub covered_at_issue: bool,
    /// The body's ILAC/IAF signature recognising this accreditation on the issue date, kept
    /// only when the accreditation covered the certificate (see the module's rule).
    pub signature: Option<Signature>,
}

impl Chain {
    /// Covered on the issue date and recognised by an ILAC/IAF signature then.
    pub fn internationally_recognised(&self) -> bool {
        self.signature.is_some()
    }
}

/// A certificate with everything a reader judges it by.
#[derive(Clone, Debug)]
pub struct CertificateView {
    /// The stored row.
    pub row: CertificateRow,
    /// Its stored status.
    pub status: CertificateStatus,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Expiry date, if any.
    pub expiry: Option<NaiveDate>,
    /// The standards it certifies against.
    pub standards: Vec<String>,
    /// Null when it was issued declared unaccredited.
    pub chain: Option<Chain>,
}

impl CertificateView {
    /// What a reader sees on `today`: withdrawal and suspension first, then the dates.
    pub fn effective_status(&self, today: NaiveDate) -> EffectiveStatus {
        effective_status(self.status, self.expiry, today)
    }

    /// The accreditation fact the verdict judges.
    pub fn at_issue(&self) -> AccreditationAtIssue {
        match &self.chain {
            None => AccreditationAtIssue::DeclaredUnaccredited,
            Some(c) if c.covered_at_issue => AccreditationAtIssue::Accredited {
                internationally_recognised: c.internationally_recognised(),
            },
            Some(_) => AccreditationAtIssue::NotAccredited,
        }
    }

    /// The certificate as a fact for the verdict.
    pub fn facts(&self) -> CertificateFacts {
        CertificateFacts {
            number: self.row.number.clone(),
            status: match self.status {
                CertificateStatus::Valid => verdict::CertificateStatus::Valid,
                CertificateStatus::Suspended => verdict::CertificateStatus::Suspended,
                CertificateStatus::Withdrawn => verdict::CertificateStatus::Withdrawn,
            },
            issue_date: self.issue_date,
            expiry: self.expiry,
            accreditation: self.at_issue(),
        }
    }
}

/// Loads the accreditation chain of `row`.
pub fn load(conn: &mut DbConn, row: CertificateRow) -> Result<CertificateView, DomainError> {
    load_with(conn, row, &mut HashMap::new())
}

/// Loads the chains of `rows`, reading each accreditation body's signatures once.
pub fn load_all(
    conn: &mut DbConn,
    rows: Vec<CertificateRow>,
) -> Result<Vec<CertificateView>, DomainError> {
    let mut signatures = HashMap::new();
    rows.into_iter()
        .map(|r| load_with(conn, r, &mut signatures))
        .collect()
}

fn load_with(
    conn: &mut DbConn,
    row: CertificateRow,
    signatures: &mut HashMap<String, Vec<Signature>>,
) -> Result<CertificateView, DomainError> {
    // A stored row that does not read back is our fault, not the caller's.
    let stored = |what: String| DomainError::internal(std::io::Error::other(what));
    let status = row.status.parse().map_err(|_| {
        stored(format!(
            "certificate {} has status {:?}",
            row.id, row.status
        ))
    })?;
    let issue_date = parse_date(&row.issue_date).map_err(|e| stored(e.to_string()))?;
    let expiry = row.expiry_date.as_deref().and_then(|d| parse_date(d).ok());
    let standards: Vec<String> = serde_json::from_str(&row.standards).unwrap_or_default();
    let chain = match (&row.accreditation_id, row.unaccredited) {
        (_, true) | (None, _) => None,
        (Some(aid), false) => {
            let a_row = db::certificates::get_accreditation(conn, aid)?;
            let a = accreditation(&a_row)?;
            let category = row.gpc_brick.as_deref();
            let covered_at_issue = standards
                .iter()
                .any(|s| covers(std::slice::from_ref(&a), s, category, issue_date).is_some());
            if !signatures.contains_key(&a.body_org_id) {
                let sigs = db::certificates::signatures_of(conn, &a.body_org_id)?
                    .iter()
                    .map(signature)
                    .collect::<Result<Vec<_>, _>>()?;
                signatures.insert(a.body_org_id.clone(), sigs);
            }
            let sigs = signatures
                .get(&a.body_org_id)
                .map_or(&[][..], Vec::as_slice);
            let signature = recognising_signature(sigs, &a, issue_date)
                .filter(|_| covered_at_issue)
                .cloned();
            Some(Chain {
                body: db::orgs::get(conn, &a.body_org_id)?,
                accreditation: a_row,
                covered_at_issue,
                signature,
            })
        }
    };
    Ok(CertificateView {
        row,
        status,
        issue_date,
        expiry,
        standards,
        chain,
    })
}
