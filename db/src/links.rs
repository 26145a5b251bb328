//! Queries on resolver links.

use diesel::prelude::*;

use super::{DbConn, MultiBackend, models::ResolverLink, schema::resolver_links::dsl as l};
use crate::page::PageRequest;

/// Inserts a link.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, link: &ResolverLink) -> QueryResult<()> {
    diesel::insert_into(l::resolver_links)
        .values(link)
        .execute(conn)
        .map(|_| ())
}

/// The link with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<ResolverLink> {
    l::resolver_links.filter(l::id.eq(id)).get_result(conn)
}

/// A page of a GTIN's links by id, optionally only those of one lot and/or serial ('' = none).
#[tracing::instrument(skip(conn))]
pub fn list(
    conn: &mut DbConn,
    gtin: &str,
    lot: Option<&str>,
    serial: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<ResolverLink>> {
    let mut q = l::resolver_links
        .filter(l::gtin.eq(gtin.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(lot) = lot {
        q = q.filter(l::lot.eq(lot.to_owned()));
    }
    if let Some(serial) = serial {
        q = q.filter(l::serial.eq(serial.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(l::id.gt(after.clone()));
    }
    q.order(l::id.asc()).limit(page.limit + 1).load(conn)
}

/// The default link of (gtin, lot, serial), if one is set.
#[tracing::instrument(skip(conn))]
pub fn find_default(
    conn: &mut DbConn,
    gtin: &str,
    lot: &str,
    serial: &str,
) -> QueryResult<Option<ResolverLink>> {
    l::resolver_links
        .filter(
            l::gtin
                .eq(gtin)
                .and(l::lot.eq(lot))
                .and(l::serial.eq(serial))
                .and(l::is_default.eq(true)),
        )
        .get_result(conn)
        .optional()
}

/// Writes the mutable fields of `link`.
#[tracing::instrument(skip_all)]
pub fn update(conn: &mut DbConn, link: &ResolverLink) -> QueryResult<()> {
    let n = diesel::update(l::resolver_links.filter(l::id.eq(&link.id)))
        .set((
            l::link_type.eq(&link.link_type),
            l::href.eq(&link.href),
            l::title.eq(&link.title),
            l::lang.eq(&link.lang),
            l::media_type.eq(&link.media_type),
            l::context.eq(&link.context),
            l::is_default.eq(link.is_default),
            l::updated_at.eq(link.updated_at),
        ))
        .execute(conn)?;
    super::found(n)
}

/// Deletes a link.
#[tracing::instrument(skip(conn))]
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    let n = diesel::delete(l::resolver_links.filter(l::id.eq(id))).execute(conn)?;
    super::found(n)
}

/// Every link of a GTIN (all lots and serials), by id.
#[tracing::instrument(skip(conn))]
pub fn for_gtin(conn: &mut DbConn, gtin: &str) -> QueryResult<Vec<ResolverLink>> {
    l::resolver_links
        .filter(l::gtin.eq(gtin))
        .order(l::id.asc())
        .load(conn)
}
