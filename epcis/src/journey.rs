//! Chain of custody: which events an object went through, in time order, following aggregations
//! over time and transformations back to their inputs.
//!
//! An item packed in a case on a pallet shares the pallet's shipping and receiving while packed,
//! and not after unpacking; a lot made from other lots carries their history up to the
//! transformation. The caller gathers the candidate events (those naming the object, its
//! containers and its inputs) and leaves out events declared in error; this module only reasons.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::epc::Epc;
use crate::event::{Action, Event, EventType};

/// How deep transformations are followed back (inputs of inputs of ...): supply chains of food
/// and goods have a handful of stages; the bound keeps a cyclic or hostile history finite.
pub const MAX_TRANSFORMATION_DEPTH: usize = 8;

/// Why an event is on the journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// The event names the object itself (or its lot, when the lot was given as an identity).
    Direct,
    /// The event names a container the object was packed in at the time.
    Container(Epc),
    /// The event is in the history of an input the object was made from.
    Input(Epc),
}

/// One event of a journey.
#[derive(Clone, Debug, PartialEq)]
pub struct Step<'a> {
    /// The event.
    pub event: &'a Event,
    /// Why it is on the journey.
    pub via: Via,
}

/// The journey of an object known by `identities` (an item and its lot class, say) through
/// `events`, in event time order; each event appears once.
pub fn journey<'a>(identities: &[Epc], events: &'a [Event]) -> Vec<Step<'a>> {
    let mut order: Vec<&'a Event> = events
        .iter()
        .filter(|e| e.error_declaration.is_none())
        .collect();
    order.sort_by_key(|e| e.event_time);
    let mut steps = Vec::new();
    let mut seen = HashSet::new();
    walk(identities, &order, None, 0, &mut steps, &mut seen);
    steps.sort_by_key(|s: &Step<'_>| s.event.event_time);
    steps
}

/// Adds the steps of `identities` up to `until` (a transformation's time), tagging inherited
/// ones as coming through `input` when walking an input's history.
fn walk<'a>(
    identities: &[Epc],
    order: &[&'a Event],
    until: Option<(DateTime<FixedOffset>, &Epc)>,
    depth: usize,
    steps: &mut Vec<Step<'a>>,
    seen: &mut HashSet<*const Event>,
) {
    let own: BTreeSet<&Epc> = identities.iter().collect();
    // The containers holding the object now, outermost last.
    let mut containers: Vec<Epc> = Vec::new();
    let mut transformations: Vec<&'a Event> = Vec::new();
    for &event in order {
        if let Some((limit, _)) = until
            && event.event_time > limit
        {
            break;
        }
        let names = |set: &dyn Fn(&Epc) -> bool| event.objects().any(set);
        let direct = names(&|e| own.contains(e));
        let held_in = containers.iter().find(|c| names(&|e| e == *c)).cloned();
        if direct || held_in.is_some() {
            let via = match (until, direct, held_in) {
                (Some((_, input)), _, _) => Via::Input(input.clone()),
                (None, true, _) => Via::Direct,
                (None, false, Some(c)) => Via::Container(c),
                (None, false, None) => Via::Direct,
            };
            if seen.insert(std::ptr::from_ref(event)) {
                steps.push(Step { event, via });
            }
        }
        if event.kind == EventType::Aggregation {
            track_packing(event, &own, &mut containers);
        }
        if event.kind == EventType::Transformation
            && event
                .output_epcs
                .iter()
                .chain(event.output_quantities.iter().map(|q| &q.epc_class))
                .any(|e| own.contains(e))
        {
            transformations.push(event);
        }
    }
    if depth >= MAX_TRANSFORMATION_DEPTH {
        return;
    }
    for t in transformations {
        let inputs: Vec<Epc> = t
            .input_epcs
            .iter()
            .chain(t.input_quantities.iter().map(|q| &q.epc_class))
            .cloned()
            .collect();
        for input in &inputs {
            let tag = until.map_or(input, |(_, outer)| outer);
            walk(
                std::slice::from_ref(input),
                order,
                Some((t.event_time, tag)),
                depth + 1,
                steps,
                seen,
            );
        }
    }
}

/// Updates the containers holding the object after an aggregation event.
fn track_packing(event: &Event, own: &BTreeSet<&Epc>, containers: &mut Vec<Epc>) {
    let Some(parent) = &event.parent else { return };
    let children = || {
        event
            .child_epcs
            .iter()
            .chain(event.child_quantities.iter().map(|q| &q.epc_class))
    };
    let holds_ours = children().any(|c| own.contains(c) || containers.contains(c));
    match event.action {
        Some(Action::Add | Action::Observe) if holds_ours && !containers.contains(parent) => {
            containers.push(parent.clone());
        }
        Some(Action::Delete) => {
            // A DELETE without children empties the parent (EPCIS 2.0 §7.4.3).
            let unpacked = event.child_epcs.is_empty() && event.child_quantities.is_empty();
            if unpacked || holds_ours {
                // The object left `parent`, and with it every container `parent` was in.
                if let Some(i) = containers.iter().position(|c| c == parent) {
                    containers.truncate(i);
                }
            }
        }
        _ => {}
    }
}
