//! EPCIS events, the identifiers they name, and capture records.
//!
//! An event's row key (`seq`) is drawn in capture order ([`reserve_keys`]), so a capture's
//! index writes land on the last pages; its CBV 2.0 hash id (`id`) is unique, so storing the
//! same event twice is a no-op that [`existing`] tells the caller about beforehand;
//! `event_id` is the id the capturer gave, if any, unique as EPCIS 2.0 §7.4.1.1 asks.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{epcis_captures as c, epcis_event_objects as o, epcis_events as e, products};
use crate::{DbConn, MultiBackend, serials::IN_LIST};

/// An event row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = e, treat_none_as_default_value = false)]
pub struct EventRow {
    /// The row key, in capture order.
    pub seq: i64,
    /// The CBV 2.0 hash id (`ni:///sha-256;...?ver=CBV2.0`).
    pub id: String,
    /// The eventID as captured, if the capturer gave one.
    pub event_id: Option<String>,
    /// `ObjectEvent`, ...
    pub event_type: String,
    /// When it happened (UTC).
    pub event_time: NaiveDateTime,
    /// When it was captured here (UTC).
    pub record_time: NaiveDateTime,
    /// ADD, OBSERVE, DELETE.
    pub action: Option<String>,
    /// Business step (CBV short name or URI).
    pub biz_step: Option<String>,
    /// Disposition (CBV short name or URI).
    pub disposition: Option<String>,
    /// Read point (canonical form).
    pub read_point: Option<String>,
    /// Business location (canonical form).
    pub biz_location: Option<String>,
    /// The capturing organisation.
    pub org_id: String,
    /// The capture that stored it.
    pub capture_id: String,
    /// When an error declaration named this event (UTC).
    pub declared_error_at: Option<NaiveDateTime>,
    /// The event as JSON-LD, identifiers in canonical Digital Link form.
    pub body: String,
}

impl EventRow {
    /// The event's eventID: as captured, else its hash id.
    pub fn event_id(&self) -> &str {
        self.event_id.as_deref().unwrap_or(&self.id)
    }
}

/// An identifier an event names, and as what.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Queryable, Insertable)]
#[diesel(table_name = o, treat_none_as_default_value = false)]
pub struct ObjectRow {
    /// The identifier (canonical form).
    pub epc: String,
    /// The event's row key.
    pub event_seq: i64,
    /// `epc`, `parent`, `child`, `input`, `output`, `quantity`, `child_quantity`, ...
    pub role: String,
    /// The GTIN of the identifier, if it has one.
    pub gtin: Option<String>,
}

/// A capture request's record.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = c)]
pub struct CaptureRow {
    /// UUIDv7.
    pub id: String,
    /// The capturing organisation.
    pub org_id: String,
    /// Who captured.
    pub actor: String,
    /// `rollback` or `proceed`.
    pub behaviour: String,
    /// Events in the document.
    pub events: i32,
    /// Events stored by this capture.
    pub stored: i32,
    /// Events already stored before (same hash id).
    pub duplicates: i32,
    /// Whether every event was accepted.
    pub success: bool,
    /// Per-event errors, a JSON array.
    pub errors: String,
    /// When the capture arrived (UTC).
    pub created_at: NaiveDateTime,
    /// When it finished (UTC); while running, when it started.
    pub finished_at: NaiveDateTime,
    /// Whether a background capture is still at work.
    pub running: bool,
    /// The lease of the process running it (`db::lease`), for a background capture.
    pub lease: Option<String>,
}

/// Stores new events and their identifiers; call inside a transaction, after [`existing`].
#[tracing::instrument(skip_all, fields(n = events.len()))]
pub fn insert(conn: &mut DbConn, events: &[EventRow], objects: &[ObjectRow]) -> QueryResult<()> {
    crate::insert_many!(conn, e::table, events)?;
    crate::insert_many!(conn, o::table, objects)
}

/// `n` new row keys, ascending; call inside the write transaction that inserts the rows.
///
/// SQLite: after the largest stored key (the transaction holds the write lock, and events are
/// never deleted). PostgreSQL: drawn from the `epcis_events_seq` sequence, so concurrent
/// captures never share one.
#[tracing::instrument(skip(conn))]
pub fn reserve_keys(conn: &mut DbConn, n: usize) -> QueryResult<Vec<i64>> {
    use diesel::sql_types::BigInt;
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = BigInt)]
        key: i64,
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let count =
        i64::try_from(n).map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
    match conn {
        DbConn::Sqlite(c) => {
            let top: Key =
                diesel::sql_query("SELECT COALESCE(MAX(seq), 0) AS key FROM epcis_events")
                    .get_result(c)?;
            Ok((1..=count).map(|k| top.key + k).collect())
        }
        DbConn::Pg(c) => {
            let mut keys: Vec<i64> = diesel::sql_query(
                "SELECT nextval('epcis_events_seq') AS key FROM generate_series(1, $1)",
            )
            .bind::<BigInt, _>(count)
            .load::<Key>(c)?
            .into_iter()
            .map(|k| k.key)
            .collect();
            keys.sort_unstable();
            Ok(keys)
        }
    }
}

/// Which of these hash ids or event ids are stored already, as (hash id, event id if given,
/// whether declared in error).
#[tracing::instrument(skip_all, fields(n = ids.len()))]
pub fn existing(
    conn: &mut DbConn,
    ids: &[&str],
) -> QueryResult<Vec<(String, Option<String>, bool)>> {
    let mut found = Vec::new();
    for part in ids.chunks(IN_LIST / 2) {
        let rows: Vec<(String, Option<String>, Option<NaiveDateTime>)> = e::table
            .filter(e::id.eq_any(part).or(e::event_id.eq_any(part)))
            .select((e::id, e::event_id, e::declared_error_at))
            .load(conn)?;
        found.extend(
            rows.into_iter()
                .map(|(id, eid, at)| (id, eid, at.is_some())),
        );
    }
    Ok(found)
}

/// Marks the events with these ids (hash or event ids) as declared in error at `at`; the
/// first declaration counts.
#[tracing::instrument(skip_all, fields(n = ids.len()))]
pub fn declare_errors(conn: &mut DbConn, ids: &[&str], at: NaiveDateTime) -> QueryResult<usize> {
    let mut n = 0;
    for part in ids.chunks(IN_LIST / 2) {
        n += diesel::update(
            e::table
                .filter(e::id.eq_any(part).or(e::event_id.eq_any(part)))
                .filter(e::declared_error_at.is_null()),
        )
        .set(e::declared_error_at.eq(at))
        .execute(conn)?;
    }
    Ok(n)
}

/// Replaces the stored JSON of event `id` (an error declaration restating it).
#[tracing::instrument(skip(conn, body))]
pub fn replace_body(conn: &mut DbConn, id: &str, body: &str) -> QueryResult<()> {
    diesel::update(e::table.filter(e::id.eq(id)))
        .set(e::body.eq(body))
        .execute(conn)
        .and_then(crate::found)
}

/// The event with this hash id or event id.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<EventRow>> {
    e::table
        .filter(e::id.eq(id).or(e::event_id.eq(id)))
        .first(conn)
        .optional()
}

/// The GTINs each of these events (by row key) names.
#[tracing::instrument(skip_all, fields(n = events.len()))]
pub fn gtins_of(conn: &mut DbConn, events: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    let mut found = Vec::new();
    for part in events.chunks(IN_LIST) {
        found.extend(
            o::table
                .filter(o::event_seq.eq_any(part))
                .filter(o::gtin.is_not_null())
                .select((o::event_seq, o::gtin.assume_not_null()))
                .distinct()
                .load::<(i64, String)>(conn)?,
        );
    }
    Ok(found)
}

/// The events naming any of `epcs` as an object, in event time order, at most `limit`.
#[tracing::instrument(skip_all, fields(n = epcs.len()))]
pub fn naming(conn: &mut DbConn, epcs: &[String], limit: i64) -> QueryResult<Vec<EventRow>> {
    let mut seen = HashSet::new();
    let mut out: Vec<EventRow> = Vec::new();
    for part in epcs.chunks(IN_LIST) {
        let rows: Vec<EventRow> = e::table
            .filter(e::seq.eq_any(o::table.filter(o::epc.eq_any(part)).select(o::event_seq)))
            .order((e::event_time.asc(), e::seq.asc()))
            .limit(limit)
            .load(conn)?;
        out.extend(rows.into_iter().filter(|r| seen.insert(r.seq)));
    }
    out.sort_by_key(|r| (r.event_time, r.seq));
    out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(out)
}

/// The time an event list is ordered by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderBy {
    /// When it happened.
    #[default]
    EventTime,
    /// When it was captured.
    RecordTime,
}

/// What an event query asks for (the EPCIS 2.0 query language's parameters, §8.2.7.1).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// `eventType`.
    pub event_types: Vec<String>,
    /// `GE_eventTime`.
    pub ge_event_time: Option<NaiveDateTime>,
    /// `LT_eventTime`.
    pub lt_event_time: Option<NaiveDateTime>,
    /// `GE_recordTime`.
    pub ge_record_time: Option<NaiveDateTime>,
    /// `LT_recordTime`.
    pub lt_record_time: Option<NaiveDateTime>,
    /// `EQ_action`.
    pub actions: Vec<String>,
    /// `EQ_bizStep`.
    pub biz_steps: Vec<String>,
    /// `EQ_disposition`.
    pub dispositions: Vec<String>,
    /// `EQ_readPoint` (or the expansion of `WD_readPoint`).
    pub read_points: Vec<String>,
    /// `EQ_bizLocation` (or the expansion of `WD_bizLocation`).
    pub biz_locations: Vec<String>,
    /// `WD_readPoint`: a read point among these or under one of their prefixes.
    pub wd_read_point: Option<Within>,
    /// `WD_bizLocation`.
    pub wd_biz_location: Option<Within>,
    /// `MATCH_*`: an event must match every entry.
    pub matches: Vec<Match>,
    /// `EQ_eventID`.
    pub event_ids: Vec<String>,
    /// `EXISTS_errorDeclaration`: only events declared in error.
    pub declared_in_error: Option<bool>,
    /// Only events this organisation captured or whose GTINs it owns.
    pub visible_to: Option<String>,
    /// Order.
    pub order_by: OrderBy,
    /// Newest first.
    pub descending: bool,
}

/// Locations named exactly or by a prefix of their identifier (`WD_readPoint`).
#[derive(Clone, Debug, Default)]
pub struct Within {
    /// Exact identifiers.
    pub ids: Vec<String>,
    /// Prefixes; each holds no `%` or `_`, so with a `%` appended it is its own `LIKE` pattern.
    pub prefixes: Vec<String>,
}

/// A column of distinct values listed by [`distinct`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// `biz_step`.
    BizStep,
    /// `disposition`.
    Disposition,
    /// `read_point`.
    ReadPoint,
    /// `biz_location`.
    BizLocation,
}

/// One `MATCH_` condition: an identifier in one of `roles` among `epcs`, or with a GTIN among
/// `gtins`.
#[derive(Clone, Debug, Default)]
pub struct Match {
    /// The roles looked at (`epc`, `child`, ...).
    pub roles: Vec<&'static str>,
    /// Exact identifiers.
    pub epcs: Vec<String>,
    /// GTINs every identifier of which matches.
    pub gtins: Vec<String>,
}

type Boxed = e::BoxedQuery<'static, MultiBackend>;

/// The most events a `MATCH_` of exact identifiers is resolved to before the query: beyond it
/// the query keeps the subquery.
const RESOLVED_MAX: i64 = 1_000;

/// For each `MATCH_` of exact identifiers only, the ids of the events naming them in its roles,
/// when there are at most [`RESOLVED_MAX`]. Given as a subquery, PostgreSQL (16, 1,000,000
/// events) planned it as a hash semi-join over a sequential scan of every event (MATCH_anyEPC
/// of one serial: p50 1.27 s); a list of ids is found through the primary key (0.15 ms).
fn resolve(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<Option<Vec<i64>>>> {
    f.matches
        .iter()
        .map(|m| {
            if m.epcs.is_empty() || !m.gtins.is_empty() || m.epcs.len() > IN_LIST {
                return Ok(None);
            }
            let ids: Vec<i64> = o::table
                .filter(o::epc.eq_any(&m.epcs).and(o::role.eq_any(&m.roles)))
                .select(o::event_seq)
                .distinct()
                .limit(RESOLVED_MAX + 1)
                .load(conn)?;
            Ok((ids.len() as i64 <= RESOLVED_MAX).then_some(ids))
        })
        .collect()
}

/// The events matching `f`, unordered; `resolved` is what [`resolve`] found for `f`.
fn filtered(f: &Filter, resolved: &[Option<Vec<i64>>]) -> Boxed {
    let mut q = e::table.into_boxed::<MultiBackend>();
    if let Some(t) = f.ge_event_time {
        q = q.filter(e::event_time.ge(t));
    }
    if let Some(t) = f.lt_event_time {
        q = q.filter(e::event_time.lt(t));
    }
    if let Some(t) = f.ge_record_time {
        q = q.filter(e::record_time.ge(t));
    }
    if let Some(t) = f.lt_record_time {
        q = q.filter(e::record_time.lt(t));
    }
    // Each column is its own type, so one loop cannot hold them.
    macro_rules! any_of {
        ($column:expr, $values:expr) => {
            if !$values.is_empty() {
                q = q.filter($column.eq_any($values.clone()));
            }
        };
    }
    any_of!(e::event_type, f.event_types);
    any_of!(e::action, f.actions);
    any_of!(e::biz_step, f.biz_steps);
    any_of!(e::disposition, f.dispositions);
    any_of!(e::read_point, f.read_points);
    any_of!(e::biz_location, f.biz_locations);
    // An event captured without an eventID answers to its hash id.
    if !f.event_ids.is_empty() {
        q = q.filter(
            e::event_id
                .eq_any(f.event_ids.clone())
                .or(e::event_id.is_null().and(e::id.eq_any(f.event_ids.clone()))),
        );
    }
    // A location among the ids, or whose id starts with one of the prefixes.
    macro_rules! within {
        ($column:expr, $within:expr) => {
            if let Some(w) = &$within {
                let mut cond: Box<
                    dyn BoxableExpression<
                            e::table,
                            MultiBackend,
                            SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>,
                        >,
                > = Box::new($column.eq_any(w.ids.clone()));
                for p in &w.prefixes {
                    cond = Box::new(cond.or($column.like(format!("{p}%"))));
                }
                q = q.filter(cond);
            }
        };
    }
    within!(e::read_point, f.wd_read_point);
    within!(e::biz_location, f.wd_biz_location);
    // An `OR` with an empty list made PostgreSQL and SQLite give up the index on `epc` and
    // walk the events in time order (MATCH_anyEPC over 1,000,000 events: p99 434 ms), so each
    // side is only there when it has values.
    for (i, m) in f.matches.iter().enumerate() {
        if let Some(Some(ids)) = resolved.get(i) {
            q = q.filter(e::seq.eq_any(ids.clone()));
            continue;
        }
        let roles = o::role.eq_any(m.roles.clone());
        q = match (m.epcs.is_empty(), m.gtins.is_empty()) {
            (false, true) => q.filter(
                e::seq.eq_any(
                    o::table
                        .filter(o::epc.eq_any(m.epcs.clone()).and(roles))
                        .select(o::event_seq),
                ),
            ),
            (true, false) => q.filter(
                e::seq.eq_any(
                    o::table
                        .filter(o::gtin.eq_any(m.gtins.clone()).and(roles))
                        .select(o::event_seq),
                ),
            ),
            _ => q.filter(
                e::seq.eq_any(
                    o::table
                        .filter(
                            o::epc
                                .eq_any(m.epcs.clone())
                                .or(o::gtin.eq_any(m.gtins.clone()))
                                .and(roles),
                        )
                        .select(o::event_seq),
                ),
            ),
        };
    }
    match f.declared_in_error {
        Some(true) => q = q.filter(e::declared_error_at.is_not_null()),
        Some(false) => q = q.filter(e::declared_error_at.is_null()),
        None => {}
    }
    if let Some(org) = &f.visible_to {
        q = q.filter(visible(org));
    }
    q
}

/// Events this organisation captured, or naming a GTIN it owns. `epcs::distinct` states the
/// same rule over the identifiers table (a boxed query cannot be a subquery of both backends
/// through the multi-backend connection, so it is written there again).
fn visible(
    org: &str,
) -> Box<dyn BoxableExpression<e::table, MultiBackend, SqlType = diesel::sql_types::Bool>> {
    let owned = products::table
        .filter(products::org_id.eq(org.to_owned()))
        .select(products::gtin.nullable());
    Box::new(
        e::org_id
            .eq(org.to_owned())
            .or(e::seq.eq_any(o::table.filter(o::gtin.eq_any(owned)).select(o::event_seq))),
    )
}

/// A page of events matching `f`: at most `limit + 1` rows after the cursor (time, row key).
#[tracing::instrument(skip(conn))]
pub fn query(
    conn: &mut DbConn,
    f: &Filter,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let resolved = resolve(conn, f)?;
    let mut q = filtered(f, &resolved);
    // The cursor and the order, for whichever time column orders the list.
    macro_rules! page {
        ($time:expr) => {{
            if let Some((t, seq)) = after {
                q = if f.descending {
                    q.filter($time.lt(t).or($time.eq(t).and(e::seq.lt(seq))))
                } else {
                    q.filter($time.gt(t).or($time.eq(t).and(e::seq.gt(seq))))
                };
            }
            if f.descending {
                q.order(($time.desc(), e::seq.desc()))
            } else {
                q.order(($time.asc(), e::seq.asc()))
            }
        }};
    }
    let q = match f.order_by {
        OrderBy::EventTime => page!(e::event_time),
        OrderBy::RecordTime => page!(e::record_time),
    };
    q.limit(limit + 1).load(conn)
}

/// How many events match `f`.
#[tracing::instrument(skip(conn))]
pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    let resolved = resolve(conn, f)?;
    filtered(f, &resolved).count().get_result(conn)
}

/// The distinct values of a column among the events `visible_to` sees (all events when
/// `None`), in ascending order after `after`, at most `limit + 1`.
#[tracing::instrument(skip(conn))]
pub fn distinct(
    conn: &mut DbConn,
    column: Column,
    visible_to: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut q = e::table.into_boxed::<MultiBackend>();
    if let Some(org) = visible_to {
        q = q.filter(visible(org));
    }
    macro_rules! values {
        ($column:expr) => {{
            if let Some(a) = after {
                q = q.filter($column.gt(a.to_owned()));
            }
            q.filter($column.is_not_null())
                .select($column.assume_not_null())
                .distinct()
                .order($column.asc())
                .limit(limit + 1)
                .load::<String>(conn)
        }};
    }
    match column {
        Column::BizStep => values!(e::biz_step),
        Column::Disposition => values!(e::disposition),
        Column::ReadPoint => values!(e::read_point),
        Column::BizLocation => values!(e::biz_location),
    }
}

/// Records a capture.
#[tracing::instrument(skip_all)]
pub fn insert_capture(conn: &mut DbConn, row: &CaptureRow) -> QueryResult<()> {
    diesel::insert_into(c::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Records a capture's outcome over its running record.
#[tracing::instrument(skip_all)]
pub fn update_capture(conn: &mut DbConn, row: &CaptureRow) -> QueryResult<()> {
    diesel::update(c::table.filter(c::id.eq(&row.id)))
        .set((
            c::stored.eq(row.stored),
            c::duplicates.eq(row.duplicates),
            c::success.eq(row.success),
            c::errors.eq(&row.errors),
            c::finished_at.eq(row.finished_at),
            c::running.eq(row.running),
        ))
        .execute(conn)
        .and_then(crate::found)
}

/// The capture `id`.
#[tracing::instrument(skip(conn))]
pub fn get_capture(conn: &mut DbConn, id: &str) -> QueryResult<Option<CaptureRow>> {
    c::table.filter(c::id.eq(id)).first(conn).optional()
}
