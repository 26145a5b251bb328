//! Certificates on the wire: the list entry, the detail with history and accreditation chain.

use super::*;

/// A certificate on the wire, with its computed effective status.
#[derive(Debug, Serialize)]
pub struct CertificateOut {
    /// Id.
    pub id: String,
    /// Unique number.
    pub number: String,
    /// `certificate`, `test_report` or `inspection_certificate`.
    pub kind: String,
    /// Issuing CAB.
    pub cab_org_id: String,
    /// Holder.
    pub holder_org_id: String,
    /// Standards and technical regulations covered.
    pub standards: Vec<String>,
    /// GTINs covered directly (14 digits).
    pub gtins: Vec<String>,
    /// GPC brick covering the holder's products in it.
    pub gpc_brick: Option<String>,
    /// Issue date.
    pub issue_date: String,
    /// Expiry date.
    pub expiry_date: Option<String>,
    /// Stored status: `valid`, `suspended`, `withdrawn`.
    pub status: String,
    /// Computed today: `valid`, `expiring_soon`, `expired`, `suspended`, `withdrawn`.
    pub effective_status: String,
    /// True when issued without a covering accreditation.
    pub unaccredited: bool,
    /// The accreditation that covered it at issue.
    pub accreditation_id: Option<String>,
    /// SHA-256 of the document.
    pub document_sha256: Option<String>,
    /// Document URL.
    pub document_url: Option<String>,
    /// Who issued it.
    pub created_by: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

pub(super) fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

impl CertificateOut {
    fn build(r: CertificateRow, gtins: Vec<String>, today: NaiveDate) -> Self {
        let status = r.status.parse().unwrap_or(CertificateStatus::Withdrawn);
        let expiry = r.expiry_date.as_deref().and_then(|d| parse_date(d).ok());
        Self {
            effective_status: effective_status(status, expiry, today).as_str().to_owned(),
            created_at: time(&r.created_at),
            updated_at: time(&r.updated_at),
            standards: serde_json::from_str(&r.standards).unwrap_or_default(),
            gtins,
            id: r.id,
            number: r.number,
            kind: r.kind,
            cab_org_id: r.cab_org_id,
            holder_org_id: r.holder_org_id,
            gpc_brick: r.gpc_brick,
            issue_date: r.issue_date,
            expiry_date: r.expiry_date,
            status: r.status,
            unaccredited: r.unaccredited,
            accreditation_id: r.accreditation_id,
            document_sha256: r.document_sha256,
            document_url: r.document_url,
            created_by: r.created_by,
        }
    }
}

/// One entry of a certificate's history.
#[derive(Debug, Serialize)]
pub struct EventOut {
    /// The status entered.
    pub status: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub actor: String,
    /// When (RFC 3339).
    pub at: String,
}

impl From<CertificateEventRow> for EventOut {
    fn from(e: CertificateEventRow) -> Self {
        Self {
            at: time(&e.at),
            status: e.status,
            reason: e.reason,
            actor: e.actor,
        }
    }
}

/// The accreditation behind a certificate, as it stood on the issue date.
#[derive(Debug, Serialize)]
pub struct ChainOut {
    /// The accreditation.
    pub accreditation: AccreditationOut,
    /// The accrediting body.
    pub body: OrgOut,
    /// Whether the accreditation covered the certificate on the issue date and the body was then
    /// an ILAC/IAF signatory for its scope (`domain::certificate_view`).
    pub internationally_recognised: bool,
    /// The recognising signature, if any: `{arrangement, scope, status}`.
    pub signature: Option<serde_json::Value>,
}

/// A certificate with its history and accreditation chain.
#[derive(Debug, Serialize)]
pub struct CertificateDetail {
    /// The certificate.
    #[serde(flatten)]
    pub certificate: CertificateOut,
    /// Status changes, oldest first.
    pub history: Vec<EventOut>,
    /// Null when issued unaccredited.
    pub accreditation_chain: Option<ChainOut>,
}

/// The wire form of `rows`, with their GTINs read in one query.
pub(super) fn load_out(
    conn: &mut DbConn,
    rows: Vec<CertificateRow>,
) -> Result<Vec<CertificateOut>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut gtins: HashMap<String, Vec<String>> = HashMap::with_capacity(ids.len());
    for (id, gtin) in db::certificates::gtins_of_all(conn, &ids)? {
        gtins.entry(id).or_default().push(gtin);
    }
    let day = today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let g = gtins.remove(&r.id).unwrap_or_default();
            CertificateOut::build(r, g, day)
        })
        .collect())
}

/// A page from up to `limit + 1` rows, each with its GTINs.
pub(super) fn page_out(
    conn: &mut DbConn,
    mut rows: Vec<CertificateRow>,
    limit: i64,
) -> Result<Page<CertificateOut>, ApiError> {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|r| encode_cursor(&r.id))
    } else {
        None
    };
    Ok(Page {
        items: load_out(conn, rows)?,
        next_cursor,
    })
}

pub(super) fn detail(conn: &mut DbConn, id: &str) -> Result<CertificateDetail, ApiError> {
    let row = db::certificates::get_certificate(conn, id)?;
    let view = certificate_view::load(conn, row)?;
    let history = db::certificates::events_of(conn, id)?
        .into_iter()
        .map(EventOut::from)
        .collect();
    let accreditation_chain = view.chain.map(|c| ChainOut {
        internationally_recognised: c.internationally_recognised(),
        signature: c.signature.map(|s| {
            serde_json::json!({
                "arrangement": s.arrangement.as_str(),
                "scope": s.scope.as_str(),
                "status": s.status.as_str(),
            })
        }),
        accreditation: AccreditationOut::from(c.accreditation),
        body: OrgOut::from(c.body),
    });
    let gtins = db::certificates::gtins_of(conn, id)?;
    Ok(CertificateDetail {
        certificate: CertificateOut::build(view.row, gtins, today()),
        history,
        accreditation_chain,
    })
}
