//! Compact JWS (RFC 7515) with EdDSA/Ed25519 (RFC 8037), checked against a cached JWKS: how
//! passports and status packs are verified with the network off.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A JSON Web Key Set of Ed25519 public keys.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Jwks {
    /// The keys; other kinds are kept but never match.
    pub keys: Vec<Jwk>,
}

/// One public key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type (`OKP`).
    pub kty: String,
    /// Curve (`Ed25519`).
    #[serde(default)]
    pub crv: Option<String>,
    /// The public key, base64url.
    #[serde(default)]
    pub x: Option<String>,
    /// Key id.
    #[serde(default)]
    pub kid: Option<String>,
}

/// Why a JWS does not verify.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwsError {
    /// Not three base64url parts with a JSON header.
    #[error("not a compact JWS: {0}")]
    Malformed(&'static str),
    /// Only EdDSA is accepted.
    #[error("algorithm {0:?} is not accepted (EdDSA only)")]
    Algorithm(String),
    /// The `kid` is not among the cached keys.
    #[error("signed by key {0:?}, which is not among the cached keys; run `gs1scan keys fetch`")]
    UnknownKey(String),
    /// The signature does not match.
    #[error("the signature does not match: the document was altered or not signed by the platform")]
    BadSignature,
}

/// A verified JWS: its protected header and payload.
#[derive(Debug)]
pub struct Verified {
    /// The protected header.
    pub header: Value,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The key that signed it.
    pub kid: String,
}

/// Verifies `jws` against `keys`.
pub fn verify(jws: &str, keys: &Jwks) -> Result<Verified, JwsError> {
    let mut parts = jws.trim().split('.');
    let (Some(h64), Some(p64), Some(s64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed("expected header.payload.signature"));
    };
    let decode = |s: &str, what| {
        URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| JwsError::Malformed(what))
    };
    let header: Value = serde_json::from_slice(&decode(h64, "header is not base64url")?)
        .map_err(|_| JwsError::Malformed("header is not JSON"))?;
    let alg = header["alg"].as_str().unwrap_or_default();
    if alg != "EdDSA" {
        return Err(JwsError::Algorithm(alg.to_owned()));
    }
    let kid = header["kid"].as_str().unwrap_or_default().to_owned();
    let key = keys
        .keys
        .iter()
        .find(|k| k.kid.as_deref() == Some(kid.as_str()) && k.crv.as_deref() == Some("Ed25519"))
        .and_then(|k| URL_SAFE_NO_PAD.decode(k.x.as_deref()?).ok())
        .and_then(|x| <[u8; 32]>::try_from(x).ok())
        .and_then(|x| VerifyingKey::from_bytes(&x).ok())
        .ok_or_else(|| JwsError::UnknownKey(kid.clone()))?;
    let sig = <[u8; 64]>::try_from(decode(s64, "signature is not base64url")?)
        .map_err(|_| JwsError::Malformed("an Ed25519 signature is 64 bytes"))?;
    // RFC 7515 5.2: the signing input is the encoded header and payload as sent.
    let input = format!("{h64}.{p64}");
    key.verify_strict(input.as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| JwsError::BadSignature)?;
    Ok(Verified {
        header,
        payload: decode(p64, "payload is not base64url")?,
        kid,
    })
}

/// Test helpers: signing as the platform does, and its JWKS.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    /// A compact JWS of `payload` with `header` (JSON).
    pub fn sign(key: &SigningKey, header: &str, payload: &str) -> String {
        let h = URL_SAFE_NO_PAD.encode(header);
        let p = URL_SAFE_NO_PAD.encode(payload);
        let s = URL_SAFE_NO_PAD.encode(key.sign(format!("{h}.{p}").as_bytes()).to_bytes());
        format!("{h}.{p}.{s}")
    }

    /// The JWKS holding `key` as `kid`.
    pub fn jwks(key: &SigningKey, kid: &str) -> Jwks {
        Jwks {
            keys: vec![Jwk {
                kty: "OKP".into(),
                crv: Some("Ed25519".into()),
                x: Some(URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes())),
                kid: Some(kid.into()),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{jwks, sign};
    use super::*;
    use ed25519_dalek::SigningKey;

    fn signed(key: &SigningKey, kid: &str, payload: &str) -> String {
        sign(key, &format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#), payload)
    }

    #[test]
    fn a_signed_document_verifies_and_an_altered_one_does_not() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let jws = signed(&key, "k1", r#"{"a":1}"#);
        let ok = verify(&jws, &jwks(&key, "k1")).unwrap();
        assert_eq!(ok.payload, br#"{"a":1}"#);
        assert_eq!(ok.kid, "k1");

        let mut parts: Vec<&str> = jws.split('.').collect();
        let other = URL_SAFE_NO_PAD.encode(r#"{"a":2}"#);
        parts[1] = &other;
        assert_eq!(
            verify(&parts.join("."), &jwks(&key, "k1")).unwrap_err(),
            JwsError::BadSignature
        );
    }

    #[test]
    fn an_unknown_key_or_algorithm_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let jws = signed(&key, "k1", "{}");
        assert!(matches!(
            verify(&jws, &jwks(&key, "k2")),
            Err(JwsError::UnknownKey(k)) if k == "k1"
        ));
        let other = SigningKey::from_bytes(&[8; 32]);
        assert_eq!(
            verify(&jws, &jwks(&other, "k1")).unwrap_err(),
            JwsError::BadSignature
        );
        let h = URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        assert!(matches!(
            verify(&format!("{h}.e30."), &jwks(&key, "k1")),
            Err(JwsError::Algorithm(a)) if a == "none"
        ));
        assert!(matches!(
            verify("a.b", &jwks(&key, "k1")),
            Err(JwsError::Malformed(_))
        ));
    }
}
