//! Passport drafts, versions and the JWKS on the wire, and the path that names a passport.

use super::*;

/// The path parameters of every passport route.
#[derive(Debug, Deserialize)]
pub struct PassportPath {
    /// GTIN.
    pub gtin: String,
    /// Lot, on lot routes.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serial, on serial routes.
    #[serde(default)]
    pub serial: Option<String>,
    /// Version number, on version routes.
    #[serde(default)]
    pub n: Option<String>,
}

impl PassportPath {
    pub(super) fn key(&self) -> Result<PassportKey, ApiError> {
        let mut f = Fields::default();
        let gtin = f.check("gtin", self.gtin.parse::<Gtin>());
        let lot = self.lot.as_ref().map(|l| f.check("lot", l.parse::<Lot>()));
        let serial = self
            .serial
            .as_ref()
            .map(|s| f.check("serial", s.parse::<Serial>()));
        f.finish()?;
        let gtin = gtin.ok_or_else(|| ApiError::field("gtin", "invalid"))?;
        Ok(PassportKey {
            gtin,
            lot: lot.flatten(),
            serial: serial.flatten(),
        })
    }

    pub(super) fn version(&self) -> Result<i64, ApiError> {
        self.n
            .as_deref()
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::field("n", "a version number from 1"))
    }
}

/// A draft on the wire.
#[derive(Debug, Serialize)]
pub struct DraftOut {
    /// GTIN.
    pub gtin: String,
    /// Lot or null.
    pub lot: Option<String>,
    /// Serial or null.
    pub serial: Option<String>,
    /// The draft fields.
    pub draft: Value,
    /// The last published version (0: none).
    pub latest_version: i64,
    /// Last change (RFC 3339).
    pub updated_at: String,
}

impl From<Passport> for DraftOut {
    fn from(p: Passport) -> Self {
        Self {
            draft: serde_json::from_str(&p.draft).unwrap_or(Value::Null),
            lot: Some(p.lot).filter(|l| !l.is_empty()),
            serial: Some(p.serial).filter(|s| !s.is_empty()),
            gtin: p.gtin,
            latest_version: p.latest_version,
            updated_at: time(&p.updated_at),
        }
    }
}

/// A published version on the wire.
#[derive(Debug, Serialize)]
pub struct VersionOut {
    /// 1, 2, ...
    pub version: i64,
    /// The UNTP DPP credential.
    pub content: Value,
    /// Compact JWS (EdDSA) whose payload is `content`.
    pub jws: String,
    /// The signing key's id in `/.well-known/jwks.json`.
    pub kid: String,
    /// SHA-256 (hex) of the content as stored and signed.
    pub content_sha256: String,
    /// When (RFC 3339).
    pub published_at: String,
}

impl From<PassportVersion> for VersionOut {
    fn from(v: PassportVersion) -> Self {
        Self {
            content: serde_json::from_str(&v.content).unwrap_or(Value::Null),
            version: v.version,
            jws: v.jws,
            kid: v.kid,
            content_sha256: v.content_sha256,
            published_at: time(&v.published_at),
        }
    }
}

/// A version in a list.
#[derive(Debug, Serialize)]
pub struct VersionSummary {
    /// 1, 2, ...
    pub version: i64,
    /// The signing key's id.
    pub kid: String,
    /// SHA-256 (hex) of the content.
    pub content_sha256: String,
    /// When (RFC 3339).
    pub published_at: String,
}

impl From<PassportVersion> for VersionSummary {
    fn from(v: PassportVersion) -> Self {
        Self {
            version: v.version,
            kid: v.kid,
            content_sha256: v.content_sha256,
            published_at: time(&v.published_at),
        }
    }
}

/// The JWK Set.
#[derive(Debug, Serialize)]
pub struct Jwks {
    /// Every key that ever signed a passport, and the current one.
    pub keys: Vec<PublicJwk>,
}
