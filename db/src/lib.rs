//! gs1-dpp persistence: one connection type over SQLite and PostgreSQL, its pool and
//! transactions, the schema (private: no other crate names a table), models and query functions.

pub mod alerts;
pub mod api_keys;
pub mod audit;
pub mod captures;
pub mod epcs;
pub mod events;
pub mod inspections;
pub mod lease;
pub mod links;
pub mod migrations;
pub mod models;
pub mod orgs;
pub mod page;
pub mod passports;
pub mod prefixes;
pub mod products;
pub mod resolution;
pub mod scans;
mod schema;
pub mod serials;
pub mod snapshot;
pub mod status_pack;
pub mod users;
// certificates
pub mod certificates;
pub mod custody;
pub mod dte;
pub mod queries;

use std::{path::PathBuf, time::Duration};

use diesel::{
    connection::{AnsiTransactionManager, SimpleConnection, TransactionManager},
    prelude::*,
    r2d2::{self, CustomizeConnection, ManageConnection, R2D2Connection},
};

/// A connection to either backend; the variant is chosen by the database URL's scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// An embedded SQLite database file.
    Sqlite(SqliteConnection),
    /// A PostgreSQL server.
    Pg(PgConnection),
}

/// The pool every request and command draws connections from.
pub type Pool = r2d2::Pool<Manager>;

/// A connection checked out of the pool.
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Why a database URL or connection could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The URL names neither `sqlite://` nor `postgres://`/`postgresql://`.
    #[error("unsupported database URL scheme in {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    /// The SQLite file's directory could not be created.
    #[error("cannot create the directory for the SQLite database {path}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Opening a connection failed.
    #[error("cannot connect to the database")]
    Connect(#[source] ConnectionError),
    /// The pool could not hand out a connection.
    #[error("database pool")]
    Pool(#[source] r2d2::PoolError),
    /// A query failed.
    #[error("database query")]
    Query(#[from] diesel::result::Error),
    /// A new connection could not be set up (SQLite pragmas).
    #[error("cannot set up the database connection")]
    Setup(#[source] r2d2::Error),
    /// Migrations failed.
    #[error("database migrations: {0}")]
    Migration(String),
}

/// Which backend a URL selects, with what to hand that backend's `establish`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file path (or `:memory:`).
    Sqlite(String),
    /// A PostgreSQL connection URL.
    Pg(String),
}

impl Target {
    /// Picks the backend from the URL scheme; anything unknown is an error, never a stray file.
    pub fn parse(url: &str) -> Result<Self, DbError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Self::Sqlite(path.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            Ok(Self::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Pg(url.to_owned()))
        } else {
            Err(DbError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// The URL with any password replaced by `***`, safe to log.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// Opens connections for the pool, choosing the backend by URL scheme.
#[derive(Debug)]
pub struct Manager {
    target: Target,
}

impl Manager {
    /// A manager for `url`; creates the SQLite file's directory if needed.
    pub fn new(url: &str) -> Result<Self, DbError> {
        let target = Target::parse(url)?;
        if let Target::Sqlite(path) = &target {
            let parent = std::path::Path::new(path).parent();
            if let Some(dir) =
                parent.filter(|d| !d.as_os_str().is_empty() && !path.starts_with(':'))
            {
                std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
                    path: dir.to_owned(),
                    source,
                })?;
            }
        }
        Ok(Self { target })
    }

    /// Opens one connection.
    pub fn establish(&self) -> Result<DbConn, ConnectionError> {
        match &self.target {
            Target::Sqlite(path) => SqliteConnection::establish(path).map(DbConn::Sqlite),
            Target::Pg(url) => PgConnection::establish(url).map(DbConn::Pg),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Sets SQLite's pragmas on every new connection; `busy_timeout` first so the rest can wait.
/// A 32 MiB page cache (the default is 2 MiB) keeps the upper levels of the event indexes in
/// memory while a capture inserts into them at random (hash ids), and a 16 MB WAL between
/// checkpoints copies a page dirtied by several captures once: on `bench/events.sh` page
/// reads and checkpoints were a third of the capture's time. (A 128 MB WAL measured 21.0k and
/// 18.3k events/s at 1M events against 18.5k and 17.2k, 256 MB 17.6k: inside the noise.)
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 4000;",
            )
            .map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Builds the pool for `url`; fails fast if the first connection cannot be made.
pub fn pool(url: &str, max_size: u32) -> Result<Pool, DbError> {
    let manager = Manager::new(url)?;
    // Surface the real connection error rather than r2d2's generic timeout.
    let mut probe = manager.establish().map_err(DbError::Connect)?;
    SqlitePragmas
        .on_acquire(&mut probe)
        .map_err(DbError::Setup)?;
    drop(probe);
    r2d2::Pool::builder()
        .max_size(max_size)
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqlitePragmas))
        .build(manager)
        .map_err(DbError::Pool)
}

/// Runs `f` in a write transaction that holds the write lock from its start.
///
/// SQLite: `BEGIN IMMEDIATE`, so read-then-write cannot fail with "database is locked" when it
/// upgrades its lock. PostgreSQL: a plain transaction (callers lock what they need).
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Checks the database answers a trivial query.
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// PostgreSQL: plans every statement of the current transaction for its own parameters and the
/// tables' current size (a no-op on SQLite).
///
/// A bulk write grows its tables within seconds. A statement prepared while they were small gets
/// a generic plan (a sequential scan) after five runs, and PostgreSQL keeps it until the next
/// `ANALYZE`: each later chunk then scans more rows than the one before (an import of 20,000
/// rows ran at 1,250 rows/s, quadratic in its size).
pub fn plan_each_execution(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Pg(c) => c.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan"),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Inserts the rows `$rows` (a slice or a `Vec`) into `$table`: one `COPY ... FROM STDIN` on
/// PostgreSQL, one prepared insert per row on SQLite (in-process, where a statement costs no
/// round trip). `COPY` takes no `DEFAULT`, so the row types derive `Insertable` with
/// `treat_none_as_default_value = false` (every nullable column defaults to NULL anyway).
/// Importing 20,000 new products (`bench/import.sh`, release) ran at 3,741 rows/s with
/// multi-row INSERTs of 1,000 rows, each parsed and planned with up to 20,000 parameters, and
/// runs at 8,500-9,400 rows/s with COPY. A macro because batch inserts do not compile
/// through the `MultiConnection` enum: each arm names its own connection type.
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::DbConn::Pg(c) => diesel::copy_from($table)
                .from_insertable($rows)
                .execute(c)
                .map(|_| ()),
            $crate::DbConn::Sqlite(c) => $rows.iter().try_for_each(|row| {
                diesel::insert_into($table)
                    .values(row)
                    .execute(c)
                    .map(|_| ())
            }),
        }
    };
}
pub(crate) use insert_many;

/// The current UTC time at the microsecond precision both backends store.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// `NotFound` if an update or delete touched no row.
pub fn found(rows: usize) -> QueryResult<()> {
    if rows == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// A new time-ordered identifier.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_backends_and_reject_the_rest() {
        assert_eq!(
            Target::parse("sqlite://./data/x.db").ok(),
            Some(Target::Sqlite("./data/x.db".into()))
        );
        assert!(matches!(
            Target::parse("postgres://u@h/db"),
            Ok(Target::Pg(_))
        ));
        assert!(matches!(
            Target::parse("postgresql://u@h/db"),
            Ok(Target::Pg(_))
        ));
        assert!(matches!(
            Target::parse("mysql://x"),
            Err(DbError::UnsupportedUrl(_))
        ));
        assert!(matches!(
            Target::parse("./file.db"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://./data/x.db"), "sqlite://./data/x.db");
    }
}
