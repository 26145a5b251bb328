//! `/api/v1/products/{gtin}/lots`: create, list, read and re-date a product's lots.

mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::Lot;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, products::path_gtin, time, with_etag};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use db::{self, serials::LotRow};
use domain::{
    lots::{self, IsoDate, LotPatch, NewLot},
    pagination::{Page, PageQuery},
};
use wire::parse_lot;
pub use wire::{CreateBody, LotOut, PatchBody};

/// `POST /api/v1/products/{gtin}/lots` (admin, or an exporter of the product's organisation).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: crate::api::Json<CreateBody>,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let new = NewLot::try_from(body.into_inner())?;
    let row = state
        .apply(move |conn| lots::create(conn, &who, &gtin, new))
        .await?;
    state.cache.bump(&row.gtin);
    Ok(created(
        &format!("/api/v1/products/{}/lots/{}", row.gtin, row.lot),
        &LotOut::from(row),
    ))
}

/// `GET /api/v1/products/{gtin}/lots` (admin or a member of the product's organisation).
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let page = q.into_inner().parse()?;
    let limit = page.limit;
    let rows = state
        .run(move |conn| {
            lots::readable(conn, &who, &gtin)?;
            Ok(db::serials::list_lots(conn, gtin.as_str(), &page)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |l: &LotRow| l.lot.clone(),
        LotOut::from,
    )))
}

/// `GET /api/v1/products/{gtin}/lots/{lot}`.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (gtin, lot) = path.into_inner();
    let gtin = path_gtin(&gtin)?;
    let lot = parse_lot(&lot)?;
    let row = state
        .run(move |conn| {
            lots::readable(conn, &who, &gtin)?;
            Ok(db::serials::get_lot(conn, gtin.as_str(), lot.as_str())?)
        })
        .await?;
    with_etag(&req, &LotOut::from(row))
}

/// `PATCH /api/v1/products/{gtin}/lots/{lot}` (admin, or an exporter of the product's organisation).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    body: crate::api::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    let (gtin, lot) = path.into_inner();
    let gtin = path_gtin(&gtin)?;
    let lot = parse_lot(&lot)?;
    let patch = LotPatch::try_from(body.into_inner())?;
    let row = state
        .apply(move |conn| lots::update(conn, &who, &gtin, &lot, patch))
        .await?;
    state.cache.bump(&row.gtin);
    Ok(HttpResponse::Ok().json(LotOut::from(row)))
}
