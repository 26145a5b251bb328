//! Serial numbers of a product: bulk commissioning as resumable jobs, and the serial state machine.
//!
//! Commissioning is chunk-wise, not atomic: each chunk of [`CHUNK`] serials is one transaction
//! that inserts the rows, advances the job's `done` and appends one audit entry. If a chunk fails
//! (a serial exists already), the job is `failed` with `done` = serials committed before it and
//! the error naming the serial; a retry with the same `Idempotency-Key` and body resumes at `done`.
//!
//! Who runs a job: the process whose lease (`db::lease`) the row names. A retry of a `running`
//! job resumes it at once when that lease is free (its process died: a crash, `kill -9`, a
//! restart), and answers `running` while the process lives and is running it. Within a process a
//! job runs once at a time. Jobs from before leases (no worker) count as abandoned 30 s after
//! their last progress.

use crate::error::InvalidValue;
use crate::error::invalid;
use std::{collections::HashMap, fmt, str::FromStr};

use gs1::keys::{Gtin, Lot, Serial};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{lots, record};
use crate::{caller::Caller, error::DomainError};
use db::{
    self, DbConn,
    serials::{JobRow, NewSerial, SerialRow},
};

/// Serials per transaction.
pub const CHUNK: usize = 8_000;
/// The most serials one commissioning request may ask for.
pub const MAX_COMMISSION: i64 = 1_000_000;
/// The most serials one bulk state change may list.
pub const MAX_BULK: usize = 100_000;
/// A `running` job without a worker lease (from before leases) not advanced for this long is
/// taken as abandoned and may be resumed.
const STALE_SECS: i64 = 30;

/// Where a serialised item is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SerialState {
    /// Issued, not yet shipped.
    Commissioned,
    /// Left the producer.
    Shipped,
    /// Sold or dispensed to the consumer.
    SoldDispensed,
    /// Taken out of use; cannot come back.
    Decommissioned,
    /// Recalled.
    Recalled,
    /// Destroyed: terminal.
    Destroyed,
}

impl SerialState {
    /// Every state.
    pub const ALL: [Self; 6] = [
        Self::Commissioned,
        Self::Shipped,
        Self::SoldDispensed,
        Self::Decommissioned,
        Self::Recalled,
        Self::Destroyed,
    ];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Commissioned => "commissioned",
            Self::Shipped => "shipped",
            Self::SoldDispensed => "sold_dispensed",
            Self::Decommissioned => "decommissioned",
            Self::Recalled => "recalled",
            Self::Destroyed => "destroyed",
        }
    }

    /// Whether `self -> to` is allowed: commissioned -> shipped -> sold_dispensed; any state but
    /// destroyed -> decommissioned, recalled or destroyed; decommissioned only -> destroyed; never
    /// to the same state.
    pub fn can_become(self, to: Self) -> bool {
        use SerialState::*;
        match (self, to) {
            (Commissioned, Shipped) | (Shipped, SoldDispensed) => true,
            (Destroyed, _) => false,
            (Decommissioned, to) => to == Destroyed,
            (from, Decommissioned | Recalled | Destroyed) => from != to,
            _ => false,
        }
    }
}

impl FromStr for SerialState {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, InvalidValue> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                invalid!(
                    "unknown state {s:?}: use commissioned, shipped, sold_dispensed, \
                     decommissioned, recalled or destroyed"
                )
            })
    }
}

impl fmt::Display for SerialState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which serials to commission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerialSet {
    /// `prefix` then `start..start+count` zero-padded to `width` digits.
    Range {
        /// Leading characters.
        prefix: String,
        /// First number.
        start: u64,
        /// How many.
        count: u64,
        /// Digits.
        width: usize,
    },
    /// An explicit list without duplicates.
    List(Vec<Serial>),
}

impl SerialSet {
    /// A validated range; each error names its field.
    pub fn range(prefix: &str, start: i64, count: i64, width: i64) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let mut bad = |f: &str, r: String| errors.push(crate::error::FieldError::new(f, r));
        if !prefix.is_empty()
            && let Err(e) = Serial::parse(prefix)
        {
            bad("range.prefix", e.to_string());
        }
        if start < 0 {
            bad("range.start", "must not be negative".into());
        }
        if !(1..=MAX_COMMISSION).contains(&count) {
            bad(
                "range.count",
                format!("must be between 1 and {MAX_COMMISSION}"),
            );
        }
        let room = Serial::MAX_LEN.saturating_sub(prefix.chars().count()) as i64;
        if !(1..=room.min(19)).contains(&width) {
            bad(
                "range.width",
                format!(
                    "must be between 1 and {} so serials fit 20 characters",
                    room.min(19)
                ),
            );
        } else if start >= 0 && count >= 1 {
            let last = start.saturating_add(count - 1);
            if last.checked_ilog10().unwrap_or(0) + 1 > width as u32 {
                bad(
                    "range.count",
                    format!("the last number {last} needs more than {width} digits"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(Self::Range {
            prefix: prefix.to_owned(),
            start: start as u64,
            count: count as u64,
            width: width as usize,
        })
    }

    /// A validated list: 1 to [`MAX_COMMISSION`] serials, no duplicates.
    pub fn list(serials: Vec<Serial>) -> Result<Self, DomainError> {
        if serials.is_empty() || serials.len() as i64 > MAX_COMMISSION {
            return Err(DomainError::field(
                "serials",
                format!("must list between 1 and {MAX_COMMISSION} serials"),
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(serials.len());
        for (i, s) in serials.iter().enumerate() {
            if let Some(j) = seen.insert(s.as_str(), i) {
                return Err(DomainError::field(
                    format!("serials[{i}]"),
                    format!("{s} is listed twice (also at serials[{j}])"),
                ));
            }
        }
        Ok(Self::List(serials))
    }

    /// How many serials.
    pub fn len(&self) -> u64 {
        match self {
            Self::Range { count, .. } => *count,
            Self::List(v) => v.len() as u64,
        }
    }

    /// Whether there are none (never, once validated).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The serials at positions `from..to`.
    pub fn slice(&self, from: u64, to: u64) -> Vec<String> {
        match self {
            Self::Range {
                prefix,
                start,
                width,
                ..
            } => (from..to)
                .map(|i| format!("{prefix}{:0width$}", start + i, width = *width))
                .collect(),
            Self::List(v) => v[from as usize..to as usize]
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        }
    }

    fn digest(&self, gtin: &Gtin, lot: Option<&Lot>) -> String {
        let mut h = Sha256::new();
        h.update(b"gs1dpp-commission-v1\0");
        h.update(gtin.as_str());
        h.update(b"\0");
        h.update(lot.map_or("", Lot::as_str));
        h.update(b"\0");
        match self {
            Self::Range {
                prefix,
                start,
                count,
                width,
            } => h.update(format!("range\0{prefix}\0{start}\0{count}\0{width}")),
            Self::List(v) => {
                h.update(b"list");
                for s in v {
                    h.update(b"\0");
                    h.update(s.as_str());
                }
            }
        }
        hex::encode(h.finalize())
    }
}

/// A validated commissioning request.
#[derive(Clone, Debug)]
pub struct Commission {
    /// The caller's idempotency key.
    pub key: String,
    /// The serials.
    pub set: SerialSet,
    /// The lot they belong to.
    pub lot: Option<Lot>,
}

/// Checks an `Idempotency-Key`: 1 to 128 printable ASCII characters.
pub fn idempotency_key(v: Option<&str>) -> Result<String, DomainError> {
    let bad = |reason: &str| DomainError::Malformed {
        detail: format!("Idempotency-Key header {reason}"),
        errors: vec![crate::error::FieldError::new("Idempotency-Key", reason)],
    };
    let v = v.ok_or_else(|| bad("is required"))?;
    if v.is_empty() || v.len() > 128 || !v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(bad("must be 1 to 128 printable ASCII characters"));
    }
    Ok(v.to_owned())
}

/// The job's outcome for the caller: the job, and whether this request created it.
#[derive(Debug)]
pub struct Outcome {
    /// The job as it stands.
    pub job: JobRow,
    /// True when this request created the job.
    pub created: bool,
}

/// Starts, replays or resumes the job for `req.key` as the worker holding `lease`, then
/// commissions its remaining serials.
#[tracing::instrument(skip(conn, who, req, lease), fields(total = req.set.len()))]
pub fn commission(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    req: Commission,
    lease: &db::lease::ProcessLease,
) -> Result<Outcome, DomainError> {
    let actor = who.actor();
    let digest = req.set.digest(gtin, req.lot.as_ref());
    let (job, claim) = db::write_transaction(conn, |conn| {
        let org_id = lots::writable(conn, who, gtin)?;
        // A discontinued product makes no new items; its GTIN stays reserved forever.
        if db::serials::product(conn, gtin.as_str())?.is_some_and(|p| p.status == "discontinued") {
            return Err(DomainError::Conflict(format!(
                "product {gtin} is discontinued: no new serials can be commissioned"
            )));
        }
        if let Some(lot) = &req.lot
            && matches!(
                db::serials::get_lot(conn, gtin.as_str(), lot.as_str()),
                Err(diesel::result::Error::NotFound)
            )
        {
            return Err(DomainError::field(
                "lot",
                format!("GTIN {gtin} has no lot {lot}; create it first"),
            ));
        }
        let now = db::now();
        match db::serials::job_by_key(conn, &org_id, &req.key)? {
            Some(job) if job.request_digest != digest => Err(DomainError::Conflict(format!(
                "Idempotency-Key {:?} was used for a different request (job {})",
                req.key, job.id
            ))),
            Some(mut job) => {
                let Some(claim) = takeable(conn, &job, lease, now)? else {
                    return Ok((job, None));
                };
                if !db::serials::take_job(conn, &job, lease.id(), now)? {
                    // Another process took it between the read and the write.
                    return Ok((job, None));
                }
                job.status = "running".into();
                job.error = None;
                job.updated_at = now;
                job.worker = Some(lease.id().to_owned());
                Ok((job, Some(claim)))
            }
            None => {
                let job = JobRow {
                    id: db::new_id(),
                    org_id: org_id.clone(),
                    gtin: gtin.as_str().to_owned(),
                    idempotency_key: req.key.clone(),
                    request_digest: digest.clone(),
                    total: req.set.len() as i64,
                    done: 0,
                    status: "running".into(),
                    error: None,
                    created_by: actor.as_str().to_owned(),
                    created_at: now,
                    updated_at: now,
                    worker: Some(lease.id().to_owned()),
                };
                let claim = lease
                    .claim(&job.id)
                    .ok_or_else(|| DomainError::Internal("a new job id is claimed".into()))?;
                db::serials::insert_job(conn, &job)?;
                record(
                    conn,
                    &actor,
                    Some(&org_id),
                    "commission_job.create",
                    ("commission_job", &job.id),
                    &job,
                )?;
                Ok((job, Some(claim)))
            }
        }
    })?;
    // A claim means "this request has work to do"; a new job is one with done == 0.
    let Some(_claim) = claim else {
        return Ok(Outcome {
            job,
            created: false,
        });
    };
    let fresh = job.done == 0 && job.created_at == job.updated_at;
    let job = run(conn, &actor, job, &req)?;
    Ok(Outcome {
        job,
        created: fresh,
    })
}

/// A claim on `job` for this process if this request should run it: it failed, or it is
/// `running` but its worker is gone (another process whose lease is free, or this process
/// without a run in progress; a job from before leases once it is stale).
fn takeable<'l>(
    conn: &mut DbConn,
    job: &JobRow,
    lease: &'l db::lease::ProcessLease,
    now: chrono::NaiveDateTime,
) -> Result<Option<db::lease::Claim<'l>>, DomainError> {
    let abandoned = match (job.status.as_str(), job.worker.as_deref()) {
        ("failed", _) => true,
        ("running", Some(w)) if w == lease.id() => true,
        ("running", Some(w)) => !db::lease::is_held(conn, w)?,
        ("running", None) => (now - job.updated_at).num_seconds() >= STALE_SECS,
        _ => false,
    };
    // This process's own running job is taken only if no run of it is in progress here.
    Ok(if abandoned {
        lease.claim(&job.id)
    } else {
        None
    })
}

/// Why a chunk's transaction rolled back.
#[derive(Debug)]
enum ChunkError {
    /// A serial of the chunk exists already.
    Duplicate,
    /// Anything else.
    Api(DomainError),
}

impl From<diesel::result::Error> for ChunkError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Api(e.into())
    }
}

/// Commissions the job's serials from `done` on, one transaction per chunk.
fn run(
    conn: &mut DbConn,
    actor: &super::Actor,
    mut job: JobRow,
    req: &Commission,
) -> Result<JobRow, DomainError> {
    let total = job.total as u64;
    let lot = req.lot.as_ref().map_or("", Lot::as_str);
    while (job.done as u64) < total {
        let from = job.done as u64;
        let to = (from + CHUNK as u64).min(total);
        let batch = req.set.slice(from, to);
        let now = db::now();
        let status = if to == total { "done" } else { "running" };
        let result = db::write_transaction(conn, |conn| {
            let rows: Vec<NewSerial<'_>> = batch
                .iter()
                .map(|s| NewSerial {
                    gtin: &job.gtin,
                    serial: s.clone(),
                    org_id: &job.org_id,
                    lot,
                    state: SerialState::Commissioned.as_str(),
                    job_id: Some(&job.id),
                    updated_at: now,
                })
                .collect();
            db::serials::insert_serials(conn, &rows).map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => ChunkError::Duplicate,
                other => ChunkError::Api(other.into()),
            })?;
            if !db::serials::advance_job(conn, &job.id, from as i64, to as i64, status, now)? {
                return Err(ChunkError::Api(DomainError::Conflict(format!(
                    "job {} is being resumed by another request",
                    job.id
                ))));
            }
            record(
                conn,
                actor,
                Some(&job.org_id),
                "serial.commission",
                ("commission_job", &job.id),
                &serde_json::json!({"gtin": job.gtin, "lot": lot, "from": from, "to": to,
                    "first": batch.first(), "last": batch.last()}),
            )
            .map_err(|e| ChunkError::Api(e.into()))?;
            Ok(())
        });
        match result {
            Ok(()) => {
                job.done = to as i64;
                job.status = status.to_owned();
                job.updated_at = now;
            }
            Err(ChunkError::Duplicate) => {
                let dup = db::serials::first_existing(conn, &job.gtin, &batch)?;
                let msg = match dup {
                    Some(s) => format!("serial {s} already exists for GTIN {}", job.gtin),
                    None => format!("serials {from}..{to} conflict with existing rows"),
                };
                let detail = format!("commission job {} failed: {msg}", job.id);
                db::serials::set_job_status(conn, &job.id, "failed", Some(&msg), db::now())?;
                return Err(DomainError::Conflict(detail));
            }
            Err(ChunkError::Api(e)) => {
                let msg = e.to_string();
                if let Err(e2) =
                    db::serials::set_job_status(conn, &job.id, "failed", Some(&msg), db::now())
                {
                    tracing::error!(error = %e2, "cannot mark the commission job failed");
                }
                return Err(e);
            }
        }
    }
    Ok(job)
}

/// The job with `id`, if the caller may see it.
pub fn job(conn: &mut DbConn, who: &Caller, id: &str) -> Result<JobRow, DomainError> {
    let job = db::serials::get_job(conn, id)?;
    who.require_member_of(&job.org_id)?;
    Ok(job)
}

fn illegal(serial: &str, from: &str, to: SerialState) -> DomainError {
    DomainError::Conflict(format!("serial {serial} cannot go from {from} to {to}"))
}

/// Moves one serial to `to`, if the state machine allows it.
#[tracing::instrument(skip(conn, who))]
pub fn change_state(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    serial: &Serial,
    to: SerialState,
    reason: Option<String>,
) -> Result<SerialRow, DomainError> {
    let actor = who.actor();
    db::write_transaction(conn, |conn| {
        lots::writable(conn, who, gtin)?;
        let mut row = db::serials::get_serial(conn, gtin.as_str(), serial.as_str())?;
        let from: SerialState = row
            .state
            .parse()
            .map_err(|_| illegal(&row.serial, &row.state, to))?;
        if !from.can_become(to) {
            return Err(illegal(&row.serial, &row.state, to));
        }
        row.state = to.as_str().to_owned();
        row.updated_at = db::now();
        let list = [row.serial.clone()];
        db::serials::set_states(conn, gtin.as_str(), &list, to.as_str(), row.updated_at)?;
        record(
            conn,
            &actor,
            Some(&row.org_id),
            "serial.state",
            ("serial", &format!("{}/{}", row.gtin, row.serial)),
            &serde_json::json!({"from": from, "to": to, "reason": reason}),
        )?;
        Ok(row)
    })
}

/// Moves every listed serial to `to` in one transaction, or none if any is unknown or may not.
#[tracing::instrument(skip(conn, who, serials))]
pub fn change_states(
    conn: &mut DbConn,
    who: &Caller,
    gtin: &Gtin,
    serials: Vec<Serial>,
    to: SerialState,
    reason: Option<String>,
) -> Result<usize, DomainError> {
    let actor = who.actor();
    let names: Vec<String> = serials.iter().map(|s| s.as_str().to_owned()).collect();
    db::write_transaction(conn, |conn| {
        let org_id = lots::writable(conn, who, gtin)?;
        let rows = db::serials::get_serials(conn, gtin.as_str(), &names)?;
        let states: HashMap<&str, &str> = rows
            .iter()
            .map(|r| (r.serial.as_str(), r.state.as_str()))
            .collect();
        for (i, name) in names.iter().enumerate() {
            let Some(state) = states.get(name.as_str()) else {
                return Err(DomainError::field(
                    format!("serials[{i}]"),
                    format!("GTIN {gtin} has no serial {name}"),
                ));
            };
            let ok = state.parse::<SerialState>().is_ok_and(|f| f.can_become(to));
            if !ok {
                return Err(illegal(name, state, to));
            }
        }
        let n = db::serials::set_states(conn, gtin.as_str(), &names, to.as_str(), db::now())?;
        record(
            conn,
            &actor,
            Some(&org_id),
            "serial.state.bulk",
            ("product", gtin.as_str()),
            &serde_json::json!({"to": to, "reason": reason, "count": n,
                "first": names.first(), "last": names.last()}),
        )?;
        Ok(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_fill_their_width_and_refuse_overflow() {
        let set = SerialSet::range("A", 1, 3, 8).ok();
        assert_eq!(
            set.map(|s| s.slice(0, 3)),
            Some(vec![
                "A00000001".into(),
                "A00000002".into(),
                "A00000003".into()
            ])
        );
        assert!(SerialSet::range("A", 0, 0, 8).is_err());
        assert!(SerialSet::range("A", -1, 5, 8).is_err());
        assert!(SerialSet::range("A", 0, MAX_COMMISSION + 1, 8).is_err());
        assert!(SerialSet::range("A", 95, 10, 2).is_err());
        assert!(SerialSet::range("A", 90, 10, 2).is_ok());
        assert!(SerialSet::range("A B", 1, 1, 2).is_err());
        assert!(SerialSet::range("ABCDEFGHIJKLMNOPQRS", 1, 1, 2).is_err());
    }
}
