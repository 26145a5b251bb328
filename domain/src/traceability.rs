//! EPCIS capture and queries: who may capture, one stored copy per event (by its CBV 2.0 hash
//! id), error declarations marking the events they correct, and who sees which events.

use std::collections::{HashMap, HashSet};

use db::{
    DbConn,
    events::{CaptureRow, EventRow, ObjectRow},
};
use epcis::{Document, EpcFormat, Event, epc::Gs1GcpTable};
use serde::Serialize;
use serde_json::Value;

use crate::{Caller, OrgKind, Role, error::DomainError};

mod query;

pub use query::{EventPage, MAX_EXAMINED, NamePage, get, names, query, query_in, resume_token};

/// Events a capture document may hold (the REST binding's `GS1-EPCIS-Capture-Limit`).
pub const CAPTURE_LIMIT: usize = 10_000;

/// What a capture does when some events are invalid (`GS1-Capture-Error-Behaviour`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorBehaviour {
    /// Store nothing unless every event is valid (the standard's default).
    #[default]
    Rollback,
    /// Store the valid events, report the others.
    Proceed,
}

impl ErrorBehaviour {
    /// `rollback` or `proceed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorBehaviour::Rollback => "rollback",
            ErrorBehaviour::Proceed => "proceed",
        }
    }

    /// The behaviour a header value names.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s {
            "rollback" => Ok(ErrorBehaviour::Rollback),
            "proceed" => Ok(ErrorBehaviour::Proceed),
            _ => Err(DomainError::field(
                "GS1-Capture-Error-Behaviour",
                "must be rollback or proceed",
            )),
        }
    }
}

/// Why one event of a capture was not stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventFailure {
    /// The event's position in `eventList`, from 0.
    pub index: usize,
    /// Where in the document (`epcisBody.eventList[3].readPoint.id`).
    pub path: String,
    /// Why.
    pub reason: String,
}

/// Who may capture: admins, exporters and inspectors of any organisation (an importer records
/// the receipt of foreign goods; the identifiers need not be registered here).
pub fn require_capturer(who: &Caller) -> Result<(), DomainError> {
    match who.role {
        Role::Admin | Role::Exporter | Role::Inspector => Ok(()),
        Role::Certifier => Err(DomainError::Forbidden(
            "requires the exporter, inspector or admin role",
        )),
    }
}

/// What a capture did: its record, and the stored id (hash id) of each event it accepted, by
/// position (an event already stored counts, with the id it was stored under).
#[derive(Clone, Debug)]
pub struct Captured {
    /// The capture record.
    pub row: CaptureRow,
    /// (position in eventList, hash id of the stored event).
    pub ids: Vec<(usize, String)>,
    /// The events refused, by position.
    pub failures: Vec<EventFailure>,
    /// GTINs made by the transformations stored, and the GTINs made from them: their lots'
    /// verdicts may now inherit a recall, so their cached answers are stale.
    pub made: Vec<String>,
}

/// Captures a document's events; the capture record says what was stored and what failed.
#[tracing::instrument(skip_all, fields(events = doc.events.len()))]
pub fn capture(
    conn: &mut DbConn,
    who: &Caller,
    doc: &Document,
    behaviour: ErrorBehaviour,
) -> Result<Captured, DomainError> {
    let row = new_capture(who, doc, behaviour)?;
    run(conn, who, doc, behaviour, row, false)
}

/// Records a background capture of `doc` as running under the process lease `lease`;
/// [`finish`] then captures it.
pub fn begin(
    conn: &mut DbConn,
    who: &Caller,
    doc: &Document,
    behaviour: ErrorBehaviour,
    lease: &str,
) -> Result<CaptureRow, DomainError> {
    let mut row = new_capture(who, doc, behaviour)?;
    row.running = true;
    row.lease = Some(lease.to_owned());
    db::events::insert_capture(conn, &row)?;
    Ok(row)
}

/// Captures the document of the running capture `row` that [`begin`] recorded.
#[tracing::instrument(skip_all, fields(events = doc.events.len()))]
pub fn finish(
    conn: &mut DbConn,
    who: &Caller,
    doc: &Document,
    behaviour: ErrorBehaviour,
    row: CaptureRow,
) -> Result<Captured, DomainError> {
    run(conn, who, doc, behaviour, row, true)
}

/// Records that the running capture `row` failed as a whole (nothing of it was stored).
pub fn fail(conn: &mut DbConn, mut row: CaptureRow, reason: &str) -> Result<(), DomainError> {
    stopped(&mut row, reason)?;
    db::events::update_capture(conn, &row)?;
    Ok(())
}

/// `row` as a capture that stopped before storing anything, for `reason`.
fn stopped(row: &mut CaptureRow, reason: &str) -> Result<(), DomainError> {
    let failure = [EventFailure {
        index: 0,
        path: "epcisBody".to_owned(),
        reason: reason.to_owned(),
    }];
    row.running = false;
    row.success = false;
    row.stored = 0;
    row.duplicates = 0;
    row.errors = serde_json::to_string(&failure).map_err(DomainError::internal)?;
    row.finished_at = db::now();
    Ok(())
}

/// The record of a new capture of `doc`, once the caller and the document's size are checked.
fn new_capture(
    who: &Caller,
    doc: &Document,
    behaviour: ErrorBehaviour,
) -> Result<CaptureRow, DomainError> {
    require_capturer(who)?;
    if doc.events.len() > CAPTURE_LIMIT {
        return Err(DomainError::field(
            "epcisBody.eventList",
            format!("holds more than {CAPTURE_LIMIT} events (GS1-EPCIS-Capture-Limit)"),
        ));
    }
    let now = db::now();
    Ok(CaptureRow {
        id: db::new_id(),
        org_id: who.org_id.clone(),
        actor: who.actor().as_str().to_owned(),
        behaviour: behaviour.as_str().to_owned(),
        events: count(doc.events.len())?,
        stored: 0,
        duplicates: 0,
        success: false,
        errors: "[]".to_owned(),
        created_at: now,
        finished_at: now,
        running: false,
        lease: None,
    })
}

/// Stores what can be stored of `doc` and writes the capture record `row` (over its running
/// record when `recorded`).
fn run(
    conn: &mut DbConn,
    who: &Caller,
    doc: &Document,
    behaviour: ErrorBehaviour,
    row: CaptureRow,
    recorded: bool,
) -> Result<Captured, DomainError> {
    let mut failures = Vec::new();
    let mut prepared = Vec::new();
    for (index, event) in doc.events.iter().enumerate() {
        match event
            .as_ref()
            .map_err(|e| (e.path.to_string(), e.reason.clone()))
            .and_then(|e| prepare(e, &doc.context).map(|p| (e, p)))
        {
            Ok((event, p)) => prepared.push((index, event, p)),
            Err((path, reason)) => failures.push(EventFailure {
                index,
                path,
                reason,
            }),
        }
    }
    db::write_transaction(conn, |conn| {
        let rollback = behaviour == ErrorBehaviour::Rollback && !failures.is_empty();
        let mut stored = 0;
        let mut duplicates = 0;
        let mut ids = Vec::new();
        let mut made = Vec::new();
        if !rollback {
            let outcome = store(conn, who, &row.id, prepared.clone(), &mut failures)?;
            stored = outcome.stored;
            duplicates = outcome.duplicates;
            ids = outcome.ids;
            if !outcome.made.is_empty() {
                made = crate::custody::downstream_gtins(conn, &outcome.made)?;
                made.extend(outcome.made);
            }
        }
        failures.sort_by_key(|f| f.index);
        let mut row = row.clone();
        row.stored = count(stored)?;
        row.duplicates = count(duplicates)?;
        row.success = failures.is_empty();
        row.errors = serde_json::to_string(&failures).map_err(DomainError::internal)?;
        row.finished_at = db::now();
        row.running = false;
        if recorded {
            db::events::update_capture(conn, &row)?;
        } else {
            db::events::insert_capture(conn, &row)?;
        }
        crate::record(
            conn,
            &who.actor(),
            Some(&who.org_id),
            "epcis.capture",
            ("epcis_capture", &row.id),
            &row,
        )?;
        Ok(Captured {
            row,
            ids,
            failures: failures.clone(),
            made,
        })
    })
}

fn count(n: usize) -> Result<i32, DomainError> {
    i32::try_from(n).map_err(DomainError::internal)
}

/// An event ready to store: its hash id and its canonical JSON. The CBV 2.0 hash leaves
/// `errorDeclaration` out, so an error declaration (the erroneous event restated with it, EPCIS
/// 2.0 §7.4.1.2) has the hash id of the event it declares in error.
#[derive(Clone)]
struct Prepared {
    hash: String,
    json: Value,
}

fn prepare(event: &Event, context: &Value) -> Result<Prepared, (String, String)> {
    let mut json = event.to_json(EpcFormat::DigitalLink, &Gs1GcpTable);
    let hash = epcis::hash::written_event_hash_id(&json, context)
        .map_err(|e| ("(event)".to_owned(), e.to_string()))?;
    // The namespaces of the document's extension prefixes go with each event, so an answer
    // that mixes events of several captures can still declare every prefix it uses.
    let namespaces: Vec<&Value> = match context {
        Value::Array(items) => items.iter().filter(|c| c.is_object()).collect(),
        Value::Object(_) => vec![context],
        _ => Vec::new(),
    };
    if let Some(o) = json.as_object_mut()
        && !namespaces.is_empty()
        && !o.contains_key("@context")
    {
        o.insert(
            "@context".into(),
            Value::Array(namespaces.into_iter().cloned().collect()),
        );
    }
    Ok(Prepared { hash, json })
}

/// What [`store`] did: events stored, duplicates, and the stored id of each accepted event by
/// position.
struct Stored {
    stored: usize,
    duplicates: usize,
    ids: Vec<(usize, String)>,
    /// GTINs of the outputs of the transformations stored.
    made: Vec<String>,
}

/// Stores the prepared events not stored yet.
fn store(
    conn: &mut DbConn,
    who: &Caller,
    capture_id: &str,
    prepared: Vec<(usize, &Event, Prepared)>,
    failures: &mut Vec<EventFailure>,
) -> Result<Stored, DomainError> {
    let mut ids: Vec<&str> = Vec::new();
    for (_, e, p) in &prepared {
        ids.push(&p.hash);
        ids.extend(e.event_id.as_deref());
    }
    // Each stored event by its hash id and by its event id: (hash id, declared in error).
    let stored: HashMap<String, (String, bool)> = db::events::existing(conn, &ids)?
        .into_iter()
        .flat_map(|(hash, event_id, declared)| {
            let given = event_id.map(|id| (id, (hash.clone(), declared)));
            std::iter::once((hash.clone(), (hash, declared))).chain(given)
        })
        .collect();
    let now = db::now();
    let mut rows: Vec<EventRow> = Vec::new();
    // New rows of this document by hash id, so a declaration can mark one of them.
    let mut new_rows: HashMap<String, usize> = HashMap::new();
    // The identifiers of each new row, by the row's position, until the rows have keys.
    let mut named: Vec<(usize, &'static str, &epcis::Epc)> = Vec::new();
    let mut duplicates = 0;
    let mut in_document = HashSet::new();
    let mut declared: Vec<(String, chrono::NaiveDateTime)> = Vec::new();
    // The stored events those declarations restate, whose effect on serials is undone.
    let mut restated: Vec<&Event> = Vec::new();
    let mut ids = Vec::new();
    let mut new_events: Vec<&Event> = Vec::new();
    for (index, event, p) in prepared {
        // The CBV hash leaves errorDeclaration out, so an event and its declaration share a
        // hash id; they are told apart here by whether the declaration is present.
        if !in_document.insert((p.hash.clone(), event.error_declaration.is_some())) {
            duplicates += 1;
            ids.push((index, p.hash.clone()));
            continue;
        }
        if let Some(d) = &event.error_declaration {
            let at = d.declaration_time.naive_utc();
            let lookup = |id: &str| stored.get(id).cloned();
            let target = event
                .event_id
                .as_deref()
                .and_then(lookup)
                .or_else(|| lookup(&p.hash));
            if let Some((target, already)) = target {
                ids.push((index, target.clone()));
                if already {
                    duplicates += 1;
                } else {
                    // The declaration marks the stored event rather than becoming a second
                    // copy of it: queries then return the original with its errorDeclaration.
                    declared.push((target.clone(), at));
                    restated.push(event);
                    db::events::replace_body(conn, &target, &p.json.to_string())?;
                }
                continue;
            }
            if let Some(&i) = new_rows.get(&p.hash) {
                rows[i].declared_error_at = Some(at);
                rows[i].body = p.json.to_string();
                ids.push((index, p.hash.clone()));
                continue;
            }
        } else if stored.contains_key(&p.hash) || new_rows.contains_key(&p.hash) {
            duplicates += 1;
            ids.push((index, p.hash.clone()));
            continue;
        }
        let event_id = event.event_id.as_deref().unwrap_or(&p.hash);
        if let Some((other, _)) = stored.get(event_id)
            && *other != p.hash
        {
            failures.push(EventFailure {
                index,
                path: format!("epcisBody.eventList[{index}].eventID"),
                reason: "another event was captured with this eventID".to_owned(),
            });
            continue;
        }
        named.extend(
            event
                .roles()
                .into_iter()
                .map(|(role, epc)| (rows.len(), role, epc)),
        );
        ids.push((index, p.hash.clone()));
        new_events.push(event);
        new_rows.insert(p.hash.clone(), rows.len());
        rows.push(EventRow {
            seq: 0,
            id: p.hash.clone(),
            event_id: event.event_id.clone(),
            event_type: event.kind.as_str().to_owned(),
            event_time: event.event_time.naive_utc(),
            record_time: now,
            action: event.action.map(|a| a.as_str().to_owned()),
            biz_step: event.biz_step.clone(),
            disposition: event.disposition.clone(),
            read_point: event.read_point.as_ref().map(|e| e.canonical().to_owned()),
            biz_location: event
                .biz_location
                .as_ref()
                .map(|e| e.canonical().to_owned()),
            org_id: who.org_id.clone(),
            capture_id: capture_id.to_owned(),
            declared_error_at: event
                .error_declaration
                .as_ref()
                .map(|d| d.declaration_time.naive_utc()),
            body: p.json.to_string(),
        });
    }
    let keys = db::events::reserve_keys(conn, rows.len())?;
    for (row, key) in rows.iter_mut().zip(&keys) {
        row.seq = *key;
    }
    let objects: HashSet<ObjectRow> = named
        .into_iter()
        .map(|(i, role, epc)| ObjectRow {
            epc: epc.canonical().to_owned(),
            event_seq: keys[i],
            role: role.to_owned(),
            gtin: epc.gtin().map(|g| g.to_string()),
        })
        .collect();
    let objects: Vec<ObjectRow> = objects.into_iter().collect();
    db::events::insert(conn, &rows, &objects)?;
    crate::custody::follow(conn, who, capture_id, &new_events)?;
    let made: HashSet<String> = new_events
        .iter()
        .filter(|e| e.kind == epcis::EventType::Transformation)
        .flat_map(|e| e.roles())
        .filter(|(role, _)| role.starts_with("output"))
        .filter_map(|(_, epc)| epc.gtin().map(|g| g.to_string()))
        .collect();
    for (id, at) in declared {
        db::events::declare_errors(conn, &[id.as_str()], at)?;
    }
    crate::custody::revert(conn, who, capture_id, &restated)?;
    Ok(Stored {
        stored: rows.len(),
        duplicates,
        ids,
        made: made.into_iter().collect(),
    })
}

/// Whose events a caller sees in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every event: admins and authority inspectors (customs, market surveillance).
    All,
    /// Events this organisation captured, or naming GTINs it owns.
    Org(String),
}

/// The scope of `who`.
pub fn scope(conn: &mut DbConn, who: &Caller) -> Result<Scope, DomainError> {
    if who.is_admin() {
        return Ok(Scope::All);
    }
    if who.role == Role::Inspector {
        let org = db::orgs::get(conn, &who.org_id)?;
        if org.kind == OrgKind::Authority.as_str() {
            return Ok(Scope::All);
        }
    }
    Ok(Scope::Org(who.org_id.clone()))
}

/// The capture `id`, for members of the capturing organisation and admins.
pub fn get_capture(conn: &mut DbConn, who: &Caller, id: &str) -> Result<CaptureRow, DomainError> {
    let mut row = db::events::get_capture(conn, id)?.ok_or(DomainError::NotFound)?;
    who.require_member_of(&row.org_id)?;
    // A background capture whose process is gone will never finish: its one transaction was
    // never committed, so nothing of it is stored.
    if row.running
        && let Some(lease) = row.lease.clone()
        && !db::lease::is_held(conn, &lease)?
    {
        stopped(
            &mut row,
            "the server capturing this document stopped before it finished; nothing was \
             stored: capture the document again",
        )?;
        db::events::update_capture(conn, &row)?;
    }
    Ok(row)
}
