//! What containers held and what transformations consumed, read from the identifiers table
//! alone (no event body is parsed): the serial state that follows a container's shipping,
//! a recall flowing downstream, a shipment's contents.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{epcis_event_objects as o, epcis_events as e};
use crate::{DbConn, serials::IN_LIST};

/// One event linking given identifiers to others: an aggregation (parents to children) or a
/// transformation (outputs to inputs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The event's row key.
    pub event_seq: i64,
    /// The given identifier the event names.
    pub given: String,
    /// `ADD`, `OBSERVE`, `DELETE`; none for transformations.
    pub action: Option<String>,
    /// When it happened (UTC).
    pub event_time: NaiveDateTime,
    /// The identifiers on the other side, with their GTIN if they have one. An aggregation
    /// `DELETE` naming no children lists none: it empties the parent.
    pub linked: Vec<(String, Option<String>)>,
}

/// Which side of which event type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// From parents to the children aggregated in them.
    Contents,
    /// From outputs of a transformation to its inputs.
    Inputs,
}

impl Direction {
    fn parts(
        self,
    ) -> (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ) {
        match self {
            Direction::Contents => (
                "AggregationEvent",
                &["parent"],
                &["child", "child_quantity"],
            ),
            Direction::Inputs => (
                "TransformationEvent",
                &["output", "output_quantity"],
                &["input", "input_quantity"],
            ),
        }
    }
}

/// What the custody reads of an event row.
struct EventFacts {
    action: Option<String>,
    event_time: NaiveDateTime,
    biz_location: Option<String>,
    read_point: Option<String>,
}

/// (row key, action, event time, business location, read point).
type EventFactsRow = (
    i64,
    Option<String>,
    NaiveDateTime,
    Option<String>,
    Option<String>,
);

/// The events among `pks` (of `event_type`, if given) not declared in error, by row key.
///
/// Read by key after the identifiers were looked up, not joined to them: PostgreSQL planned
/// the join as a hash join over every event (the shipment check of 1,000 items: 90 ms p50
/// over 100,000 events), where keys find their rows through the primary key.
fn live_events(
    conn: &mut DbConn,
    pks: impl Iterator<Item = i64>,
    event_type: Option<&str>,
) -> QueryResult<HashMap<i64, EventFacts>> {
    let mut pks: Vec<i64> = pks.collect();
    pks.sort_unstable();
    pks.dedup();
    let mut out = HashMap::new();
    for part in pks.chunks(IN_LIST) {
        let mut q = e::table
            .filter(e::seq.eq_any(part))
            .filter(e::declared_error_at.is_null())
            .select((
                e::seq,
                e::action,
                e::event_time,
                e::biz_location,
                e::read_point,
            ))
            .into_boxed::<crate::MultiBackend>();
        if let Some(t) = event_type {
            q = q.filter(e::event_type.eq(t.to_owned()));
        }
        let rows: Vec<EventFactsRow> = q.load(conn)?;
        out.extend(
            rows.into_iter()
                .map(|(id, action, event_time, biz_location, read_point)| {
                    (
                        id,
                        EventFacts {
                            action,
                            event_time,
                            biz_location,
                            read_point,
                        },
                    )
                }),
        );
    }
    Ok(out)
}

/// The events (not declared in error) linking any of `given` in `direction`, in event time
/// order.
#[tracing::instrument(skip(conn, given), fields(n = given.len()))]
pub fn links(conn: &mut DbConn, given: &[String], direction: Direction) -> QueryResult<Vec<Link>> {
    let (event_type, from, to) = direction.parts();
    let mut out: Vec<Link> = Vec::new();
    for part in given.chunks(IN_LIST) {
        let named: Vec<(i64, String)> = o::table
            .filter(o::epc.eq_any(part))
            .filter(o::role.eq_any(from))
            .select((o::event_seq, o::epc))
            .load(conn)?;
        let times = live_events(conn, named.iter().map(|n| n.0), Some(event_type))?;
        let heads: Vec<(i64, String, Option<String>, NaiveDateTime)> = named
            .into_iter()
            .filter_map(|(pk, epc)| {
                let t = times.get(&pk)?;
                Some((pk, epc, t.action.clone(), t.event_time))
            })
            .collect();
        let pks: Vec<i64> = heads.iter().map(|h| h.0).collect();
        let mut linked: HashMap<i64, Vec<(String, Option<String>)>> = HashMap::new();
        for pks in pks.chunks(IN_LIST) {
            let rows: Vec<(i64, String, Option<String>)> = o::table
                .filter(o::event_seq.eq_any(pks))
                .filter(o::role.eq_any(to))
                .select((o::event_seq, o::epc, o::gtin))
                .load(conn)?;
            for (pk, epc, gtin) in rows {
                linked.entry(pk).or_default().push((epc, gtin));
            }
        }
        out.extend(
            heads
                .into_iter()
                .map(|(event_seq, given, action, event_time)| Link {
                    linked: linked.get(&event_seq).cloned().unwrap_or_default(),
                    event_seq,
                    given,
                    action,
                    event_time,
                }),
        );
    }
    out.sort_by_key(|l| (l.event_time, l.event_seq));
    Ok(out)
}

/// The earliest event (time, read point or business location) naming each of `epcs`, for
/// where a journey starts.
#[tracing::instrument(skip(conn, epcs), fields(n = epcs.len()))]
pub fn first_places(
    conn: &mut DbConn,
    epcs: &[String],
) -> QueryResult<HashMap<String, (NaiveDateTime, Option<String>)>> {
    let mut out: HashMap<String, (NaiveDateTime, Option<String>)> = HashMap::new();
    for part in epcs.chunks(IN_LIST) {
        let named: Vec<(String, i64)> = o::table
            .filter(o::epc.eq_any(part))
            .select((o::epc, o::event_seq))
            .load(conn)?;
        let events = live_events(conn, named.iter().map(|n| n.1), None)?;
        let rows = named.into_iter().filter_map(|(epc, pk)| {
            let t = events.get(&pk)?;
            Some((
                epc,
                t.event_time,
                t.biz_location.clone(),
                t.read_point.clone(),
            ))
        });
        for (epc, at, location, read_point) in rows {
            let place = location.or(read_point);
            match out.get(&epc) {
                Some((t, _)) if *t <= at => {}
                _ => {
                    out.insert(epc, (at, place));
                }
            }
        }
    }
    Ok(out)
}

/// The GTINs made, by transformation events not declared in error, from inputs with any of
/// `gtins`: whose answers change when a recall on one of `gtins` is raised or lifted.
#[tracing::instrument(skip(conn, gtins), fields(n = gtins.len()))]
pub fn made_from_gtins(conn: &mut DbConn, gtins: &[String]) -> QueryResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in gtins.chunks(IN_LIST) {
        let pks: Vec<i64> = o::table
            .inner_join(e::table)
            .filter(o::gtin.eq_any(part))
            .filter(o::role.eq_any(["input", "input_quantity"]))
            .filter(e::event_type.eq("TransformationEvent"))
            .filter(e::declared_error_at.is_null())
            .select(e::seq)
            .distinct()
            .load(conn)?;
        for pks in pks.chunks(IN_LIST) {
            let made: Vec<String> = o::table
                .filter(o::event_seq.eq_any(pks))
                .filter(o::role.eq_any(["output", "output_quantity"]))
                .filter(o::gtin.is_not_null())
                .select(o::gtin.assume_not_null())
                .distinct()
                .load(conn)?;
            out.extend(made);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
