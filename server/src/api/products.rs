//! `/api/v1/products`: create and change (admins, or exporters of the GTIN's licensee), list
//! and read (active products publicly, every product for signed-in callers).

use actix_web::{HttpRequest, HttpResponse, web};
use domain::InvalidValue;
use gs1::keys::Gtin;
use serde::{Deserialize, Serialize};

use super::{Fields, created, double_option, present, time, with_etag};
use crate::{
    app::AppState,
    auth::{Authenticated, Viewer},
    error::ApiError,
};
use db::{self, models::Product};
use domain::{
    Country,
    pagination::{Page, PageQuery},
    product_fields::{GpcBrick, HsCode, HttpUrl, NetContent, Standard, text},
    products::{self, NewProduct, ProductData, ProductPatch, ProductStatus},
};

/// Longest name.
const NAME_MAX: usize = 200;
/// Longest description.
const DESCRIPTION_MAX: usize = 5000;
/// Longest brand.
const BRAND_MAX: usize = 100;
/// Most target markets or standards on one product.
const LIST_MAX: usize = 50;

/// A product on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct ProductOut {
    /// Id.
    pub id: String,
    /// 14 digits.
    pub gtin: String,
    /// Brand owner.
    pub org_id: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Vietnamese.
    pub description_vi: Option<String>,
    /// Description in English.
    pub description_en: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// GPC brick.
    pub gpc_brick: Option<String>,
    /// HS code.
    pub hs_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    /// Decimal string.
    pub net_content: Option<String>,
    /// UN/CEFACT unit code.
    pub net_content_unit: Option<String>,
    /// Image URL.
    pub image_url: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub target_markets: Vec<String>,
    /// Standard designations.
    pub standards: Vec<String>,
    /// `active` or `discontinued`.
    pub status: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        let list = |json: &str| serde_json::from_str(json).unwrap_or_default();
        Self {
            target_markets: list(&p.target_markets),
            standards: list(&p.standards),
            created_at: time(&p.created_at),
            updated_at: time(&p.updated_at),
            id: p.id,
            gtin: p.gtin,
            org_id: p.org_id,
            name_vi: p.name_vi,
            name_en: p.name_en,
            description_vi: p.description_vi,
            description_en: p.description_en,
            brand: p.brand,
            gpc_brick: p.gpc_brick,
            hs_code: p.hs_code,
            country_of_origin: p.country_of_origin,
            net_content: p.net_content,
            net_content_unit: p.net_content_unit,
            image_url: p.image_url,
            status: p.status,
        }
    }
}

/// A new product as sent: the body of `POST /products`, an element of a JSON import, or a CSV
/// row (whose header names these fields; lists separated by `;`). Blank optional values are
/// absent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// GTIN-8, -12, -13 or -14.
    pub gtin: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Vietnamese.
    #[serde(default)]
    pub description_vi: Option<String>,
    /// Description in English.
    #[serde(default)]
    pub description_en: Option<String>,
    /// Brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// GPC brick.
    #[serde(default)]
    pub gpc_brick: Option<String>,
    /// HS code.
    #[serde(default)]
    pub hs_code: Option<String>,
    /// Country of origin.
    #[serde(default)]
    pub country_of_origin: Option<String>,
    /// Net content.
    #[serde(default)]
    pub net_content: Option<String>,
    /// Its unit.
    #[serde(default)]
    pub net_content_unit: Option<String>,
    /// Image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Target markets.
    #[serde(default)]
    pub target_markets: Vec<String>,
    /// Standards applied.
    #[serde(default)]
    pub standards: Vec<String>,
}

/// Checks each element of a list (duplicates dropped), recording failures as `field[i]`.
fn each<T: PartialEq>(
    f: &mut Fields,
    field: &str,
    items: Vec<String>,
    parse: impl Fn(&str) -> Result<T, InvalidValue>,
) -> Vec<T> {
    if items.len() > LIST_MAX {
        f.push(field, &format!("at most {LIST_MAX} entries"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(v) = f.check(&format!("{field}[{i}]"), parse(item))
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

/// Checks a net content and its unit, which come together.
fn net_content(f: &mut Fields, amount: Option<String>, unit: Option<String>) -> Option<NetContent> {
    match (present(amount), present(unit)) {
        (None, None) => None,
        (Some(_), None) => {
            f.push("net_content_unit", "required with net_content");
            None
        }
        (None, Some(_)) => {
            f.push("net_content", "required with net_content_unit");
            None
        }
        (Some(a), Some(u)) => match NetContent::parse(&a, &u) {
            Ok(n) => Some(n),
            Err((field, reason)) => {
                f.push(field, &reason);
                None
            }
        },
    }
}

impl TryFrom<ProductInput> for NewProduct {
    type Error = ApiError;
    fn try_from(b: ProductInput) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let gtin = if b.gtin.trim().is_empty() {
            f.push("gtin", "required");
            None
        } else {
            f.check("gtin", b.gtin.trim().parse::<Gtin>())
        };
        let name_vi = f.check("name_vi", text(&b.name_vi, NAME_MAX, false));
        let name_en = f.check("name_en", text(&b.name_en, NAME_MAX, false));
        let data = ProductData {
            name_vi: name_vi.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            description_vi: f.optional("description_vi", b.description_vi, |s| {
                text(s, DESCRIPTION_MAX, true)
            }),
            description_en: f.optional("description_en", b.description_en, |s| {
                text(s, DESCRIPTION_MAX, true)
            }),
            brand: f.optional("brand", b.brand, |s| text(s, BRAND_MAX, false)),
            gpc_brick: f.optional("gpc_brick", b.gpc_brick, GpcBrick::parse),
            hs_code: f.optional("hs_code", b.hs_code, HsCode::parse),
            country_of_origin: f.optional("country_of_origin", b.country_of_origin, Country::parse),
            net_content: net_content(&mut f, b.net_content, b.net_content_unit),
            image_url: f.optional("image_url", b.image_url, HttpUrl::parse),
            target_markets: each(&mut f, "target_markets", b.target_markets, Country::parse),
            standards: each(&mut f, "standards", b.standards, Standard::parse),
        };
        // Past `finish`, every required value parsed.
        f.finish()?;
        let gtin = gtin.ok_or_else(|| ApiError::field("gtin", "required"))?;
        Ok(NewProduct { gtin, data })
    }
}

/// `POST /api/v1/products` (admins, or exporters of the GTIN's licensee).
#[tracing::instrument(skip(state, body))]
pub async fn create(
    state: web::Data<AppState>,
    who: Authenticated,
    body: web::Json<ProductInput>,
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

/// Body of `PATCH /products/{gtin}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Name in Vietnamese.
    #[serde(default)]
    pub name_vi: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Description in Vietnamese.
    #[serde(default, deserialize_with = "double_option")]
    pub description_vi: Option<Option<String>>,
    /// Description in English.
    #[serde(default, deserialize_with = "double_option")]
    pub description_en: Option<Option<String>>,
    /// Brand.
    #[serde(default, deserialize_with = "double_option")]
    pub brand: Option<Option<String>>,
    /// GPC brick.
    #[serde(default, deserialize_with = "double_option")]
    pub gpc_brick: Option<Option<String>>,
    /// HS code.
    #[serde(default, deserialize_with = "double_option")]
    pub hs_code: Option<Option<String>>,
    /// Country of origin.
    #[serde(default, deserialize_with = "double_option")]
    pub country_of_origin: Option<Option<String>>,
    /// Net content (with its unit, or both null).
    #[serde(default, deserialize_with = "double_option")]
    pub net_content: Option<Option<String>>,
    /// Unit of the net content.
    #[serde(default, deserialize_with = "double_option")]
    pub net_content_unit: Option<Option<String>>,
    /// Image URL.
    #[serde(default, deserialize_with = "double_option")]
    pub image_url: Option<Option<String>>,
    /// Target markets (replaced whole).
    #[serde(default)]
    pub target_markets: Option<Vec<String>>,
    /// Standards (replaced whole).
    #[serde(default)]
    pub standards: Option<Vec<String>>,
    /// `active` or `discontinued`.
    #[serde(default)]
    pub status: Option<String>,
}

impl TryFrom<PatchBody> for ProductPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let name = |f: &mut Fields, field: &str, v: Option<String>| {
            v.and_then(|s| f.check(field, text(&s, NAME_MAX, false)))
        };
        let long = |s: &str| text(s, DESCRIPTION_MAX, true);
        let net = match (b.net_content, b.net_content_unit) {
            (None, None) => None,
            (Some(a), Some(u)) => match (present(a), present(u)) {
                (None, None) => Some(None),
                (a, u) => net_content(&mut f, a, u).map(Some),
            },
            _ => {
                f.push(
                    "net_content",
                    "net_content and net_content_unit are changed together",
                );
                None
            }
        };
        let patch = ProductPatch {
            name_vi: name(&mut f, "name_vi", b.name_vi),
            name_en: name(&mut f, "name_en", b.name_en),
            description_vi: f.nullable("description_vi", b.description_vi, long),
            description_en: f.nullable("description_en", b.description_en, long),
            brand: f.nullable("brand", b.brand, |s| text(s, BRAND_MAX, false)),
            gpc_brick: f.nullable("gpc_brick", b.gpc_brick, GpcBrick::parse),
            hs_code: f.nullable("hs_code", b.hs_code, HsCode::parse),
            country_of_origin: f.nullable("country_of_origin", b.country_of_origin, Country::parse),
            net_content: net,
            image_url: f.nullable("image_url", b.image_url, HttpUrl::parse),
            target_markets: b
                .target_markets
                .map(|m| each(&mut f, "target_markets", m, Country::parse)),
            standards: b
                .standards
                .map(|s| each(&mut f, "standards", s, Standard::parse)),
            status: b
                .status
                .and_then(|s| f.check("status", s.parse::<ProductStatus>())),
        };
        f.finish()?;
        Ok(patch)
    }
}

/// `PATCH /api/v1/products/{gtin}` (admins, or exporters of the brand owner); discontinue with
/// `{"status": "discontinued"}`.
#[tracing::instrument(skip(state, body))]
pub async fn update(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    body: web::Json<PatchBody>,
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
