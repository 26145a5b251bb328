//! The lease a live server process holds on the jobs it runs, released by the operating system
//! or the database the moment the process dies, so that a restarted process can resume a dead
//! one's job at once instead of waiting for it to look abandoned.
//!
//! - PostgreSQL: a session advisory lock on a connection the lease keeps open; PostgreSQL drops
//!   it when that connection ends (the process exits or is killed). Any session sees it in
//!   `pg_locks`.
//! - SQLite (one machine): an exclusive lock on a file beside the database; the kernel drops it
//!   when the process ends, and another process then finds it free.
//!
//! A job row names its worker's lease; it is taken over only when that lease is free. Within
//! the process, [`ProcessLease::claim`] keeps two requests from running one job at once, and
//! frees the job when its run ends however it ends (a panic included).

use std::{
    collections::HashSet,
    fs::{File, OpenOptions},
    path::{Path, PathBuf},
    sync::{Mutex, PoisonError},
};

use diesel::{
    prelude::*,
    sql_query,
    sql_types::{BigInt, Bool, Text},
};

use crate::{DbConn, DbError, Target};

/// The advisory-lock namespace of worker leases (the first key of the two-key form): "gs1d".
const PG_NAMESPACE: i64 = 0x6773_3164;
/// Prefix of a PostgreSQL lease id; the rest is the second lock key.
const PG: &str = "pg:";
/// Prefix of a SQLite lease id; the rest names the lock file.
const SQLITE: &str = "sqlite:";

/// A held lease; dropping it releases it.
pub struct ProcessLease {
    id: String,
    /// What holds the lock: kept, never read.
    _hold: Hold,
    /// Jobs this process is running now.
    running: Mutex<HashSet<String>>,
}

/// A job this process runs until the claim is dropped.
#[derive(Debug)]
pub struct Claim<'a> {
    lease: &'a ProcessLease,
    job: String,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.lease.running().remove(&self.job);
    }
}

// Held for what dropping it does (it releases the lock), never read.
#[allow(dead_code)]
enum Hold {
    /// The connection whose session holds the advisory lock (in a mutex only so that the
    /// lease can be shared between threads).
    Pg(Mutex<PgConnection>),
    /// The locked file.
    File(File),
    /// An in-memory SQLite database: no other process can see its jobs.
    Memory,
}

impl std::fmt::Debug for ProcessLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessLease")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(QueryableByName)]
struct Held {
    #[diesel(sql_type = Bool)]
    held: bool,
}

#[derive(QueryableByName)]
struct DatabaseFile {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    file: String,
}

impl ProcessLease {
    /// Takes a new lease on the database of `url`, held until the value is dropped or the
    /// process ends.
    pub fn acquire(url: &str) -> Result<Self, DbError> {
        match Target::parse(url)? {
            Target::Pg(url) => {
                let mut conn = PgConnection::establish(&url).map_err(DbError::Connect)?;
                // A random key not held by a live process: retry on the rare collision.
                loop {
                    let key = i64::from(rand_u31());
                    let got = sql_query("SELECT pg_try_advisory_lock($1::int, $2::int) AS held")
                        .bind::<BigInt, _>(PG_NAMESPACE)
                        .bind::<BigInt, _>(key)
                        .get_result::<Held>(&mut conn)?;
                    if got.held {
                        return Ok(Self::new(format!("{PG}{key}"), Hold::Pg(Mutex::new(conn))));
                    }
                }
            }
            Target::Sqlite(path) if path.starts_with(':') || path.is_empty() => Ok(Self::new(
                format!("{SQLITE}{}", crate::new_id()),
                Hold::Memory,
            )),
            Target::Sqlite(path) => {
                let name = crate::new_id();
                let lock = lock_path(Path::new(&path), &name);
                if let Some(dir) = lock.parent() {
                    std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                        path: dir.to_owned(),
                        source,
                    })?;
                }
                let file = OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&lock)
                    .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::other))
                    .map_err(|source| DbError::CreateDir { path: lock, source })?;
                Ok(Self::new(format!("{SQLITE}{name}"), Hold::File(file)))
            }
        }
    }

    fn new(id: String, hold: Hold) -> Self {
        Self {
            id,
            _hold: hold,
            running: Mutex::default(),
        }
    }

    /// The id job rows store for this lease.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Marks job `id` as run by this process until the claim is dropped; `None` if it is
    /// already.
    pub fn claim(&self, id: &str) -> Option<Claim<'_>> {
        self.running().insert(id.to_owned()).then(|| Claim {
            lease: self,
            job: id.to_owned(),
        })
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.running.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the lease `id` (a job row's worker) is still held by a live process.
///
/// An id this database cannot have issued is taken as held: nothing is resumed on a guess.
pub fn is_held(conn: &mut DbConn, id: &str) -> QueryResult<bool> {
    if let Some(key) = id.strip_prefix(PG).and_then(|k| k.parse::<i64>().ok()) {
        let DbConn::Pg(pg) = conn else {
            return Ok(true);
        };
        let held = sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 2) AS held",
        )
        .bind::<BigInt, _>(PG_NAMESPACE)
        .bind::<BigInt, _>(key)
        .get_result::<Held>(pg)?;
        return Ok(held.held);
    }
    let Some(name) = id.strip_prefix(SQLITE) else {
        return Ok(true);
    };
    let DbConn::Sqlite(lite) = conn else {
        return Ok(true);
    };
    let files =
        sql_query("SELECT name, file FROM pragma_database_list").load::<DatabaseFile>(lite)?;
    let Some(db) = files.into_iter().find(|f| f.name == "main") else {
        return Ok(true);
    };
    if db.file.is_empty() {
        // In memory: only this process sees the database, and its own leases are held.
        return Ok(true);
    }
    let lock = lock_path(Path::new(&db.file), name);
    let Ok(file) = OpenOptions::new().write(true).open(&lock) else {
        // No file: nothing could hold it (the process never started or cleaned up).
        return Ok(false);
    };
    match file.try_lock() {
        Ok(()) => {
            // Free: its process is gone. Tidy up (only this process's copy of the lock is
            // dropped with `file`).
            let _ = std::fs::remove_file(&lock);
            Ok(false)
        }
        Err(_) => Ok(true),
    }
}

/// The lock file of lease `name` of the database at `db`: in `<db>.leases/`.
fn lock_path(db: &Path, name: &str) -> PathBuf {
    let mut dir = db.as_os_str().to_owned();
    dir.push(".leases");
    PathBuf::from(dir).join(name)
}

/// A random number below 2^31 (so that `pg_locks.objid`, an unsigned oid, reads it back as is).
fn rand_u31() -> u32 {
    let id = uuid::Uuid::now_v7();
    let b = id.as_bytes();
    // The low bytes of a v7 UUID are random.
    u32::from_be_bytes([b[12], b[13], b[14], b[15]]) >> 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_url() -> (PathBuf, String) {
        let dir = std::env::temp_dir().join(format!("gs1dpp-lease-{}", crate::new_id()));
        let path = dir.join("x.db");
        std::fs::create_dir_all(&dir).expect("dir");
        let url = format!("sqlite://{}", path.display());
        (dir, url)
    }

    #[test]
    fn a_sqlite_lease_is_held_until_dropped() {
        let (dir, url) = sqlite_url();
        let mut conn = crate::Manager::new(&url)
            .and_then(|m| m.establish().map_err(DbError::Connect))
            .expect("connect");
        let lease = ProcessLease::acquire(&url).expect("lease");
        let other = ProcessLease::acquire(&url).expect("another lease");
        assert_ne!(lease.id(), other.id());
        assert!(is_held(&mut conn, lease.id()).expect("query"));
        let id = lease.id().to_owned();
        drop(lease);
        assert!(!is_held(&mut conn, &id).expect("query"), "dropped, so free");
        assert!(is_held(&mut conn, other.id()).expect("query"));
        assert!(
            is_held(&mut conn, "unknown:1").expect("query"),
            "never guessed free"
        );
        let claim = other.claim("job");
        assert!(claim.is_some());
        assert!(other.claim("job").is_none(), "one run of a job at a time");
        drop(claim);
        assert!(other.claim("job").is_some(), "free again once the run ends");
        let _ = std::fs::remove_dir_all(dir);
    }
}
