//! Queries on lots, commission jobs and serials; bulk serial inserts run on the inner connection.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    schema::{commission_jobs, lots, products, serials},
};
use crate::page::PageRequest;

/// Rows per insert statement: 7 columns x 4,000 = 28,000 bind parameters, under SQLite's 32,766
/// and PostgreSQL's 65,535.
pub const STATEMENT_ROWS: usize = 4_000;

/// Serials per `IN (...)` list, under both backends' bind parameter limits.
pub const IN_LIST: usize = 10_000;

/// The parts of a product row this module needs: who owns it.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct ProductRef {
    /// The GTIN (14 digits).
    pub gtin: String,
    /// The owning organisation.
    pub org_id: String,
    /// The product's status, as the product registry writes it.
    pub status: String,
}

/// A lot row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = lots)]
pub struct LotRow {
    /// UUIDv7.
    pub id: String,
    /// The product's organisation.
    pub org_id: String,
    /// The product.
    pub gtin: String,
    /// The lot number (AI 10).
    pub lot: String,
    /// `YYYY-MM-DD`.
    pub production_date: Option<String>,
    /// `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last changed (UTC).
    pub updated_at: NaiveDateTime,
}

/// A commission job row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = commission_jobs)]
pub struct JobRow {
    /// UUIDv7.
    pub id: String,
    /// The product's organisation.
    pub org_id: String,
    /// The product.
    pub gtin: String,
    /// The caller's `Idempotency-Key`.
    pub idempotency_key: String,
    /// SHA-256 of the canonical request.
    pub request_digest: String,
    /// Serials requested.
    pub total: i64,
    /// Serials committed so far.
    pub done: i64,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// Why it failed.
    pub error: Option<String>,
    /// The audit actor who started it.
    pub created_by: String,
    /// Created (UTC).
    pub created_at: NaiveDateTime,
    /// Last progress (UTC).
    pub updated_at: NaiveDateTime,
    /// The lease (`db::lease`) of the process running it; `None` for jobs from before leases.
    pub worker: Option<String>,
}

/// A serial row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, serde::Serialize)]
pub struct SerialRow {
    /// The product.
    pub gtin: String,
    /// The serial number (AI 21).
    pub serial: String,
    /// The product's organisation.
    pub org_id: String,
    /// The lot, `''` if none.
    pub lot: String,
    /// A `SerialState` in its snake_case form.
    pub state: String,
    /// The commission job that created it.
    pub job_id: Option<String>,
    /// Last state change (UTC).
    pub updated_at: NaiveDateTime,
    /// When it reached its state: the event time of the EPCIS event that moved it, or the
    /// time of an API state change (UTC).
    pub state_since: Option<NaiveDateTime>,
}

/// A serial to insert.
#[derive(Clone, Debug, Insertable)]
#[diesel(table_name = serials, treat_none_as_default_value = false)]
pub struct NewSerial<'a> {
    /// The product.
    pub gtin: &'a str,
    /// The serial number.
    pub serial: String,
    /// The product's organisation.
    pub org_id: &'a str,
    /// The lot, `''` if none.
    pub lot: &'a str,
    /// Initial state.
    pub state: &'a str,
    /// The job.
    pub job_id: Option<&'a str>,
    /// Now.
    pub updated_at: NaiveDateTime,
}

/// The product with `gtin`, if registered.
#[tracing::instrument(skip(conn))]
pub fn product(conn: &mut DbConn, gtin: &str) -> QueryResult<Option<ProductRef>> {
    products::table
        .filter(products::gtin.eq(gtin))
        .select((products::gtin, products::org_id, products::status))
        .get_result(conn)
        .optional()
}

/// Inserts a lot.
#[tracing::instrument(skip_all)]
pub fn insert_lot(conn: &mut DbConn, lot: &LotRow) -> QueryResult<()> {
    diesel::insert_into(lots::table)
        .values(lot)
        .execute(conn)
        .map(|_| ())
}

/// The lot `lot` of `gtin`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get_lot(conn: &mut DbConn, gtin: &str, lot: &str) -> QueryResult<LotRow> {
    lots::table
        .filter(lots::gtin.eq(gtin).and(lots::lot.eq(lot)))
        .get_result(conn)
}

/// A page of a product's lots by lot number.
#[tracing::instrument(skip(conn))]
pub fn list_lots(conn: &mut DbConn, gtin: &str, page: &PageRequest) -> QueryResult<Vec<LotRow>> {
    let mut q = lots::table
        .filter(lots::gtin.eq(gtin.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(after) = &page.after {
        q = q.filter(lots::lot.gt(after.clone()));
    }
    q.order(lots::lot.asc()).limit(page.limit + 1).load(conn)
}

/// Writes a lot's dates.
#[tracing::instrument(skip_all)]
pub fn update_lot(conn: &mut DbConn, lot: &LotRow) -> QueryResult<()> {
    diesel::update(lots::table.filter(lots::id.eq(&lot.id)))
        .set((
            lots::production_date.eq(&lot.production_date),
            lots::expiry_date.eq(&lot.expiry_date),
            lots::updated_at.eq(lot.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Inserts a commission job.
#[tracing::instrument(skip_all)]
pub fn insert_job(conn: &mut DbConn, job: &JobRow) -> QueryResult<()> {
    diesel::insert_into(commission_jobs::table)
        .values(job)
        .execute(conn)
        .map(|_| ())
}

/// The job with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get_job(conn: &mut DbConn, id: &str) -> QueryResult<JobRow> {
    commission_jobs::table
        .filter(commission_jobs::id.eq(id))
        .get_result(conn)
}

/// The job an organisation started with an idempotency key, if any.
#[tracing::instrument(skip(conn))]
pub fn job_by_key(conn: &mut DbConn, org_id: &str, key: &str) -> QueryResult<Option<JobRow>> {
    commission_jobs::table
        .filter(
            commission_jobs::org_id
                .eq(org_id)
                .and(commission_jobs::idempotency_key.eq(key)),
        )
        .get_result(conn)
        .optional()
}

/// Gives `job` to the worker holding lease `worker`, running, unless the row changed since it
/// was read (another process took it first): returns whether it did.
#[tracing::instrument(skip(conn, job), fields(job = %job.id))]
pub fn take_job(
    conn: &mut DbConn,
    job: &JobRow,
    worker: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let row = commission_jobs::table.filter(
        commission_jobs::id
            .eq(&job.id)
            .and(commission_jobs::updated_at.eq(job.updated_at))
            .and(commission_jobs::done.eq(job.done)),
    );
    let change = (
        commission_jobs::status.eq("running"),
        commission_jobs::error.eq(None::<String>),
        commission_jobs::worker.eq(worker),
        commission_jobs::updated_at.eq(at),
    );
    let n = match &job.worker {
        Some(w) => diesel::update(row.filter(commission_jobs::worker.eq(w)))
            .set(change)
            .execute(conn)?,
        None => diesel::update(row.filter(commission_jobs::worker.is_null()))
            .set(change)
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Sets a job's status and error.
#[tracing::instrument(skip(conn))]
pub fn set_job_status(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    error: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(commission_jobs::table.filter(commission_jobs::id.eq(id)))
        .set((
            commission_jobs::status.eq(status),
            commission_jobs::error.eq(error),
            commission_jobs::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Advances `done` from `from` to `to` (and the status), only if no one else moved it: returns
/// whether the row was updated.
#[tracing::instrument(skip(conn))]
pub fn advance_job(
    conn: &mut DbConn,
    id: &str,
    from: i64,
    to: i64,
    status: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        commission_jobs::table.filter(
            commission_jobs::id
                .eq(id)
                .and(commission_jobs::done.eq(from)),
        ),
    )
    .set((
        commission_jobs::done.eq(to),
        commission_jobs::status.eq(status),
        commission_jobs::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Inserts serials in as few statements as the bind limits allow; PostgreSQL uses `COPY`.
///
/// Batch inserts do not compile through the `MultiConnection` enum, so this runs the same rows on
/// the inner connection.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub fn insert_serials(conn: &mut DbConn, rows: &[NewSerial<'_>]) -> QueryResult<usize> {
    match conn {
        DbConn::Sqlite(c) => {
            let mut n = 0;
            for part in rows.chunks(STATEMENT_ROWS) {
                n += diesel::insert_into(serials::table)
                    .values(part)
                    .execute(c)?;
            }
            Ok(n)
        }
        DbConn::Pg(c) => diesel::copy_from(serials::table)
            .from_insertable(rows)
            .execute(c),
    }
}

/// The first of `candidates` that already exists for `gtin`.
#[tracing::instrument(skip_all)]
pub fn first_existing(
    conn: &mut DbConn,
    gtin: &str,
    candidates: &[String],
) -> QueryResult<Option<String>> {
    let mut found: Vec<String> = Vec::new();
    for part in candidates.chunks(IN_LIST) {
        found.extend(
            serials::table
                .filter(serials::gtin.eq(gtin).and(serials::serial.eq_any(part)))
                .select(serials::serial)
                .load::<String>(conn)?,
        );
    }
    let found: std::collections::HashSet<String> = found.into_iter().collect();
    Ok(candidates.iter().find(|s| found.contains(*s)).cloned())
}

/// How many serials `gtin` has, in any state.
#[tracing::instrument(skip(conn))]
pub fn count(conn: &mut DbConn, gtin: &str) -> QueryResult<i64> {
    serials::table
        .filter(serials::gtin.eq(gtin))
        .count()
        .get_result(conn)
}

/// The serial `serial` of `gtin`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get_serial(conn: &mut DbConn, gtin: &str, serial: &str) -> QueryResult<SerialRow> {
    serials::table
        .filter(serials::gtin.eq(gtin).and(serials::serial.eq(serial)))
        .get_result(conn)
}

/// The rows of `candidates` that exist for `gtin`.
#[tracing::instrument(skip_all)]
pub fn get_serials(
    conn: &mut DbConn,
    gtin: &str,
    candidates: &[String],
) -> QueryResult<Vec<SerialRow>> {
    let mut out = Vec::with_capacity(candidates.len());
    for part in candidates.chunks(IN_LIST) {
        out.extend(
            serials::table
                .filter(serials::gtin.eq(gtin).and(serials::serial.eq_any(part)))
                .load::<SerialRow>(conn)?,
        );
    }
    Ok(out)
}

/// A page of a product's serials by serial number, optionally filtered by state and lot.
#[tracing::instrument(skip(conn))]
pub fn list_serials(
    conn: &mut DbConn,
    gtin: &str,
    state: Option<&str>,
    lot: Option<&str>,
    page: &PageRequest,
) -> QueryResult<Vec<SerialRow>> {
    let mut q = serials::table
        .filter(serials::gtin.eq(gtin.to_owned()))
        .into_boxed::<MultiBackend>();
    if let Some(state) = state {
        q = q.filter(serials::state.eq(state.to_owned()));
    }
    if let Some(lot) = lot {
        q = q.filter(serials::lot.eq(lot.to_owned()));
    }
    if let Some(after) = &page.after {
        q = q.filter(serials::serial.gt(after.clone()));
    }
    q.order(serials::serial.asc())
        .limit(page.limit + 1)
        .load(conn)
}

/// Sets the state of the listed serials of `gtin`.
#[tracing::instrument(skip_all)]
pub fn set_states(
    conn: &mut DbConn,
    gtin: &str,
    serials_: &[String],
    state: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut n = 0;
    for part in serials_.chunks(IN_LIST) {
        n += diesel::update(
            serials::table.filter(serials::gtin.eq(gtin).and(serials::serial.eq_any(part))),
        )
        .set((
            serials::state.eq(state),
            serials::updated_at.eq(at),
            serials::state_since.eq(at),
        ))
        .execute(conn)?;
    }
    Ok(n)
}

/// Moves one serial of `gtin` to `state` reached at `since` (an event's time); `now` is the
/// row's update time.
#[tracing::instrument(skip(conn))]
pub fn set_state_since(
    conn: &mut DbConn,
    gtin: &str,
    serial: &str,
    state: &str,
    since: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(serials::table.filter(serials::gtin.eq(gtin).and(serials::serial.eq(serial))))
        .set((
            serials::state.eq(state),
            serials::updated_at.eq(now),
            serials::state_since.eq(since),
        ))
        .execute(conn)
}
