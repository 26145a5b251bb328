//! `/api/v1/prefixes`: license (admin), list, read, change status (admin); issue GTINs, SSCCs
//! and GLNs (admins, or exporters of the licensee); list issued keys.

mod issue;
mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use domain::Caller;
use gs1::keys::{CompanyPrefix, Gtin};
use serde::{Deserialize, Serialize};

use super::{Fields, created, optional_json, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{
    self,
    models::{IssuedKey, Prefix},
};
use domain::{
    pagination::{Page, PageQuery},
    prefixes::{self, Capacity, GtinRequest, Issued, KeyKind, NewPrefix, PrefixStatus},
    product_fields,
};
pub use issue::{GlnBody, GtinBody, SsccBody, issue_gln, issue_gtin, issue_sscc};
pub use wire::{CapacityOut, IssuedOut, KeyOut, PrefixOut};

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
    body: crate::api::Json<CreateBody>,
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
    body: crate::api::Json<PatchBody>,
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
