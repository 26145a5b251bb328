//! PLACEHOLDER until the CBV 2.0 pre-hash algorithm lands from its branch: a SHA-256 of the
//! event's JSON (keys sorted by serde_json's map). Not the standard's hash; never released.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Why an event cannot be hashed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HashError(String);

/// The event's hash id.
pub fn event_hash_id(event: &Value, _context: Option<&Value>) -> Result<String, HashError> {
    let mut e = event.clone();
    if let Some(o) = e.as_object_mut() {
        o.remove("eventID");
        o.remove("recordTime");
    }
    let digest = Sha256::digest(e.to_string().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("ni:///sha-256;{hex}?ver=CBV2.0"))
}
