//! Queries on market-surveillance inspections.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    schema::{inspections, products},
};
use crate::page::PageRequest;

/// An inspection row.
#[derive(Clone, Debug, PartialEq, Eq, Queryable, Insertable, serde::Serialize)]
#[diesel(table_name = inspections)]
pub struct Inspection {
    /// UUIDv7.
    pub id: String,
    /// The inspecting authority.
    pub org_id: String,
    /// Who inspected (`user:<id>` or `api_key:<id>`).
    pub inspector_id: String,
    /// The code as scanned or typed.
    pub code: String,
    /// The GTIN the code names, if it names one.
    pub gtin: Option<String>,
    /// The lot in the code, if any.
    pub lot: Option<String>,
    /// The serial in the code, if any.
    pub serial: Option<String>,
    /// Where.
    pub place: String,
    /// compliant, non_compliant or suspected_counterfeit.
    pub outcome: String,
    /// Free-text notes.
    pub notes: Option<String>,
    /// SHA-256 (hex) of the evidence file.
    pub evidence_sha256: Option<String>,
    /// When the inspection took place (UTC).
    pub inspected_at: NaiveDateTime,
    /// When it was recorded (UTC).
    pub created_at: NaiveDateTime,
    /// The client's `Idempotency-Key`, unique per organisation.
    pub idempotency_key: Option<String>,
    /// SHA-256 (hex) of the request recorded under that key.
    pub request_digest: Option<String>,
}

/// Inserts an inspection.
#[tracing::instrument(skip_all)]
pub fn insert(conn: &mut DbConn, row: &Inspection) -> QueryResult<()> {
    diesel::insert_into(inspections::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The inspection `org_id` recorded under `key`, if any.
#[tracing::instrument(skip(conn))]
pub fn by_idempotency_key(
    conn: &mut DbConn,
    org_id: &str,
    key: &str,
) -> QueryResult<Option<Inspection>> {
    inspections::table
        .filter(inspections::org_id.eq(org_id))
        .filter(inspections::idempotency_key.eq(key))
        .get_result(conn)
        .optional()
}

/// The inspection with `id`; `NotFound` if none.
#[tracing::instrument(skip(conn))]
pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Inspection> {
    inspections::table
        .filter(inspections::id.eq(id))
        .get_result(conn)
}

/// Which inspections a list shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this GTIN.
    pub gtin: Option<String>,
    /// Only this outcome.
    pub outcome: Option<String>,
    /// Only inspections of products owned by this organisation.
    pub product_owner: Option<String>,
}

/// A page of inspections by id (one extra row signals a next page).
#[tracing::instrument(skip(conn))]
pub fn list(conn: &mut DbConn, f: &Filter, page: &PageRequest) -> QueryResult<Vec<Inspection>> {
    let mut q = inspections::table.into_boxed::<MultiBackend>();
    if let Some(gtin) = &f.gtin {
        q = q.filter(inspections::gtin.eq(gtin.clone()));
    }
    if let Some(outcome) = &f.outcome {
        q = q.filter(inspections::outcome.eq(outcome.clone()));
    }
    if let Some(org) = &f.product_owner {
        q = q.filter(
            inspections::gtin.eq_any(
                products::table
                    .filter(products::org_id.eq(org.clone()))
                    .select(products::gtin.nullable()),
            ),
        );
    }
    if let Some(after) = &page.after {
        q = q.filter(inspections::id.gt(after.clone()));
    }
    q.order(inspections::id.asc())
        .limit(page.limit + 1)
        .load(conn)
}

/// The organisation owning the product with `gtin`, if it is registered.
#[tracing::instrument(skip(conn))]
pub fn product_owner(conn: &mut DbConn, gtin: &str) -> QueryResult<Option<String>> {
    products::table
        .filter(products::gtin.eq(gtin))
        .select(products::org_id)
        .get_result(conn)
        .optional()
}
