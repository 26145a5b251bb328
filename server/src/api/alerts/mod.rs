//! `/api/v1/alerts`: raise (authority inspectors, certifiers), lift (the raising organisation),
//! public lists and reads; `/api/v1/orgs/{id}/alerts` for an exporter's own products.

mod body;
mod wire;

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::{Gtin, Lot};
use serde::{Deserialize, Serialize};

use super::{Fields, created, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use body::filter;
pub use body::{CreateBody, LiftBody, ListQuery, TargetBody};
use db::page::PageRequest;
use db::{
    self,
    alerts::{Alert, Target},
};
use domain::{
    alerts::{self, AlertKind, AlertSource, AlertStatus, NewAlert},
    inspections::text,
    pagination::{Page, PageQuery},
};
pub use wire::{AlertOut, TargetOut};

/// `POST /api/v1/alerts` (authority inspectors, certifiers, admins).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let new = NewAlert::try_from(body.into_inner())?;
    let (alert, targets, downstream) = state
        .apply(move |conn| {
            let raised = alerts::raise(conn, &who, new)?;
            with_downstream(conn, raised)
        })
        .await?;
    bump_targets(&state, &targets, &downstream);
    Ok(created(
        &format!("/api/v1/alerts/{}", alert.id),
        &AlertOut::new(alert, &targets),
    ))
}

/// The alert, its targets, and the GTINs made from them (a recall flows downstream through
/// transformations, so their cached verdicts change too).
fn with_downstream(
    conn: &mut db::DbConn,
    (alert, targets): (Alert, Vec<Target>),
) -> Result<(Alert, Vec<Target>, Vec<String>), domain::error::DomainError> {
    let gtins: Vec<String> = targets.iter().map(|t| t.gtin.clone()).collect();
    let downstream = domain::custody::downstream_gtins(conn, &gtins)?;
    Ok((alert, targets, downstream))
}

/// Invalidates the cached answers of an alert's target GTINs and of the products made from
/// them, or of everything if it names none.
fn bump_targets(state: &AppState, targets: &[Target], downstream: &[String]) {
    if targets.is_empty() {
        state.cache.bump_all();
    } else {
        state.cache.bump_each(targets.iter().map(|t| &t.gtin));
        state.cache.bump_each(downstream);
    }
}

/// `POST /api/v1/alerts/{id}/lift` (the raising organisation, admins).
#[tracing::instrument(skip(state, body))]
pub async fn lift(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    body: crate::api::Json<LiftBody>,
) -> Result<HttpResponse, ApiError> {
    let reason = text(&body.into_inner().reason, 1000).map_err(|e| ApiError::field("reason", e))?;
    let id = id.into_inner();
    let (alert, targets, downstream) = state
        .apply(move |conn| {
            let lifted = alerts::lift(conn, &who, &id, reason)?;
            with_downstream(conn, lifted)
        })
        .await?;
    bump_targets(&state, &targets, &downstream);
    Ok(HttpResponse::Ok().json(AlertOut::new(alert, &targets)))
}

async fn page(
    state: &AppState,
    filter: db::alerts::Filter,
    page: PageRequest,
) -> Result<HttpResponse, ApiError> {
    let limit = page.limit;
    let (rows, targets) = state
        .run(move |conn| {
            let rows = db::alerts::list(conn, &filter, &page)?;
            let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
            let targets = db::alerts::targets(conn, &ids)?;
            Ok((rows, targets))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |a: &Alert| a.id.clone(),
        |a| AlertOut::new(a, &targets),
    )))
}

/// `GET /api/v1/alerts` (public).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (f, p) = filter(q.into_inner())?;
    page(&state, f, p).await
}

/// `GET /api/v1/orgs/{id}/alerts`: alerts on the organisation's products (members, admins).
#[tracing::instrument(skip(state))]
pub async fn for_org(
    state: web::Data<AppState>,
    who: Authenticated,
    id: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    who.require_member_of(&id)?;
    let (mut f, p) = filter(q.into_inner())?;
    f.product_owner = Some(id);
    page(&state, f, p).await
}

/// `GET /api/v1/alerts/{id}` (public).
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (alert, targets) = state
        .run(move |conn| {
            let a = db::alerts::get(conn, &id)?;
            let t = db::alerts::targets(conn, std::slice::from_ref(&a.id))?;
            Ok((a, t))
        })
        .await?;
    with_etag(&req, &AlertOut::new(alert, &targets))
}
