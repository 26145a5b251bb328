//! `/api/v1/accreditation-bodies/{id}/signatures`, `/api/v1/signatures/{id}` (admin writes) and
//! `/api/v1/accreditations` (admin or certifiers of the accrediting body write); reads are public.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::{
    self,
    certificates::{AccreditationRow, SignatureRow},
};
use domain::{
    accreditation::parse_date,
    accreditations::{
        self, AccreditationPatch, NewAccreditation, NewSignature, SignaturePatch,
        require_body_certifier,
    },
    pagination::{Page, PageQuery},
};

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

/// Body of `POST /accreditation-bodies/{id}/signatures`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureBody {
    /// Arrangement.
    pub arrangement: String,
    /// Scope.
    pub scope: String,
    /// Status.
    pub status: String,
    /// First day.
    pub valid_from: String,
    /// Last day.
    #[serde(default)]
    pub valid_until: Option<String>,
}

impl TryFrom<SignatureBody> for NewSignature {
    type Error = ApiError;
    fn try_from(b: SignatureBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let arrangement = f.check("arrangement", b.arrangement.parse());
        let scope = f.check("scope", b.scope.parse());
        let status = f.check("status", b.status.parse());
        let valid_from = f.check("valid_from", parse_date(&b.valid_from));
        let valid_until = b
            .valid_until
            .map(|u| f.check("valid_until", parse_date(&u)));
        f.finish()?;
        match (arrangement, scope, status, valid_from) {
            (Some(arrangement), Some(scope), Some(status), Some(valid_from)) => Ok(Self {
                arrangement,
                scope,
                status,
                valid_from,
                valid_until: valid_until.flatten(),
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// `POST /api/v1/accreditation-bodies/{id}/signatures` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create_signature(
    state: web::Data<AppState>,
    who: Authenticated,
    org: web::Path<String>,
    body: web::Json<SignatureBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let new = NewSignature::try_from(body.into_inner())?;
    let org = org.into_inner();
    let row = state
        .apply(move |conn| accreditations::create_signature(conn, &who.actor(), &org, new))
        .await?;
    // Signatory and accreditation status feed every certificate verdict.
    state.cache.bump_all();
    Ok(created(
        &format!("/api/v1/signatures/{}", row.id),
        &SignatureOut::from(row),
    ))
}

/// `GET /api/v1/accreditation-bodies/{id}/signatures` (public).
#[tracing::instrument(skip(state))]
pub async fn list_signatures(
    state: web::Data<AppState>,
    org: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let org = org.into_inner();
    let rows = state
        .run(move |conn| {
            db::orgs::get(conn, &org)?;
            Ok(db::certificates::list_signatures(conn, &org, &page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |r: &SignatureRow| r.id.clone(),
        SignatureOut::from,
    )))
}

/// Body of `PATCH /signatures/{id}`; `valid_until: null` makes it open-ended.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignaturePatchBody {
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// First day.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last day, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub valid_until: Option<Option<String>>,
}

/// `PATCH /api/v1/signatures/{id}` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn update_signature(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<SignaturePatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let patch = SignaturePatch {
        status: b.status.and_then(|s| f.check("status", s.parse())),
        valid_from: b
            .valid_from
            .and_then(|d| f.check("valid_from", parse_date(&d))),
        valid_until: match b.valid_until {
            None => None,
            Some(None) => Some(None),
            Some(Some(d)) => f.check("valid_until", parse_date(&d)).map(Some),
        },
    };
    f.finish()?;
    let id = id.into_inner();
    let row = state
        .apply(move |conn| accreditations::update_signature(conn, &who.actor(), &id, patch))
        .await?;
    state.cache.bump_all();
    Ok(HttpResponse::Ok().json(SignatureOut::from(row)))
}

/// Body of `POST /accreditations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationBody {
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
    #[serde(default)]
    pub scope_categories: Vec<String>,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_until: String,
}

/// Checks a list of codes: each trimmed, non-empty, at most 100 characters.
pub fn codes(f: &mut Fields, field: &str, list: Vec<String>, at_least_one: bool) -> Vec<String> {
    if at_least_one && list.is_empty() {
        f.push(field, "must name at least one");
    }
    let mut out = Vec::new();
    for (i, c) in list.into_iter().enumerate() {
        let c = c.trim().to_owned();
        if c.is_empty() || c.chars().count() > 100 || c.chars().any(char::is_control) {
            f.push(
                &format!("{field}[{i}]"),
                "must be 1 to 100 printable characters",
            );
        } else {
            out.push(c);
        }
    }
    out
}

impl TryFrom<AccreditationBody> for NewAccreditation {
    type Error = ApiError;
    fn try_from(b: AccreditationBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let number = b.number.trim().to_owned();
        if number.is_empty() || number.chars().count() > 100 {
            f.push("number", "must be 1 to 100 characters");
        }
        let standard = f.check("standard", b.standard.parse());
        let scope_standards = codes(&mut f, "scope_standards", b.scope_standards, true);
        let scope_categories = codes(&mut f, "scope_categories", b.scope_categories, false);
        let valid_from = f.check("valid_from", parse_date(&b.valid_from));
        let valid_until = f.check("valid_until", parse_date(&b.valid_until));
        f.finish()?;
        match (standard, valid_from, valid_until) {
            (Some(standard), Some(valid_from), Some(valid_until)) => Ok(Self {
                body_org_id: b.body_org_id,
                cab_org_id: b.cab_org_id,
                number,
                standard,
                scope_standards,
                scope_categories,
                valid_from,
                valid_until,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// `POST /api/v1/accreditations` (admin, or certifiers of the accrediting body).
#[tracing::instrument(skip(state, body))]
pub async fn create_accreditation(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<AccreditationBody>,
) -> Result<HttpResponse, ApiError> {
    super::certificates::require_certifying_role(&who)?;
    let body = body.into_inner();
    require_body_certifier(&who, &body.body_org_id)?;
    let new = NewAccreditation::try_from(body)?;
    let row = state
        .apply(move |conn| accreditations::create_accreditation(conn, &who.actor(), new))
        .await?;
    state.cache.bump_all();
    Ok(created(
        &format!("/api/v1/accreditations/{}", row.id),
        &AccreditationOut::from(row),
    ))
}

/// Query of `GET /accreditations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationQuery {
    /// Only those held by this CAB.
    pub cab: Option<String>,
    /// Only those granted by this body.
    pub body: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

/// `GET /api/v1/accreditations?cab=&body=` (public).
#[tracing::instrument(skip(state))]
pub async fn list_accreditations(
    state: web::Data<AppState>,
    q: web::Query<AccreditationQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            Ok(db::certificates::list_accreditations(
                conn,
                q.cab.as_deref(),
                q.body.as_deref(),
                &page,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |r: &AccreditationRow| r.id.clone(),
        AccreditationOut::from,
    )))
}

/// `GET /api/v1/accreditations/{id}` (public).
#[tracing::instrument(skip(state, req))]
pub async fn get_accreditation(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .run(move |conn| Ok(db::certificates::get_accreditation(conn, &id)?))
        .await?;
    with_etag(&req, &AccreditationOut::from(row))
}

/// Body of `PATCH /accreditations/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationPatchBody {
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// First day.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last day.
    #[serde(default)]
    pub valid_until: Option<String>,
}

/// `PATCH /api/v1/accreditations/{id}` (admin, or certifiers of the accrediting body).
#[tracing::instrument(skip(state, body))]
pub async fn update_accreditation(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<AccreditationPatchBody>,
) -> Result<HttpResponse, ApiError> {
    super::certificates::require_certifying_role(&who)?;
    let b = body.into_inner();
    let mut f = Fields::default();
    let patch = AccreditationPatch {
        status: b.status.and_then(|s| f.check("status", s.parse())),
        valid_from: b
            .valid_from
            .and_then(|d| f.check("valid_from", parse_date(&d))),
        valid_until: b
            .valid_until
            .and_then(|d| f.check("valid_until", parse_date(&d))),
    };
    f.finish()?;
    let id = id.into_inner();
    let row = state
        .apply(move |conn| {
            accreditations::update_accreditation(conn, &who.actor(), &id, patch, |row| {
                require_body_certifier(&who, &row.body_org_id)
            })
        })
        .await?;
    state.cache.bump_all();
    Ok(HttpResponse::Ok().json(AccreditationOut::from(row)))
}
