//! EPCIS queries: the events a caller's scope shows, filtered on indexed columns by the
//! database and on the rest by [`Query::matches`], paged by a token.

use chrono::Utc;
use db::{DbConn, events::EventRow};
use epcis::query::{OrderBy, Query};
use serde_json::Value;

use super::{Scope, scope};
use crate::{Caller, error::DomainError};

/// A page of events.
#[derive(Clone, Debug)]
pub struct EventPage {
    /// The events, as stored JSON-LD.
    pub events: Vec<Value>,
    /// The token of the next page, if there is one.
    pub next_page_token: Option<String>,
}

/// Runs a query for `who`: only the events its scope shows.
#[tracing::instrument(skip(conn, who))]
pub fn query(conn: &mut DbConn, who: &Caller, q: &Query) -> Result<EventPage, DomainError> {
    let scope = scope(conn, who)?;
    let utc = |t: &chrono::DateTime<chrono::FixedOffset>| t.with_timezone(&Utc).naive_utc();
    let filter = db::events::Filter {
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
        declared_in_error: q.exists_error_declaration.then_some(true),
        visible_to: match scope {
            Scope::All => None,
            Scope::Org(org) => Some(org),
        },
        order_by: match q.order_by {
            OrderBy::EventTime => db::events::OrderBy::EventTime,
            OrderBy::RecordTime => db::events::OrderBy::RecordTime,
        },
        descending: q.descending,
    };
    let (after, served) = match &q.next_page_token {
        Some(token) => {
            let t = PageToken::decode(token).ok_or_else(|| {
                DomainError::field("nextPageToken", "is not the token of a previous page")
            })?;
            (Some((t.time, t.id)), t.served)
        }
        None => (None, 0),
    };
    let mut limit = i64::from(q.per_page);
    if let Some(max) = q.event_count_limit {
        limit = limit.min(i64::from(max) - served).max(0);
    }
    if limit == 0 {
        return Ok(EventPage {
            events: Vec::new(),
            next_page_token: None,
        });
    }
    let mut rows = db::events::query(conn, &filter, after, limit)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).map_err(DomainError::internal)?);
    let next_page_token = match rows.last() {
        Some(last) if more => Some(
            PageToken {
                time: match q.order_by {
                    OrderBy::EventTime => last.event_time,
                    OrderBy::RecordTime => last.record_time,
                },
                id: last.id.clone(),
                served: served + rows.len() as i64,
            }
            .encode(),
        ),
        _ => None,
    };
    let events = rows.iter().map(stored_json).collect::<Result<_, _>>()?;
    Ok(EventPage {
        events,
        next_page_token,
    })
}

/// The event `id` (hash id or eventID), if the caller's scope shows it.
pub fn get(conn: &mut DbConn, who: &Caller, id: &str) -> Result<Value, DomainError> {
    let scope = scope(conn, who)?;
    let row = db::events::get(conn, id)?.ok_or(DomainError::NotFound)?;
    if let Scope::Org(org) = &scope
        && row.org_id != *org
    {
        let owners = db::events::gtins_of(conn, &[row.id.as_str()])?;
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
        o.insert("eventID".into(), row.event_id.clone().into());
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

/// Where the next page starts: the last row's (time, id), and how many events the query has
/// served so far (for `eventCountLimit`).
struct PageToken {
    time: chrono::NaiveDateTime,
    id: String,
    served: i64,
}

impl PageToken {
    fn encode(&self) -> String {
        db::page::encode_cursor(&format!(
            "{}|{}|{}",
            self.time.and_utc().timestamp_micros(),
            self.served,
            self.id
        ))
    }

    fn decode(token: &str) -> Option<PageToken> {
        let raw = db::page::decode_cursor(token)?;
        let mut parts = raw.splitn(3, '|');
        let micros: i64 = parts.next()?.parse().ok()?;
        let served: i64 = parts.next()?.parse().ok()?;
        let id = parts.next()?.to_owned();
        Some(PageToken {
            time: chrono::DateTime::from_timestamp_micros(micros)?.naive_utc(),
            id,
            served,
        })
    }
}
