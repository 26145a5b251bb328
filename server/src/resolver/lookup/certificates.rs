//! The certificates covering a scanned product: the shared read model
//! (`domain::certificate_view`) on the lookup's wire, and as the verdict's facts.

use chrono::NaiveDate;
use db::DbConn;
use domain::certificate_view::CertificateView;
use verdict::CertificateFacts;

use super::{
    load::org_ref,
    wire::{CertificateOut, ChainOut, OrgRef},
};
use crate::error::ApiError;

/// The certificates covering `gtin`, on the wire and as facts.
pub(super) fn covering(
    conn: &mut DbConn,
    gtin: &str,
    today: NaiveDate,
) -> Result<(Vec<CertificateOut>, Vec<CertificateFacts>), ApiError> {
    let views = super::facts::certificates(conn, gtin)?;
    let mut out = Vec::with_capacity(views.len());
    let mut facts = Vec::with_capacity(views.len());
    for v in views {
        facts.push(v.facts());
        out.push(wire(conn, v, today)?);
    }
    Ok((out, facts))
}

fn wire(
    conn: &mut DbConn,
    v: CertificateView,
    today: NaiveDate,
) -> Result<CertificateOut, ApiError> {
    let effective_status = v.effective_status(today).as_str().to_owned();
    let accreditation = v.chain.map(|c| ChainOut {
        internationally_recognised: c.internationally_recognised(),
        covered_at_issue: c.covered_at_issue,
        arrangement: c
            .signature
            .map(|s| format!("{} {}", s.arrangement.as_str(), s.scope.as_str())),
        number: c.accreditation.number,
        standard: c.accreditation.standard,
        body: Some(OrgRef::from(c.body)),
    });
    let r = v.row;
    Ok(CertificateOut {
        cab: org_ref(conn, &r.cab_org_id)?,
        effective_status,
        id: r.id,
        number: r.number,
        kind: r.kind,
        standards: v.standards,
        issue_date: r.issue_date,
        expiry_date: r.expiry_date,
        unaccredited: r.unaccredited,
        accreditation,
        document_url: r.document_url,
    })
}
