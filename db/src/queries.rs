//! EPCIS named queries and the webhook subscriptions to them, with each subscription's
//! delivery state (cursor, failed attempts, when it is next due).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::{epcis_queries as q, epcis_subscriptions as s};

/// A named query.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = q)]
pub struct QueryRow {
    /// UUIDv7.
    pub id: String,
    /// The owning organisation.
    pub org_id: String,
    /// The name, unique within the organisation.
    pub name: String,
    /// The binding's `query` object, JSON.
    pub definition: String,
    /// Who created it (audit actor).
    pub created_by: String,
    /// When (UTC).
    pub created_at: NaiveDateTime,
}

/// A webhook subscription to a named query. Its `Debug` leaves out the `signature_token`.
#[derive(Clone, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = s, treat_none_as_default_value = false)]
pub struct SubscriptionRow {
    /// UUIDv7 (the binding's `subscriptionID`).
    pub id: String,
    /// The named query.
    pub query_id: String,
    /// The subscribing organisation (the query's owner): its scope is applied.
    pub org_id: String,
    /// Where documents are POSTed.
    pub dest: String,
    /// The key every delivery is signed with. Never shown.
    pub signature_token: String,
    /// Deliver an empty document at a scheduled time with no new events.
    pub report_if_empty: bool,
    /// Deliver as events are captured (otherwise on `schedule`).
    pub stream: bool,
    /// The schedule, JSON, for scheduled subscriptions.
    pub schedule: Option<String>,
    /// `digital_link` or `urn`: the identifier form of delivered events.
    pub epc_format: String,
    /// Events recorded from this time on are delivered.
    pub initial_record_time: NaiveDateTime,
    /// Events recorded after (cursor_time, cursor_id) are still to be delivered.
    pub cursor_time: NaiveDateTime,
    /// See `cursor_time`; empty before the first delivery.
    pub cursor_id: String,
    /// Failed attempts at the current delivery.
    pub attempts: i32,
    /// When the worker next looks at it (UTC).
    pub due_at: NaiveDateTime,
    /// When a delivery last succeeded.
    pub last_notified_at: Option<NaiveDateTime>,
    /// Why the last failed delivery failed.
    pub last_error: Option<String>,
    /// When it failed.
    pub last_error_at: Option<NaiveDateTime>,
    /// Who subscribed (audit actor).
    pub created_by: String,
    /// When (UTC).
    pub created_at: NaiveDateTime,
}

impl std::fmt::Debug for SubscriptionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret of the subscriber's: no log line may carry it.
        f.debug_struct("SubscriptionRow")
            .field("id", &self.id)
            .field("query_id", &self.query_id)
            .field("org_id", &self.org_id)
            .field("dest", &self.dest)
            .field("stream", &self.stream)
            .field("schedule", &self.schedule)
            .field("cursor_time", &self.cursor_time)
            .field("attempts", &self.attempts)
            .field("due_at", &self.due_at)
            .finish_non_exhaustive()
    }
}

/// Stores a named query; a name its organisation already uses is a unique violation.
pub fn insert(conn: &mut DbConn, row: &QueryRow) -> QueryResult<()> {
    diesel::insert_into(q::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The query `name` of organisation `org_id`.
pub fn find(conn: &mut DbConn, org_id: &str, name: &str) -> QueryResult<Option<QueryRow>> {
    q::table
        .filter(q::org_id.eq(org_id).and(q::name.eq(name)))
        .first(conn)
        .optional()
}

/// Every organisation's query called `name` (at most two are read: an admin's lookup only
/// needs to know whether the name is unambiguous).
pub fn named(conn: &mut DbConn, name: &str) -> QueryResult<Vec<QueryRow>> {
    q::table
        .filter(q::name.eq(name))
        .order(q::id.asc())
        .limit(2)
        .load(conn)
}

/// The query `id`.
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<QueryRow>> {
    q::table.find(id).first(conn).optional()
}

/// Queries of `org_id` (every organisation's when `None`) in creation order after the id
/// `after`, at most `limit + 1`.
pub fn list(
    conn: &mut DbConn,
    org_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<QueryRow>> {
    let mut query = q::table.into_boxed();
    if let Some(org) = org_id {
        query = query.filter(q::org_id.eq(org.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(q::id.gt(after.to_owned()));
    }
    query.order(q::id.asc()).limit(limit + 1).load(conn)
}

/// Deletes a query and its subscriptions. Call inside a transaction.
pub fn delete(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(s::table.filter(s::query_id.eq(id))).execute(conn)?;
    crate::found(diesel::delete(q::table.find(id)).execute(conn)?)
}

/// Stores a subscription.
pub fn insert_subscription(conn: &mut DbConn, row: &SubscriptionRow) -> QueryResult<()> {
    diesel::insert_into(s::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The subscription `id` to query `query_id`.
pub fn subscription(
    conn: &mut DbConn,
    query_id: &str,
    id: &str,
) -> QueryResult<Option<SubscriptionRow>> {
    s::table
        .filter(s::query_id.eq(query_id).and(s::id.eq(id)))
        .first(conn)
        .optional()
}

/// Subscriptions to `query_id` in creation order after the id `after`, at most `limit + 1`.
pub fn subscriptions(
    conn: &mut DbConn,
    query_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<SubscriptionRow>> {
    let mut query = s::table
        .filter(s::query_id.eq(query_id.to_owned()))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(s::id.gt(after.to_owned()));
    }
    query.order(s::id.asc()).limit(limit + 1).load(conn)
}

/// Deletes a subscription.
pub fn delete_subscription(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    crate::found(diesel::delete(s::table.find(id)).execute(conn)?)
}

/// Subscriptions due at `now`, the longest overdue first, at most `limit`.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<SubscriptionRow>> {
    s::table
        .filter(s::due_at.le(now))
        .order((s::due_at.asc(), s::id.asc()))
        .limit(limit)
        .load(conn)
}

/// Claims a due subscription until `until`, if its `due_at` is still `seen`: of two workers
/// (two processes on one PostgreSQL database) that read it due, one delivers; a worker that
/// dies mid-delivery leaves it due again at `until`.
pub fn claim(
    conn: &mut DbConn,
    id: &str,
    seen: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(s::table.filter(s::id.eq(id).and(s::due_at.eq(seen))))
        .set(s::due_at.eq(until))
        .execute(conn)?;
    Ok(n == 1)
}

/// Records a delivery the receiver acknowledged: the cursor moves past what it holds, the
/// failed attempts start again from none.
pub fn delivered(
    conn: &mut DbConn,
    id: &str,
    cursor: (NaiveDateTime, &str),
    at: NaiveDateTime,
    due_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(s::table.find(id))
        .set((
            s::cursor_time.eq(cursor.0),
            s::cursor_id.eq(cursor.1),
            s::attempts.eq(0),
            s::last_notified_at.eq(Some(at)),
            s::due_at.eq(due_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed delivery: the cursor stays, the next attempt is due at `due_at`.
pub fn failed(
    conn: &mut DbConn,
    id: &str,
    attempts: i32,
    error: &str,
    at: NaiveDateTime,
    due_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(s::table.find(id))
        .set((
            s::attempts.eq(attempts),
            s::last_error.eq(Some(error)),
            s::last_error_at.eq(Some(at)),
            s::due_at.eq(due_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Reschedules a subscription without delivering (nothing new, nothing to report); the
/// cursor moves past rows examined without a match when `cursor` is given.
pub fn reschedule(
    conn: &mut DbConn,
    id: &str,
    cursor: Option<(NaiveDateTime, String)>,
    due_at: NaiveDateTime,
) -> QueryResult<()> {
    let target = s::table.find(id);
    match cursor {
        Some((time, row)) => diesel::update(target)
            .set((
                s::cursor_time.eq(time),
                s::cursor_id.eq(row),
                s::due_at.eq(due_at),
            ))
            .execute(conn),
        None => diesel::update(target)
            .set(s::due_at.eq(due_at))
            .execute(conn),
    }
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_leaves_the_token_out() {
        let t = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let row = SubscriptionRow {
            id: "s".into(),
            query_id: "q".into(),
            org_id: "o".into(),
            dest: "https://x.vn/h".into(),
            signature_token: "very-secret-token".into(),
            report_if_empty: false,
            stream: true,
            schedule: None,
            epc_format: "digital_link".into(),
            initial_record_time: t,
            cursor_time: t,
            cursor_id: String::new(),
            attempts: 0,
            due_at: t,
            last_notified_at: None,
            last_error: None,
            last_error_at: None,
            created_by: "user:u".into(),
            created_at: t,
        };
        let shown = format!("{row:?}");
        assert!(!shown.contains("very-secret-token"), "{shown}");
    }
}
