//! Rows as stored; wire types live in `api/` and are built from these.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{api_keys, audit_log, organisations, users};

/// An organisation row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = organisations)]
pub struct Org {
    /// UUIDv7.
    pub id: String,
    /// An `OrgKind` in its snake_case form.
    pub kind: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// The organisation's GLN, if it has one.
    pub gln: Option<String>,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// A user row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    /// UUIDv7.
    pub id: String,
    /// The organisation the user belongs to.
    pub org_id: String,
    /// Lower-cased e-mail address, unique.
    pub email: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// A `Role` in lower case.
    pub role: String,
    /// Disabled users cannot sign in and their tokens stop working.
    pub disabled: bool,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// An API key row; the secret itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    /// UUIDv7.
    pub id: String,
    /// The organisation the key acts for.
    pub org_id: String,
    /// A label chosen by its creator.
    pub name: String,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    /// The role the key acts with.
    pub role: String,
    /// Who created it (`user:<id>`).
    pub created_by: String,
    /// When it was created (UTC).
    pub created_at: NaiveDateTime,
    /// When it last authenticated a request (UTC).
    pub last_used_at: Option<NaiveDateTime>,
    /// When it was revoked (UTC); revoked keys authenticate nothing.
    pub revoked_at: Option<NaiveDateTime>,
}

/// One audit log entry.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When the write happened (UTC, microseconds).
    pub at: NaiveDateTime,
    /// Who wrote: `user:<id>`, `api_key:<id>` or `cli`.
    pub actor: String,
    /// The organisation acted upon, if any.
    pub org_id: Option<String>,
    /// What was done, e.g. `org.create`.
    pub action: String,
    /// The kind of entity written.
    pub entity_type: String,
    /// Its id.
    pub entity_id: String,
    /// SHA-256 (hex) of the entity's new state as JSON.
    pub state_digest: String,
    /// The previous entry's hash (64 zeros for the first).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}
