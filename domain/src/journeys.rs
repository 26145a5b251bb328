//! The journey of an item, lot or SSCC: the stored events that name it, its containers and the
//! inputs it was made from, ordered by `epcis::journey`, shown whole or as the public summary.

use std::collections::HashSet;

use db::DbConn;
use epcis::{Epc, Event, EventType, journey::Via};
use serde::Serialize;

use crate::{Caller, error::DomainError, traceability::Scope};

/// How many events a journey reads at most: a bound on one request's memory. A pallet's events
/// number in the tens; a lot shipped in thousands of cases could reach it, and then the
/// journey says it was cut (`truncated`).
pub const MAX_EVENTS: usize = 5_000;
/// How many rounds of containers and inputs are followed.
const ROUNDS: usize = 8;

/// One step of a journey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// When (RFC 3339, the event's own offset).
    pub event_time: String,
    /// `ObjectEvent`, ...
    pub event_type: &'static str,
    /// The business step.
    pub biz_step: Option<String>,
    /// The disposition after it.
    pub disposition: Option<String>,
    /// The country of the GS1 Member Organisation that issued the place's GLN prefix (an
    /// approximation of where the place is: GS1 numbers by organisation, not by address).
    pub country: Option<&'static str>,
    /// `direct`, `container` or `input`.
    pub via: &'static str,
    /// Full view only: where it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_point: Option<String>,
    /// Full view only: where the objects were afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_location: Option<String>,
    /// Full view only: the container or input the step came through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_epc: Option<String>,
    /// Full view only: the event's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

/// A journey.
#[derive(Clone, Debug, Serialize)]
pub struct Journey {
    /// The object (canonical form).
    pub epc: String,
    /// `full` or `summary`.
    pub view: &'static str,
    /// The steps, in time order.
    pub steps: Vec<Step>,
    /// Whether [`MAX_EVENTS`] cut the events read.
    pub truncated: bool,
}

/// The journey of `target`; `who` (if anyone) decides between the full view and the summary.
#[tracing::instrument(skip(conn, who))]
pub fn journey(
    conn: &mut DbConn,
    who: Option<&Caller>,
    target: &Epc,
) -> Result<Journey, DomainError> {
    let (stored, truncated) = gather(conn, target)?;
    let full = match who {
        None => false,
        Some(who) => match crate::traceability::scope(conn, who)? {
            Scope::All => true,
            Scope::Org(org) => owns(conn, &org, target)?,
        },
    };
    let (ids, events): (Vec<String>, Vec<Event>) =
        stored.into_iter().map(|s| (s.id, s.event)).unzip();
    let steps = epcis::journey::journey(std::slice::from_ref(target), &events)
        .into_iter()
        .map(|s| {
            let e = s.event;
            let place = e.biz_location.as_ref().or(e.read_point.as_ref());
            let (via, via_epc) = match &s.via {
                Via::Direct => ("direct", None),
                Via::Container(c) => ("container", Some(c.canonical().to_owned())),
                Via::Input(i) => ("input", Some(i.canonical().to_owned())),
            };
            // A step borrows its event from `events`: its position there is its id's.
            let id = events
                .iter()
                .position(|stored| std::ptr::eq(stored, e))
                .map(|i| ids[i].clone());
            Step {
                event_time: e
                    .event_time
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                event_type: e.kind.as_str(),
                biz_step: e.biz_step.clone(),
                disposition: e.disposition.clone(),
                country: place.and_then(country_of),
                via,
                read_point: full
                    .then(|| e.read_point.as_ref().map(|p| p.canonical().to_owned()))
                    .flatten(),
                biz_location: full
                    .then(|| e.biz_location.as_ref().map(|p| p.canonical().to_owned()))
                    .flatten(),
                via_epc: via_epc.filter(|_| full),
                event_id: id.filter(|_| full),
            }
        })
        .collect();
    Ok(Journey {
        epc: target.canonical().to_owned(),
        view: if full { "full" } else { "summary" },
        steps,
        truncated,
    })
}

/// The country of the GS1 Member Organisation that issued a place's GLN prefix: where the
/// place probably is (GS1 numbers by organisation, not by address).
pub fn country_of(place: &Epc) -> Option<&'static str> {
    place
        .gln()
        .and_then(|g| g.class().member_organisation())
        .and_then(|mo| mo.countries().next())
}

/// Whether `org` owns the GTIN of `target`.
fn owns(conn: &mut DbConn, org: &str, target: &Epc) -> Result<bool, DomainError> {
    let Some(gtin) = target.gtin() else {
        return Ok(false);
    };
    Ok(db::products::find(conn, gtin.as_str())?.is_some_and(|p| p.org_id == org))
}

/// A stored event of a journey.
pub(crate) struct Stored {
    /// Its row id (the CBV hash id).
    pub id: String,
    /// The organisation that captured it.
    pub org_id: String,
    /// The event.
    pub event: Event,
}

/// The stored events of `target`'s journey in journey order, and whether [`MAX_EVENTS`] cut
/// the events read.
pub(crate) fn journey_events(
    conn: &mut DbConn,
    target: &Epc,
) -> Result<(Vec<Stored>, bool), DomainError> {
    let (stored, truncated) = gather(conn, target)?;
    let events: Vec<Event> = stored.iter().map(|s| s.event.clone()).collect();
    let order: Vec<usize> = epcis::journey::journey(std::slice::from_ref(target), &events)
        .into_iter()
        .filter_map(|step| events.iter().position(|e| std::ptr::eq(e, step.event)))
        .collect();
    let mut slots: Vec<Option<Stored>> = stored.into_iter().map(Some).collect();
    let ordered = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok((ordered, truncated))
}

/// The stored events naming `target`, the containers it was packed in and the inputs it was
/// made from, followed for [`ROUNDS`] rounds; and whether the bound cut them.
pub(crate) fn gather(conn: &mut DbConn, target: &Epc) -> Result<(Vec<Stored>, bool), DomainError> {
    let mut known: HashSet<String> = HashSet::from([target.canonical().to_owned()]);
    let mut frontier: Vec<String> = vec![target.canonical().to_owned()];
    let mut seen = HashSet::new();
    let mut events = Vec::new();
    let mut truncated = false;
    for _ in 0..ROUNDS {
        if frontier.is_empty() {
            break;
        }
        let room = MAX_EVENTS.saturating_sub(events.len());
        let rows =
            db::events::naming(conn, &frontier, i64::try_from(room + 1).unwrap_or(i64::MAX))?;
        frontier.clear();
        for row in rows {
            if events.len() >= MAX_EVENTS {
                truncated = true;
                break;
            }
            if row.declared_error_at.is_some() || !seen.insert(row.id.clone()) {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(&row.body).map_err(DomainError::internal)?;
            let event = Event::from_json(&value).map_err(DomainError::internal)?;
            // Containers it was packed into, inputs it was made from: followed next round.
            let named = |list: &mut dyn Iterator<Item = &Epc>| {
                for c in list {
                    if known.contains(c.canonical()) {
                        return true;
                    }
                }
                false
            };
            let reached: Vec<&Epc> = match event.kind {
                EventType::Aggregation
                    if named(
                        &mut event
                            .child_epcs
                            .iter()
                            .chain(event.child_quantities.iter().map(|q| &q.epc_class)),
                    ) =>
                {
                    event.parent.iter().collect()
                }
                EventType::Transformation
                    if named(
                        &mut event
                            .output_epcs
                            .iter()
                            .chain(event.output_quantities.iter().map(|q| &q.epc_class)),
                    ) =>
                {
                    event
                        .input_epcs
                        .iter()
                        .chain(event.input_quantities.iter().map(|q| &q.epc_class))
                        .collect()
                }
                _ => Vec::new(),
            };
            for e in reached {
                if known.insert(e.canonical().to_owned()) {
                    frontier.push(e.canonical().to_owned());
                }
            }
            events.push(Stored {
                id: row.id,
                org_id: row.org_id,
                event,
            });
        }
    }
    Ok((events, truncated))
}
