//! Appending to and reading the audit log; appends are serialised so the chain never forks.

pub mod chain;

use diesel::prelude::*;

use crate::{DbConn, MultiBackend, models::AuditEntry, schema::audit_log::dsl as a};
pub use chain::{ChainBreak, Fields, GENESIS, Verifier, entry_hash, format_time, state_digest};

/// What a write records; the chain fields are filled in by [`append`].
#[derive(Clone, Debug)]
pub struct Draft<'a> {
    /// Who.
    pub actor: &'a str,
    /// Which organisation.
    pub org_id: Option<&'a str>,
    /// What, e.g. `org.create`.
    pub action: &'a str,
    /// Entity kind.
    pub entity_type: &'a str,
    /// Entity id.
    pub entity_id: &'a str,
    /// SHA-256 of the entity's new state.
    pub state_digest: String,
}

/// Appends an entry; call inside the write's transaction (see `db::write_transaction`).
///
/// SQLite's `BEGIN IMMEDIATE` already holds the write lock; on PostgreSQL a transaction-scoped
/// advisory lock keyed by the current schema serialises appenders until commit.
#[tracing::instrument(skip_all, fields(action = draft.action))]
pub fn append(conn: &mut DbConn, draft: Draft<'_>) -> QueryResult<AuditEntry> {
    let (seq, prev_hash) = lock_head(conn)?;
    let entry = chained(seq, prev_hash, crate::now(), draft);
    diesel::insert_into(a::audit_log)
        .values(&entry)
        .execute(conn)?;
    Ok(entry)
}

/// Takes the appenders' lock (PostgreSQL; SQLite's writer already holds it) and reads the next
/// sequence number and the hash it chains to.
fn lock_head(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    if let DbConn::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301, hashtext(current_schema()))")
            .execute(conn)?;
    }
    let head: Option<(i64, String)> = a::audit_log
        .select((a::seq, a::hash))
        .order(a::seq.desc())
        .limit(1)
        .get_result(conn)
        .optional()?;
    Ok(match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    })
}

/// The entry `draft` becomes at `seq` after `prev_hash`.
fn chained(seq: i64, prev_hash: String, at: chrono::NaiveDateTime, draft: Draft<'_>) -> AuditEntry {
    let hash = entry_hash(&Fields {
        prev_hash: &prev_hash,
        seq,
        at: &at,
        actor: draft.actor,
        org_id: draft.org_id,
        action: draft.action,
        entity_type: draft.entity_type,
        entity_id: draft.entity_id,
        state_digest: &draft.state_digest,
    });
    AuditEntry {
        seq,
        at,
        actor: draft.actor.to_owned(),
        org_id: draft.org_id.map(str::to_owned),
        action: draft.action.to_owned(),
        entity_type: draft.entity_type.to_owned(),
        entity_id: draft.entity_id.to_owned(),
        state_digest: draft.state_digest,
        prev_hash,
        hash,
    }
}

/// Appends entries in the order given, chained as [`append`] would chain them one by one, with
/// one lock, one read of the head and one bulk write; call inside the write's transaction.
#[tracing::instrument(skip_all, fields(n = drafts.len()))]
pub fn append_all(conn: &mut DbConn, drafts: Vec<Draft<'_>>) -> QueryResult<()> {
    if drafts.is_empty() {
        return Ok(());
    }
    let (mut seq, mut prev_hash) = lock_head(conn)?;
    let at = crate::now();
    let entries: Vec<AuditEntry> = drafts
        .into_iter()
        .map(|draft| {
            let entry = chained(seq, prev_hash.clone(), at, draft);
            seq += 1;
            prev_hash.clone_from(&entry.hash);
            entry
        })
        .collect();
    crate::insert_many!(conn, a::audit_log, entries)
}

/// Up to `limit` entries with seq greater than `after`, in order.
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    a::audit_log
        .filter(a::seq.gt(after))
        .order(a::seq.asc())
        .limit(limit)
        .into_boxed::<MultiBackend>()
        .load(conn)
}
