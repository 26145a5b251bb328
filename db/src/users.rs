//! Queries on users.

use diesel::prelude::*;

use super::{DbConn, MultiBackend, models::User, schema::users::dsl as u};
use crate::page::PageRequest;

/// Inserts a new user.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, user: &User) -> QueryResult<()> {
    diesel::insert_into(u::users)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

/// The user with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<User> {
    u::users.filter(u::id.eq(id)).get_result(conn)
}

/// The user with this (lower-cased) e-mail, if any.
#[tracing::instrument(skip_all)]
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    u::users
        .filter(u::email.eq(email))
        .get_result(conn)
        .optional()
}

/// A page of an organisation's users by id.
#[tracing::instrument(skip(conn))]
pub fn list_by_org(conn: &mut DbConn, org_id: &str, page: &PageRequest) -> QueryResult<Vec<User>> {
    let mut q = u::users
        .filter(u::org_id.eq(org_id.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(u::id.gt(after.clone()));
    }
    q.order(u::id.asc()).limit(page.limit + 1).load(conn)
}

/// Writes the mutable fields of `user`.
#[tracing::instrument(skip_all)]
pub fn update(conn: &mut DbConn, user: &User) -> QueryResult<()> {
    let n = diesel::update(u::users.filter(u::id.eq(&user.id)))
        .set((
            u::role.eq(&user.role),
            u::disabled.eq(user.disabled),
            u::password_hash.eq(&user.password_hash),
            u::updated_at.eq(user.updated_at),
        ))
        .execute(conn)?;
    if n == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// How many users exist (to tell an empty installation).
#[tracing::instrument(skip(conn))]
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    u::users.count().get_result(conn)
}
