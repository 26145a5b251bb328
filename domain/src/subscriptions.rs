//! Webhook subscriptions to named queries (EPCIS 2.0 §8.2.5, the REST binding's
//! `/queries/{queryName}/subscriptions`): where to POST results, the token that signs them,
//! and either `stream: true` (deliver events as they are recorded) or a `schedule`.
//!
//! A subscription belongs to the query's organisation and sees what that organisation's
//! scope shows: its own events and those naming its GTINs, or every event for an authority
//! (the scope its admins and inspectors have). Each delivery holds the events recorded after
//! the subscription's cursor, in record-time order, at most [`MAX_PER_DELIVERY`]; the cursor
//! moves only once the receiver acknowledged a delivery (the server's worker does that).

pub mod schedule;

use chrono::{DateTime, NaiveDateTime, Utc};
use db::{
    DbConn,
    queries::{QueryRow, SubscriptionRow},
};
use epcis::{
    EpcFormat,
    query::{MAX_PER_PAGE, OrderBy},
};
use serde_json::{Map, Value, json};

use crate::{
    Caller, OrgKind,
    error::DomainError,
    named_queries, record,
    traceability::{self, Scope},
};
pub use schedule::Schedule;

/// The most events one delivery holds; more are delivered in several, in record-time order.
pub const MAX_PER_DELIVERY: u32 = MAX_PER_PAGE;
/// The shortest `signatureToken`: it keys the HMAC that proves a delivery came from here.
pub const MIN_TOKEN: usize = 16;
/// The longest `signatureToken` and `dest`.
pub const MAX_FIELD: usize = 2048;

/// `digital_link` or `urn`, as stored.
fn format_name(f: EpcFormat) -> &'static str {
    match f {
        EpcFormat::Urn => "urn",
        _ => "digital_link",
    }
}

/// The identifier form a subscription delivers.
pub fn epc_format(row: &SubscriptionRow) -> EpcFormat {
    if row.epc_format == "urn" {
        EpcFormat::Urn
    } else {
        EpcFormat::DigitalLink
    }
}

/// The subscription's schedule, if it is a scheduled one.
pub fn schedule_of(row: &SubscriptionRow) -> Result<Option<Schedule>, DomainError> {
    let Some(text) = &row.schedule else {
        return Ok(None);
    };
    match serde_json::from_str(text).map_err(DomainError::internal)? {
        Value::Object(o) => Schedule::parse(&o).map(Some),
        _ => Err(DomainError::internal(std::io::Error::other(
            "a stored schedule is not an object",
        ))),
    }
}

/// Checks a webhook URL: http or https, with a host, no spaces.
fn check_dest(dest: &str) -> Result<(), DomainError> {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = dest.len() <= MAX_FIELD
        && host.is_some_and(|h| !h.is_empty() && !h.contains('@'))
        && !dest.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(DomainError::field(
            "dest",
            "must be an http:// or https:// URL with a host (and no user information)",
        ))
    }
}

/// Subscribes to the query `name`: the body of `POST .../subscriptions`. Capturing roles of
/// the query's organisation, or an admin.
#[tracing::instrument(skip(conn, who, body))]
pub fn create(
    conn: &mut DbConn,
    who: &Caller,
    name: &str,
    body: &Value,
    format: EpcFormat,
) -> Result<(QueryRow, SubscriptionRow), DomainError> {
    traceability::require_capturer(who)?;
    let query = named_queries::resolve(conn, who, name)?;
    let o = body
        .as_object()
        .ok_or_else(|| DomainError::field("body", "must be a JSON object"))?;
    const KNOWN: [&str; 6] = [
        "dest",
        "signatureToken",
        "reportIfEmpty",
        "stream",
        "schedule",
        "initialRecordTime",
    ];
    if let Some(k) = o.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(DomainError::field(
            k.as_str(),
            "is not a field of a subscription",
        ));
    }
    let string = |k: &str| -> Result<Option<&str>, DomainError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(DomainError::field(k, "must be a string")),
        }
    };
    let flag = |k: &str| -> Result<bool, DomainError> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(DomainError::field(k, "must be true or false")),
        }
    };
    let dest = string("dest")?.ok_or_else(|| DomainError::field("dest", "is required"))?;
    check_dest(dest)?;
    let token = string("signatureToken")?.ok_or_else(|| {
        DomainError::field(
            "signatureToken",
            "is required: every delivery is signed with it",
        )
    })?;
    if token.chars().count() < MIN_TOKEN || token.len() > MAX_FIELD {
        return Err(DomainError::field(
            "signatureToken",
            format!("must be {MIN_TOKEN} to {MAX_FIELD} characters"),
        ));
    }
    let stream = flag("stream")?;
    let report_if_empty = flag("reportIfEmpty")?;
    let schedule = match o.get("schedule") {
        None | Some(Value::Null) => None,
        Some(Value::Object(s)) => Some((Schedule::parse(s)?, Value::Object(s.clone()))),
        Some(_) => return Err(DomainError::field("schedule", "must be an object")),
    };
    if stream == schedule.is_some() {
        return Err(DomainError::field(
            "stream",
            "give either stream: true or a schedule (exactly one)",
        ));
    }
    let now = db::now();
    let initial = match string("initialRecordTime")? {
        None => now,
        Some(t) => DateTime::parse_from_rfc3339(t)
            .map_err(|_| DomainError::field("initialRecordTime", "must be an RFC 3339 date-time"))?
            .with_timezone(&Utc)
            .naive_utc(),
    };
    let due_at = match &schedule {
        None => now,
        Some((s, _)) => s.next_after(now).ok_or_else(|| {
            DomainError::field("schedule", "never matches a date in the coming years")
        })?,
    };
    let row = SubscriptionRow {
        id: db::new_id(),
        query_id: query.id.clone(),
        org_id: query.org_id.clone(),
        dest: dest.to_owned(),
        // Stored as given, not hashed: unlike a password it is never checked here but used,
        // as the HMAC key of every delivery, so the worker must be able to read it. It is
        // never shown in an answer, a log line or the audit log.
        signature_token: token.to_owned(),
        report_if_empty,
        stream,
        schedule: schedule.map(|(_, v)| v.to_string()),
        epc_format: format_name(format).to_owned(),
        initial_record_time: initial,
        cursor_time: initial,
        cursor_id: String::new(),
        attempts: 0,
        due_at,
        last_notified_at: None,
        last_error: None,
        last_error_at: None,
        created_by: who.actor().as_str().to_owned(),
        created_at: now,
    };
    db::write_transaction(conn, |conn| {
        db::queries::insert_subscription(conn, &row)?;
        record(
            conn,
            &who.actor(),
            Some(&row.org_id),
            "epcis.subscription.create",
            ("epcis_subscription", &row.id),
            &json!({"query": query.name, "dest": row.dest, "stream": row.stream}),
        )?;
        Ok::<_, DomainError>(())
    })?;
    Ok((query, row))
}

/// A page of the subscriptions to the query `name`.
pub fn list(
    conn: &mut DbConn,
    who: &Caller,
    name: &str,
    per_page: u32,
    token: Option<&str>,
) -> Result<(QueryRow, Vec<SubscriptionRow>, Option<String>), DomainError> {
    let query = named_queries::resolve(conn, who, name)?;
    let after = crate::pagination::next_page_key(token)?;
    let rows = db::queries::subscriptions(conn, &query.id, after.as_deref(), i64::from(per_page))?;
    let page =
        crate::pagination::Page::from_rows(rows, i64::from(per_page), |r| r.id.clone(), |r| r);
    Ok((query, page.items, page.next_cursor))
}

/// The subscription `id` to the query `name`.
pub fn get(
    conn: &mut DbConn,
    who: &Caller,
    name: &str,
    id: &str,
) -> Result<(QueryRow, SubscriptionRow), DomainError> {
    let query = named_queries::resolve(conn, who, name)?;
    let row = db::queries::subscription(conn, &query.id, id)?.ok_or(DomainError::NotFound)?;
    Ok((query, row))
}

/// Unsubscribes (capturing roles of the query's organisation, or an admin).
pub fn delete(conn: &mut DbConn, who: &Caller, name: &str, id: &str) -> Result<(), DomainError> {
    traceability::require_capturer(who)?;
    db::write_transaction(conn, |conn| {
        let (query, row) = get(conn, who, name, id)?;
        db::queries::delete_subscription(conn, &row.id)?;
        record(
            conn,
            &who.actor(),
            Some(&row.org_id),
            "epcis.subscription.delete",
            ("epcis_subscription", &row.id),
            &json!({"query": query.name}),
        )?;
        Ok(())
    })
}

/// A subscription as the binding's `AbstractQuerySubscriptionResponse` shows it, with the
/// delivery state; never its `signatureToken`.
pub fn to_json(query: &QueryRow, row: &SubscriptionRow) -> Value {
    let time = |t: &NaiveDateTime| {
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let mut o = Map::new();
    o.insert("subscriptionID".into(), row.id.clone().into());
    o.insert("queryName".into(), query.name.clone().into());
    o.insert("dest".into(), row.dest.clone().into());
    o.insert("createdAt".into(), time(&row.created_at).into());
    o.insert(
        "initialRecordTime".into(),
        time(&row.initial_record_time).into(),
    );
    o.insert("minRecordTime".into(), time(&row.cursor_time).into());
    o.insert(
        "epcFormat".into(),
        match epc_format(row) {
            EpcFormat::Urn => "Always_EPC_URN",
            _ => "Always_GS1_Digital_Link",
        }
        .into(),
    );
    o.insert("reportIfEmpty".into(), row.report_if_empty.into());
    if row.stream {
        o.insert("stream".into(), true.into());
    }
    if let Some(s) = row
        .schedule
        .as_deref()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    {
        o.insert("schedule".into(), s);
    }
    if let Some(t) = &row.last_notified_at {
        o.insert("lastNotifiedAt".into(), time(t).into());
    }
    if let Some(e) = &row.last_error {
        o.insert("lastError".into(), e.clone().into());
    }
    if let Some(t) = &row.last_error_at {
        o.insert("lastErrorAt".into(), time(t).into());
    }
    o.insert("failedAttempts".into(), row.attempts.into());
    Value::Object(o)
}

/// The scope a subscription of `org_id` queries with: every event for an authority, the
/// organisation's own otherwise (it has no caller whose role could widen it).
pub fn scope_of(conn: &mut DbConn, org_id: &str) -> Result<Scope, DomainError> {
    let org = db::orgs::get(conn, org_id)?;
    Ok(if org.kind == OrgKind::Authority.as_str() {
        Scope::All
    } else {
        Scope::Org(org_id.to_owned())
    })
}

/// What a subscription's next delivery holds.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The named query's name.
    pub query_name: String,
    /// The events, in record-time order, at most [`MAX_PER_DELIVERY`].
    pub events: Vec<Value>,
    /// Where the cursor moves once they are delivered (the last row examined), if anywhere.
    pub resume: Option<(NaiveDateTime, String)>,
    /// More events are already waiting after this batch.
    pub more: bool,
}

/// The most events a delivery holds after `attempts` failed attempts: [`MAX_PER_DELIVERY`],
/// halved for each failure, at least one.
pub fn batch_size(attempts: i32) -> u32 {
    let halvings = u32::try_from(attempts).unwrap_or(0).min(31);
    (MAX_PER_DELIVERY >> halvings).max(1)
}

/// The events recorded after the subscription's cursor and before `settled`, matching its
/// query in its organisation's scope. `settled` stays a little behind now: a capture commits
/// after it takes its record time, so an event recorded just before the cursor could appear
/// after the cursor passed it.
///
/// The definition's ordering and count limits do not apply: a subscription always delivers
/// in record-time order, every matching event once. After failed attempts a batch holds half
/// as many events each time ([`batch_size`]): a receiver answering 413 asks for smaller ones.
pub fn batch(
    conn: &mut DbConn,
    row: &SubscriptionRow,
    settled: NaiveDateTime,
) -> Result<Batch, DomainError> {
    let query = db::queries::get(conn, &row.query_id)?.ok_or(DomainError::NotFound)?;
    // The cursor column holds the last delivered event's row key in decimal ('' before any).
    let token = traceability::resume_token(row.cursor_time, row.cursor_id.parse().unwrap_or(0));
    let extra = [("nextPageToken".to_owned(), token)];
    let definition = named_queries::definition(&query)?;
    let mut q = named_queries::parse(&definition, &extra)?;
    q.order_by = OrderBy::RecordTime;
    q.descending = false;
    q.event_count_limit = None;
    q.max_event_count = None;
    q.per_page = batch_size(row.attempts);
    let settled = settled.and_utc().fixed_offset();
    q.lt_record_time = Some(match q.lt_record_time {
        Some(t) if t < settled => t,
        _ => settled,
    });
    let scope = scope_of(conn, &row.org_id)?;
    let page = traceability::query_in(conn, &scope, &q)?;
    Ok(Batch {
        query_name: query.name,
        events: page.events,
        resume: page.last.map(|(time, seq)| (time, seq.to_string())),
        more: page.next_page_token.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_halve_after_each_failure_down_to_one() {
        let sizes: Vec<u32> = [0, 1, 2, 9, 10, 40, -1].map(batch_size).to_vec();
        assert_eq!(sizes, [1000, 500, 250, 1, 1, 1, 1000]);
    }
}
