//! API key secrets: `gs1dpp_` + 32 random bytes (base64url); stored as SHA-256.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use crate::{keys::KeyFileError, secret::Secret};

/// Every API key secret starts with this.
pub const PREFIX: &str = "gs1dpp_";

/// A freshly generated key: the secret (shown once) and what is stored.
#[derive(Debug)]
pub struct Generated {
    /// The full secret.
    pub secret: Secret<String>,
    /// Its first characters, to recognise it in lists.
    pub display_prefix: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
}

/// Generates a new key secret.
pub fn generate() -> Result<Generated, KeyFileError> {
    let bytes = crate::keys::random_bytes(32)?;
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    Ok(Generated {
        display_prefix: secret.chars().take(PREFIX.len() + 6).collect(),
        hash: hash(&secret),
        secret: Secret::new(secret),
    })
}

/// SHA-256 (hex) of a secret; high-entropy secrets need no slow hash.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_prefixed_and_hash_to_their_stored_form() {
        let Ok(k) = generate() else {
            panic!("randomness")
        };
        assert!(k.secret.expose().starts_with(PREFIX));
        assert_eq!(k.secret.expose().len(), PREFIX.len() + 43);
        assert_eq!(hash(k.secret.expose()), k.hash);
        assert!(k.secret.expose().starts_with(&k.display_prefix));
        assert!(!format!("{k:?}").contains(k.secret.expose()));
    }
}
