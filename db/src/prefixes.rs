//! Queries on company prefixes and the keys issued under them.

use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    models::{IssuedKey, Prefix},
    schema::{company_prefixes::dsl as p, issued_keys::dsl as k},
};
use crate::page::PageRequest;

/// Inserts a newly licensed prefix.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, prefix: &Prefix) -> QueryResult<()> {
    diesel::insert_into(p::company_prefixes)
        .values(prefix)
        .execute(conn)
        .map(|_| ())
}

/// The prefix with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Prefix> {
    p::company_prefixes.filter(p::id.eq(id)).get_result(conn)
}

/// The prefix with `id`, its row locked until the transaction ends so allocations from it run
/// one at a time. PostgreSQL only needs it: SQLite's `BEGIN IMMEDIATE` holds the write lock.
#[tracing::instrument(skip(conn))]
pub fn get_for_update(conn: &mut DbConn, id: &str) -> QueryResult<Prefix> {
    match conn {
        DbConn::Pg(pg) => p::company_prefixes
            .filter(p::id.eq(id))
            .for_update()
            .get_result(pg),
        DbConn::Sqlite(_) => get(conn, id),
    }
}

/// A page of prefixes by id, all or one organisation's.
#[tracing::instrument(skip(conn))]
pub fn list(
    conn: &mut DbConn,
    org_id: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<Prefix>> {
    let mut q = p::company_prefixes.into_boxed::<MultiBackend>();
    if let Some(org) = org_id {
        q = q.filter(p::org_id.eq(org.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(p::id.gt(after.clone()));
    }
    q.order(p::id.asc()).limit(page.limit + 1).load(conn)
}

/// Licensed prefixes that start `digits` or that `digits` starts (the same one included).
#[tracing::instrument(skip(conn))]
pub fn overlapping(conn: &mut DbConn, digits: &str) -> QueryResult<Vec<Prefix>> {
    // Prefixes are digits only, so the LIKE pattern needs no escaping.
    p::company_prefixes
        .filter(
            p::prefix
                .eq_any(heads(digits))
                .or(p::prefix.like(format!("{digits}%"))),
        )
        .order(p::prefix.asc())
        .load(conn)
}

/// The licensed prefix `frame` (a key's digits after any indicator or extension digit) was
/// numbered under; at most one exists because licensed prefixes never start one another.
#[tracing::instrument(skip(conn))]
pub fn containing(conn: &mut DbConn, frame: &str) -> QueryResult<Option<Prefix>> {
    p::company_prefixes
        .filter(p::prefix.eq_any(heads(frame)))
        .get_result(conn)
        .optional()
}

/// The leading 4 to 12 digits of `digits` that a company prefix could be.
fn heads(digits: &str) -> Vec<String> {
    (4..=digits.len().min(12))
        .map(|n| digits[..n].to_owned())
        .collect()
}

/// Sets a prefix's status.
#[tracing::instrument(skip_all)]
pub fn set_status(conn: &mut DbConn, prefix: &Prefix) -> QueryResult<()> {
    let n = diesel::update(p::company_prefixes.filter(p::id.eq(&prefix.id)))
        .set((
            p::status.eq(&prefix.status),
            p::updated_at.eq(prefix.updated_at),
        ))
        .execute(conn)?;
    super::found(n)
}

/// Writes a prefix's cursors and counters after an allocation.
#[tracing::instrument(skip_all)]
pub fn save_allocation(conn: &mut DbConn, prefix: &Prefix) -> QueryResult<()> {
    let n = diesel::update(p::company_prefixes.filter(p::id.eq(&prefix.id)))
        .set((
            p::next_item_ref.eq(prefix.next_item_ref),
            p::next_serial_ref.eq(prefix.next_serial_ref),
            p::next_location_ref.eq(prefix.next_location_ref),
            p::gtin_refs_used.eq(prefix.gtin_refs_used),
            p::sscc_refs_used.eq(prefix.sscc_refs_used),
            p::gln_refs_used.eq(prefix.gln_refs_used),
            p::updated_at.eq(prefix.updated_at),
        ))
        .execute(conn)?;
    super::found(n)
}

/// Records an issued key.
#[tracing::instrument(skip_all)]
pub fn insert_key(conn: &mut DbConn, key: &IssuedKey) -> QueryResult<()> {
    diesel::insert_into(k::issued_keys)
        .values(key)
        .execute(conn)
        .map(|_| ())
}

/// Records many issued keys (see [`crate::products::insert_all`]); call inside a transaction.
#[tracing::instrument(skip_all, fields(n = keys.len()))]
pub fn insert_keys(conn: &mut DbConn, keys: &[IssuedKey]) -> QueryResult<()> {
    crate::insert_many!(conn, k::issued_keys, keys)
}

/// The issued keys of `kind` among these values.
#[tracing::instrument(skip_all, fields(n = keys.len()))]
pub fn find_keys(conn: &mut DbConn, kind: &str, keys: &[&str]) -> QueryResult<Vec<IssuedKey>> {
    let mut found = Vec::new();
    for part in keys.chunks(crate::serials::IN_LIST) {
        found.extend(
            k::issued_keys
                .filter(k::kind.eq(kind).and(k::key.eq_any(part)))
                .load::<IssuedKey>(conn)?,
        );
    }
    Ok(found)
}

/// Which of `references` some key of `kind` under the prefix was issued on.
#[tracing::instrument(skip(conn, references), fields(n = references.len()))]
pub fn references_in_use_among(
    conn: &mut DbConn,
    prefix_id: &str,
    kind: &str,
    references: &[i64],
) -> QueryResult<Vec<i64>> {
    let mut used = Vec::new();
    for part in references.chunks(crate::serials::IN_LIST) {
        used.extend(
            k::issued_keys
                .filter(
                    k::prefix_id
                        .eq(prefix_id)
                        .and(k::kind.eq(kind))
                        .and(k::reference.eq_any(part)),
                )
                .select(k::reference)
                .distinct()
                .load::<i64>(conn)?,
        );
    }
    Ok(used)
}

/// The issued key of `kind` with this value, if any.
#[tracing::instrument(skip(conn))]
pub fn find_key(conn: &mut DbConn, kind: &str, key: &str) -> QueryResult<Option<IssuedKey>> {
    k::issued_keys
        .filter(k::kind.eq(kind).and(k::key.eq(key)))
        .get_result(conn)
        .optional()
}

/// Whether any key of `kind` was issued on `reference` under the prefix.
#[tracing::instrument(skip(conn))]
pub fn reference_in_use(
    conn: &mut DbConn,
    prefix_id: &str,
    kind: &str,
    reference: i64,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        k::issued_keys.filter(
            k::prefix_id
                .eq(prefix_id)
                .and(k::kind.eq(kind))
                .and(k::reference.eq(reference)),
        ),
    ))
    .get_result(conn)
}

/// The highest reference of `kind` issued under the prefix within `[from, to)`, if any.
#[tracing::instrument(skip(conn))]
pub fn max_reference_in(
    conn: &mut DbConn,
    prefix_id: &str,
    kind: &str,
    from: i64,
    to: i64,
) -> QueryResult<Option<i64>> {
    k::issued_keys
        .filter(
            k::prefix_id
                .eq(prefix_id)
                .and(k::kind.eq(kind))
                .and(k::reference.ge(from))
                .and(k::reference.lt(to)),
        )
        .select(diesel::dsl::max(k::reference))
        .get_result(conn)
}

/// A page of the keys issued under a prefix, by id (issue order), optionally of one kind.
#[tracing::instrument(skip(conn))]
pub fn list_keys(
    conn: &mut DbConn,
    prefix_id: &str,
    kind: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<IssuedKey>> {
    let mut q = k::issued_keys
        .filter(k::prefix_id.eq(prefix_id.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(kind) = kind {
        q = q.filter(k::kind.eq(kind.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(k::id.gt(after.clone()));
    }
    q.order(k::id.asc()).limit(page.limit + 1).load(conn)
}
