//! Products (GTIN master data): create, change, discontinue, bulk import.
//!
//! A product's organisation is the GTIN's licensee: the organisation the GTIN was issued to, or
//! that holds the company prefix it lies in. A GTIN not yet issued is issued in the product's
//! transaction. The writes that change what a GTIN resolves to are [`create`], [`update`] and
//! [`import`] here, and `links::{create, update, delete}`: each is one function taking the GTIN.

use crate::error::InvalidValue;
use crate::error::invalid;
use gs1::keys::Gtin;

use super::{
    Actor, Country, Owner,
    product_fields::{GpcBrick, HsCode, HttpUrl, NetContent, Standard},
    record,
};
use crate::{
    error::DomainError,
    prefixes::{self, KeyKind},
};
use db::{self, DbConn, models::Product};

/// Where a product is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductStatus {
    /// On the market.
    Active,
    /// No longer made; its GTIN is never issued again.
    Discontinued,
}

impl ProductStatus {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Discontinued => "discontinued",
        }
    }
}

impl std::str::FromStr for ProductStatus {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, InvalidValue> {
        match s {
            "active" => Ok(Self::Active),
            "discontinued" => Ok(Self::Discontinued),
            _ => Err(invalid!("unknown status {s:?}: use active or discontinued")),
        }
    }
}

/// Validated master data of a product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductData {
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
    pub gpc_brick: Option<GpcBrick>,
    /// HS code.
    pub hs_code: Option<HsCode>,
    /// Country of origin.
    pub country_of_origin: Option<Country>,
    /// Net content and unit.
    pub net_content: Option<NetContent>,
    /// Image.
    pub image_url: Option<HttpUrl>,
    /// Markets the product is made for.
    pub target_markets: Vec<Country>,
    /// Standards applied.
    pub standards: Vec<Standard>,
}

/// A validated new product.
#[derive(Clone, Debug)]
pub struct NewProduct {
    /// Its GTIN.
    pub gtin: Gtin,
    /// Its master data.
    pub data: ProductData,
}

/// A validated change: `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct ProductPatch {
    /// Name in Vietnamese.
    pub name_vi: Option<String>,
    /// Name in English.
    pub name_en: Option<String>,
    /// Description in Vietnamese.
    pub description_vi: Option<Option<String>>,
    /// Description in English.
    pub description_en: Option<Option<String>>,
    /// Brand.
    pub brand: Option<Option<String>>,
    /// GPC brick.
    pub gpc_brick: Option<Option<GpcBrick>>,
    /// HS code.
    pub hs_code: Option<Option<HsCode>>,
    /// Country of origin.
    pub country_of_origin: Option<Option<Country>>,
    /// Net content and unit, set or cleared together.
    pub net_content: Option<Option<NetContent>>,
    /// Image.
    pub image_url: Option<Option<HttpUrl>>,
    /// Target markets (replaced whole).
    pub target_markets: Option<Vec<Country>>,
    /// Standards (replaced whole).
    pub standards: Option<Vec<Standard>>,
    /// Discontinue or reactivate.
    pub status: Option<ProductStatus>,
}

/// A list as stored: a JSON array of strings.
fn json_list<T: ToString>(items: &[T]) -> String {
    let strings: Vec<String> = items.iter().map(ToString::to_string).collect();
    serde_json::to_string(&strings).unwrap_or_else(|_| "[]".to_owned())
}

/// An optional value as stored.
fn text<T: ToString>(value: Option<T>) -> Option<String> {
    value.map(|v| v.to_string())
}

/// Writes `data` into the stored row's fields.
pub(crate) fn apply(row: &mut Product, data: ProductData) {
    row.name_vi = data.name_vi;
    row.name_en = data.name_en;
    row.description_vi = data.description_vi;
    row.description_en = data.description_en;
    row.brand = data.brand;
    row.gpc_brick = text(data.gpc_brick);
    row.hs_code = text(data.hs_code);
    row.country_of_origin = text(data.country_of_origin);
    row.net_content_unit = data.net_content.as_ref().map(|n| n.unit().to_owned());
    row.net_content = data.net_content.map(|n| n.amount().to_owned());
    row.image_url = text(data.image_url);
    row.target_markets = json_list(&data.target_markets);
    row.standards = json_list(&data.standards);
}

/// The row a new product would be stored as.
pub(crate) fn new_row(org_id: &str, new: NewProduct) -> Product {
    let status = ProductStatus::Active.as_str();
    let mut row = Product::new(org_id, new.gtin.as_str(), status, db::now());
    apply(&mut row, new.data);
    row
}

/// Creates a product, issuing its GTIN in the same transaction if needed.
#[tracing::instrument(skip(conn, new), fields(gtin = %new.gtin))]
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    new: NewProduct,
) -> Result<Product, DomainError> {
    db::write_transaction(conn, |conn| create_in(conn, actor, owner, new))
}

/// Creates a product inside the caller's transaction.
pub(crate) fn create_in(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    new: NewProduct,
) -> Result<Product, DomainError> {
    let gtin = new.gtin;
    if let Some(existing) = db::products::find(conn, gtin.as_str())? {
        return Err(DomainError::Conflict(format!(
            "a product with GTIN {gtin} exists ({})",
            existing.status
        )));
    }
    let org_id = licensee(conn, actor, owner, &gtin)?;
    let row = new_row(&org_id, new);
    db::products::insert(conn, &row)?;
    record(
        conn,
        actor,
        Some(&row.org_id),
        "product.create",
        ("product", &row.id),
        &row,
    )?;
    Ok(row)
}

/// The organisation `gtin` belongs to, issuing it first if it lies in a prefix but was never
/// issued; 403 if the caller may not write that organisation's products.
fn licensee(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    gtin: &Gtin,
) -> Result<String, DomainError> {
    if let Some(key) = db::prefixes::find_key(conn, KeyKind::Gtin.as_str(), gtin.as_str())? {
        owner.check(&key.org_id)?;
        return Ok(key.org_id);
    }
    // The 13-digit frame: what follows the indicator digit.
    let prefix = db::prefixes::containing(conn, &gtin.as_str()[1..])?.ok_or_else(|| {
        DomainError::field(
            "gtin",
            format!("GTIN {gtin} was not issued here and lies in no company prefix licensed here"),
        )
    })?;
    owner.check(&prefix.org_id)?;
    let locked = prefixes::active_for_update(conn, &prefix.id)?;
    prefixes::issue_gtin_in(conn, actor, locked, gtin)?;
    Ok(prefix.org_id)
}

/// Applies a change to the product with `gtin`; `owner` is checked against its organisation.
#[tracing::instrument(skip(conn, patch))]
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    gtin: &Gtin,
    patch: ProductPatch,
) -> Result<Product, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut row = db::products::get_for_update(conn, gtin.as_str())?;
        owner.check(&row.org_id)?;
        let ProductPatch {
            name_vi,
            name_en,
            description_vi,
            description_en,
            brand,
            gpc_brick,
            hs_code,
            country_of_origin,
            net_content,
            image_url,
            target_markets,
            standards,
            status,
        } = patch;
        set(&mut row.name_vi, name_vi);
        set(&mut row.name_en, name_en);
        set(&mut row.description_vi, description_vi);
        set(&mut row.description_en, description_en);
        set(&mut row.brand, brand);
        set(&mut row.gpc_brick, gpc_brick.map(text));
        set(&mut row.hs_code, hs_code.map(text));
        set(&mut row.country_of_origin, country_of_origin.map(text));
        if let Some(n) = net_content {
            row.net_content_unit = n.as_ref().map(|n| n.unit().to_owned());
            row.net_content = n.map(|n| n.amount().to_owned());
        }
        set(&mut row.image_url, image_url.map(text));
        set(
            &mut row.target_markets,
            target_markets.map(|m| json_list(&m)),
        );
        set(&mut row.standards, standards.map(|s| json_list(&s)));
        if let Some(status) = status {
            row.status = status.as_str().to_owned();
        }
        row.updated_at = db::now();
        db::products::update(conn, &row)?;
        record(
            conn,
            actor,
            Some(&row.org_id),
            "product.update",
            ("product", &row.id),
            &row,
        )?;
        Ok(row)
    })
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

pub use crate::product_import::{
    IMPORT_CHUNK, ImportReport, ImportRow, MAX_REPORTED_ERRORS, RowError, import,
};
