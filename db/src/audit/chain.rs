//! The audit hash chain: how an entry's hash is computed and how a chain is verified.
//!
//! Encoding (version 1): SHA-256 over the ASCII tag `gs1dpp-audit-v1`, then each field in order
//! as an 8-byte big-endian length followed by its UTF-8 bytes: prev_hash, seq (decimal), at
//! (`YYYY-MM-DDTHH:MM:SS.ffffffZ`), actor, org_id (empty if none), action, entity_type,
//! entity_id, state_digest. The hash is lower-case hex; the first entry's prev_hash is 64 zeros.

use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::models::AuditEntry;

/// The prev_hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fixed text form of an entry's time.
pub fn format_time(at: &NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The fields an entry's hash covers.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    /// The previous entry's hash.
    pub prev_hash: &'a str,
    /// Position in the chain.
    pub seq: i64,
    /// When.
    pub at: &'a NaiveDateTime,
    /// Who.
    pub actor: &'a str,
    /// Which organisation, if any.
    pub org_id: Option<&'a str>,
    /// What.
    pub action: &'a str,
    /// Entity kind.
    pub entity_type: &'a str,
    /// Entity id.
    pub entity_id: &'a str,
    /// Digest of the new state.
    pub state_digest: &'a str,
}

/// Computes an entry's hash.
pub fn entry_hash(f: &Fields<'_>) -> String {
    let mut h = Sha256::new();
    h.update(b"gs1dpp-audit-v1");
    let seq = f.seq.to_string();
    let at = format_time(f.at);
    for field in [
        f.prev_hash,
        &seq,
        &at,
        f.actor,
        f.org_id.unwrap_or(""),
        f.action,
        f.entity_type,
        f.entity_id,
        f.state_digest,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

/// SHA-256 (hex) of a value's JSON form.
pub fn state_digest<T: Serialize>(state: &T) -> String {
    let json = serde_json::to_vec(state).unwrap_or_default();
    hex::encode(Sha256::digest(json))
}

/// The fields of a stored entry.
pub fn fields_of(e: &AuditEntry) -> Fields<'_> {
    Fields {
        prev_hash: &e.prev_hash,
        seq: e.seq,
        at: &e.at,
        actor: &e.actor,
        org_id: e.org_id.as_deref(),
        action: &e.action,
        entity_type: &e.entity_type,
        entity_id: &e.entity_id,
        state_digest: &e.state_digest,
    }
}

/// Why an entry breaks the chain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainBreak {
    /// The sequence number is not the previous one plus one.
    #[error("entry {seq}: expected sequence number {expected}")]
    Sequence {
        /// The entry's seq.
        seq: i64,
        /// What it should be.
        expected: i64,
    },
    /// prev_hash does not equal the previous entry's hash.
    #[error("entry {seq}: prev_hash does not match the previous entry's hash")]
    Link {
        /// The entry's seq.
        seq: i64,
    },
    /// The stored hash does not match the recomputed one.
    #[error("entry {seq}: hash does not match its contents")]
    Hash {
        /// The entry's seq.
        seq: i64,
    },
}

impl ChainBreak {
    /// The first broken entry.
    pub fn seq(&self) -> i64 {
        match self {
            Self::Sequence { seq, .. } | Self::Link { seq } | Self::Hash { seq } => *seq,
        }
    }
}

/// Walks the chain in order, one entry at a time.
#[derive(Clone, Debug)]
pub struct Verifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            prev_hash: GENESIS.to_owned(),
            next_seq: 1,
        }
    }
}

impl Verifier {
    /// Checks the next entry.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        if e.seq != self.next_seq {
            return Err(ChainBreak::Sequence {
                seq: e.seq,
                expected: self.next_seq,
            });
        }
        if e.prev_hash != self.prev_hash {
            return Err(ChainBreak::Link { seq: e.seq });
        }
        if entry_hash(&fields_of(e)) != e.hash {
            return Err(ChainBreak::Hash { seq: e.seq });
        }
        self.prev_hash.clone_from(&e.hash);
        self.next_seq += 1;
        Ok(())
    }

    /// How many entries were verified.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, prev: &str, action: &str) -> AuditEntry {
        let at = chrono::DateTime::from_timestamp(1_700_000_000 + seq, 123_456_000)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        let mut e = AuditEntry {
            seq,
            at,
            actor: "cli".into(),
            org_id: Some("o".into()),
            action: action.into(),
            entity_type: "org".into(),
            entity_id: "x".into(),
            state_digest: state_digest(&seq),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        e.hash = entry_hash(&fields_of(&e));
        e
    }

    #[test]
    fn a_chain_verifies_and_a_tampered_entry_is_named() {
        let a = entry(1, GENESIS, "org.create");
        let b = entry(2, &a.hash, "user.create");
        let mut c = entry(3, &b.hash, "user.update");
        let mut v = Verifier::default();
        for e in [&a, &b, &c] {
            assert_eq!(v.push(e), Ok(()));
        }
        assert_eq!(v.count(), 3);

        c.action = "user.delete".into();
        let mut v = Verifier::default();
        let _ = (v.push(&a), v.push(&b));
        assert_eq!(v.push(&c), Err(ChainBreak::Hash { seq: 3 }));
    }

    #[test]
    fn the_time_encoding_is_fixed() {
        let e = entry(1, GENESIS, "a");
        assert_eq!(format_time(&e.at), "2023-11-14T22:13:21.123456Z");
    }
}
