//! Public scans of serialised items, and the queries the resolver's facts need that no other
//! area asks for.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    certificates::CertificateRow,
    schema::{certificates, inspections, public_scans},
};

/// One public scan: when, which item, and a coarse place ('' when not given).
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable)]
#[diesel(table_name = public_scans)]
pub struct Scan {
    /// UUIDv7.
    pub id: String,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// The product.
    pub gtin: String,
    /// The serial.
    pub serial: String,
    /// A coarse place such as `VN-HN`, or ''.
    pub place: String,
}

/// Inserts scans one statement each, in one transaction (a batch is small: one flush interval).
#[tracing::instrument(skip_all, fields(n = scans.len()))]
pub fn insert_all(conn: &mut DbConn, scans: &[Scan]) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        for s in scans {
            diesel::insert_into(public_scans::table)
                .values(s)
                .execute(conn)?;
        }
        Ok(())
    })
}

/// How many public scans are logged in all.
#[tracing::instrument(skip(conn))]
pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    public_scans::table.count().get_result(conn)
}

/// How many distinct non-empty places scanned `(gtin, serial)` since `since`.
#[tracing::instrument(skip(conn))]
pub fn distinct_places(
    conn: &mut DbConn,
    gtin: &str,
    serial: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    public_scans::table
        .filter(public_scans::gtin.eq(gtin))
        .filter(public_scans::serial.eq(serial))
        .filter(public_scans::at.ge(since))
        .filter(public_scans::place.ne(""))
        .select(public_scans::place)
        .distinct()
        .load::<String>(conn)
        .map(|v| i64::try_from(v.len()).unwrap_or(i64::MAX))
}

/// The certificates with these ids, by id.
#[tracing::instrument(skip(conn))]
pub fn certificates_by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<CertificateRow>> {
    certificates::table
        .filter(certificates::id.eq_any(ids))
        .order(certificates::id.asc())
        .load(conn)
}

/// The latest `limit` inspections of a GTIN, latest first.
#[tracing::instrument(skip(conn))]
pub fn latest_inspections(
    conn: &mut DbConn,
    gtin: &str,
    limit: i64,
) -> QueryResult<Vec<super::inspections::Inspection>> {
    inspections::table
        .filter(inspections::gtin.eq(gtin))
        .order((inspections::inspected_at.desc(), inspections::id.desc()))
        .limit(limit)
        .load(conn)
}
