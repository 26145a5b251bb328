//! `/api/v1/certificates` and `/api/v1/products/{gtin}/certificates`: issue and change status
//! (admin, or certifiers of the issuing CAB); every read is public and says when a certificate
//! was issued unaccredited.

mod body;
mod wire;

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use gs1::keys::Gtin;
use serde::{Deserialize, Serialize};

use super::{
    Fields, accreditation::AccreditationOut, accreditation::codes, created, orgs::OrgOut, time,
    with_etag,
};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
pub use body::{CertificateBody, CertificateQuery, StatusBody};
use db::page::encode_cursor;
use db::{
    self, DbConn,
    certificates::{CertificateEventRow, CertificateFilter, CertificateRow},
};
use domain::{
    accreditation::parse_date,
    certificate_view,
    certificates::{
        self, CertificateStatus, NewCertificate, effective_status, require_cab_certifier,
    },
    pagination::{Page, PageQuery},
};
pub use wire::{CertificateDetail, CertificateOut, ChainOut, EventOut};
use wire::{detail, page_out, today};

/// `POST /api/v1/certificates` (admin, or certifiers of the issuing CAB).
#[tracing::instrument(skip(state, body))]
pub async fn issue(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<CertificateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_certifying_role()?;
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

/// `POST /api/v1/certificates/{id}/status` (admin, or certifiers of the issuing CAB).
#[tracing::instrument(skip(state, body))]
pub async fn change_status(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<StatusBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_certifying_role()?;
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
