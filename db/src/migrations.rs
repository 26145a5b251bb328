//! Embedded migrations, one set per backend, run on start and by `gs1dpp-server migrate`.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{DbConn, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applies pending migrations for the connection's backend; returns how many ran.
#[tracing::instrument(skip(conn))]
pub fn run(conn: &mut DbConn) -> Result<usize, DbError> {
    let set = match conn {
        DbConn::Sqlite(_) => SQLITE,
        DbConn::Pg(_) => POSTGRES,
    };
    let applied = conn
        .run_pending_migrations(set)
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.len())
}
