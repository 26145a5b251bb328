//! Queries on API keys.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, MultiBackend, models::ApiKey, schema::api_keys::dsl as k};
use crate::page::PageRequest;

/// Inserts a new key.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, key: &ApiKey) -> QueryResult<()> {
    diesel::insert_into(k::api_keys)
        .values(key)
        .execute(conn)
        .map(|_| ())
}

/// The key with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<ApiKey> {
    k::api_keys.filter(k::id.eq(id)).get_result(conn)
}

/// The key whose secret hashes to `secret_hash`, if any.
#[tracing::instrument(skip_all)]
pub fn find_by_hash(conn: &mut DbConn, secret_hash: &str) -> QueryResult<Option<ApiKey>> {
    k::api_keys
        .filter(k::secret_hash.eq(secret_hash))
        .get_result(conn)
        .optional()
}

/// A page of an organisation's keys by id.
#[tracing::instrument(skip(conn))]
pub fn list_by_org(
    conn: &mut DbConn,
    org_id: &str,
    page: &PageRequest,
) -> QueryResult<Vec<ApiKey>> {
    let mut q = k::api_keys
        .filter(k::org_id.eq(org_id.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(k::id.gt(after.clone()));
    }
    q.order(k::id.asc()).limit(page.limit + 1).load(conn)
}

/// Marks a key revoked.
#[tracing::instrument(skip(conn))]
pub fn revoke(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(k::api_keys.filter(k::id.eq(id)))
        .set(k::revoked_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}

/// Records that the key authenticated a request.
#[tracing::instrument(skip(conn))]
pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(k::api_keys.filter(k::id.eq(id)))
        .set(k::last_used_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}
