//! `/api/v1/orgs`: create (admin), list, read, change (admin).

mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::Gln;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{self, models::Org};
use domain::{
    Country, OrgKind, OrgName,
    orgs::{self, NewOrg, OrgPatch},
    pagination::{Page, PageQuery},
};
pub use wire::{CreateBody, OrgOut, PatchBody};

/// `POST /api/v1/orgs` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let new = NewOrg::try_from(body.into_inner())?;
    let org = state
        .apply(move |conn| orgs::create(conn, &who.actor(), new))
        .await?;
    Ok(created(
        &format!("/api/v1/orgs/{}", org.id),
        &OrgOut::from(org),
    ))
}

/// `GET /api/v1/orgs`: every signed-in caller may browse the directory.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    _who: Authenticated,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| Ok(db::orgs::list(conn, &page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |o: &Org| o.id.clone(),
        OrgOut::from,
    )))
}

/// `GET /api/v1/orgs/{id}`.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    _who: Authenticated,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let org = state.run(move |conn| Ok(db::orgs::get(conn, &id)?)).await?;
    with_etag(&req, &OrgOut::from(org))
}

/// `PATCH /api/v1/orgs/{id}` (admin).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.require_admin()?;
    let patch = OrgPatch::try_from(body.into_inner())?;
    let id = id.into_inner();
    let org = state
        .apply(move |conn| orgs::update(conn, &who.actor(), &id, patch))
        .await?;
    // A name or status shows on every answer about the organisation's products.
    state.cache.bump_all();
    Ok(HttpResponse::Ok().json(OrgOut::from(org)))
}
