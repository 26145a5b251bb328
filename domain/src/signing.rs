//! Passport signatures: Ed25519 public keys as JWKs (RFC 8037) with RFC 7638 thumbprint `kid`s,
//! compact JWS over a passport's JSON, and rotating the key file.

use std::{fs, io::Write, path::Path};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{
    SigningKey, VerifyingKey,
    pkcs8::{EncodePrivateKey, spki::der::pem::LineEnding},
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::keys::{KeyFileError, SIGNING_KEY_FILE, random_bytes};

/// An Ed25519 public key as a JWK.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PublicJwk {
    /// Always `OKP`.
    pub kty: String,
    /// Always `Ed25519`.
    pub crv: String,
    /// The public key, base64url.
    pub x: String,
    /// The RFC 7638 thumbprint.
    pub kid: String,
    /// Always `EdDSA`.
    pub alg: String,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: String,
}

/// The JWK of a verifying key; its `kid` is the key's RFC 7638 thumbprint.
pub fn public_jwk(key: &VerifyingKey) -> PublicJwk {
    let x = URL_SAFE_NO_PAD.encode(key.as_bytes());
    // RFC 7638: the required members in lexicographic order, no whitespace.
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
    PublicJwk {
        kty: "OKP".to_owned(),
        crv: "Ed25519".to_owned(),
        x,
        kid,
        alg: "EdDSA".to_owned(),
        use_: "sig".to_owned(),
    }
}

/// Why signing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The key could not be encoded for the JWS library.
    #[error("signing key cannot be encoded")]
    Key,
    /// The JWS library refused.
    #[error("cannot sign")]
    Jws(#[from] jsonwebtoken::errors::Error),
}

/// Signs `payload` as a compact JWS (`alg` EdDSA, `kid` the key's thumbprint).
pub fn sign<T: Serialize>(key: &SigningKey, payload: &T) -> Result<(String, String), SignError> {
    sign_typed(key, payload, Header::new(Algorithm::EdDSA).typ, None)
}

/// Signs `payload` as [`sign`] does, with the header's `typ` and `cty` given.
pub fn sign_typed<T: Serialize>(
    key: &SigningKey,
    payload: &T,
    typ: Option<String>,
    cty: Option<String>,
) -> Result<(String, String), SignError> {
    let kid = public_jwk(&key.verifying_key()).kid;
    let der = key.to_pkcs8_der().map_err(|_| SignError::Key)?;
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.clone());
    header.typ = typ;
    header.cty = cty;
    let jws = jsonwebtoken::encode(&header, payload, &EncodingKey::from_ed_der(der.as_bytes()))?;
    Ok((jws, kid))
}

/// Replaces the signing key file in `dir` with a new key; returns (old, new) keys.
pub fn rotate_key_file(dir: &Path) -> Result<(SigningKey, SigningKey), KeyFileError> {
    let old = crate::keys::Keys::load_or_create(dir)?
        .signing_key
        .expose()
        .clone();
    let seed: [u8; 32] = random_bytes(32)?
        .try_into()
        .map_err(|_| KeyFileError::Random)?;
    let new = SigningKey::from_bytes(&seed);
    let path = dir.join(SIGNING_KEY_FILE);
    let pem = new
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|_| KeyFileError::Invalid(path.clone()))?;
    let tmp = dir.join(format!("{SIGNING_KEY_FILE}.new"));
    let io = |source| KeyFileError::Io {
        path: tmp.clone(),
        source,
    };
    let _ = fs::remove_file(&tmp);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io)?;
    file.write_all(pem.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    // A rename is atomic: a crash leaves either the old key or the new one, never half a file.
    fs::rename(&tmp, &path).map_err(io)?;
    Ok((old, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kid_is_the_rfc_8037_example_thumbprint() {
        // RFC 8037 appendix A.1/A.3.
        let x = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap_or_default();
        let bytes: [u8; 32] = x.try_into().unwrap_or([0; 32]);
        let key = VerifyingKey::from_bytes(&bytes).map_err(|e| e.to_string());
        assert_eq!(
            key.map(|k| public_jwk(&k).kid),
            Ok("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k".to_owned())
        );
    }
}
