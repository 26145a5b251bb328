//! `/api/v1/certificates` and `/api/v1/products/{gtin}/certificates`: issue and change status
//! (admin, or certifiers of the issuing CAB); every read is public and says when a certificate
//! was issued unaccredited.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use domain::Caller;
use gs1::keys::Gtin;
use serde::{Deserialize, Serialize};

use super::{
    Fields, accreditation::AccreditationOut, accreditation::codes, created, orgs::OrgOut, time,
    with_etag,
};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::page::encode_cursor;
use db::{
    self, DbConn,
    certificates::{CertificateEventRow, CertificateFilter, CertificateRow},
};
use domain::{
    Role,
    accreditation::parse_date,
    certificate_view,
    certificates::{
        self, CertificateStatus, NewCertificate, effective_status, require_cab_certifier,
    },
    pagination::{Page, PageQuery},
};

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

fn today() -> NaiveDate {
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
fn load_out(conn: &mut DbConn, rows: Vec<CertificateRow>) -> Result<Vec<CertificateOut>, ApiError> {
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
fn page_out(
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

fn detail(conn: &mut DbConn, id: &str) -> Result<CertificateDetail, ApiError> {
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

/// Body of `POST /certificates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    /// Unique number.
    pub number: String,
    /// Kind.
    pub kind: String,
    /// Issuing CAB.
    pub cab_org_id: String,
    /// Holder.
    pub holder_org_id: String,
    /// Standards covered.
    pub standards: Vec<String>,
    /// GTINs covered.
    #[serde(default)]
    pub gtins: Vec<String>,
    /// GPC brick.
    #[serde(default)]
    pub gpc_brick: Option<String>,
    /// Issue date.
    pub issue_date: String,
    /// Expiry date.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// Issue without a covering accreditation.
    #[serde(default)]
    pub unaccredited: bool,
    /// Document hash.
    #[serde(default)]
    pub document_sha256: Option<String>,
    /// Document URL.
    #[serde(default)]
    pub document_url: Option<String>,
}

impl TryFrom<CertificateBody> for NewCertificate {
    type Error = ApiError;
    fn try_from(b: CertificateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let number = b.number.trim().to_owned();
        if number.is_empty() || number.chars().count() > 100 || number.chars().any(char::is_control)
        {
            f.push("number", "must be 1 to 100 printable characters");
        }
        let kind: Option<certificates::CertificateKind> = f.check("kind", b.kind.parse());
        let standards = codes(&mut f, "standards", b.standards, true);
        let mut gtins = Vec::new();
        for (i, g) in b.gtins.iter().enumerate() {
            if let Some(g) = f.check(&format!("gtins[{i}]"), Gtin::parse(g))
                && !gtins.contains(&g)
            {
                gtins.push(g);
            }
        }
        let brick_ok = |g: &String| g.len() == 8 && g.bytes().all(|c| c.is_ascii_digit());
        if b.gpc_brick.as_ref().is_some_and(|g| !brick_ok(g)) {
            f.push("gpc_brick", "must be an 8-digit GPC brick code");
        }
        if b.gtins.is_empty() && b.gpc_brick.is_none() {
            f.push(
                "gtins",
                "name the products covered: gtins, gpc_brick or both",
            );
        }
        let issue_date = f.check("issue_date", parse_date(&b.issue_date));
        let expiry_given = b.expiry_date.is_some();
        let expiry_date = b
            .expiry_date
            .and_then(|d| f.check("expiry_date", parse_date(&d)));
        if let (Some(i), Some(e)) = (issue_date, expiry_date)
            && e <= i
        {
            f.push("expiry_date", "must be after issue_date");
        }
        if expiry_date.is_none()
            && kind.is_some_and(|k| k != certificates::CertificateKind::TestReport)
            && !expiry_given
        {
            f.push("expiry_date", "is required except for test reports");
        }
        let document_sha256 = b.document_sha256.filter(|h| {
            let ok = h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit());
            if !ok {
                f.push("document_sha256", "must be 64 hexadecimal digits");
            }
            ok
        });
        let document_url = b.document_url.filter(|u| {
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                f.push("document_url", "must be an http(s) URL without spaces");
            }
            ok
        });
        f.finish()?;
        match (kind, issue_date) {
            (Some(kind), Some(issue_date)) => Ok(Self {
                number,
                kind,
                cab_org_id: b.cab_org_id,
                holder_org_id: b.holder_org_id,
                standards,
                gtins,
                gpc_brick: b.gpc_brick,
                issue_date,
                expiry_date,
                unaccredited: b.unaccredited,
                document_sha256: document_sha256.map(|h| h.to_ascii_lowercase()),
                document_url,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Admins and certifiers; anyone else is refused before the body is looked at.
pub fn require_certifying_role(who: &Caller) -> Result<(), ApiError> {
    if who.is_admin() || who.role == Role::Certifier {
        Ok(())
    } else {
        Err(ApiError::Forbidden("requires the admin or certifier role"))
    }
}

/// `POST /api/v1/certificates` (admin, or certifiers of the issuing CAB).
#[tracing::instrument(skip(state, body))]
pub async fn issue(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CertificateBody>,
) -> Result<HttpResponse, ApiError> {
    require_certifying_role(&who)?;
    let body = body.into_inner();
    require_cab_certifier(&who, &body.cab_org_id)?;
    let new = NewCertificate::try_from(body)?;
    let out = state
        .run(move |conn| {
            let row = certificates::issue(conn, &who.actor(), new)?;
            detail(conn, &row.id)
        })
        .await?;
    bump_covered(&state, &out.certificate);
    Ok(created(
        &format!("/api/v1/certificates/{}", out.certificate.id),
        &out,
    ))
}

/// Invalidates the cached answers of what a certificate covers: its GTINs, or every product
/// when it covers a GPC brick (the products in it are not at hand).
fn bump_covered(state: &AppState, c: &CertificateOut) {
    if c.gpc_brick.is_some() {
        state.cache.bump_all();
    } else {
        state.cache.bump_each(&c.gtins);
    }
}

/// Query of `GET /certificates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateQuery {
    /// Holder organisation.
    pub holder: Option<String>,
    /// Issuing CAB.
    pub cab: Option<String>,
    /// A covered GTIN.
    pub gtin: Option<String>,
    /// `valid` (not expired), `expired`, `suspended` or `withdrawn`.
    pub status: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

/// `GET /api/v1/certificates?holder=&cab=&gtin=&status=` (public).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<CertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let mut f = Fields::default();
    let gtin = q.gtin.and_then(|g| f.check("gtin", Gtin::parse(&g)));
    let day = today().to_string();
    let mut filter = CertificateFilter {
        holder: q.holder,
        cab: q.cab,
        gtin: gtin.map(|g| g.as_str().to_owned()),
        ..CertificateFilter::default()
    };
    match q.status.as_deref() {
        None => {}
        Some("valid") => {
            filter.status = Some("valid".into());
            filter.live_on = Some(day);
        }
        Some("expired") => {
            filter.status = Some("valid".into());
            filter.expired_before = Some(day);
        }
        Some(s @ ("suspended" | "withdrawn")) => filter.status = Some(s.to_owned()),
        Some(_) => f.push("status", "use valid, expired, suspended or withdrawn"),
    }
    f.finish()?;
    let page = state
        .run(move |conn| {
            let rows = db::certificates::list_certificates(conn, &filter, &page)?;
            page_out(conn, rows, page.limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /api/v1/certificates/{id}` (public): history, accreditation chain, effective status.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let out = state.run(move |conn| detail(conn, &id)).await?;
    with_etag(&req, &out)
}

/// Body of `POST /certificates/{id}/status`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `valid` (reinstate), `suspended` or `withdrawn`.
    pub status: String,
    /// Why; required.
    pub reason: String,
}

/// `POST /api/v1/certificates/{id}/status` (admin, or certifiers of the issuing CAB).
#[tracing::instrument(skip(state, body))]
pub async fn change_status(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<StatusBody>,
) -> Result<HttpResponse, ApiError> {
    require_certifying_role(&who)?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let to = f.check("status", b.status.parse::<CertificateStatus>());
    let reason = b.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 1000 {
        f.push("reason", "must be 1 to 1000 characters");
    }
    f.finish()?;
    let Some(to) = to else {
        return Err(ApiError::field("status", "invalid"));
    };
    let id = id.into_inner();
    let out = state
        .run(move |conn| {
            certificates::change_status(conn, &who.actor(), &id, to, &reason, |row| {
                require_cab_certifier(&who, &row.cab_org_id)
            })?;
            detail(conn, &id)
        })
        .await?;
    bump_covered(&state, &out.certificate);
    Ok(HttpResponse::Ok().json(out))
}

/// `GET /api/v1/products/{gtin}/certificates` (public): the certificates covering the GTIN,
/// named directly or through its holder's GPC brick, a page at a time.
#[tracing::instrument(skip(state))]
pub async fn for_product(
    state: web::Data<AppState>,
    gtin: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let gtin = super::products::path_gtin(&gtin.into_inner())?;
    let page = q.into_inner().parse()?;
    let page = state
        .run(move |conn| {
            let rows = db::certificates::covering(conn, gtin.as_str(), &page)?;
            page_out(conn, rows, page.limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
