//! `/api/v1/products/{gtin}/lots`: create, list, read and re-date a product's lots.

use actix_web::{HttpRequest, HttpResponse, web};
use gs1::keys::Lot;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, products::path_gtin, time, with_etag};
use crate::{app::AppState, auth::Authenticated, error::ApiError};
use db::{self, serials::LotRow};
use domain::{
    lots::{self, IsoDate, LotPatch, NewLot},
    pagination::{Page, PageQuery},
};

/// A lot on the wire.
#[derive(Debug, Serialize)]
pub struct LotOut {
    /// The product's GTIN.
    pub gtin: String,
    /// The lot number.
    pub lot: String,
    /// `YYYY-MM-DD` or null.
    pub production_date: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub expiry_date: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<LotRow> for LotOut {
    fn from(l: LotRow) -> Self {
        Self {
            created_at: time(&l.created_at),
            updated_at: time(&l.updated_at),
            gtin: l.gtin,
            lot: l.lot,
            production_date: l.production_date,
            expiry_date: l.expiry_date,
        }
    }
}

fn parse_lot(s: &str) -> Result<Lot, ApiError> {
    Lot::parse(s).map_err(|e| ApiError::field("lot", e.to_string()))
}

/// Body of `POST /products/{gtin}/lots`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Lot number.
    pub lot: String,
    /// Production date.
    #[serde(default)]
    pub production_date: Option<String>,
    /// Expiry date.
    #[serde(default)]
    pub expiry_date: Option<String>,
}

impl TryFrom<CreateBody> for NewLot {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let lot = f.check("lot", Lot::parse(&b.lot));
        let production_date = b
            .production_date
            .and_then(|d| f.check("production_date", IsoDate::parse(&d)));
        let expiry_date = b
            .expiry_date
            .and_then(|d| f.check("expiry_date", IsoDate::parse(&d)));
        f.finish()?;
        lots::check_order(production_date, expiry_date)?;
        let lot = lot.ok_or_else(|| ApiError::field("lot", "invalid"))?;
        Ok(NewLot {
            lot,
            production_date,
            expiry_date,
        })
    }
}

/// `POST /api/v1/products/{gtin}/lots` (admin, or an exporter of the product's organisation).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: web::Json<CreateBody>,
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

/// Body of `PATCH /products/{gtin}/lots/{lot}`; absent dates stay, null clears.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Production date, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub production_date: Option<Option<String>>,
    /// Expiry date, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub expiry_date: Option<Option<String>>,
}

impl TryFrom<PatchBody> for LotPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let mut date = |name: &str, v: Option<Option<String>>| match v {
            None => None,
            Some(None) => Some(None),
            Some(Some(d)) => f.check(name, IsoDate::parse(&d)).map(Some),
        };
        let patch = LotPatch {
            production_date: date("production_date", b.production_date),
            expiry_date: date("expiry_date", b.expiry_date),
        };
        f.finish()?;
        Ok(patch)
    }
}

/// `PATCH /api/v1/products/{gtin}/lots/{lot}` (admin, or an exporter of the product's organisation).
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    path: web::Path<(String, String)>,
    body: web::Json<PatchBody>,
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
