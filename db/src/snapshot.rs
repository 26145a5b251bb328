//! Read snapshots kept open across short reads (SQLite only).
//!
//! In WAL mode every read transaction begins and ends with shared-memory and file locks (a
//! handful of `fcntl`s and an `fstat`): about 8 µs, a sixth of a resolver cache miss at a
//! million products (measured with perf). A [`Snapshots`] reader keeps its transaction open
//! and serves the next reads from it, as long as that cannot show them anything older than a
//! fresh transaction would, which is:
//!
//! - nothing has changed since it began, as the caller counts changes (`changes`): every write
//!   of this process and every cache generation bump, local or relayed, moves that count, and
//!   a write commits before its bump, so a read that sees the bump restarts and sees the write;
//! - it is younger than [`MAX_AGE`], which bounds what a write the count cannot see (another
//!   process writing the same file) stays invisible;
//! - and it is younger than [`MAX_AGE`] when idle too: a closer thread ends idle snapshots, so
//!   a reader never holds the WAL back from its checkpoint for longer than that, plus a tick.

use std::{
    sync::{Arc, Condvar, Mutex, PoisonError, Weak},
    time::{Duration, Instant},
};

use diesel::{
    Connection,
    connection::{SimpleConnection, TransactionManager},
};

use super::{DbConn, Manager, SqlitePragmas};
use diesel::r2d2::CustomizeConnection;

/// The longest a snapshot serves reads, or stays open idle.
pub const MAX_AGE: Duration = Duration::from_millis(5);

/// SQLite connections that each keep a read snapshot between reads; clones share them.
#[derive(Clone)]
pub struct Snapshots {
    shared: Arc<Shared>,
}

struct Shared {
    manager: Manager,
    /// [`MAX_AGE`], but in tests.
    max_age: Duration,
    /// Each reader's page cache, MiB.
    cache_mb: u32,
    /// Readers not in use. A read takes one out and puts it back, so there are as many as
    /// threads have read at once (the HTTP workers).
    idle: Mutex<Vec<Reader>>,
    /// Wakes the closer when a snapshot opens.
    opened: Condvar,
}

struct Reader {
    conn: DbConn,
    /// When its open snapshot began, and the change count then.
    open: Option<(Instant, u64)>,
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshots").finish_non_exhaustive()
    }
}

impl Reader {
    /// Ends the open snapshot, if any; a reader whose transaction cannot end is dropped.
    fn close(&mut self) -> diesel::QueryResult<()> {
        if self.open.take().is_some() {
            <DbConn as Connection>::TransactionManager::commit_transaction(&mut self.conn)?;
        }
        Ok(())
    }
}

impl Snapshots {
    /// Readers of the SQLite database at `url`, each with a page cache of `cache_mb` MiB, or
    /// `None` for another backend or an in-memory database (which a second connection would
    /// not see). Starts the closer thread, which ends with the last clone.
    pub fn sqlite(url: &str, cache_mb: u32) -> Option<Self> {
        Self::open(url, MAX_AGE, cache_mb)
    }

    fn open(url: &str, max_age: Duration, cache_mb: u32) -> Option<Self> {
        match super::Target::parse(url).ok()? {
            super::Target::Sqlite(path)
                if !path.starts_with(':') && !path.contains("mode=memory") => {}
            _ => return None,
        }
        let shared = Arc::new(Shared {
            manager: Manager::new(url).ok()?,
            max_age,
            cache_mb,
            idle: Mutex::new(Vec::new()),
            opened: Condvar::new(),
        });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("sqlite-snapshots".to_owned())
            .spawn(move || close_idle(&weak))
            .ok()?;
        Some(Self { shared })
    }

    /// Runs `f` in a read snapshot no older than the last change (`changes`, a count that moves
    /// with every write and cache bump) nor than [`MAX_AGE`]. `f` must not write.
    pub fn read<T, E>(
        &self,
        changes: u64,
        f: impl FnOnce(&mut DbConn) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<super::DbError>,
    {
        let query = |e| E::from(super::DbError::Query(e));
        let popped = self.lock().pop();
        let mut reader = match popped {
            Some(r) => r,
            None => self.connect().map_err(E::from)?,
        };
        if reader
            .open
            .is_some_and(|(began, at)| at != changes || began.elapsed() >= self.shared.max_age)
        {
            reader.close().map_err(query)?;
        }
        let opens = reader.open.is_none();
        if opens {
            // Deferred: the snapshot itself is taken at the first read, after `changes` was
            // read, so it holds every write that count reflects.
            <DbConn as Connection>::TransactionManager::begin_transaction(&mut reader.conn)
                .map_err(query)?;
            reader.open = Some((Instant::now(), changes));
        }
        let out = f(&mut reader.conn);
        if out.is_err() {
            // Whatever failed, the next read starts afresh; a reader that cannot is dropped.
            reader.close().map_err(query)?;
        }
        let left_open = reader.open.is_some();
        self.lock().push(reader);
        if opens && left_open {
            // After the push, so the closer, woken or about to look, finds it.
            self.shared.opened.notify_one();
        }
        out
    }

    fn connect(&self) -> Result<Reader, super::DbError> {
        let mut conn = self
            .shared
            .manager
            .establish()
            .map_err(super::DbError::Connect)?;
        SqlitePragmas
            .on_acquire(&mut conn)
            .map_err(super::DbError::Setup)?;
        // Only reads run here; refuse writes outright rather than hold a lock by mistake. The
        // page cache holds the index a miss descends (SQLite's default, 2 MiB, missed a leaf
        // on nearly every miss at a million products: a `pread` each, a sixth of the miss).
        // SQLite empties it whenever the WAL has moved since the last transaction, so it pays
        // off between writes, not across them.
        conn.batch_execute(&format!(
            "PRAGMA query_only = ON; PRAGMA cache_size = -{}",
            u64::from(self.shared.cache_mb) * 1024
        ))
        .map_err(|e| super::DbError::Setup(diesel::r2d2::Error::QueryError(e)))?;
        Ok(Reader { conn, open: None })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Reader>> {
        self.shared
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The closer: while any idle reader holds a snapshot, ends those older than [`MAX_AGE`]
/// every tick; sleeps until one opens otherwise.
fn close_idle(shared: &Weak<Shared>) {
    loop {
        let Some(s) = shared.upgrade() else { return };
        let mut idle = s.idle.lock().unwrap_or_else(PoisonError::into_inner);
        let max_age = s.max_age;
        idle.retain_mut(|r| match r.open {
            Some((began, _)) if began.elapsed() >= max_age => r.close().is_ok(),
            _ => true,
        });
        let open = idle.iter().any(|r| r.open.is_some());
        if open {
            drop(idle);
            drop(s);
            std::thread::sleep(max_age);
        } else {
            // A reader that opened a snapshot notifies once it is back in `idle`. The timeout
            // only lets the thread see the last clone go.
            let _ = s
                .opened
                .wait_timeout(idle, Duration::from_secs(1))
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::{prelude::*, sql_query, sql_types::BigInt};

    use super::*;
    use crate::DbError;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// A fresh WAL database with one table of numbers, its URL, and a writer connection.
    fn database(name: &str) -> (String, DbConn, impl Drop) {
        struct Remove(std::path::PathBuf);
        impl Drop for Remove {
            fn drop(&mut self) {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", self.0.display()));
                }
            }
        }
        let path = std::env::temp_dir().join(format!("snap-{name}-{}.db", std::process::id()));
        let guard = Remove(path.clone());
        drop(Remove(path.clone()));
        let url = format!("sqlite://{}", path.display());
        let mut w = Manager::new(&url).unwrap().establish().unwrap();
        SqlitePragmas.on_acquire(&mut w).unwrap();
        w.batch_execute("CREATE TABLE t (v INTEGER NOT NULL)")
            .unwrap();
        (url, w, guard)
    }

    fn count(s: &Snapshots, changes: u64) -> i64 {
        s.read(changes, |c| {
            sql_query("SELECT count(*) AS n FROM t")
                .get_result::<Count>(c)
                .map(|r| r.n)
                .map_err(DbError::Query)
        })
        .unwrap()
    }

    fn insert(w: &mut DbConn) {
        w.batch_execute("INSERT INTO t VALUES (1)").unwrap();
    }

    #[test]
    fn a_kept_snapshot_serves_until_the_change_count_moves() {
        let (url, mut w, _rm) = database("changes");
        let s = Snapshots::open(&url, Duration::from_secs(3600), 2).unwrap();
        assert_eq!(count(&s, 7), 0);
        insert(&mut w);
        assert_eq!(count(&s, 7), 0, "same count, young snapshot: kept");
        assert_eq!(count(&s, 8), 1, "the count moved: a new snapshot");
        insert(&mut w);
        assert_eq!(count(&s, 8), 1);
        assert_eq!(
            count(&s, 7),
            2,
            "any other count restarts it, not only a higher one"
        );
    }

    #[test]
    fn a_snapshot_older_than_its_age_is_not_read_again() {
        let (url, mut w, _rm) = database("age");
        let s = Snapshots::open(&url, Duration::ZERO, 2).unwrap();
        assert_eq!(count(&s, 1), 0);
        insert(&mut w);
        assert_eq!(count(&s, 1), 1);
    }

    #[test]
    fn readers_refuse_writes_and_recover_after_a_failed_read() {
        let (url, _w, _rm) = database("write");
        let s = Snapshots::open(&url, Duration::from_secs(3600), 2).unwrap();
        let wrote = s.read(1, |c| {
            c.batch_execute("INSERT INTO t VALUES (1)")
                .map_err(DbError::Query)
        });
        assert!(
            matches!(&wrote, Err(DbError::Query(e)) if e.to_string().contains("readonly")),
            "{wrote:?}"
        );
        assert_eq!(count(&s, 1), 0, "the reader still reads after the failure");
    }

    #[test]
    fn idle_snapshots_close_so_the_wal_can_be_checkpointed() {
        let (url, mut w, _rm) = database("idle");
        let s = Snapshots::open(&url, Duration::from_millis(200), 2).unwrap();
        // A checkpoint that meets a reader reports it at once instead of waiting it out.
        w.batch_execute("PRAGMA busy_timeout = 0").unwrap();
        insert(&mut w);
        assert_eq!(count(&s, 1), 1);
        insert(&mut w);
        #[derive(QueryableByName)]
        struct Checkpoint {
            #[diesel(sql_type = BigInt)]
            busy: i64,
        }
        // While the reader holds its snapshot, a truncating checkpoint cannot finish; once
        // the closer has ended it, one does. Polled, with a deadline far above the 200 ms age.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut busy = Vec::new();
        loop {
            let c = sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                .get_result::<Checkpoint>(&mut w)
                .unwrap();
            busy.push(c.busy);
            if c.busy == 0 || Instant::now() > deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(
            busy.first(),
            Some(&1),
            "the open snapshot held the checkpoint back"
        );
        assert_eq!(
            busy.last(),
            Some(&0),
            "the closer never ended the idle snapshot"
        );
    }
}
