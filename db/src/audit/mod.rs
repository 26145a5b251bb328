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
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = crate::now();
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
    let entry = AuditEntry {
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
    };
    diesel::insert_into(a::audit_log)
        .values(&entry)
        .execute(conn)?;
    Ok(entry)
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
