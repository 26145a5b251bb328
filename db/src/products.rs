//! Queries on products (GTIN master data).

use diesel::prelude::*;

use super::{DbConn, MultiBackend, models::Product, schema::products::dsl as p};
use crate::page::PageRequest;

diesel::define_sql_function! {
    /// SQL `lower(text)`: ASCII on SQLite, Unicode on PostgreSQL.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Inserts a product.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, product: &Product) -> QueryResult<()> {
    diesel::insert_into(p::products)
        .values(product)
        .execute(conn)
        .map(|_| ())
}

/// Inserts many products: one multi-row INSERT on PostgreSQL, prepared inserts on SQLite (in-process, where
/// a statement costs no round trip). Call inside a transaction.
#[tracing::instrument(skip_all, fields(n = rows.len()))]
pub fn insert_all(conn: &mut DbConn, rows: &[Product]) -> QueryResult<()> {
    crate::insert_many!(conn, p::products, rows)
}

/// The products with these GTINs (14 digits); those that do not exist are left out.
#[tracing::instrument(skip_all, fields(n = gtins.len()))]
pub fn find_many(conn: &mut DbConn, gtins: &[&str]) -> QueryResult<Vec<Product>> {
    let mut found = Vec::new();
    for part in gtins.chunks(crate::serials::IN_LIST) {
        found.extend(
            p::products
                .filter(p::gtin.eq_any(part))
                .load::<Product>(conn)?,
        );
    }
    Ok(found)
}

/// The product with this 14-digit GTIN, if any.
#[tracing::instrument(skip(conn))]
pub fn find(conn: &mut DbConn, gtin: &str) -> QueryResult<Option<Product>> {
    p::products
        .filter(p::gtin.eq(gtin))
        .get_result(conn)
        .optional()
}

/// The product with this GTIN, its row locked until the transaction ends (PostgreSQL), so
/// writes to one GTIN's links run one at a time. `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get_for_update(conn: &mut DbConn, gtin: &str) -> QueryResult<Product> {
    match conn {
        DbConn::Pg(pg) => p::products
            .filter(p::gtin.eq(gtin))
            .for_update()
            .get_result(pg),
        DbConn::Sqlite(_) => p::products.filter(p::gtin.eq(gtin)).get_result(conn),
    }
}

/// What a product list is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// One organisation's products.
    pub org_id: Option<String>,
    /// Products with this status.
    pub status: Option<String>,
    /// Text found in the GTIN, a name or the brand (case-insensitive).
    pub q: Option<String>,
}

/// A page of products by id (creation order).
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut DbConn, filter: &Filter, page: &PageRequest) -> QueryResult<Vec<Product>> {
    let mut q = p::products.into_boxed::<MultiBackend>();
    if let Some(org) = &filter.org_id {
        q = q.filter(p::org_id.eq(org.clone()));
    }
    if let Some(status) = &filter.status {
        q = q.filter(p::status.eq(status.clone()));
    }
    if let Some(text) = &filter.q {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        q = q.filter(
            p::gtin
                .like(pattern.clone())
                .escape('\\')
                .or(lower(p::name_vi).like(pattern.clone()).escape('\\'))
                .or(lower(p::name_en).like(pattern.clone()).escape('\\'))
                .or(lower(p::brand.assume_not_null()).like(pattern).escape('\\')),
        );
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc()).limit(page.limit + 1).load(conn)
}

/// `s` with LIKE's wildcards and the escape character escaped by `\`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes the mutable fields of `product`.
#[tracing::instrument(skip_all)]
pub fn update(conn: &mut DbConn, product: &Product) -> QueryResult<()> {
    let n = diesel::update(p::products.filter(p::id.eq(&product.id)))
        .set((
            p::name_vi.eq(&product.name_vi),
            p::name_en.eq(&product.name_en),
            p::description_vi.eq(&product.description_vi),
            p::description_en.eq(&product.description_en),
            p::brand.eq(&product.brand),
            p::gpc_brick.eq(&product.gpc_brick),
            p::hs_code.eq(&product.hs_code),
            p::country_of_origin.eq(&product.country_of_origin),
            p::net_content.eq(&product.net_content),
            p::net_content_unit.eq(&product.net_content_unit),
            p::image_url.eq(&product.image_url),
            p::target_markets.eq(&product.target_markets),
            p::standards.eq(&product.standards),
            p::status.eq(&product.status),
            p::updated_at.eq(product.updated_at),
        ))
        .execute(conn)?;
    super::found(n)
}
