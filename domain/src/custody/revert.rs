//! Undoing what an event declared in error did to serial states (EPCIS 2.0 §7.4.1.2: the
//! declaration says the event did not happen as recorded).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use db::DbConn;
use epcis::{Action, Epc, Event};

use super::{follows, may_move, moves_of, moving, state_after};
use crate::{Caller, OrgKind, error::DomainError, serials::SerialState};

/// Puts back the registered serials that `declared` (stored events just declared in error)
/// had moved: a serial whose state and its time are still what such an event set takes the
/// state of the events left on its journey (its own and its containers' while packed, not its
/// inputs'), replayed in time order under the same rules as [`super::follow`], or commissioned when
/// none is left; returns how many serials changed. Call after the declarations are stored.
pub(crate) fn revert(
    conn: &mut DbConn,
    who: &Caller,
    capture_id: &str,
    declared: &[&Event],
) -> Result<usize, DomainError> {
    let moving = moving(declared.iter().copied());
    if moving.is_empty() {
        return Ok(0);
    }
    // What each serial was moved to, and when, by the declared events.
    let mut by_gtin: BTreeMap<String, HashMap<String, Vec<(SerialState, NaiveDateTime)>>> =
        BTreeMap::new();
    for m in moves_of(conn, &moving)? {
        by_gtin
            .entry(m.gtin)
            .or_default()
            .entry(m.serial)
            .or_default()
            .push((m.to, m.at));
    }
    let now = db::now();
    let mut reverted = 0;
    for (gtin, set) in by_gtin {
        let Some(product) = db::products::find_many(conn, &[gtin.as_str()])?.pop() else {
            continue;
        };
        let names: Vec<String> = set.keys().cloned().collect();
        let mut changed = Vec::new();
        for row in db::serials::get_serials(conn, &gtin, &names)? {
            let Ok(state) = row.state.parse::<SerialState>() else {
                continue;
            };
            let set_by_declared = set.get(&row.serial).is_some_and(|moves| {
                moves
                    .iter()
                    .any(|(to, at)| *to == state && row.state_since == Some(*at))
            });
            if !set_by_declared {
                continue;
            }
            let (to, since) = replay(conn, &gtin, &row.serial, &product.org_id)?;
            db::serials::set_state_since(conn, &gtin, &row.serial, to.as_str(), since, now)?;
            changed.push(row.serial);
        }
        if !changed.is_empty() {
            changed.sort();
            crate::record(
                conn,
                &who.actor(),
                Some(&product.org_id),
                "serial.state.reverted",
                ("product", &gtin),
                &serde_json::json!({"capture": capture_id, "count": changed.len(),
                    "first": changed.first(), "last": changed.last()}),
            )?;
            reverted += changed.len();
        }
    }
    Ok(reverted)
}

/// The state serial `serial` of `gtin` (owned by `owner`) is in after the events left on its
/// journey, and since when (none: as commissioned).
fn replay(
    conn: &mut DbConn,
    gtin: &str,
    serial: &str,
    owner: &str,
) -> Result<(SerialState, Option<NaiveDateTime>), DomainError> {
    use gs1::digital_link::{UriPart, escape};
    let target = Epc::parse(&format!(
        "https://id.gs1.org/01/{gtin}/21/{}",
        escape(serial, UriPart::Path)
    ))
    .map_err(DomainError::internal)?;
    let (stored, _) = crate::journeys::gather(conn, &target)?;
    let events: Vec<Event> = stored.iter().map(|s| s.event.clone()).collect();
    let mut authorities: HashMap<String, bool> = HashMap::new();
    let mut state = (SerialState::Commissioned, None);
    for step in epcis::journey::journey(std::slice::from_ref(&target), &events) {
        if matches!(step.via, epcis::journey::Via::Input(_))
            || step.event.action == Some(Action::Delete)
        {
            continue;
        }
        let Some(to) = state_after(
            step.event.biz_step.as_deref(),
            step.event.disposition.as_deref(),
        ) else {
            continue;
        };
        let Some(org) = events
            .iter()
            .position(|e| std::ptr::eq(e, step.event))
            .map(|i| stored[i].org_id.clone())
        else {
            continue;
        };
        let authority = match authorities.get(&org) {
            Some(a) => *a,
            None => {
                let a = db::orgs::get(conn, &org)?.kind == OrgKind::Authority.as_str();
                authorities.insert(org.clone(), a);
                a
            }
        };
        if follows(state.0, to) && may_move(authority, org == owner, to) {
            state = (to, Some(step.event.event_time.naive_utc()));
        }
    }
    Ok(state)
}
