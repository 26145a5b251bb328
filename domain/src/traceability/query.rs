//! EPCIS queries: the events a caller's scope shows, filtered on indexed columns by the
//! database and on the rest by [`Query::matches`], paged by a token.

use chrono::Utc;
use db::{DbConn, events::EventRow};
use epcis::query::{OrderBy, Query};
use serde_json::Value;

use super::{Scope, scope};
use crate::{
    Caller,
    error::DomainError,
    pagination::{Page, bad_next_page_token, next_page_key},
};

/// A page of events.
#[derive(Clone, Debug)]
pub struct EventPage {
    /// The events, as stored JSON-LD.
    pub events: Vec<Value>,
    /// The token of the next page, if there is one.
    pub next_page_token: Option<String>,
    /// The (time, row key) of the last row examined, in the query's order: where a standing
    /// query (a subscription) resumes.
    pub last: Option<(chrono::NaiveDateTime, i64)>,
}

/// Rows read from the database per batch, as a multiple of the page size, when some
/// parameters are evaluated on the events themselves: most rows are expected to match.
const BATCH_PAGES: i64 = 4;
/// The most rows one request examines for parameters evaluated on the events themselves; a
/// page may then hold fewer events than `perPage` (even none), and its token resumes after the
/// last row examined.
pub const MAX_EXAMINED: usize = 20_000;

/// Runs a query for `who`: only the events its scope shows.
#[tracing::instrument(skip(conn, who))]
pub fn query(conn: &mut DbConn, who: &Caller, q: &Query) -> Result<EventPage, DomainError> {
    let scope = scope(conn, who)?;
    query_in(conn, &scope, q)
}

/// Runs a query within `scope` (a subscription's, which has no caller).
#[tracing::instrument(skip(conn))]
pub fn query_in(conn: &mut DbConn, scope: &Scope, q: &Query) -> Result<EventPage, DomainError> {
    let filter = filter(q, scope);
    let (after, served) = match &q.next_page_token {
        Some(token) => {
            let t = PageToken::decode(token).ok_or_else(bad_next_page_token)?;
            (Some((t.time, t.seq)), t.served)
        }
        None => (None, 0),
    };
    // maxEventCount is about the whole answer, so it is checked when the answer begins.
    if let (Some(max), None) = (q.max_event_count, &after) {
        check_max(conn, &filter, q, max)?;
    }
    let mut limit = i64::from(q.per_page);
    if let Some(max) = q.event_count_limit {
        limit = limit.min(i64::from(max) - served).max(0);
    }
    if limit == 0 {
        return Ok(EventPage {
            events: Vec::new(),
            next_page_token: None,
            last: None,
        });
    }
    let want = usize::try_from(limit).map_err(DomainError::internal)?;
    let scan = scan(conn, &filter, q, after, want)?;
    let time_of = |row: &EventRow| match q.order_by {
        OrderBy::EventTime => row.event_time,
        OrderBy::RecordTime => row.record_time,
    };
    let last = scan.last.as_ref().map(|r| (time_of(r), r.seq));
    let next_page_token = match scan.last {
        Some(last) if scan.more => Some(
            PageToken {
                time: match q.order_by {
                    OrderBy::EventTime => last.event_time,
                    OrderBy::RecordTime => last.record_time,
                },
                seq: last.seq,
                served: served + scan.rows.len() as i64,
            }
            .encode(),
        ),
        _ => None,
    };
    let events = scan
        .rows
        .iter()
        .map(stored_json)
        .collect::<Result<_, _>>()?;
    Ok(EventPage {
        events,
        next_page_token,
        last,
    })
}

/// The page token that resumes a query after the row (time, row key) in its order: a standing
/// query's cursor. Key 0 resumes with the rows at `time` itself (keys start at 1).
pub fn resume_token(time: chrono::NaiveDateTime, seq: i64) -> String {
    PageToken {
        time,
        seq,
        served: 0,
    }
    .encode()
}

/// The database filter of a query: its indexed parameters and the caller's scope.
fn filter(q: &Query, scope: &Scope) -> db::events::Filter {
    let utc = |t: &chrono::DateTime<chrono::FixedOffset>| t.with_timezone(&Utc).naive_utc();
    let within = |w: &epcis::query::Within| db::events::Within {
        ids: w.ids.clone(),
        prefixes: w.prefixes.clone(),
    };
    db::events::Filter {
        event_types: q
            .event_types
            .iter()
            .map(|t| t.as_str().to_owned())
            .collect(),
        ge_event_time: q.ge_event_time.as_ref().map(utc),
        lt_event_time: q.lt_event_time.as_ref().map(utc),
        ge_record_time: q.ge_record_time.as_ref().map(utc),
        lt_record_time: q.lt_record_time.as_ref().map(utc),
        actions: q.actions.iter().map(|a| a.as_str().to_owned()).collect(),
        biz_steps: q.biz_steps.clone(),
        dispositions: q.dispositions.clone(),
        read_points: q.read_points.clone(),
        biz_locations: q.biz_locations.clone(),
        wd_read_point: q.wd_read_point.as_ref().map(within),
        wd_biz_location: q.wd_biz_location.as_ref().map(within),
        matches: q
            .matches
            .iter()
            .map(|m| db::events::Match {
                roles: m.field.roles().to_vec(),
                epcs: m.epcs.clone(),
                gtins: m.gtins.clone(),
            })
            .collect(),
        event_ids: q.event_ids.clone(),
        // Error-declaration parameters can only hold for events declared in error, which the
        // database finds by its column before the events are read.
        declared_in_error: q.needs_error_declaration().then_some(true),
        visible_to: match scope {
            Scope::All => None,
            Scope::Org(org) => Some(org.clone()),
        },
        order_by: match q.order_by {
            OrderBy::EventTime => db::events::OrderBy::EventTime,
            OrderBy::RecordTime => db::events::OrderBy::RecordTime,
        },
        descending: q.descending,
    }
}

/// What [`scan`] found: the matching rows, the last row examined, and whether rows remain
/// after it.
struct Scan {
    rows: Vec<EventRow>,
    last: Option<EventRow>,
    more: bool,
}

/// Reads rows matching the database filter after `after`, keeping those [`Query::matches`]
/// accepts, until `want` are kept, the rows run out, or [`MAX_EXAMINED`] were examined.
fn scan(
    conn: &mut DbConn,
    filter: &db::events::Filter,
    q: &Query,
    mut after: Option<(chrono::NaiveDateTime, i64)>,
    want: usize,
) -> Result<Scan, DomainError> {
    let residual = !q.conditions.is_empty();
    let batch = if residual {
        (want as i64 * BATCH_PAGES).clamp(1, MAX_EXAMINED as i64)
    } else {
        want as i64
    };
    let mut out = Scan {
        rows: Vec::new(),
        last: None,
        more: false,
    };
    let mut examined = 0;
    loop {
        // The last batch is cut to what the budget of rows examined leaves.
        let batch = if residual {
            batch.min((MAX_EXAMINED - examined) as i64)
        } else {
            batch
        };
        let batch_len = usize::try_from(batch).map_err(DomainError::internal)?;
        let rows = db::events::query(conn, filter, after.take(), batch)?;
        let full = rows.len() > batch_len;
        let mut rows = rows.into_iter().take(batch_len).peekable();
        while let Some(row) = rows.next() {
            examined += 1;
            if !residual || matches(q, &row)? {
                out.rows.push(row.clone());
            }
            out.last = Some(row);
            if out.rows.len() == want {
                out.more = rows.peek().is_some() || full;
                return Ok(out);
            }
        }
        if !full {
            return Ok(out);
        }
        if examined >= MAX_EXAMINED {
            out.more = true;
            return Ok(out);
        }
        let Some(last) = &out.last else {
            return Ok(out);
        };
        after = Some((
            match q.order_by {
                OrderBy::EventTime => last.event_time,
                OrderBy::RecordTime => last.record_time,
            },
            last.seq,
        ));
    }
}

/// Whether a stored event satisfies the parameters evaluated on events.
fn matches(q: &Query, row: &EventRow) -> Result<bool, DomainError> {
    let json: Value = serde_json::from_str(&row.body).map_err(DomainError::internal)?;
    // Stored events were valid when captured; one that no longer reads is a fault of ours.
    let event = epcis::Event::from_json(&json).map_err(DomainError::internal)?;
    Ok(q.matches(&event))
}

/// Refuses (EPCIS `QueryTooLargeException`, 413) a query matching more than `max` events.
fn check_max(
    conn: &mut DbConn,
    filter: &db::events::Filter,
    q: &Query,
    max: u32,
) -> Result<(), DomainError> {
    let too_large = || {
        DomainError::TooLarge(format!(
            "more than maxEventCount={max} events match this query (QueryTooLargeException)"
        ))
    };
    if q.conditions.is_empty() {
        if db::events::count(conn, filter)? > i64::from(max) {
            return Err(too_large());
        }
        return Ok(());
    }
    let want = usize::try_from(max)
        .map_err(DomainError::internal)?
        .saturating_add(1);
    let scan = scan(conn, filter, q, None, want.min(MAX_EXAMINED + 1))?;
    if scan.rows.len() > usize::try_from(max).map_err(DomainError::internal)? {
        return Err(too_large());
    }
    if scan.more && scan.rows.len() < want {
        // The standard lets a repository refuse a query it cannot size (EPCIS 2.0 §8.2.3).
        return Err(DomainError::TooLarge(format!(
            "this query needs more than {MAX_EXAMINED} events examined to tell whether at most \
             maxEventCount={max} match (QueryTooLargeException); narrow it"
        )));
    }
    Ok(())
}

/// A page of a collection of names (the REST binding's `Collection` of business steps,
/// dispositions, read points or business locations).
#[derive(Clone, Debug)]
pub struct NamePage {
    /// The names, in ascending order.
    pub members: Vec<String>,
    /// The token of the next page, if there is one.
    pub next_page_token: Option<String>,
}

/// The names of one kind the caller may know of: for business steps and dispositions every
/// CBV 2.0 value and the other values of the events its scope shows; for read points and
/// business locations the values of those events.
#[tracing::instrument(skip(conn, who))]
pub fn names(
    conn: &mut DbConn,
    who: &Caller,
    column: db::events::Column,
    per_page: u32,
    token: Option<&str>,
) -> Result<NamePage, DomainError> {
    use db::events::Column;
    let scope = scope(conn, who)?;
    let after = next_page_key(token)?;
    let limit = i64::from(per_page);
    let visible_to = match &scope {
        Scope::All => None,
        Scope::Org(org) => Some(org.as_str()),
    };
    let mut members = db::events::distinct(conn, column, visible_to, after.as_deref(), limit)?;
    let standard: Vec<&str> = match column {
        Column::BizStep => gs1::cbv::BizStep::all().map(|b| b.as_str()).collect(),
        Column::Disposition => gs1::cbv::Disposition::all().map(|d| d.as_str()).collect(),
        Column::ReadPoint | Column::BizLocation => Vec::new(),
    };
    members.extend(
        standard
            .into_iter()
            .filter(|s| after.as_deref().is_none_or(|a| *s > a))
            .map(str::to_owned),
    );
    members.sort();
    members.dedup();
    let page = Page::from_rows(members, limit, String::clone, |m| m);
    Ok(NamePage {
        members: page.items,
        next_page_token: page.next_cursor,
    })
}

/// The event `id` (hash id or eventID), if the caller's scope shows it.
pub fn get(conn: &mut DbConn, who: &Caller, id: &str) -> Result<Value, DomainError> {
    let scope = scope(conn, who)?;
    let row = db::events::get(conn, id)?.ok_or(DomainError::NotFound)?;
    if let Scope::Org(org) = &scope
        && row.org_id != *org
    {
        let owners = db::events::gtins_of(conn, &[row.seq])?;
        let gtins: Vec<&str> = owners.iter().map(|(_, g)| g.as_str()).collect();
        let owned = db::products::find_many(conn, &gtins)?
            .iter()
            .any(|p| p.org_id == *org);
        if !owned {
            // Not 403: whether an event exists is itself information about a supply chain.
            return Err(DomainError::NotFound);
        }
    }
    stored_json(&row)
}

/// The stored event with the fields the repository adds: `eventID` and `recordTime`.
fn stored_json(row: &EventRow) -> Result<Value, DomainError> {
    let mut v: Value = serde_json::from_str(&row.body).map_err(DomainError::internal)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("eventID".into(), row.event_id().into());
        o.insert(
            "recordTime".into(),
            row.record_time
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                .into(),
        );
    }
    Ok(v)
}

/// Where the next page starts: the last row's (time, row key), and how many events the query has
/// served so far (for `eventCountLimit`).
struct PageToken {
    time: chrono::NaiveDateTime,
    seq: i64,
    served: i64,
}

impl PageToken {
    fn encode(&self) -> String {
        db::page::encode_cursor(&format!(
            "{}|{}|{}",
            self.time.and_utc().timestamp_micros(),
            self.served,
            self.seq
        ))
    }

    fn decode(token: &str) -> Option<PageToken> {
        let raw = db::page::decode_cursor(token)?;
        let mut parts = raw.splitn(3, '|');
        let micros: i64 = parts.next()?.parse().ok()?;
        let served: i64 = parts.next()?.parse().ok()?;
        let seq: i64 = parts.next()?.parse().ok()?;
        Some(PageToken {
            time: chrono::DateTime::from_timestamp_micros(micros)?.naive_utc(),
            seq,
            served,
        })
    }
}
