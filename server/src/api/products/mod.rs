//! `/api/v1/products`: create and change (admins, or exporters of the GTIN's licensee), list
//! and read (active products publicly, every product for signed-in callers).

mod body;
mod wire;

use actix_web::{HttpRequest, HttpResponse, web};
use domain::InvalidValue;
use gs1::keys::Gtin;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, present, time, with_etag};
use crate::{
    auth::{Authenticated, Viewer},
    error::ApiError,
    state::AppState,
};
pub use body::{PatchBody, ProductInput};
use db::{self, models::Product};
use domain::{
    Country,
    pagination::{Page, PageQuery},
    product_fields::{GpcBrick, HsCode, HttpUrl, NetContent, Standard, text},
    products::{self, NewProduct, ProductData, ProductPatch, ProductStatus},
};
pub use wire::ProductOut;

/// `POST /api/v1/products` (admins, or exporters of the GTIN's licensee).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: crate::api::Json<ProductInput>,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let new = NewProduct::try_from(body.into_inner())?;
    let row = state
        .apply(move |conn| products::create(conn, &who.actor(), who.owner()?, new))
        .await?;
    state.cache.bump(&row.gtin);
    Ok(created(
        &format!("/api/v1/products/{}", row.gtin),
        &ProductOut::from(row),
    ))
}

/// Query of `GET /products`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
    /// One organisation's products.
    pub org_id: Option<String>,
    /// `active` or `discontinued`.
    pub status: Option<String>,
    /// Text in the GTIN, a name or the brand.
    pub q: Option<String>,
}

/// `GET /api/v1/products`: anyone; callers without credentials see active products only.
#[tracing::instrument(skip(state))]
pub async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let mut f = Fields::default();
    let status = q
        .status
        .and_then(|s| f.check("status", s.parse::<ProductStatus>()));
    let text = q.q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if text.as_ref().is_some_and(|s| s.chars().count() > 100) {
        f.push("q", "at most 100 characters");
    }
    f.finish()?;
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let limit = page.limit;
    let public_only = !viewer.is_authenticated();
    if public_only && status.is_some_and(|s| s != ProductStatus::Active) {
        return Ok(HttpResponse::Ok().json(Page::<ProductOut> {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let filter = db::products::Filter {
        org_id: q.org_id,
        status: status
            .or(public_only.then_some(ProductStatus::Active))
            .map(|s| s.as_str().to_owned()),
        q: text,
    };
    let rows = state
        .run(move |conn| Ok(db::products::list(conn, &filter, &page)?))
        .await?;
    Ok(HttpResponse::Ok().json(Page::from_rows(
        rows,
        limit,
        |p: &Product| p.id.clone(),
        ProductOut::from,
    )))
}

/// The GTIN of a path, in any of its lengths.
pub fn path_gtin(s: &str) -> Result<Gtin, ApiError> {
    s.parse::<Gtin>()
        .map_err(|e| ApiError::field("gtin", e.to_string()))
}

/// The product with `gtin` as `viewer` may see it: discontinued ones only when signed in.
pub fn visible(conn: &mut db::DbConn, viewer: &Viewer, gtin: &Gtin) -> Result<Product, ApiError> {
    let row = db::products::find(conn, gtin.as_str())?.ok_or(ApiError::NotFound)?;
    if row.status != ProductStatus::Active.as_str() && !viewer.is_authenticated() {
        return Err(ApiError::NotFound);
    }
    Ok(row)
}

/// `GET /api/v1/products/{gtin}`: GTIN-8, -12, -13 or -14; answers with the 14-digit form.
#[tracing::instrument(skip(state, req))]
pub async fn get(
    state: web::Data<AppState>,
    viewer: Viewer,
    gtin: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let row = state.run(move |conn| visible(conn, &viewer, &gtin)).await?;
    with_etag(&req, &ProductOut::from(row))
}

/// `PATCH /api/v1/products/{gtin}` (admins, or exporters of the brand owner); discontinue with
/// `{"status": "discontinued"}`.
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: crate::api::Json<PatchBody>,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let gtin = path_gtin(&gtin)?;
    let patch = ProductPatch::try_from(body.into_inner())?;
    let row = state
        .apply(move |conn| products::update(conn, &who.actor(), who.owner()?, &gtin, patch))
        .await?;
    state.cache.bump(&row.gtin);
    Ok(HttpResponse::Ok().json(ProductOut::from(row)))
}
