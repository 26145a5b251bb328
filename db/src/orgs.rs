//! Queries on organisations.

use diesel::prelude::*;

use super::{DbConn, MultiBackend, models::Org, schema::organisations::dsl as o};
use crate::page::PageRequest;

/// Inserts a new organisation.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, org: &Org) -> QueryResult<()> {
    diesel::insert_into(o::organisations)
        .values(org)
        .execute(conn)
        .map(|_| ())
}

/// The organisation with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Org> {
    o::organisations.filter(o::id.eq(id)).get_result(conn)
}

/// Organisations named exactly `name`.
#[tracing::instrument(skip(conn))]
pub fn by_name(conn: &mut DbConn, name: &str) -> QueryResult<Vec<Org>> {
    o::organisations
        .filter(o::name.eq(name))
        .order(o::id.asc())
        .load(conn)
}

/// A page of organisations by id (one extra row signals a next page).
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut DbConn, page: &PageRequest) -> QueryResult<Vec<Org>> {
    let mut q = o::organisations.into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(o::id.gt(after.clone()));
    }
    q.order(o::id.asc()).limit(page.limit + 1).load(conn)
}

/// Writes the mutable fields of `org`.
#[tracing::instrument(skip_all)]
pub fn update(conn: &mut DbConn, org: &Org) -> QueryResult<()> {
    let n = diesel::update(o::organisations.filter(o::id.eq(&org.id)))
        .set((
            o::kind.eq(&org.kind),
            o::name.eq(&org.name),
            o::country.eq(&org.country),
            o::gln.eq(&org.gln),
            o::resolver_root.eq(&org.resolver_root),
            o::updated_at.eq(org.updated_at),
        ))
        .execute(conn)?;
    if n == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}
