//! UNTP Digital Traceability Event credentials issued for an item's, lot's or SSCC's journey.
//! Rows are written once: a passport links a credential by its URL and content digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::DbConn;
use crate::schema::traceability_credentials as t;

/// An issued credential.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = t)]
pub struct DteRow {
    /// UUIDv7.
    pub id: String,
    /// The organisation it was issued for (the GTIN's owner).
    pub org_id: String,
    /// The object whose journey it holds (canonical form).
    pub epc: String,
    /// SHA-256 of the credential's events: a reissue with the same events is the same
    /// credential.
    pub events_sha256: String,
    /// The credential, JSON.
    pub content: String,
    /// SHA-256 of `content`, hex.
    pub content_sha256: String,
    /// The compact JWS of `content`.
    pub jws: String,
    /// The signing key's id.
    pub kid: String,
    /// Who asked for it.
    pub issued_by: String,
    /// When (UTC).
    pub issued_at: NaiveDateTime,
}

/// Records a credential.
pub fn insert(conn: &mut DbConn, row: &DteRow) -> QueryResult<()> {
    diesel::insert_into(t::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The credential `id`.
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Option<DteRow>> {
    t::table.find(id).first(conn).optional()
}

/// The newest credential for `epc` holding exactly these events, if one was issued.
pub fn same_events(
    conn: &mut DbConn,
    epc: &str,
    events_sha256: &str,
) -> QueryResult<Option<DteRow>> {
    t::table
        .filter(t::epc.eq(epc).and(t::events_sha256.eq(events_sha256)))
        .order(t::issued_at.desc())
        .first(conn)
        .optional()
}

/// The newest credential issued for `epc`.
pub fn latest(conn: &mut DbConn, epc: &str) -> QueryResult<Option<DteRow>> {
    t::table
        .filter(t::epc.eq(epc))
        .order(t::issued_at.desc())
        .first(conn)
        .optional()
}
