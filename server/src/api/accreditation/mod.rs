//! `/api/v1/accreditation-bodies/{id}/signatures`, `/api/v1/signatures/{id}` (admin writes) and
//! `/api/v1/accreditations` (admin or certifiers of the accrediting body write); reads are public.

mod body;
mod signatures;
mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
pub use body::{AccreditationBody, AccreditationPatchBody, AccreditationQuery, codes};
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
pub use signatures::{
    SignatureBody, SignaturePatchBody, create_signature, list_signatures, update_signature,
};
pub use wire::{AccreditationOut, SignatureOut};

/// `POST /api/v1/accreditations` (admin, or certifiers of the accrediting body).
#[tracing::instrument(skip(state, body))]
pub async fn create_accreditation(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<AccreditationBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_certifying_role()?;
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

/// `PATCH /api/v1/accreditations/{id}` (admin, or certifiers of the accrediting body).
#[tracing::instrument(skip(state, body))]
pub async fn update_accreditation(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<AccreditationPatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_certifying_role()?;
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
