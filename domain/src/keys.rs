//! The JWT secret and the Ed25519 signing key: generated on first start, kept in the data dir (0600).

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use ed25519_dalek::{
    SigningKey,
    pkcs8::{DecodePrivateKey, EncodePrivateKey, spki::der::pem::LineEnding},
};

use crate::secret::Secret;

/// File name of the HS256 secret for access tokens.
pub const JWT_SECRET_FILE: &str = "jwt_secret";
/// File name of the Ed25519 signing key (PKCS#8 PEM).
pub const SIGNING_KEY_FILE: &str = "signing_key.pem";

/// Why the keys could not be loaded or created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// Reading or writing a key file failed.
    #[error("key file {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A key file exists but does not hold a usable key.
    #[error("key file {0} is not a valid key")]
    Invalid(PathBuf),
    /// The operating system gave no randomness.
    #[error("no system randomness")]
    Random,
}

/// The service's long-lived secrets.
#[derive(Clone)]
pub struct Keys {
    /// HS256 secret for access tokens.
    pub jwt_secret: Secret<Vec<u8>>,
    /// Ed25519 key that will sign passports.
    pub signing_key: Secret<SigningKey>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys([redacted])")
    }
}

/// Fills `n` bytes from the OS.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, KeyFileError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|_| KeyFileError::Random)?;
    Ok(buf)
}

impl Keys {
    /// Loads the keys from `dir`, creating the directory and any missing key.
    pub fn load_or_create(dir: &Path) -> Result<Self, KeyFileError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| KeyFileError::Io { path, source }
        };
        // The directory also holds the SQLite database: only the owner may enter it.
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(io(dir))?;

        let jwt_path = dir.join(JWT_SECRET_FILE);
        let jwt_secret = match fs::read_to_string(&jwt_path) {
            Ok(text) => hex::decode(text.trim())
                .ok()
                .filter(|b| b.len() >= 32)
                .ok_or_else(|| KeyFileError::Invalid(jwt_path.clone()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let secret = random_bytes(64)?;
                write_private(&jwt_path, hex::encode(&secret).as_bytes()).map_err(io(&jwt_path))?;
                tracing::info!(path = %jwt_path.display(), "generated a new JWT secret");
                secret
            }
            Err(e) => return Err(io(&jwt_path)(e)),
        };

        let key_path = dir.join(SIGNING_KEY_FILE);
        let signing_key = match fs::read_to_string(&key_path) {
            Ok(pem) => SigningKey::from_pkcs8_pem(&pem)
                .map_err(|_| KeyFileError::Invalid(key_path.clone()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let seed: [u8; 32] = random_bytes(32)?
                    .try_into()
                    .map_err(|_| KeyFileError::Random)?;
                let key = SigningKey::from_bytes(&seed);
                let pem = key
                    .to_pkcs8_pem(LineEnding::LF)
                    .map_err(|_| KeyFileError::Invalid(key_path.clone()))?;
                write_private(&key_path, pem.as_bytes()).map_err(io(&key_path))?;
                tracing::info!(path = %key_path.display(), "generated a new Ed25519 signing key");
                key
            }
            Err(e) => return Err(io(&key_path)(e)),
        };

        Ok(Self {
            jwt_secret: Secret::new(jwt_secret),
            signing_key: Secret::new(signing_key),
        })
    }
}

/// Creates `path` readable by its owner only and writes `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_once_private_and_reloaded() {
        let dir = std::env::temp_dir().join(format!("gs1dpp-keys-{}", uuid::Uuid::now_v7()));
        let first = Keys::load_or_create(&dir).map_err(|e| e.to_string());
        let second = Keys::load_or_create(&dir).map_err(|e| e.to_string());
        let (Ok(first), Ok(second)) = (first, second) else {
            panic!("keys")
        };
        assert_eq!(first.jwt_secret.expose(), second.jwt_secret.expose());
        assert_eq!(
            first.signing_key.expose().to_bytes(),
            second.signing_key.expose().to_bytes()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let dir_mode = fs::metadata(&dir)
                .map(|m| m.permissions().mode() & 0o777)
                .ok();
            assert_eq!(dir_mode, Some(0o700));
            for f in [JWT_SECRET_FILE, SIGNING_KEY_FILE] {
                let mode = fs::metadata(dir.join(f))
                    .map(|m| m.permissions().mode() & 0o777)
                    .ok();
                assert_eq!(mode, Some(0o600), "{f}");
            }
        }
        assert!(!format!("{first:?}").contains(&hex::encode(first.jwt_secret.expose())));
        let _ = fs::remove_dir_all(dir);
    }
}
