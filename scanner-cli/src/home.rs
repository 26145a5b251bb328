//! Where gs1scan keeps what outlives one run: the session (server and credential, mode 0600), the
//! cached signing keys, the status pack, and inspections queued while offline.
//!
//! `GS1SCAN_HOME` puts everything in one folder (a USB stick, a test); otherwise the session goes
//! to the user's config folder and the rest to the local data folder (XDG on Linux).

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The folders gs1scan uses.
#[derive(Clone, Debug)]
pub struct Home {
    config: PathBuf,
    data: PathBuf,
}

/// A signed-in server: where, and the credential sent as `Authorization: Bearer`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Session {
    /// Base URL, without a trailing slash.
    pub server: String,
    /// An access token or an API key.
    pub credential: String,
    /// Who: the e-mail, or `api key`.
    pub who: String,
    /// When the credential expires (RFC 3339); none for an API key.
    #[serde(default)]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Home {
    /// The folders for this user (or `GS1SCAN_HOME`).
    pub fn locate() -> anyhow::Result<Self> {
        if let Some(dir) = std::env::var_os("GS1SCAN_HOME").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            return Ok(Self {
                config: dir.clone(),
                data: dir,
            });
        }
        let config =
            dirs::config_dir().context("no config folder for this user; set GS1SCAN_HOME")?;
        let data =
            dirs::data_local_dir().context("no data folder for this user; set GS1SCAN_HOME")?;
        Ok(Self {
            config: config.join("gs1scan"),
            data: data.join("gs1scan"),
        })
    }

    /// The session file.
    pub fn session_file(&self) -> PathBuf {
        self.config.join("session.json")
    }

    /// The cached JWKS of the platform.
    pub fn keys_file(&self) -> PathBuf {
        self.data.join("jwks.json")
    }

    /// The status pack (payload, verified), and the signed documents it was merged from.
    pub fn pack_file(&self) -> PathBuf {
        self.data.join("status-pack.json")
    }

    /// The folder of inspections waiting for `sync`.
    pub fn queue_dir(&self) -> PathBuf {
        self.data.join("queue")
    }

    /// The saved session, if any.
    pub fn session(&self) -> anyhow::Result<Option<Session>> {
        read_json(&self.session_file())
    }
}

/// Reads a JSON file; `None` when it does not exist.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> anyhow::Result<Option<T>> {
    match fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .with_context(|| format!("{} is damaged; delete it", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes `value` as JSON readable by this user only, atomically (a crash leaves the old file).
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    write_private(path, &serde_json::to_vec_pretty(value)?)
}

/// Writes `bytes` to `path` with mode 0600 through a temporary file in the same folder.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let Some(dir) = path.parent() else {
        bail!("{} has no folder", path.display());
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}
