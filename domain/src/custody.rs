//! What events mean for the registry: serial states follow the business steps captured (also
//! through the containers an item was packed in), and a recall flows downstream through
//! transformations.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDateTime;
use db::{
    DbConn,
    custody::{Direction, Link},
};
use epcis::{Action, Epc, Event, EventType};
use gs1::keys::Gtin;
use verdict::UpstreamRecall;

use crate::{Caller, OrgKind, error::DomainError, serials::SerialState};

mod revert;
pub(crate) use revert::revert;

/// How many levels of containers are opened (item, case, pallet, container: three levels).
const CONTAINER_DEPTH: usize = 4;
/// How many transformation steps a recall is followed back.
const UPSTREAM_DEPTH: usize = 8;
/// How many inputs are looked at in all, a bound on one lookup's work.
const UPSTREAM_INPUTS: usize = 500;

/// The state an event leaves a serialised item in: its CBV 2.0 disposition where that names
/// one (CBV 2.0 has no "recalling" step: a recall is the disposition `recalled`), else its
/// business step. `receiving` keeps it in distribution (shipped): the registry has no
/// "received" state.
fn state_after(biz_step: Option<&str>, disposition: Option<&str>) -> Option<SerialState> {
    let by_disposition = match disposition {
        Some("recalled") => Some(SerialState::Recalled),
        Some("destroyed") => Some(SerialState::Destroyed),
        Some("retail_sold" | "dispensed") => Some(SerialState::SoldDispensed),
        Some("in_transit") => Some(SerialState::Shipped),
        _ => None,
    };
    by_disposition.or(match biz_step? {
        "commissioning" => Some(SerialState::Commissioned),
        "shipping" | "receiving" | "departing" | "arriving" => Some(SerialState::Shipped),
        "retail_selling" | "dispensing" => Some(SerialState::SoldDispensed),
        "decommissioning" => Some(SerialState::Decommissioned),
        "destroying" => Some(SerialState::Destroyed),
        _ => None,
    })
}

/// Whether an event saying `to` moves a serial in state `from`: the state machine of
/// [`SerialState::can_become`], and a sale straight from commissioned (a shop's own shipping
/// need not be recorded). An event never moves a serial back to commissioned.
fn follows(from: SerialState, to: SerialState) -> bool {
    from.can_become(to) || (from == SerialState::Commissioned && to == SerialState::SoldDispensed)
}

/// Whether events `org` captured may put items of another organisation in `to`: supply-chain
/// steps (shipped, sold) yes; ending an item's life or recalling it only its owner or an
/// authority may, or any capturer could brand a competitor's goods suspect.
fn may_move(capturer_is_authority: bool, owner: bool, to: SerialState) -> bool {
    owner
        || capturer_is_authority
        || matches!(to, SerialState::Shipped | SerialState::SoldDispensed)
}

/// A serial an event names, directly or inside a container, and what it says of it.
struct Move {
    gtin: String,
    serial: String,
    to: SerialState,
    at: NaiveDateTime,
}

/// Moves the registered serials the stored `events` name (directly or packed in a container
/// they name) to the state their business step says, unless a later event already set it;
/// returns how many serials moved. Call inside the capture's transaction, after storing.
pub(crate) fn follow(
    conn: &mut DbConn,
    who: &Caller,
    capture_id: &str,
    events: &[&Event],
) -> Result<usize, DomainError> {
    let moving = moving(
        events
            .iter()
            .copied()
            .filter(|e| e.error_declaration.is_none()),
    );
    if moving.is_empty() {
        return Ok(0);
    }
    let moves = moves_of(conn, &moving)?;
    apply(conn, who, capture_id, moves)
}

/// The events among `events` that move serials (not a `DELETE`, a business step or
/// disposition that names a state), with that state.
fn moving<'e>(events: impl Iterator<Item = &'e Event>) -> Vec<(&'e Event, SerialState)> {
    events
        .filter(|e| e.action != Some(Action::Delete))
        .filter_map(|e| {
            Some((
                e,
                state_after(e.biz_step.as_deref(), e.disposition.as_deref())?,
            ))
        })
        .collect()
}

/// The registered-or-not serials `moving` (events, each with the state it says) move: named
/// directly, or packed at the event's time in a container it names.
fn moves_of(conn: &mut DbConn, moving: &[(&Event, SerialState)]) -> Result<Vec<Move>, DomainError> {
    let mut moves = Vec::new();
    let mut containers: Vec<(usize, &Epc)> = Vec::new();
    for (i, (event, to)) in moving.iter().enumerate() {
        let at = event.event_time.naive_utc();
        for epc in moved_objects(event) {
            match (epc.gtin(), epc.serial()) {
                (Some(gtin), Some(serial)) => moves.push(Move {
                    gtin: gtin.to_string(),
                    serial: serial.to_owned(),
                    to: *to,
                    at,
                }),
                (None, _) => containers.push((i, epc)),
                _ => {}
            }
        }
    }
    if !containers.is_empty() {
        let held = Contents::load(conn, containers.iter().map(|(_, c)| c.canonical()))?;
        for (i, container) in containers {
            let (event, to) = moving[i];
            let at = event.event_time.naive_utc();
            for (gtin, serial) in held.items(container.canonical(), at) {
                moves.push(Move {
                    gtin,
                    serial,
                    to,
                    at,
                });
            }
        }
    }
    Ok(moves)
}

/// The objects an event moves: an object or transaction event's instances, an aggregation's
/// parent and children.
fn moved_objects(event: &Event) -> impl Iterator<Item = &Epc> {
    let aggregation = matches!(event.kind, EventType::Aggregation | EventType::Transaction);
    event.epcs.iter().chain(
        event
            .parent
            .iter()
            .chain(&event.child_epcs)
            .filter(move |_| aggregation),
    )
}

/// Writes the moves that the state machine, the event order and the capturer's rights allow.
fn apply(
    conn: &mut DbConn,
    who: &Caller,
    capture_id: &str,
    mut moves: Vec<Move>,
) -> Result<usize, DomainError> {
    let gtins: Vec<&str> = {
        let set: HashSet<&str> = moves.iter().map(|m| m.gtin.as_str()).collect();
        set.into_iter().collect()
    };
    let owners: HashMap<String, String> = db::products::find_many(conn, &gtins)?
        .into_iter()
        .map(|p| (p.gtin, p.org_id))
        .collect();
    moves.retain(|m| owners.contains_key(&m.gtin));
    if moves.is_empty() {
        return Ok(0);
    }
    let authority = db::orgs::get(conn, &who.org_id)?.kind == OrgKind::Authority.as_str();
    moves.sort_by_key(|m| m.at);
    let mut by_gtin: BTreeMap<String, Vec<Move>> = BTreeMap::new();
    for m in moves {
        by_gtin.entry(m.gtin.clone()).or_default().push(m);
    }
    let now = db::now();
    let mut moved = 0;
    for (gtin, moves) in by_gtin {
        let owner = owners.get(&gtin).is_some_and(|o| *o == who.org_id);
        let names: Vec<String> = moves.iter().map(|m| m.serial.clone()).collect();
        let mut current: HashMap<String, (SerialState, Option<NaiveDateTime>)> =
            db::serials::get_serials(conn, &gtin, &names)?
                .into_iter()
                .filter_map(|r| Some((r.serial, (r.state.parse().ok()?, r.state_since))))
                .collect();
        let mut changed: BTreeMap<String, (SerialState, NaiveDateTime)> = BTreeMap::new();
        for m in moves {
            let Some((from, since)) = current.get(&m.serial).copied() else {
                // Serials are issued through commissioning jobs; an event does not register one.
                continue;
            };
            let newer = since.is_none_or(|s| m.at >= s);
            if newer && follows(from, m.to) && may_move(authority, owner, m.to) {
                current.insert(m.serial.clone(), (m.to, Some(m.at)));
                changed.insert(m.serial, (m.to, m.at));
            }
        }
        for (serial, (to, at)) in &changed {
            db::serials::set_state_since(conn, &gtin, serial, to.as_str(), Some(*at), now)?;
        }
        if !changed.is_empty() {
            let org = owners.get(&gtin).cloned();
            crate::record(
                conn,
                &who.actor(),
                org.as_deref(),
                "serial.state.events",
                ("product", &gtin),
                &serde_json::json!({"capture": capture_id, "count": changed.len(),
                    "first": changed.keys().next(), "last": changed.keys().next_back()}),
            )?;
        }
        moved += changed.len();
    }
    Ok(moved)
}

/// A trade item (an instance or a lot) inside a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    /// The item or lot.
    pub epc: Epc,
    /// The container holding it directly (canonical form).
    pub container: String,
}

/// The trade items inside `container` at `at`, through cases on pallets, [`CONTAINER_DEPTH`]
/// levels down, as the stored aggregation events (not declared in error) say.
#[tracing::instrument(skip(conn))]
pub fn contents(
    conn: &mut DbConn,
    container: &Epc,
    at: NaiveDateTime,
) -> Result<Vec<Held>, DomainError> {
    let held = Contents::load(conn, std::iter::once(container.canonical()))?;
    Ok(held.leaves(container.canonical(), at))
}

/// Where a shipment says it comes from: its latest shipping event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// When it was shipped (UTC).
    pub shipped_at: NaiveDateTime,
    /// The place: the event's `location` source, else its business location or read point.
    pub place: Option<String>,
    /// The place's country, as [`crate::journeys::country_of`] approximates it.
    pub country: Option<&'static str>,
}

/// The latest shipping event naming `container` (not declared in error), if any.
#[tracing::instrument(skip(conn))]
pub fn origin(conn: &mut DbConn, container: &Epc) -> Result<Option<Origin>, DomainError> {
    let rows = db::events::naming(conn, &[container.canonical().to_owned()], 1_000)?;
    let Some(row) = rows
        .iter()
        .rev()
        .find(|r| r.declared_error_at.is_none() && r.biz_step.as_deref() == Some("shipping"))
    else {
        return Ok(None);
    };
    let value: serde_json::Value =
        serde_json::from_str(&row.body).map_err(DomainError::internal)?;
    let event = Event::from_json(&value).map_err(DomainError::internal)?;
    let place = event
        .sources
        .iter()
        .find(|s| s.kind == "location")
        .map(|s| &s.id)
        .or(event.biz_location.as_ref())
        .or(event.read_point.as_ref());
    Ok(Some(Origin {
        shipped_at: row.event_time,
        place: place.map(|p| p.canonical().to_owned()),
        country: place.and_then(crate::journeys::country_of),
    }))
}

/// What containers held over time, read level by level from the stored aggregations.
struct Contents {
    /// Aggregations by parent, in event time order.
    by_parent: HashMap<String, Vec<Link>>,
}

impl Contents {
    /// The aggregations of `containers`, and of the containers inside them, [`CONTAINER_DEPTH`]
    /// levels down.
    fn load<'a>(
        conn: &mut DbConn,
        containers: impl Iterator<Item = &'a str>,
    ) -> Result<Self, DomainError> {
        let mut by_parent: HashMap<String, Vec<Link>> = HashMap::new();
        let mut frontier: Vec<String> = containers
            .map(str::to_owned)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for _ in 0..CONTAINER_DEPTH {
            if frontier.is_empty() {
                break;
            }
            let links = db::custody::links(conn, &frontier, Direction::Contents)?;
            let mut next = HashSet::new();
            for link in &links {
                for (child, gtin) in &link.linked {
                    if gtin.is_none() && !by_parent.contains_key(child) {
                        next.insert(child.clone());
                    }
                }
            }
            for link in links {
                by_parent.entry(link.given.clone()).or_default().push(link);
            }
            for f in &frontier {
                by_parent.entry(f.clone()).or_default();
            }
            frontier = next
                .into_iter()
                .filter(|c| !by_parent.contains_key(c))
                .collect();
        }
        Ok(Contents { by_parent })
    }

    /// The serialised items (GTIN, serial) inside `container` at `at`, at any depth.
    fn items(&self, container: &str, at: NaiveDateTime) -> Vec<(String, String)> {
        self.leaves(container, at)
            .into_iter()
            .filter_map(|h| Some((h.epc.gtin()?.to_string(), h.epc.serial()?.to_owned())))
            .collect()
    }

    /// The trade items (instances and lots) inside `container` at `at`, at any depth, each
    /// with the container holding it directly.
    fn leaves(&self, container: &str, at: NaiveDateTime) -> Vec<Held> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        self.collect(container, at, 0, &mut seen, &mut out);
        out
    }

    fn collect(
        &self,
        container: &str,
        at: NaiveDateTime,
        depth: usize,
        seen: &mut HashSet<String>,
        out: &mut Vec<Held>,
    ) {
        if depth >= CONTAINER_DEPTH || !seen.insert(container.to_owned()) {
            return;
        }
        for child in self.held(container, at) {
            let Ok(epc) = Epc::parse(&child) else {
                continue;
            };
            if epc.gtin().is_some() {
                out.push(Held {
                    epc,
                    container: container.to_owned(),
                });
            } else {
                self.collect(&child, at, depth + 1, seen, out);
            }
        }
    }

    /// The children `container` held at `at`: added or observed inside it, not removed since.
    pub(crate) fn held(&self, container: &str, at: NaiveDateTime) -> Vec<String> {
        let mut held: Vec<String> = Vec::new();
        for link in self.by_parent.get(container).into_iter().flatten() {
            if link.event_time > at {
                break;
            }
            match link.action.as_deref() {
                Some("DELETE") if link.linked.is_empty() => held.clear(),
                Some("DELETE") => held.retain(|c| !link.linked.iter().any(|(l, _)| l == c)),
                _ => {
                    for (c, _) in &link.linked {
                        if !held.contains(c) {
                            held.push(c.clone());
                        }
                    }
                }
            }
        }
        held
    }
}

/// The recalled lots (and products) that the lot or item `gtin`/`lot`/`serial` was made from,
/// following transformation events back [`UPSTREAM_DEPTH`] steps: a recall flows downstream.
#[tracing::instrument(skip(conn))]
pub fn upstream_recalls(
    conn: &mut DbConn,
    gtin: &Gtin,
    lot: Option<&str>,
    serial: Option<&str>,
) -> Result<Vec<UpstreamRecall>, DomainError> {
    let mut start = Vec::new();
    for (ai, value) in [("10", lot), ("21", serial)] {
        if let Some(v) = value
            && let Ok(epc) = Epc::of_gtin(gtin, Some((ai, v)))
        {
            start.push(epc.canonical().to_owned());
        }
    }
    let mut seen: HashSet<String> = start.iter().cloned().collect();
    let mut frontier = start;
    let mut inputs: Vec<(Gtin, Option<String>)> = Vec::new();
    for _ in 0..UPSTREAM_DEPTH {
        if frontier.is_empty() || inputs.len() >= UPSTREAM_INPUTS {
            break;
        }
        let links = db::custody::links(conn, &frontier, Direction::Inputs)?;
        frontier = Vec::new();
        for (input, _) in links.into_iter().flat_map(|l| l.linked) {
            if !seen.insert(input.clone()) {
                continue;
            }
            if let Ok(epc) = Epc::parse(&input)
                && let Some(g) = epc.gtin()
            {
                inputs.push((g, epc.lot().map(str::to_owned)));
            }
            frontier.push(input);
        }
    }
    let mut out = Vec::new();
    let mut alerts: HashMap<Gtin, Vec<crate::alerts::ActiveAlert>> = HashMap::new();
    for (g, l) in inputs.into_iter().take(UPSTREAM_INPUTS) {
        let active = match alerts.entry(g) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(crate::alerts::active(conn, g.as_str())?)
            }
        };
        for a in active.iter() {
            if a.kind() == verdict::AlertKind::Recall && a.covers(l.as_deref()) {
                let r = UpstreamRecall {
                    gtin: g.to_string(),
                    lot: l.clone(),
                    title: a.row.title.clone(),
                };
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    Ok(out)
}

/// The GTINs made from `gtins`, directly or through several transformations (at most
/// [`UPSTREAM_DEPTH`] steps): the products a recall on one of `gtins` flows down to.
pub fn downstream_gtins(conn: &mut DbConn, gtins: &[String]) -> Result<Vec<String>, DomainError> {
    let mut seen: HashSet<String> = gtins.iter().cloned().collect();
    let mut frontier = gtins.to_vec();
    let mut out = Vec::new();
    for _ in 0..UPSTREAM_DEPTH {
        if frontier.is_empty() {
            break;
        }
        frontier = db::custody::made_from_gtins(conn, &frontier)?
            .into_iter()
            .filter(|g| seen.insert(g.clone()))
            .collect();
        out.extend(frontier.iter().cloned());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_steps_map_to_states_and_events_do_not_move_back() {
        let step = |s| state_after(Some(s), None);
        assert_eq!(step("retail_selling"), Some(SerialState::SoldDispensed));
        assert_eq!(step("receiving"), Some(SerialState::Shipped));
        assert_eq!(step("inspecting"), None);
        assert_eq!(
            state_after(Some("holding"), Some("recalled")),
            Some(SerialState::Recalled)
        );
        assert_eq!(state_after(None, Some("active")), None);
        assert!(follows(
            SerialState::Commissioned,
            SerialState::SoldDispensed
        ));
        assert!(!follows(SerialState::Shipped, SerialState::Commissioned));
        assert!(!follows(SerialState::Destroyed, SerialState::Shipped));
        assert!(!follows(SerialState::SoldDispensed, SerialState::Shipped));
    }

    #[test]
    fn only_owners_and_authorities_end_an_item_or_recall_it() {
        assert!(may_move(false, false, SerialState::SoldDispensed));
        assert!(!may_move(false, false, SerialState::Destroyed));
        assert!(!may_move(false, false, SerialState::Recalled));
        assert!(may_move(true, false, SerialState::Recalled));
        assert!(may_move(false, true, SerialState::Decommissioned));
    }
}
