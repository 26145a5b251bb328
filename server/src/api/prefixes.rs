//! `/api/v1/prefixes`: license (admin), list, read, change status (admin); issue GTINs, SSCCs
//! and GLNs (admins, or exporters of the licensee); list issued keys.

use actix_web::{HttpRequest, HttpResponse, web};
use domain::Caller;
use gs1::keys::{CompanyPrefix, Gtin};
use serde::{Deserialize, Serialize};

use super::{Fields, created, optional_json, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::{
    self,
    models::{IssuedKey, Prefix},
};
use domain::{
    pagination::{Page, PageQuery},
    prefixes::{self, Capacity, GtinRequest, Issued, KeyKind, NewPrefix, PrefixStatus},
    product_fields,
};

/// Capacity per key kind.
#[derive(Debug, Serialize)]
pub struct CapacityOut {
    /// GTIN-13 item references.
    pub gtin13: Capacity,
    /// SSCCs (10 extension digits x serial references).
    pub sscc: Capacity,
    /// GLN location references.
    pub gln: Capacity,
}

/// A company prefix on the wire.
#[derive(Debug, Serialize)]
pub struct PrefixOut {
    /// Id.
    pub id: String,
    /// Licensee.
    pub org_id: String,
    /// The digits.
    pub prefix: String,
    /// `active` or `revoked`.
    pub status: String,
    /// What the GS1 prefix table says about it.
    pub class: String,
    /// References held, used and left.
    pub capacity: CapacityOut,
    /// Who licensed it.
    pub licensed_by: String,
    /// Licensed (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Prefix> for PrefixOut {
    fn from(p: Prefix) -> Self {
        Self {
            capacity: CapacityOut {
                gtin13: prefixes::capacity(&p, KeyKind::Gtin),
                sscc: prefixes::capacity(&p, KeyKind::Sscc),
                gln: prefixes::capacity(&p, KeyKind::Gln),
            },
            class: p
                .prefix
                .parse::<CompanyPrefix>()
                .map(|c| c.class().to_string())
                .unwrap_or_default(),
            created_at: time(&p.created_at),
            updated_at: time(&p.updated_at),
            id: p.id,
            org_id: p.org_id,
            prefix: p.prefix,
            status: p.status,
            licensed_by: p.licensed_by,
        }
    }
}

/// An issued key on the wire.
#[derive(Debug, Serialize)]
pub struct KeyOut {
    /// Id.
    pub id: String,
    /// `gtin`, `sscc` or `gln`.
    pub kind: String,
    /// The key (a GTIN in its 14-digit form).
    pub key: String,
    /// Item or location reference; for an SSCC, extension digit x capacity + serial reference.
    pub reference: i64,
    /// The prefix it was issued under.
    pub prefix_id: String,
    /// The licensee.
    pub org_id: String,
    /// What it is for.
    pub description: Option<String>,
    /// Who issued it.
    pub issued_by: String,
    /// When (RFC 3339).
    pub issued_at: String,
}

impl From<IssuedKey> for KeyOut {
    fn from(k: IssuedKey) -> Self {
        Self {
            issued_at: time(&k.issued_at),
            id: k.id,
            kind: k.kind,
            key: k.key,
            reference: k.reference,
            prefix_id: k.prefix_id,
            org_id: k.org_id,
            description: k.description,
            issued_by: k.issued_by,
        }
    }
}

/// A key just issued, with what its prefix has left.
#[derive(Debug, Serialize)]
pub struct IssuedOut {
    /// The key.
    #[serde(flatten)]
    pub key: KeyOut,
    /// The prefix's capacity for this kind after the issue.
    pub capacity: Capacity,
}

impl From<Issued> for IssuedOut {
    fn from(i: Issued) -> Self {
        Self {
            key: i.key.into(),
            capacity: i.capacity,
        }
    }
}

/// Body of `POST /prefixes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// The licensee.
    pub org_id: String,
    /// 4 to 12 digits.
    pub prefix: String,
}

/// `POST /api/v1/prefixes` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let b = body.into_inner();
    let prefix = b
        .prefix
        .trim()
        .parse::<CompanyPrefix>()
        .map_err(|e| ApiError::field("prefix", e.to_string()))?;
    if let Some(why) = prefixes::unlicensable(&prefix) {
        return Err(ApiError::field("prefix", why));
    }
    let new = NewPrefix {
        org_id: b.org_id,
        prefix,
    };
    let row = state
        .apply(move |conn| prefixes::license(conn, &who.actor(), new))
        .await?;
    Ok(created(
        &format!("/api/v1/prefixes/{}", row.id),
        &PrefixOut::from(row),
    ))
}

/// Query of `GET /prefixes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
    /// One organisation's prefixes (admins; others always see their own).
    pub org_id: Option<String>,
}

/// `GET /api/v1/prefixes`: admins see all, everyone else their organisation's.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let org = match q.org_id {
        Some(org) => {
            who.require_member_of(&org)?;
            Some(org)
        }
        None if who.is_admin() => None,
        None => Some(who.org_id.clone()),
    };
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| Ok(db::prefixes::list(conn, org.as_deref(), &page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |p: &Prefix| p.id.clone(),
        PrefixOut::from,
    )))
}

/// The prefix with `id`, if the caller is an admin or a member of its organisation.
fn readable(conn: &mut db::DbConn, who: &Caller, id: &str) -> Result<Prefix, ApiError> {
    let row = db::prefixes::get(conn, id)?;
    who.require_member_of(&row.org_id)?;
    Ok(row)
}

/// `GET /api/v1/prefixes/{id}` (admin, or members of the licensee).
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.run(move |conn| readable(conn, &who, &id)).await?;
    with_etag(&req, &PrefixOut::from(row))
}

/// Body of `PATCH /prefixes/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// `active` or `revoked`.
    pub status: String,
}

/// `PATCH /api/v1/prefixes/{id}` (admin): activate or revoke.
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: web::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let status = body
        .into_inner()
        .status
        .parse::<PrefixStatus>()
        .map_err(|e| ApiError::field("status", e))?;
    let id = id.into_inner();
    let row = state
        .apply(move |conn| prefixes::set_status(conn, &who.actor(), &id, status))
        .await?;
    Ok(HttpResponse::Ok().json(PrefixOut::from(row)))
}

/// A description of at most 200 characters, if given.
fn description(f: &mut Fields, d: Option<String>) -> Option<String> {
    d.and_then(|d| f.check("description", product_fields::text(&d, 200, false)))
}

/// Runs an issue after checking the caller may issue from the prefix.
async fn issue<F>(
    state: web::Data<AppState>,
    who: Authenticated,
    id: String,
    f: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut db::DbConn, &domain::Actor, &str) -> Result<Issued, domain::DomainError>
        + Send
        + 'static,
{
    let issued = state
        .apply(move |conn| {
            let row = db::prefixes::get(conn, &id)?;
            who.owner()?.check(&row.org_id)?;
            f(conn, &who.actor(), &id)
        })
        .await?;
    Ok(HttpResponse::Created().json(IssuedOut::from(issued)))
}

/// Body of `POST /prefixes/{id}/gtins`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GtinBody {
    /// This GTIN (8, 12, 13 or 14 digits) instead of the next free one.
    #[serde(default)]
    pub gtin: Option<String>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/gtins`: the next free GTIN-13, or the one asked for.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_gtin(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: GtinBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    let request = match b.gtin {
        None => Some(GtinRequest::Next),
        Some(g) => f
            .check("gtin", g.trim().parse::<Gtin>())
            .map(GtinRequest::Exactly),
    };
    let description = description(&mut f, b.description);
    f.finish()?;
    let request = request.ok_or_else(|| ApiError::field("gtin", "invalid"))?;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_gtin(conn, actor, id, request, description)
    })
    .await
}

/// Body of `POST /prefixes/{id}/ssccs`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsccBody {
    /// Extension digit 0 to 9; the first band with room if absent.
    #[serde(default)]
    pub extension_digit: Option<u8>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/ssccs`: the next SSCC.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_sscc(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: SsccBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    if b.extension_digit.is_some_and(|e| e > 9) {
        f.push("extension_digit", "must be 0 to 9");
    }
    let description = description(&mut f, b.description);
    f.finish()?;
    let extension = b.extension_digit;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_sscc(conn, actor, id, extension, description)
    })
    .await
}

/// Body of `POST /prefixes/{id}/glns`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlnBody {
    /// The location.
    #[serde(default)]
    pub description: Option<String>,
}

/// `POST /api/v1/prefixes/{id}/glns`: the next GLN.
#[tracing::instrument(skip(state, req, body))]
pub async fn issue_gln(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let b: GlnBody = optional_json(&req, &body)?;
    let mut f = Fields::default();
    let description = description(&mut f, b.description);
    f.finish()?;
    issue(state, who, id.into_inner(), move |conn, actor, id| {
        prefixes::issue_gln(conn, actor, id, description)
    })
    .await
}

/// Query of `GET /prefixes/{id}/keys`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
    /// Only keys of this kind.
    pub kind: Option<String>,
}

/// `GET /api/v1/prefixes/{id}/keys` (admin, or members of the licensee), in issue order.
#[tracing::instrument(skip(state))]
pub async fn keys(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    q: web::Query<KeysQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let kind = q
        .kind
        .map(|k| k.parse::<KeyKind>())
        .transpose()
        .map_err(|e| ApiError::field("kind", e))?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let id = id.into_inner();
    let rows = state
        .run(move |conn| {
            readable(conn, &who, &id)?;
            Ok(db::prefixes::list_keys(
                conn,
                &id,
                kind.map(KeyKind::as_str),
                &page,
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |k: &IssuedKey| k.id.clone(),
        KeyOut::from,
    )))
}
